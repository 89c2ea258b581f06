-- A fine-tune's own name (OpenAI's `suffix`), set at launch or later; NULL: none given.
ALTER TABLE fine_tune_job ADD COLUMN suffix VARCHAR(64);
ALTER TABLE fine_tune_job ADD CONSTRAINT ck_fine_tune_job_suffix CHECK (suffix ~ '^[a-z0-9_-]{1,64}$');

-- What a job was estimated to cost at launch, on each node class then known, and the figures
-- the estimate used, so that the metered cost can be compared with it once the job finished
-- and later estimates can learn from the job (its method, model size and evaluated examples).
CREATE TABLE job_estimate (
    tenant_id           UUID           NOT NULL,
    job_id              UUID           NOT NULL,
    node_class          VARCHAR(330)   NOT NULL,
    base_model_params   BIGINT         NOT NULL,
    method              VARCHAR(20)    NOT NULL,
    steps               INT            NOT NULL,
    trained_tokens      BIGINT         NOT NULL,
    evaluation_examples INT            NOT NULL,
    generated_tokens    BIGINT         NOT NULL,
    seconds             BIGINT         NOT NULL,
    cost                NUMERIC(16, 6) NOT NULL,
    currency            VARCHAR(10)    NOT NULL,
    basis               VARCHAR(2000)  NOT NULL,
    created_at          TIMESTAMPTZ    NOT NULL,
    CONSTRAINT pk_job_estimate PRIMARY KEY (job_id, node_class),
    CONSTRAINT fk_job_estimate_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_job_estimate_job_id FOREIGN KEY (job_id) REFERENCES fine_tune_job (id)
);
