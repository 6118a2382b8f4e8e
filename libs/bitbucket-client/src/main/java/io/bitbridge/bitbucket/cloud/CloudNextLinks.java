package io.bitbridge.bitbucket.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.bitbucket.BitbucketEndpoint;

import java.net.URI;

import static io.bitbridge.bitbucket.BitbucketHttp.text;

/**
 * Cloud's {@code next} link, followed exactly as given (docs/bitbucket-api-notes.md §5) but only on the API's own origin:
 * a link to another host would send the credential's authorization there, so it is refused.
 */
final class CloudNextLinks {
    private CloudNextLinks() {
    }

    /** The next page's URI, null on the last page; {@link IllegalStateException} for a link that leaves {@code origin}. */
    static URI next(JsonNode page, URI current, String origin) {
        String link = text(page, "next");
        if (link == null || link.isBlank()) {
            return null;
        }
        URI next = current.resolve(link);
        if (!origin.equals(BitbucketEndpoint.originOf(next.toString()))) {
            throw new IllegalStateException("refusing a next link to another host: " + next.getScheme() + "://" + next.getRawAuthority());
        }
        return next;
    }
}
