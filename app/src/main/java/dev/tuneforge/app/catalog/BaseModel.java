package dev.tuneforge.app.catalog;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A model teams can fine-tune. Shared, so not tenant-owned. */
@Entity
@Table(name = "base_model")
public class BaseModel {
  @Id private UUID id;
  private String name;
  private String architecture;
  private String description;
  private String objectPrefix;
  private long parameters;
  private @Nullable String revision;
  private Instant createdAt;

  protected BaseModel() {}

  BaseModel(
      String name, String architecture, String description, String objectPrefix, long parameters) {
    this.id = UUID.randomUUID();
    this.name = name;
    this.architecture = architecture;
    this.description = description;
    this.objectPrefix = objectPrefix;
    this.parameters = parameters;
    this.createdAt = Instant.now();
  }

  public UUID getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public String getArchitecture() {
    return architecture;
  }

  public String getDescription() {
    return description;
  }

  public String getObjectPrefix() {
    return objectPrefix;
  }

  public long getParameters() {
    return parameters;
  }

  /** The Hugging Face revision (branch, tag or commit) the model was imported at, if any. */
  public @Nullable String getRevision() {
    return revision;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }
}
