package io.bitbridge.credentials.config;

import io.smallrye.config.ConfigMapping;

import java.util.Map;

/**
 * The encryption keys for secrets at rest, under {@code bitbridge.crypto}: {@code keys.<id>} is a base64 AES-256
 * key, {@code active-key} the id new values are sealed with. Old ids stay listed until nothing uses them.
 */
@ConfigMapping(prefix = "bitbridge.crypto")
public interface CryptoConfig {
    String activeKey();

    Map<String, String> keys();
}
