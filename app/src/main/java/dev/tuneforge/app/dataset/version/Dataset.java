package dev.tuneforge.app.dataset.version;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/** A named dataset of one tenant; its content lives in immutable {@link DatasetVersion}s. */
@Entity
@Table(name = "dataset")
public class Dataset {
  @Id private UUID id;
  @TenantId private UUID tenantId;
  private String name;
  private UUID createdBy;
  private Instant createdAt;

  protected Dataset() {}

  public Dataset(String name, UUID createdBy, Instant now) {
    this.id = UUID.randomUUID();
    this.name = name;
    this.createdBy = createdBy;
    this.createdAt = now;
  }

  public UUID getId() {
    return id;
  }

  public UUID getTenantId() {
    return tenantId;
  }

  public String getName() {
    return name;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }
}
