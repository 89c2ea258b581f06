-- A job's estimate is stored twice: at launch, for each node class then known, and at dispatch,
-- for the class of the node that took it (known only then when no node of it was enrolled at
-- launch). The comparison with the metered cost uses the dispatch one.
ALTER TABLE job_estimate ADD COLUMN moment VARCHAR(10) NOT NULL DEFAULT 'launch';
ALTER TABLE job_estimate ADD CONSTRAINT ck_job_estimate_moment CHECK (moment IN ('launch', 'dispatch'));
ALTER TABLE job_estimate DROP CONSTRAINT pk_job_estimate;
ALTER TABLE job_estimate ADD CONSTRAINT pk_job_estimate PRIMARY KEY (job_id, moment, node_class);

-- The LLM judge of an evaluation (docs/evaluation.md, "LLM judge"): a run through one teacher
-- endpoint, and per example the judge's two verdicts (base shown first, tuned shown first), what
-- they come to after position swapping, its raw answers and the tokens the calls took.
CREATE TABLE judge_run (
    id                  UUID          NOT NULL,
    tenant_id           UUID          NOT NULL,
    job_id              UUID          NOT NULL,
    endpoint_id         UUID          NOT NULL,
    endpoint_name       VARCHAR(200)  NOT NULL,
    judge_model         VARCHAR(200)  NOT NULL,
    prompt_id           VARCHAR(50)   NOT NULL,
    status              VARCHAR(20)   NOT NULL,
    cancel_requested    BOOLEAN       NOT NULL DEFAULT FALSE,
    examples_done       INT           NOT NULL DEFAULT 0,
    examples_total      INT           NOT NULL,
    results             TEXT,
    error               VARCHAR(2000),
    created_by          UUID          NOT NULL,
    created_by_username VARCHAR(100)  NOT NULL,
    created_at          TIMESTAMPTZ   NOT NULL,
    started_at          TIMESTAMPTZ,
    finished_at         TIMESTAMPTZ,
    CONSTRAINT pk_judge_run PRIMARY KEY (id),
    CONSTRAINT fk_judge_run_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_judge_run_job_id FOREIGN KEY (job_id) REFERENCES evaluation (job_id),
    CONSTRAINT fk_judge_run_endpoint_id FOREIGN KEY (endpoint_id) REFERENCES teacher_endpoint (id),
    CONSTRAINT ck_judge_run_status CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'))
);

CREATE INDEX ix_judge_run_job ON judge_run (tenant_id, job_id, created_at);

CREATE TABLE judgement (
    id                 UUID          NOT NULL,
    tenant_id          UUID          NOT NULL,
    run_id             UUID          NOT NULL,
    example_index      INT           NOT NULL,
    base_first         VARCHAR(20)   NOT NULL,
    tuned_first        VARCHAR(20)   NOT NULL,
    preference         VARCHAR(10)   NOT NULL,
    base_first_answer  VARCHAR(2000) NOT NULL,
    tuned_first_answer VARCHAR(2000) NOT NULL,
    prompt_tokens      BIGINT        NOT NULL,
    completion_tokens  BIGINT        NOT NULL,
    CONSTRAINT pk_judgement PRIMARY KEY (id),
    CONSTRAINT fk_judgement_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_judgement_run_id FOREIGN KEY (run_id) REFERENCES judge_run (id),
    CONSTRAINT uq_judgement_example UNIQUE (run_id, example_index),
    CONSTRAINT ck_judgement_base_first CHECK (base_first IN ('A', 'B', 'TIE', 'UNREADABLE')),
    CONSTRAINT ck_judgement_tuned_first CHECK (tuned_first IN ('A', 'B', 'TIE', 'UNREADABLE')),
    CONSTRAINT ck_judgement_preference CHECK (preference IN ('TUNED', 'TIE', 'BASE'))
);
