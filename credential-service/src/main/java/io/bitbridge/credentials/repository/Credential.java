package io.bitbridge.credentials.repository;

import io.bitbridge.credentials.crypto.Sealed;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.CredentialLifecycleEvent.Status;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * One stored credential. Secret fields hold only ciphertext with their key id; {@code username} (an email
 * for API tokens) and the account fields are not secrets.
 */
@Entity
@Table(name = "credential")
public class Credential extends PanacheEntityBase {
    @Id
    public UUID id;
    @Enumerated(EnumType.STRING)
    public CredentialKind kind;
    public String name;
    @Enumerated(EnumType.STRING)
    public Status status;
    @Column(name = "status_reason")
    public String statusReason;
    @Column(name = "status_changed_at")
    public Instant statusChangedAt;
    @Column(name = "api_base_url")
    public String apiBaseUrl;
    public String username;
    @Column(name = "account_id")
    public String accountId;
    @Column(name = "account_username")
    public String accountUsername;
    @Column(name = "account_display_name")
    public String accountDisplayName;
    public String scopes;
    /** The last characters of the secret, for people to tell tokens apart; never enough to use it. */
    @Column(name = "secret_hint")
    public String secretHint;
    @Column(name = "secret_cipher")
    public String secretCipher;
    @Column(name = "secret_key_id")
    public String secretKeyId;
    @Column(name = "refresh_token_cipher")
    public String refreshTokenCipher;
    @Column(name = "refresh_token_key_id")
    public String refreshTokenKeyId;
    @Column(name = "access_token_expires_at")
    public Instant accessTokenExpiresAt;
    @Column(name = "ca_pem")
    public String caPem;
    @Column(name = "tls_insecure")
    public boolean tlsInsecure;
    @Column(name = "webhook_secret_cipher")
    public String webhookSecretCipher;
    @Column(name = "webhook_secret_key_id")
    public String webhookSecretKeyId;
    @Column(name = "webhook_secret_version")
    public int webhookSecretVersion;
    @Column(name = "previous_webhook_secret_cipher")
    public String previousWebhookSecretCipher;
    @Column(name = "previous_webhook_secret_key_id")
    public String previousWebhookSecretKeyId;
    @Column(name = "previous_webhook_valid_until")
    public Instant previousWebhookValidUntil;
    @Column(name = "next_webhook_secret_cipher")
    public String nextWebhookSecretCipher;
    @Column(name = "next_webhook_secret_key_id")
    public String nextWebhookSecretKeyId;
    @Column(name = "accept_unsigned_with_token")
    public boolean acceptUnsignedWithToken;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** The associated-data label of one secret field of this row. */
    public String context(String field) {
        return id + "/" + field;
    }

    public Sealed secret() {
        return sealed(secretKeyId, secretCipher);
    }

    public void secret(Sealed value) {
        secretKeyId = value == null ? null : value.keyId();
        secretCipher = value == null ? null : value.cipherText();
    }

    public Sealed refreshToken() {
        return sealed(refreshTokenKeyId, refreshTokenCipher);
    }

    public void refreshToken(Sealed value) {
        refreshTokenKeyId = value == null ? null : value.keyId();
        refreshTokenCipher = value == null ? null : value.cipherText();
    }

    public Sealed webhookSecret() {
        return sealed(webhookSecretKeyId, webhookSecretCipher);
    }

    public void webhookSecret(Sealed value) {
        webhookSecretKeyId = value.keyId();
        webhookSecretCipher = value.cipherText();
    }

    public Sealed previousWebhookSecret() {
        return sealed(previousWebhookSecretKeyId, previousWebhookSecretCipher);
    }

    public void previousWebhookSecret(Sealed value) {
        previousWebhookSecretKeyId = value == null ? null : value.keyId();
        previousWebhookSecretCipher = value == null ? null : value.cipherText();
    }

    /** The secret a rotation in progress is giving the hooks; null otherwise. */
    public Sealed nextWebhookSecret() {
        return sealed(nextWebhookSecretKeyId, nextWebhookSecretCipher);
    }

    public void nextWebhookSecret(Sealed value) {
        nextWebhookSecretKeyId = value == null ? null : value.keyId();
        nextWebhookSecretCipher = value == null ? null : value.cipherText();
    }

    /** Sets the status; true when it changed (worth an event). */
    public boolean status(Status newStatus, String reason, Instant now) {
        boolean changed = status != newStatus || (newStatus == Status.DOWN && !java.util.Objects.equals(reason, statusReason));
        status = newStatus;
        statusReason = newStatus == Status.UP ? null : reason;
        if (changed) {
            statusChangedAt = now;
        }
        return changed;
    }

    private static Sealed sealed(String keyId, String cipherText) {
        return cipherText == null ? null : new Sealed(keyId, cipherText);
    }
}
