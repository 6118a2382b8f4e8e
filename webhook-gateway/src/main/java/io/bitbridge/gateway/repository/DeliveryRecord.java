package io.bitbridge.gateway.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One webhook delivery as the deliveries log keeps it (no body, no headers, no secret). */
@Entity
@Table(name = "delivery")
public class DeliveryRecord extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "credential_id", nullable = false)
    public String credentialId;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(nullable = false)
    public String provider;

    @Column(name = "event_key")
    public String eventKey;

    @Column(name = "delivery_id")
    public String deliveryId;

    @Column(nullable = false)
    public int attempt;

    @Column(nullable = false)
    public String verdict;

    @Column(nullable = false)
    public int status;

    @Column(name = "latency_ms", nullable = false)
    public long latencyMs;
}
