-- What one trained token of the job takes (multiply-adds forward and backward for its model, method
-- and row length; docs/usage.md): later estimates scale a past job's speed by it. Empty on
-- estimates stored before; those scale by the model's parameters alone.
ALTER TABLE job_estimate ADD COLUMN work_per_token DOUBLE PRECISION;

-- What a teacher endpoint charges per 1,000 tokens, prompt and completion apart, as its provider
-- lists it; empty: the endpoint's calls are counted in tokens only.
ALTER TABLE teacher_endpoint ADD COLUMN price_per_1k_prompt NUMERIC(12, 6);
ALTER TABLE teacher_endpoint ADD COLUMN price_per_1k_completion NUMERIC(12, 6);

-- Tokens bought from a tenant's teacher endpoint for work the platform ran in its name (the LLM
-- judge), one row per judged example, priced at the endpoint's prices then: reports and the budget
-- count them beside node time and tokens served.
CREATE TABLE token_charge (
    id                      UUID           NOT NULL,
    tenant_id               UUID           NOT NULL,
    kind                    VARCHAR(20)    NOT NULL,
    run_id                  UUID           NOT NULL,
    job_id                  UUID,
    endpoint_name           VARCHAR(200)   NOT NULL,
    model                   VARCHAR(200)   NOT NULL,
    user_id                 UUID           NOT NULL,
    username                VARCHAR(100)   NOT NULL,
    prompt_tokens           BIGINT         NOT NULL,
    completion_tokens       BIGINT         NOT NULL,
    price_per_1k_prompt     NUMERIC(12, 6) NOT NULL,
    price_per_1k_completion NUMERIC(12, 6) NOT NULL,
    cost                    NUMERIC(16, 6) NOT NULL,
    charged_at              TIMESTAMPTZ    NOT NULL,
    CONSTRAINT pk_token_charge PRIMARY KEY (id),
    CONSTRAINT fk_token_charge_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_token_charge_job_id FOREIGN KEY (job_id) REFERENCES fine_tune_job (id),
    CONSTRAINT ck_token_charge_kind CHECK (kind IN ('judge')),
    CONSTRAINT ck_token_charge_tokens CHECK (prompt_tokens >= 0 AND completion_tokens >= 0)
);

CREATE INDEX ix_token_charge_tenant_charged ON token_charge (tenant_id, charged_at);
CREATE INDEX ix_token_charge_run ON token_charge (tenant_id, run_id);
