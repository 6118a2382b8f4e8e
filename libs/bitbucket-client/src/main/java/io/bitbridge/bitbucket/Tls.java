package io.bitbridge.bitbucket;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * TLS trust for one credential's Bitbucket: the JDK's default trust, plus a private CA when the credential
 * has one (the host name is still verified), or no verification at all when explicitly asked.
 */
public final class Tls {
    private Tls() {
    }

    /** Parses every certificate of a PEM bundle; an {@link IllegalArgumentException} when there is none or one is malformed. */
    public static List<X509Certificate> certificates(String pem) {
        try {
            Collection<? extends Certificate> parsed = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : parsed) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("no certificate in the PEM text");
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PEM certificate bundle", e);
        }
    }

    public static SSLContext sslContext(String caPem, boolean insecure) {
        try {
            if (!insecure && (caPem == null || caPem.isBlank())) {
                return SSLContext.getDefault();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{trustManager(caPem, insecure)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context", e);
        }
    }

    /**
     * The trust {@link #sslContext} uses, for clients that take a trust manager (e.g. JGit's HTTP connections):
     * everything when {@code insecure} (which also means any host name), else the JDK's CAs plus {@code caPem}'s.
     */
    public static X509TrustManager trustManager(String caPem, boolean insecure) {
        try {
            if (insecure) {
                return new TrustEverything();
            }
            return withExtraCas(caPem == null || caPem.isBlank() ? List.of() : certificates(caPem));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS trust", e);
        }
    }

    /** The JDK's default CAs plus {@code extra}: a private CA adds trust, it does not replace the public roots. */
    private static X509TrustManager withExtraCas(List<X509Certificate> extra) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        defaults.init((KeyStore) null);
        int index = 0;
        for (TrustManager manager : defaults.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                for (X509Certificate root : x509.getAcceptedIssuers()) {
                    store.setCertificateEntry("default-" + index++, root);
                }
            }
        }
        for (X509Certificate certificate : extra) {
            store.setCertificateEntry("credential-" + index++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /**
     * Accepts any certificate for any host. Being an {@link X509ExtendedTrustManager}, it also takes over the
     * host-name check, which is what "verification off" means. Only for credentials flagged insecure by an admin.
     */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
