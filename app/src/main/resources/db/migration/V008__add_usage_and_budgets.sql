-- Cost: a price per GPU-hour on each node (NULL: the configured default for its device), a
-- monthly budget per tenant (NULL: unlimited), a usage record per lease segment of a job, and
-- the 'paused' state of a job stopped at a checkpoint because its tenant's budget was spent.
ALTER TABLE training_node ADD COLUMN price_per_gpu_hour NUMERIC(12, 4);
ALTER TABLE training_node ADD CONSTRAINT ck_training_node_price CHECK (price_per_gpu_hour >= 0);

ALTER TABLE tenant ADD COLUMN monthly_budget NUMERIC(14, 2);
ALTER TABLE tenant ADD CONSTRAINT ck_tenant_monthly_budget CHECK (monthly_budget >= 0);

-- Why a queued or paused job is not dispatched (or why a running one is being stopped).
ALTER TABLE fine_tune_job ADD COLUMN hold_reason VARCHAR(500);
ALTER TABLE fine_tune_job DROP CONSTRAINT ck_fine_tune_job_status;
ALTER TABLE fine_tune_job ADD CONSTRAINT ck_fine_tune_job_status
    CHECK (status IN ('validating_files', 'queued', 'running', 'paused', 'succeeded', 'failed', 'cancelled'));

-- One row per stretch of time a job held a node. ended_at is NULL while the node holds it;
-- cost = price_per_gpu_hour * seconds / 3600, fixed when the segment ends. Names are copied
-- so that reports and exports read one table.
CREATE TABLE usage_record (
    id                 UUID           NOT NULL,
    tenant_id          UUID           NOT NULL,
    job_id             UUID           NOT NULL,
    job_name           VARCHAR(200)   NOT NULL,
    user_id            UUID           NOT NULL,
    base_model_id      UUID           NOT NULL,
    base_model_name    VARCHAR(200)   NOT NULL,
    node_id            UUID           NOT NULL,
    node_name          VARCHAR(200)   NOT NULL,
    node_class         VARCHAR(330)   NOT NULL,
    price_per_gpu_hour NUMERIC(12, 4) NOT NULL,
    kind               VARCHAR(20)    NOT NULL,
    started_at         TIMESTAMPTZ    NOT NULL,
    ended_at           TIMESTAMPTZ,
    seconds            BIGINT         NOT NULL DEFAULT 0,
    tokens_at_start    BIGINT         NOT NULL DEFAULT 0,
    trained_tokens     BIGINT         NOT NULL DEFAULT 0,
    cost               NUMERIC(16, 6) NOT NULL DEFAULT 0,
    CONSTRAINT pk_usage_record PRIMARY KEY (id),
    CONSTRAINT fk_usage_record_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_usage_record_job_id FOREIGN KEY (job_id) REFERENCES fine_tune_job (id),
    CONSTRAINT fk_usage_record_user_id FOREIGN KEY (user_id) REFERENCES app_user (id),
    CONSTRAINT fk_usage_record_node_id FOREIGN KEY (node_id) REFERENCES training_node (id),
    CONSTRAINT ck_usage_record_kind CHECK (kind IN ('training', 'evaluation')),
    CONSTRAINT ck_usage_record_seconds CHECK (seconds >= 0)
);

CREATE INDEX ix_usage_record_tenant_started ON usage_record (tenant_id, started_at);
CREATE INDEX ix_usage_record_job ON usage_record (job_id, started_at);
CREATE INDEX ix_usage_record_node_class ON usage_record (node_class) WHERE kind = 'training' AND ended_at IS NOT NULL;
