package dev.tuneforge.app.serving;

import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.FineTunedModelName;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.app.node.ServingDownloads;
import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.app.tenancy.TenantService;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Finds the model a caller names, as the caller's tenant: a base model the tenant may use by its
 * catalogue name, or a tuned model by its {@code ft:} name (a succeeded job of the caller's own
 * tenant whose name parts match). Anything else, another tenant's model included, is not found.
 */
@Component
class ServedModels {
  private final CatalogService catalog;
  private final FineTuneService fineTunes;
  private final TenantService tenants;
  private final ServingDownloads downloads;

  ServedModels(
      CatalogService catalog,
      FineTuneService fineTunes,
      TenantService tenants,
      ServingDownloads downloads) {
    this.catalog = catalog;
    this.fineTunes = fineTunes;
    this.tenants = tenants;
    this.downloads = downloads;
  }

  /**
   * @throws ModelNotFoundException unless the calling tenant may generate with {@code name}
   */
  ServedModel resolve(String name) {
    UUID tenant = TenantContext.currentTenant().orElseThrow(() -> new ModelNotFoundException(name));
    Optional<FineTunedModelName> tuned = FineTunedModelName.parse(name);
    if (tuned.isPresent()) {
      return tuned(name, tuned.get(), tenant).orElseThrow(() -> new ModelNotFoundException(name));
    }
    BaseModel base =
        catalog
            .findByName(name)
            .filter(m -> !m.isRetired())
            .orElseThrow(() -> new ModelNotFoundException(name));
    return new ServedModel(
        name, tenant, base.getId(), base.getName(), null, downloads.baseModel(base), null);
  }

  /** The name a succeeded job's model answers to; empty for another tenant's or unknown job. */
  Optional<String> nameOf(UUID jobId) {
    return fineTunes
        .find(jobId)
        .flatMap(
            job ->
                catalog
                    .find(job.getBaseModelId())
                    .flatMap(base -> modelName(job, base))
                    .map(FineTunedModelName::toString));
  }

  private Optional<ServedModel> tuned(String name, FineTunedModelName parsed, UUID tenant) {
    Optional<FineTuneJob> job =
        fineTunes
            .find(parsed.jobId())
            .filter(j -> j.getTenantId().equals(tenant) && j.getStatus() == JobStatus.SUCCEEDED);
    if (job.isEmpty()) {
      return Optional.empty();
    }
    BaseModel base = catalog.find(job.get().getBaseModelId()).orElse(null);
    if (base == null || !modelName(job.get(), base).map(parsed::equals).orElse(false)) {
      return Optional.empty();
    }
    return Optional.of(
        job.get().isFullFineTuning()
            ? new ServedModel(
                name,
                tenant,
                base.getId(),
                base.getName(),
                job.get().getId(),
                downloads.tunedModel(job.get(), base),
                null)
            : new ServedModel(
                name,
                tenant,
                base.getId(),
                base.getName(),
                job.get().getId(),
                downloads.baseModel(base),
                downloads.adapter(job.get())));
  }

  private Optional<FineTunedModelName> modelName(FineTuneJob job, BaseModel base) {
    return tenants
        .find(job.getTenantId())
        .map(Tenant::getName)
        .map(t -> FineTunedModelName.of(base.getName(), t, job.getSuffix(), job.getId()));
  }
}
