package dev.tuneforge.app.catalog;

import dev.tuneforge.modelformat.folder.ModelDescription;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A model teams can fine-tune: a Hugging Face folder in object storage and what inspection read of
 * it. Owned by the platform (every tenant sees it) or by one tenant (no other tenant sees it), so
 * it is not a tenant-discriminated entity; {@link CatalogService} scopes every query.
 */
@Entity
@Table(name = "base_model")
public class BaseModel {
  @Id private UUID id;
  private String name;
  private @Nullable String revision;
  private @Nullable String displayName;
  private @Nullable UUID ownerTenantId;
  private String architecture;
  private String description;
  private String objectPrefix;
  private long parameters;
  private String dtypes;
  private long weightBytes;
  private int contextLength;
  private @Nullable String licence;
  private @Nullable String chatTemplate;
  private String eosTokenIds;
  private @Nullable Integer padTokenId;
  private @Nullable String configJson;
  private Instant createdAt;
  private @Nullable Instant retiredAt;

  protected BaseModel() {}

  BaseModel(
      UUID id,
      ModelImport request,
      @Nullable UUID owner,
      String prefix,
      String config,
      ModelDescription found) {
    this.id = id;
    this.name = request.name();
    this.revision = request.revision();
    this.displayName = request.displayName();
    this.ownerTenantId = owner;
    this.architecture = found.architecture();
    this.description = request.description() == null ? "" : request.description();
    this.objectPrefix = prefix;
    this.parameters = found.parameters();
    this.dtypes = String.join(",", found.dtypes());
    this.weightBytes = found.weightBytes();
    this.contextLength = found.contextLength();
    this.licence = found.licence();
    this.chatTemplate = found.chatTemplate();
    this.eosTokenIds =
        found.eosTokenIds().stream().map(String::valueOf).collect(Collectors.joining(","));
    this.padTokenId = found.padTokenId();
    this.configJson = config;
    this.createdAt = Instant.now();
  }

  public UUID getId() {
    return id;
  }

  /** The Hugging Face id, such as {@code Qwen/Qwen3-0.6B}. */
  public String getName() {
    return name;
  }

  /** The Hugging Face revision (branch, tag or commit) the model was imported at, if any. */
  public @Nullable String getRevision() {
    return revision;
  }

  public @Nullable String getDisplayName() {
    return displayName;
  }

  /** What people read in lists: the display name, or the Hugging Face id and its revision. */
  public String getLabel() {
    if (displayName != null && !displayName.isBlank()) {
      return displayName;
    }
    return revision == null ? name : name + "@" + revision;
  }

  /** The tenant that owns the model, or null for a platform model every tenant sees. */
  public @Nullable UUID getOwnerTenantId() {
    return ownerTenantId;
  }

  public boolean isPlatformModel() {
    return ownerTenantId == null;
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

  /** The dtypes the weights are stored in, such as {@code [BF16]}. */
  public List<String> getDtypes() {
    return dtypes.isEmpty() ? List.of() : List.of(dtypes.split(","));
  }

  public long getWeightBytes() {
    return weightBytes;
  }

  public int getContextLength() {
    return contextLength;
  }

  public @Nullable String getLicence() {
    return licence;
  }

  public @Nullable String getChatTemplate() {
    return chatTemplate;
  }

  public List<Integer> getEosTokenIds() {
    return eosTokenIds.isEmpty()
        ? List.of()
        : Arrays.stream(eosTokenIds.split(",")).map(Integer::valueOf).toList();
  }

  public @Nullable Integer getPadTokenId() {
    return padTokenId;
  }

  /**
   * The model's {@code config.json} as imported, or null for models imported before it was kept.
   */
  public @Nullable String getConfigJson() {
    return configJson;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  /** When the model was retired from new jobs, or null while it is offered. */
  public @Nullable Instant getRetiredAt() {
    return retiredAt;
  }

  public boolean isRetired() {
    return retiredAt != null;
  }

  void retire(Instant at) {
    if (retiredAt == null) {
      retiredAt = at;
    }
  }
}
