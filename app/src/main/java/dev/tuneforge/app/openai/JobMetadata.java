package dev.tuneforge.app.openai;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/** The metadata an API client attached to a fine-tuning job, as JSON. */
@Entity
@Table(name = "openai_job_metadata")
class JobMetadata {
  @Id private UUID jobId;
  @TenantId private UUID tenantId;
  private String metadata;

  protected JobMetadata() {}

  JobMetadata(UUID jobId, String metadata) {
    this.jobId = jobId;
    this.metadata = metadata;
  }

  String getMetadata() {
    return metadata;
  }
}
