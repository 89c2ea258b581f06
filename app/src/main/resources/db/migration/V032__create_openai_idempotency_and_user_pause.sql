-- The OpenAI-compatible API: answers to creation requests by their Idempotency-Key (per tenant),
-- the metadata OpenAI's clients attach to fine-tuning jobs, and jobs their users paused.
CREATE TABLE openai_idempotency_key (
    id UUID NOT NULL,
    tenant_id UUID NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    endpoint VARCHAR(100) NOT NULL,
    request_hash VARCHAR(64) NOT NULL,
    response_status INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_openai_idempotency_key PRIMARY KEY (id),
    CONSTRAINT fk_openai_idempotency_key_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT uq_openai_idempotency_key UNIQUE (tenant_id, endpoint, idempotency_key)
);

CREATE TABLE openai_job_metadata (
    job_id UUID NOT NULL,
    tenant_id UUID NOT NULL,
    metadata TEXT NOT NULL,
    CONSTRAINT pk_openai_job_metadata PRIMARY KEY (job_id),
    CONSTRAINT fk_openai_job_metadata_job_id FOREIGN KEY (job_id) REFERENCES fine_tune_job (id),
    CONSTRAINT fk_openai_job_metadata_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id)
);

ALTER TABLE fine_tune_job ADD COLUMN paused_by_user BOOLEAN NOT NULL DEFAULT FALSE;
