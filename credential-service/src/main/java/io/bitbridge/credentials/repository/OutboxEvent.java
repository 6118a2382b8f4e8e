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

/** A lifecycle event written with its change and not yet acknowledged by Kafka. Its payload never holds a secret. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "credential_id")
    public UUID credentialId;
    @Column(name = "event_id")
    public String eventId;
    public byte[] payload;
    @Column(name = "created_at")
    public Instant createdAt;
    /** Set when the row could not be published and was put aside (see {@code LifecycleEvents}). */
    @Column(name = "parked_at")
    public Instant parkedAt;
    @Column(name = "parked_reason")
    public String parkedReason;
}
