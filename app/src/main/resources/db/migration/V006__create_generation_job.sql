-- Synthetic data generation jobs (docs/synthetic-data.md): the spec they run, their state and
-- progress, and the dataset version they produced. The Quartz job that runs one is in Quartz's
-- tables; this row is what users see.
CREATE TABLE generation_job (
    id                  UUID             NOT NULL,
    tenant_id           UUID             NOT NULL,
    dataset_name        VARCHAR(200)     NOT NULL,
    document_kind       VARCHAR(30)      NOT NULL,
    fields              TEXT             NOT NULL,
    row_count           INT              NOT NULL,
    seed                BIGINT           NOT NULL,
    noise               DOUBLE PRECISION NOT NULL,
    status              VARCHAR(20)      NOT NULL,
    rows_done           INT              NOT NULL DEFAULT 0,
    cancel_requested    BOOLEAN          NOT NULL DEFAULT FALSE,
    error               VARCHAR(2000),
    dataset_version_id  UUID,
    created_by          UUID             NOT NULL,
    created_by_username VARCHAR(100)     NOT NULL,
    created_at          TIMESTAMPTZ      NOT NULL,
    started_at          TIMESTAMPTZ,
    finished_at         TIMESTAMPTZ,
    CONSTRAINT pk_generation_job PRIMARY KEY (id),
    CONSTRAINT fk_generation_job_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_generation_job_created_by FOREIGN KEY (created_by) REFERENCES app_user (id),
    CONSTRAINT fk_generation_job_dataset_version_id FOREIGN KEY (dataset_version_id) REFERENCES dataset_version (id),
    CONSTRAINT ck_generation_job_status CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    CONSTRAINT ck_generation_job_noise CHECK (noise >= 0 AND noise <= 1),
    CONSTRAINT ck_generation_job_rows CHECK (row_count > 0 AND rows_done >= 0)
);

CREATE INDEX ix_generation_job_tenant_created ON generation_job (tenant_id, created_at DESC);
