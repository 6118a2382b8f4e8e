package io.bitbridge.credentials.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A hook Bitbridge registered on one repository; {@code secretVersion} is the credential's secret version last set on it. */
@Entity
@Table(name = "webhook_registration")
public class WebhookRegistrationEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "credential_id")
    public UUID credentialId;
    public String owner;
    public String repo;
    @Column(name = "hook_id")
    public String hookId;
    @Column(name = "secret_version")
    public int secretVersion;
    @Column(name = "registered_at")
    public Instant registeredAt;
}
