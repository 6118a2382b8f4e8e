package io.bitbridge.bitbucket;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and as whom to call Bitbucket: the API base URL (Cloud: {@code https://api.bitbucket.org}; Server:
 * the instance's base URL), the ready {@code Authorization} header value, the TLS trust for that host
 * ({@code caPem} adds a private CA; {@code insecureTls} turns verification off and must be an explicit choice), and
 * the largest answer read from it ({@code maxResponseBytes}), and where the authorization may be sent ({@code policy}:
 * {@link BitbucketHttp} checks every request against it, resolving the host then; {@link BaseUrlPolicy#STRICT}, https to
 * public addresses only, unless the service's {@code bitbridge.outbound.*} settings allow more).
 */
public record BitbucketEndpoint(URI apiBaseUrl, String authorization, String caPem, boolean insecureTls, long maxResponseBytes,
                                BaseUrlPolicy policy) {
    /** Bitbucket's pages are a few hundred KB at most; a file read through {@code /src} is the largest answer. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 8L * 1024 * 1024;

    public BitbucketEndpoint {
        Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(policy, "policy");
        if (maxResponseBytes <= 0) {
            throw new IllegalArgumentException("maxResponseBytes must be positive");
        }
    }

    /** Under {@link BaseUrlPolicy#STRICT}. */
    public BitbucketEndpoint(URI apiBaseUrl, String authorization, String caPem, boolean insecureTls, long maxResponseBytes) {
        this(apiBaseUrl, authorization, caPem, insecureTls, maxResponseBytes, BaseUrlPolicy.STRICT);
    }

    public BitbucketEndpoint(URI apiBaseUrl, String authorization, String caPem, boolean insecureTls, BaseUrlPolicy policy) {
        this(apiBaseUrl, authorization, caPem, insecureTls, DEFAULT_MAX_RESPONSE_BYTES, policy);
    }

    /** Under {@link BaseUrlPolicy#STRICT}. */
    public BitbucketEndpoint(URI apiBaseUrl, String authorization, String caPem, boolean insecureTls) {
        this(apiBaseUrl, authorization, caPem, insecureTls, DEFAULT_MAX_RESPONSE_BYTES, BaseUrlPolicy.STRICT);
    }

    /** The absolute URI of {@code path} (which starts with {@code /}) under the base URL. */
    public URI resolve(String path) {
        String base = apiBaseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    /** {@code scheme://host:port} of the API: the key of one Bitbucket endpoint (one circuit breaker). */
    public String origin() {
        return originOf(apiBaseUrl);
    }

    /** True when {@code uri} has the API's scheme, host and port: the only place its authorization may be sent. */
    public boolean sameOrigin(URI uri) {
        return uri.getRawUserInfo() == null && origin().equals(originOf(uri));
    }

    public static String originOf(String url) {
        return originOf(URI.create(url));
    }

    /**
     * {@code scheme://host:port} in one spelling (lower case, the scheme's default port written out), so that
     * {@code https://api.bitbucket.org} and {@code https://API.bitbucket.org:443} are one origin (RFC 6454 §4).
     */
    public static String originOf(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? String.valueOf(uri.getRawAuthority()) : uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
        return scheme + "://" + host + ":" + port;
    }

    /** The same endpoint at another base URL. */
    public BitbucketEndpoint at(URI otherBaseUrl) {
        return new BitbucketEndpoint(otherBaseUrl, authorization, caPem, insecureTls, maxResponseBytes, policy);
    }

    @Override
    public String toString() {
        // never the authorization value
        return "BitbucketEndpoint[" + apiBaseUrl + (caPem == null ? "" : ", private CA") + (insecureTls ? ", TLS unverified" : "") + "]";
    }
}
