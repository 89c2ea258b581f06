package dev.tuneforge.app.catalog;

import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.modelformat.folder.ModelDescription;
import dev.tuneforge.modelformat.folder.ModelInspector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;

/**
 * The base-model catalogue. Every finder shows the caller platform models and its own tenant's,
 * never another tenant's (the system sees all). Imports are validated by {@link ModelInspector}
 * before a row is written; a refused import leaves no row, and none of the objects the app stored.
 * Platform admins import platform models, tenant admins their tenant's.
 */
@Service
public class CatalogService {
  private final BaseModelRepository models;
  private final ObjectStorage storage;
  private final Clock clock;
  private final ApplicationEventPublisher events;

  CatalogService(
      BaseModelRepository models,
      ObjectStorage storage,
      Clock clock,
      ApplicationEventPublisher events) {
    this.models = models;
    this.storage = storage;
    this.clock = clock;
    this.events = events;
  }

  /** Every model the caller may see, retired ones too, by Hugging Face id. */
  public List<BaseModel> list() {
    return TenantContext.isSystem() ? models.findAllByOrderByName() : models.findVisible(viewer());
  }

  /** The models the caller may start new jobs on: visible and not retired. */
  public List<BaseModel> offered() {
    return list().stream().filter(m -> !m.isRetired()).toList();
  }

  /** A model the caller may see, retired or not (old jobs keep their model). */
  public Optional<BaseModel> find(UUID id) {
    return TenantContext.isSystem() ? models.findById(id) : models.findVisible(id, viewer());
  }

  /** A visible model by Hugging Face id; the platform's first where the tenant has the same. */
  public Optional<BaseModel> findByName(String name) {
    if (TenantContext.isSystem()) {
      return models.findAllByOrderByName().stream()
          .filter(m -> m.getName().equals(name))
          .findFirst();
    }
    return models.findVisibleByName(name, viewer()).stream().findFirst();
  }

  /**
   * Registers a model folder an operator already put in the bucket; nothing is copied. A tenant
   * admin may name only a prefix inside the tenant's own area, a platform admin only one outside
   * every tenant's area.
   *
   * @throws dev.tuneforge.modelformat.folder.ModelRejectedException naming the file and the reason
   */
  public BaseModel registerPrefix(ModelImport request, String prefix) {
    @Nullable UUID owner = importingOwner();
    String folder = checkedPrefix(prefix, owner);
    requireFree(request, owner);
    return save(UUID.randomUUID(), request, owner, folder, false);
  }

  /**
   * Copies a local model folder to the platform's area and registers it as a platform model. For
   * the platform's own set-up (the local launcher's demo model), which runs without a user.
   */
  public BaseModel importPlatformDirectory(ModelImport request, Path directory) {
    requireFree(request, null);
    UUID id = UUID.randomUUID();
    String prefix = ObjectKeys.platformModel(id);
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = directory.relativize(file).toString().replace('\\', '/');
        storage.put(prefix + name, file, "application/octet-stream");
      }
    } catch (IOException e) {
      storage.deleteAll(prefix);
      throw new UncheckedIOException(e);
    }
    return save(id, request, null, prefix, true);
  }

  /** Retires a model from new jobs; old jobs, their evaluations and downloads keep working. */
  public BaseModel retire(UUID id) {
    BaseModel model = find(id).orElseThrow(() -> new IllegalArgumentException("No such model"));
    if (!mayManage(model)) {
      throw new AccessDeniedException("Only an admin of the model's owner may retire it");
    }
    model.retire(clock.instant());
    BaseModel retired = models.save(model);
    events.publishEvent(
        new ModelRetired(retired.getOwnerTenantId(), retired.getId(), retired.getName()));
    return retired;
  }

  /** Whether the signed-in user may retire the model: an admin of its owner. */
  public boolean mayManage(BaseModel model) {
    SignedInUser user = CurrentUser.get().orElse(null);
    if (user == null) {
      return false;
    }
    return model.isPlatformModel()
        ? user.role() == Role.PLATFORM_ADMIN
        : user.role() == Role.TENANT_ADMIN
            && Objects.equals(user.tenantId(), model.getOwnerTenantId());
  }

  /** The files of a model, relative to its prefix. */
  public List<String> files(BaseModel model) {
    return storage.list(model.getObjectPrefix()).stream()
        .map(key -> key.substring(model.getObjectPrefix().length()))
        .toList();
  }

  /**
   * The owner a model the signed-in user imports gets: null (the platform) for a platform admin,
   * the tenant for a tenant admin; members may not import.
   */
  @Nullable UUID importingOwner() {
    SignedInUser user =
        CurrentUser.get()
            .orElseThrow(() -> new AccessDeniedException("Sign in as an admin to import models"));
    return switch (user.role()) {
      case PLATFORM_ADMIN -> null;
      case TENANT_ADMIN -> Objects.requireNonNull(user.tenantId());
      case MEMBER -> throw new AccessDeniedException("Only admins import models");
    };
  }

  void requireFree(ModelImport request, @Nullable UUID owner) {
    if (models.existsByNameAndRevisionAndOwnerTenantId(request.name(), request.revision(), owner)) {
      throw new IllegalArgumentException(
          "The catalogue already has "
              + request.name()
              + (request.revision() == null ? "" : " at " + request.revision()));
    }
  }

  /**
   * Inspects the folder and writes the row. On refusal nothing is written, and when {@code
   * ownsObjects} (the app stored them) the objects under the prefix go too.
   */
  BaseModel save(
      UUID id, ModelImport request, @Nullable UUID owner, String prefix, boolean ownsObjects) {
    try {
      StoredModelFolder folder = new StoredModelFolder(storage, prefix);
      ModelDescription found = ModelInspector.inspect(folder);
      String config =
          new String(
              folder.read("config.json", 0, found.files().get("config.json").intValue()),
              StandardCharsets.UTF_8);
      BaseModel saved =
          models.saveAndFlush(new BaseModel(id, request, owner, prefix, config, found));
      events.publishEvent(new ModelAdded(owner, saved.getId(), saved.getName()));
      return saved;
    } catch (IOException e) {
      cleanUp(prefix, ownsObjects);
      throw new UncheckedIOException(e);
    } catch (DataIntegrityViolationException e) {
      cleanUp(prefix, ownsObjects);
      throw new IllegalArgumentException("The catalogue already has " + request.name(), e);
    } catch (RuntimeException e) {
      cleanUp(prefix, ownsObjects);
      throw e;
    }
  }

  private void cleanUp(String prefix, boolean ownsObjects) {
    if (ownsObjects) {
      storage.deleteAll(prefix);
    }
  }

  private static String checkedPrefix(String prefix, @Nullable UUID owner) {
    String folder = prefix.strip().replaceFirst("^/+", "");
    if (!folder.isEmpty() && !folder.endsWith("/")) {
      folder = folder + "/";
    }
    if (folder.isEmpty() || folder.contains("..") || folder.contains("//")) {
      throw new IllegalArgumentException("'" + prefix + "' is not a folder in the bucket");
    }
    if (owner == null && folder.startsWith(ObjectKeys.TENANTS)) {
      throw new AccessDeniedException(
          "A platform model lies outside the tenants' areas (" + ObjectKeys.TENANTS + ")");
    }
    if (owner != null && !folder.startsWith(ObjectKeys.tenantPrefix(owner))) {
      throw new AccessDeniedException(
          "A tenant's model lies in the tenant's own area, " + ObjectKeys.tenantPrefix(owner));
    }
    return folder;
  }

  private static @Nullable UUID viewer() {
    return TenantContext.currentTenant().orElse(null);
  }
}
