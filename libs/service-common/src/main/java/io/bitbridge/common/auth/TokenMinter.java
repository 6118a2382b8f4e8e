package io.bitbridge.common.auth;

import io.smallrye.jwt.build.Jwt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

/**
 * Signs Bitbridge tokens with the local key pair, which only the launcher (and the test harness) holds: for
 * {@code ./bitbridge token} and for the local token endpoint ({@link ClientCredentialsEndpoint}). Services never hold
 * the key; production verifies tokens of its own issuer.
 */
public final class TokenMinter {
    /** The audience every Bitbridge service accepts unless {@code bitbridge.auth.audience} says otherwise. */
    public static final String DEFAULT_AUDIENCE = "bitbridge";

    private final PrivateKey privateKey;
    private final String issuer;
    private final String audience;

    public TokenMinter(PrivateKey privateKey, String issuer, String audience) {
        this.privateKey = privateKey;
        this.issuer = issuer;
        this.audience = audience;
    }

    public String mint(String subject, Set<String> roles, Duration lifetime) {
        return Jwt.issuer(issuer)
                .audience(audience)
                .subject(subject)
                .upn(subject)
                .groups(roles)
                .expiresIn(lifetime)
                .jws()
                .keyId("bitbridge-local")
                .sign(privateKey);
    }

    public static KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String publicKeyPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static String privateKeyPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    public static PrivateKey readPrivateKey(Path pemFile) {
        try {
            String pem = Files.readString(pemFile, StandardCharsets.US_ASCII)
                    .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("not an RSA private key in PKCS#8 PEM: " + pemFile, e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
