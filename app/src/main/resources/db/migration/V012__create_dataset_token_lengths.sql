-- Exact token lengths of a dataset version's training rows under a base model's chat template
-- and tokenizer, for one maximum sequence length (docs/datasets.md, "Token lengths"). Counted in
-- the background by a Quartz job; this row is its state, progress and result.
CREATE TABLE dataset_token_lengths (
    id                      UUID             NOT NULL,
    tenant_id               UUID             NOT NULL,
    dataset_version_id      UUID             NOT NULL,
    base_model_id           UUID             NOT NULL,
    base_model_name         VARCHAR(100)     NOT NULL,
    max_length              INT              NOT NULL,
    status                  VARCHAR(20)      NOT NULL,
    rows_done               INT              NOT NULL DEFAULT 0,
    rows_total              INT              NOT NULL DEFAULT 0,
    error                   VARCHAR(2000),
    max_tokens              INT,
    mean_tokens             DOUBLE PRECISION,
    p50_tokens              INT,
    p90_tokens              INT,
    p99_tokens              INT,
    truncated_rows          INT,
    assistant_tokens        BIGINT,
    assistant_tokens_lost   BIGINT,
    histogram               TEXT,
    created_at              TIMESTAMPTZ      NOT NULL,
    finished_at             TIMESTAMPTZ,
    CONSTRAINT pk_dataset_token_lengths PRIMARY KEY (id),
    CONSTRAINT fk_dataset_token_lengths_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_dataset_token_lengths_dataset_version_id FOREIGN KEY (dataset_version_id) REFERENCES dataset_version (id),
    CONSTRAINT fk_dataset_token_lengths_base_model_id FOREIGN KEY (base_model_id) REFERENCES base_model (id),
    CONSTRAINT uq_dataset_token_lengths_key UNIQUE (tenant_id, dataset_version_id, base_model_id, max_length),
    CONSTRAINT ck_dataset_token_lengths_status CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    CONSTRAINT ck_dataset_token_lengths_max_length CHECK (max_length >= 2)
);
