package dev.tuneforge.app.openai;

import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTunedModelName;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.app.tenancy.TenantService;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** The names jobs' base models and tuned models go by over the API, for the calling tenant. */
@Component
class ModelNames {
  private final CatalogService catalog;
  private final TenantService tenants;

  ModelNames(CatalogService catalog, TenantService tenants) {
    this.catalog = catalog;
    this.tenants = tenants;
  }

  /** The base model's catalogue name. */
  String base(FineTuneJob job) {
    return catalog.find(job.getBaseModelId()).map(BaseModel::getName).orElse("unknown");
  }

  /** The tuned model's name once the job succeeded, else null. */
  @Nullable String tuned(FineTuneJob job) {
    return job.getStatus() == JobStatus.SUCCEEDED ? name(job).toString() : null;
  }

  /** The name the job's model goes by (or will, once it succeeded). */
  FineTunedModelName name(FineTuneJob job) {
    return FineTunedModelName.of(base(job), tenantName(), job.getSuffix(), job.getId());
  }

  /** The calling tenant's name as model names show it, also OpenAI's {@code owned_by}. */
  String owner() {
    return FineTunedModelName.of("base", tenantName(), null, new UUID(0, 0)).tenant();
  }

  private String tenantName() {
    UUID tenant = TenantContext.requireTenant();
    return tenants.find(tenant).map(Tenant::getName).orElse(tenant.toString());
  }
}
