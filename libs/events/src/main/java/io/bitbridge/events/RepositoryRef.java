package io.bitbridge.events;

import java.util.List;
import java.util.Locale;

/**
 * A repository as every event names it. {@code key} is {@code provider:host/owner/slug} in lower case:
 * the Kafka record key, so all events of one repository stay ordered on one partition.
 */
public record RepositoryRef(
        @Required String key,
        @Required Provider provider,
        @Required String host,
        @Required String owner,
        @Required String slug,
        String name,
        String htmlUrl,
        @Required List<CloneUrl> cloneUrls) {

    public RepositoryRef {
        cloneUrls = cloneUrls == null ? List.of() : List.copyOf(cloneUrls);
    }

    public static String keyOf(Provider provider, String host, String owner, String slug) {
        return (provider.slug() + ":" + host + "/" + owner + "/" + slug).toLowerCase(Locale.ROOT);
    }

    public static RepositoryRef of(Provider provider, String host, String owner, String slug, String name,
                                   String htmlUrl, List<CloneUrl> cloneUrls) {
        return new RepositoryRef(keyOf(provider, host, owner, slug), provider, host.toLowerCase(Locale.ROOT),
                owner, slug, name, htmlUrl, cloneUrls);
    }

    /**
     * The host part of a repository key taken from a URL: host (lower case) and port when one is given, or null
     * when the URL has no host. One rule for every service, so a server named by its base URL in one place and
     * by a link in another gets the same key.
     */
    public static String hostOf(String url) {
        if (url == null) {
            return null;
        }
        try {
            java.net.URI uri = java.net.URI.create(url.trim());
            if (uri.getHost() == null) {
                return null;
            }
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            return uri.getPort() > 0 ? host + ":" + uri.getPort() : host;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A clone URL with its protocol name as Bitbucket labels it ({@code https}, {@code http}, {@code ssh}). */
    public record CloneUrl(@Required String name, @Required String href) {
    }
}
