package io.bitbridge.credentials.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A consent flow: either a new credential's name or the credential being reconnected. It waits first for a browser to
 * open its consent link ({@link #ticketHash} set), then for Bitbucket's callback ({@link #ticketHash} cleared).
 */
@Entity
@Table(name = "oauth_state")
public class OAuthState extends PanacheEntityBase {
    @Id
    public String nonce;
    public String caller;
    @Column(name = "credential_name")
    public String credentialName;
    @Column(name = "reconnect_credential")
    public UUID reconnectCredential;
    /** A reconnect may end with another Bitbucket account than the credential had (the admin asked for it). */
    @Column(name = "allow_account_change")
    public boolean allowAccountChange;
    /** SHA-256 (base64url) of the consent link's ticket until a browser opens it; null once the consent began. */
    @Column(name = "ticket_hash")
    public String ticketHash;
    @Column(name = "expires_at")
    public Instant expiresAt;
}
