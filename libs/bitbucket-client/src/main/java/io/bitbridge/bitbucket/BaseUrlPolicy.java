package io.bitbridge.bitbucket;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which base URLs a credential may name, so that an admin cannot point Bitbridge's authenticated requests at the
 * network behind it (server-side request forgery): {@code https} only, except for hosts in {@code httpHosts}; and no
 * host that resolves to a loopback, link-local (e.g. the cloud metadata address 169.254.169.254), private, shared
 * (RFC 6598), unique-local, multicast or unspecified address, except for hosts in {@code privateHosts} (e.g. a
 * Bitbucket Data Center inside the company network). Hosts are compared as written in the URL, case-insensitively.
 * credential-service checks a base URL when it is stored, and {@link BitbucketHttp} checks every request of every
 * service again (a stored row may have changed, a name may resolve elsewhere since), just before it connects: the JVM
 * caches a name's addresses ({@code networkaddress.cache.ttl}, 30 s), so the connection goes to the addresses checked.
 */
public final class BaseUrlPolicy {
    /** https to public addresses only, nothing allow-listed. */
    public static final BaseUrlPolicy STRICT = new BaseUrlPolicy(Set.of(), Set.of());

    private final Set<String> httpHosts;
    private final Set<String> privateHosts;
    private final Function<String, InetAddress[]> resolver;

    public BaseUrlPolicy(Collection<String> httpHosts, Collection<String> privateHosts) {
        this(httpHosts, privateHosts, BaseUrlPolicy::resolve);
    }

    /** {@code hosts} may be called over plain http and resolve to internal addresses (the sandbox's fakes on loopback). */
    public static BaseUrlPolicy allowing(String... hosts) {
        return new BaseUrlPolicy(List.of(hosts), List.of(hosts));
    }

    /** With another name resolution (tests). */
    BaseUrlPolicy(Collection<String> httpHosts, Collection<String> privateHosts, Function<String, InetAddress[]> resolver) {
        this.httpHosts = normalised(httpHosts);
        this.privateHosts = normalised(privateHosts);
        this.resolver = resolver;
    }

    /** Why {@code url} may not be a credential's base URL, or empty when it may. Resolves the host's addresses. */
    public Optional<String> refusal(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String host = host(url);
        if (host == null) {
            return Optional.of("has no host");
        }
        if (!"https".equals(scheme) && !("http".equals(scheme) && httpHosts.contains(host))) {
            return Optional.of("must use https (plain http only for the hosts in bitbridge.outbound.http-allowed-hosts)");
        }
        if (privateHosts.contains(host)) {
            return Optional.empty();
        }
        InetAddress[] addresses = resolver.apply(host);
        if (addresses == null || addresses.length == 0) {
            return Optional.of("names a host that does not resolve");
        }
        for (InetAddress address : addresses) {
            if (internal(address)) {
                return Optional.of("names a host with a loopback, link-local or private address (allowed only for the hosts in "
                        + "bitbridge.outbound.private-allowed-hosts)");
            }
        }
        return Optional.empty();
    }

    /** Throws {@link BaseUrlRefusedException} unless {@code url} may be called. Resolves the host's addresses. */
    public void requireAllowed(URI url) {
        refusal(url).ifPresent(refusal -> {
            throw new BaseUrlRefusedException(BitbucketEndpoint.originOf(url) + " refused: the URL " + refusal);
        });
    }

    /** Loopback, link-local, private, shared, unique-local, multicast or unspecified: never the public Internet. */
    static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            // 0.0.0.0/8 "this network", 100.64.0.0/10 shared address space (RFC 6598), 255.255.255.255 broadcast
            return first == 0 || (first == 100 && (second & 0xc0) == 64) || (first == 255 && (b[3] & 0xff) == 255);
        }
        if (address instanceof Inet6Address) {
            // fc00::/7 unique local (RFC 4193)
            return (b[0] & 0xfe) == 0xfc;
        }
        return false;
    }

    private static String host(URI url) {
        String host = url.getHost();
        if (host == null) {
            return null;
        }
        host = host.toLowerCase(Locale.ROOT);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static Set<String> normalised(Collection<String> hosts) {
        return hosts.stream().map(String::strip).filter(h -> !h.isEmpty()).map(h -> h.toLowerCase(Locale.ROOT))
                .map(h -> h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h)
                .collect(Collectors.toUnmodifiableSet());
    }

    private static InetAddress[] resolve(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return new InetAddress[0];
        }
    }
}
