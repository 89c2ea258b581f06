-- Every fine-tune ends with an evaluation of the base and the tuned model on the same prompts:
-- on the dataset version's validation split, or on a held-out dataset version the user picks.
ALTER TABLE fine_tune_job ADD COLUMN evaluation_dataset_version_id UUID;
ALTER TABLE fine_tune_job ADD COLUMN evaluation_examples INT NOT NULL DEFAULT 100;
ALTER TABLE fine_tune_job ADD CONSTRAINT fk_fine_tune_job_evaluation_dataset_version_id
    FOREIGN KEY (evaluation_dataset_version_id) REFERENCES dataset_version (id);

-- One row per evaluated job. The generations stay in object storage (generations_key); the
-- metrics computed from them are stored here as JSON so pages and comparisons need not
-- recompute them. kind is 'extraction' (expected answers are JSON objects) or 'text'.
CREATE TABLE evaluation (
    job_id            UUID             NOT NULL,
    tenant_id         UUID             NOT NULL,
    status            VARCHAR(20)      NOT NULL,
    error             VARCHAR(2000),
    kind              VARCHAR(20)      NOT NULL,
    examples          INT              NOT NULL,
    decoding          VARCHAR(100)     NOT NULL,
    max_new_tokens    INT              NOT NULL,
    seconds           DOUBLE PRECISION NOT NULL,
    generated_tokens  BIGINT           NOT NULL,
    generations_key   VARCHAR(500)     NOT NULL,
    base_metrics      TEXT,
    tuned_metrics     TEXT,
    field_metrics     TEXT,
    created_at        TIMESTAMPTZ      NOT NULL,
    CONSTRAINT pk_evaluation PRIMARY KEY (job_id),
    CONSTRAINT fk_evaluation_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_evaluation_job_id FOREIGN KEY (job_id) REFERENCES fine_tune_job (id),
    CONSTRAINT ck_evaluation_status CHECK (status IN ('succeeded', 'failed')),
    CONSTRAINT ck_evaluation_kind CHECK (kind IN ('extraction', 'text'))
);

CREATE INDEX ix_evaluation_tenant ON evaluation (tenant_id, created_at);
