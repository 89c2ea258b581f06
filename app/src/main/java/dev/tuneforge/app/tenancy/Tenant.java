package dev.tuneforge.app.tenancy;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A team: the unit of isolation. Its members see only its datasets, jobs and objects. */
@Entity
@Table(name = "tenant")
public class Tenant {
  @Id private UUID id;
  private String name;
  private Instant createdAt;

  protected Tenant() {}

  Tenant(String name) {
    this.id = UUID.randomUUID();
    this.name = name;
    this.createdAt = Instant.now();
  }

  public UUID getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }
}
