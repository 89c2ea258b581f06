-- Serving: an admin decides per node whether it serves generation requests (off, only while it runs
-- no job, or always beside its jobs); tokens served are metered per tenant, priced per 1,000 tokens.
ALTER TABLE training_node
    ADD COLUMN serving_policy VARCHAR(16) NOT NULL DEFAULT 'when_idle',
    ADD CONSTRAINT ck_training_node_serving_policy
        CHECK (serving_policy IN ('off', 'when_idle', 'always'));

CREATE TABLE served_tokens (
    id                UUID           NOT NULL,
    tenant_id         UUID           NOT NULL,
    model             VARCHAR(300)   NOT NULL,
    base_model_id     UUID           NOT NULL,
    job_id            UUID,
    node_id           UUID           NOT NULL,
    node_name         VARCHAR(200)   NOT NULL,
    caller            VARCHAR(200)   NOT NULL,
    prompt_tokens     BIGINT         NOT NULL,
    completion_tokens BIGINT         NOT NULL,
    price_per_1k      NUMERIC(12, 6) NOT NULL,
    cost              NUMERIC(16, 6) NOT NULL,
    served_at         TIMESTAMPTZ    NOT NULL,
    CONSTRAINT pk_served_tokens PRIMARY KEY (id),
    CONSTRAINT fk_served_tokens_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_served_tokens_job_id FOREIGN KEY (job_id) REFERENCES fine_tune_job (id),
    CONSTRAINT fk_served_tokens_node_id FOREIGN KEY (node_id) REFERENCES training_node (id),
    CONSTRAINT ck_served_tokens_tokens CHECK (prompt_tokens >= 0 AND completion_tokens >= 0)
);

CREATE INDEX ix_served_tokens_tenant_served ON served_tokens (tenant_id, served_at);
