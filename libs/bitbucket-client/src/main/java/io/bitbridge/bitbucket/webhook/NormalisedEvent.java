package io.bitbridge.bitbucket.webhook;

import io.bitbridge.events.EventType;
import io.bitbridge.events.PullRequestEvent;
import io.bitbridge.events.PushEvent;

/** A canonical event ready to publish: its type (topic, ce_type), record key and body. */
public record NormalisedEvent(EventType type, String recordKey, Record event) {

    public static NormalisedEvent of(PushEvent push) {
        return new NormalisedEvent(EventType.PUSH, push.repository().key(), push);
    }

    public static NormalisedEvent of(PullRequestEvent pullRequest) {
        return new NormalisedEvent(EventType.PULL_REQUEST, pullRequest.repository().key(), pullRequest);
    }
}
