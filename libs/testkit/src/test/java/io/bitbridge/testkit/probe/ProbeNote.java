package io.bitbridge.testkit.probe;

import io.quarkus.hibernate.reactive.panache.PanacheEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

@Entity
@Table(name = "probe_note")
public class ProbeNote extends PanacheEntity {
    public String text;
}
