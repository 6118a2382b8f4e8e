package io.bitbridge.gitops.service;

import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;

import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.Proxy;
import java.net.URL;
import java.security.GeneralSecurityException;

/**
 * JGit's JDK HTTP connections with one credential's TLS trust: its private CA next to the JDK's (the host name still
 * verified), or, only for a credential an admin flagged insecure, no verification. Set per transport, so other
 * remotes keep the default trust.
 */
final class TrustingConnections implements HttpConnectionFactory {
    private final JDKHttpConnectionFactory delegate = new JDKHttpConnectionFactory();
    private final X509TrustManager trust;
    private final boolean anyHost;

    TrustingConnections(X509TrustManager trust, boolean anyHost) {
        this.trust = trust;
        this.anyHost = anyHost;
    }

    @Override
    public HttpConnection create(URL url) throws IOException {
        return trusting(delegate.create(url));
    }

    @Override
    public HttpConnection create(URL url, Proxy proxy) throws IOException {
        return trusting(delegate.create(url, proxy));
    }

    private HttpConnection trusting(HttpConnection connection) throws IOException {
        if (!"https".equalsIgnoreCase(connection.getURL().getProtocol())) {
            return connection;
        }
        try {
            connection.configure(null, new TrustManager[]{trust}, null);
            if (anyHost) {
                connection.setHostnameVerifier((host, session) -> true);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for " + connection.getURL().getHost(), e);
        }
        return connection;
    }
}
