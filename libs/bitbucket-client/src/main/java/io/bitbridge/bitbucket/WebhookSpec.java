package io.bitbridge.bitbucket;

import java.util.Set;

/** The hook Bitbridge wants on a repository: Bitbucket delivers {@code events} to {@code url}, signed with {@code secret}. */
public record WebhookSpec(String url, String description, String secret, Set<String> events) {
    public WebhookSpec {
        events = Set.copyOf(events);
    }

    @Override
    public String toString() {
        return "WebhookSpec[" + url + ", " + events + "]";
    }
}
