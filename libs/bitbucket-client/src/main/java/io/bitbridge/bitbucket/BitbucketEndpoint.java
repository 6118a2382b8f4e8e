package io.bitbridge.bitbucket;

import java.net.URI;
import java.util.Objects;

/**
 * Where and as whom to call Bitbucket: the API base URL (Cloud: {@code https://api.bitbucket.org}; Server:
 * the instance's base URL), the ready {@code Authorization} header value, and the TLS trust for that host
 * ({@code caPem} adds a private CA; {@code insecureTls} turns verification off and must be an explicit choice).
 */
public record BitbucketEndpoint(URI apiBaseUrl, String authorization, String caPem, boolean insecureTls) {
    public BitbucketEndpoint {
        Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
        Objects.requireNonNull(authorization, "authorization");
    }

    /** The absolute URI of {@code path} (which starts with {@code /}) under the base URL. */
    public URI resolve(String path) {
        String base = apiBaseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    /** {@code scheme://host:port} of the API: the key of one Bitbucket endpoint (one circuit breaker). */
    public String origin() {
        return originOf(apiBaseUrl.toString());
    }

    public static String originOf(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** The same endpoint at another base URL. */
    public BitbucketEndpoint at(URI otherBaseUrl) {
        return new BitbucketEndpoint(otherBaseUrl, authorization, caPem, insecureTls);
    }

    @Override
    public String toString() {
        // never the authorization value
        return "BitbucketEndpoint[" + apiBaseUrl + (caPem == null ? "" : ", private CA") + (insecureTls ? ", TLS unverified" : "") + "]";
    }
}
