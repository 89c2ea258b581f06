-- Tenants, accounts, datasets, the base-model catalogue, fine-tune jobs and their events,
-- training nodes and enrolment tokens. Every tenant-owned table has tenant_id NOT NULL.

CREATE TABLE tenant (
    id          UUID         NOT NULL,
    name        VARCHAR(100) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    CONSTRAINT pk_tenant PRIMARY KEY (id),
    CONSTRAINT uq_tenant_name UNIQUE (name)
);

-- tenant_id is NULL only for platform admins, who belong to no tenant.
CREATE TABLE app_user (
    id            UUID         NOT NULL,
    tenant_id     UUID,
    username      VARCHAR(100) NOT NULL,
    display_name  VARCHAR(200) NOT NULL,
    password_hash VARCHAR(200) NOT NULL,
    role          VARCHAR(20)  NOT NULL,
    enabled       BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ  NOT NULL,
    CONSTRAINT pk_app_user PRIMARY KEY (id),
    CONSTRAINT uq_app_user_username UNIQUE (username),
    CONSTRAINT fk_app_user_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT ck_app_user_role CHECK (role IN ('PLATFORM_ADMIN', 'TENANT_ADMIN', 'MEMBER')),
    CONSTRAINT ck_app_user_tenant CHECK ((role = 'PLATFORM_ADMIN') = (tenant_id IS NULL))
);

CREATE TABLE dataset (
    id          UUID         NOT NULL,
    tenant_id   UUID         NOT NULL,
    name        VARCHAR(200) NOT NULL,
    created_by  UUID         NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    CONSTRAINT pk_dataset PRIMARY KEY (id),
    CONSTRAINT fk_dataset_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_dataset_created_by FOREIGN KEY (created_by) REFERENCES app_user (id),
    CONSTRAINT uq_dataset_tenant_name UNIQUE (tenant_id, name)
);

CREATE TABLE dataset_version (
    id             UUID         NOT NULL,
    tenant_id      UUID         NOT NULL,
    dataset_id     UUID         NOT NULL,
    version        INT          NOT NULL,
    file_name      VARCHAR(300) NOT NULL,
    format         VARCHAR(40)  NOT NULL,
    object_key     VARCHAR(500) NOT NULL,
    row_count      INT          NOT NULL,
    size_bytes     BIGINT       NOT NULL,
    sha256         VARCHAR(64)  NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL,
    CONSTRAINT pk_dataset_version PRIMARY KEY (id),
    CONSTRAINT fk_dataset_version_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_dataset_version_dataset_id FOREIGN KEY (dataset_id) REFERENCES dataset (id),
    CONSTRAINT uq_dataset_version UNIQUE (dataset_id, version)
);

-- The shared catalogue: base models are platform-wide, not tenant-owned.
CREATE TABLE base_model (
    id            UUID         NOT NULL,
    name          VARCHAR(200) NOT NULL,
    architecture  VARCHAR(100) NOT NULL,
    description   VARCHAR(500) NOT NULL,
    object_prefix VARCHAR(500) NOT NULL,
    parameters    BIGINT       NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL,
    CONSTRAINT pk_base_model PRIMARY KEY (id),
    CONSTRAINT uq_base_model_name UNIQUE (name)
);

CREATE TABLE training_node (
    id                UUID         NOT NULL,
    name              VARCHAR(200) NOT NULL,
    credential_hash   VARCHAR(64)  NOT NULL,
    device            VARCHAR(20)  NOT NULL,
    device_name       VARCHAR(300) NOT NULL,
    memory_bytes      BIGINT       NOT NULL,
    cpu_cores         INT          NOT NULL,
    state             VARCHAR(20)  NOT NULL,
    last_heartbeat_at TIMESTAMPTZ,
    enrolled_at       TIMESTAMPTZ  NOT NULL,
    CONSTRAINT pk_training_node PRIMARY KEY (id),
    CONSTRAINT uq_training_node_credential_hash UNIQUE (credential_hash)
);

