package io.bitbridge.events;

/** The two Bitbucket products; both feed the same neutral events. */
public enum Provider {
    BITBUCKET_CLOUD("bitbucket-cloud"),
    BITBUCKET_SERVER("bitbucket-server");

    private final String slug;

    Provider(String slug) {
        this.slug = slug;
    }

    /** The lower-case form used in repository keys and URLs, e.g. {@code bitbucket-cloud}. */
    public String slug() {
        return slug;
    }
}
