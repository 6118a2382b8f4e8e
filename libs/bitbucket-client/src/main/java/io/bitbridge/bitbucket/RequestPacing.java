package io.bitbridge.bitbucket;

import java.util.function.Supplier;

/**
 * How one caller's requests to Bitbucket are paced: each request runs through {@link #call}, which may wait for a
 * request budget and retry after a rate-limit answer (429). Bitbucket counts requests per user or token
 * (docs/bitbucket-api-notes.md §6), so a service keeps one pacing per credential.
 */
@FunctionalInterface
public interface RequestPacing {
    /** No budget, no waiting: the request runs as it is. */
    RequestPacing NONE = new RequestPacing() {
        @Override
        public <T> T call(Supplier<T> request) {
            return request.get();
        }
    };

    <T> T call(Supplier<T> request);
}