CREATE TABLE enrolment_token (
    id          UUID        NOT NULL,
    token_hash  VARCHAR(64) NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ,
    node_id     UUID,
    CONSTRAINT pk_enrolment_token PRIMARY KEY (id),
    CONSTRAINT uq_enrolment_token_hash UNIQUE (token_hash),
    CONSTRAINT fk_enrolment_token_node_id FOREIGN KEY (node_id) REFERENCES training_node (id)
);

-- A job's lease is the pair (node_id, lease_expires_at): the node holds the job until then.
CREATE TABLE fine_tune_job (
    id                 UUID          NOT NULL,
    tenant_id          UUID          NOT NULL,
    name               VARCHAR(200)  NOT NULL,
    created_by         UUID          NOT NULL,
    base_model_id      UUID          NOT NULL,
    dataset_version_id UUID          NOT NULL,
    status             VARCHAR(30)   NOT NULL,
    method             VARCHAR(20)   NOT NULL,
    lora_r             INT           NOT NULL,
    lora_alpha         DOUBLE PRECISION NOT NULL,
    lora_dropout       DOUBLE PRECISION NOT NULL,
    target_modules     VARCHAR(200)  NOT NULL,
    epochs             INT           NOT NULL,
    learning_rate      DOUBLE PRECISION NOT NULL,
    batch_size         INT           NOT NULL,
    max_seq_length     INT           NOT NULL,
    seed               BIGINT        NOT NULL,
    max_steps          INT           NOT NULL,
    node_id            UUID,
    lease_expires_at   TIMESTAMPTZ,
    cancel_requested   BOOLEAN       NOT NULL DEFAULT FALSE,
    error              VARCHAR(2000),
    steps              INT           NOT NULL DEFAULT 0,
    trained_tokens     BIGINT        NOT NULL DEFAULT 0,
    adapter_prefix     VARCHAR(500),
    created_at         TIMESTAMPTZ   NOT NULL,
    started_at         TIMESTAMPTZ,
    finished_at        TIMESTAMPTZ,
    CONSTRAINT pk_fine_tune_job PRIMARY KEY (id),
    CONSTRAINT fk_fine_tune_job_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_fine_tune_job_created_by FOREIGN KEY (created_by) REFERENCES app_user (id),
    CONSTRAINT fk_fine_tune_job_base_model_id FOREIGN KEY (base_model_id) REFERENCES base_model (id),
    CONSTRAINT fk_fine_tune_job_dataset_version_id FOREIGN KEY (dataset_version_id) REFERENCES dataset_version (id),
    CONSTRAINT fk_fine_tune_job_node_id FOREIGN KEY (node_id) REFERENCES training_node (id),
    CONSTRAINT ck_fine_tune_job_status CHECK (status IN ('validating_files', 'queued', 'running', 'succeeded', 'failed', 'cancelled'))
);

CREATE INDEX ix_fine_tune_job_status ON fine_tune_job (status, created_at);
CREATE INDEX ix_fine_tune_job_tenant ON fine_tune_job (tenant_id, created_at);

CREATE TABLE job_event (
    id                BIGSERIAL     NOT NULL,
    tenant_id         UUID          NOT NULL,
    job_id            UUID          NOT NULL,
    at                TIMESTAMPTZ   NOT NULL,
    type              VARCHAR(20)   NOT NULL,
    step              INT,
    total_steps       INT,
    loss              DOUBLE PRECISION,
    learning_rate     DOUBLE PRECISION,
    tokens_per_second DOUBLE PRECISION,
    tokens            BIGINT,
    message           VARCHAR(4000),
    CONSTRAINT pk_job_event PRIMARY KEY (id),
    CONSTRAINT fk_job_event_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_job_event_job_id FOREIGN KEY (job_id) REFERENCES fine_tune_job (id)
);

CREATE INDEX ix_job_event_job ON job_event (job_id, id);
