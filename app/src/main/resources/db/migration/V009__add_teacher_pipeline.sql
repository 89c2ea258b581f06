-- Teacher-model pipeline: a tenant's OpenAI-compatible chat endpoints (the API key encrypted
-- with AES-GCM under the platform secret; only its last four characters in clear), runs of the
-- categories -> subtopics -> documents -> extraction -> judge -> filter pipeline, and every
-- stage's items, so that a run resumes where it stopped.
CREATE TABLE teacher_endpoint (
    id                 UUID          NOT NULL,
    tenant_id          UUID          NOT NULL,
    name               VARCHAR(200)  NOT NULL,
    base_url           VARCHAR(1000) NOT NULL,
    model              VARCHAR(200)  NOT NULL,
    api_key_ciphertext VARCHAR(4000) NOT NULL,
    api_key_last_four  VARCHAR(4)    NOT NULL,
    created_by         UUID          NOT NULL,
    created_at         TIMESTAMPTZ   NOT NULL,
    CONSTRAINT pk_teacher_endpoint PRIMARY KEY (id),
    CONSTRAINT fk_teacher_endpoint_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT uq_teacher_endpoint_name UNIQUE (tenant_id, name)
);

CREATE TABLE teacher_run (
    id                     UUID             NOT NULL,
    tenant_id              UUID             NOT NULL,
    endpoint_id            UUID             NOT NULL,
    name                   VARCHAR(200)     NOT NULL,
    teacher_model          VARCHAR(200)     NOT NULL,
    domain                 TEXT             NOT NULL,
    extraction_schema      TEXT             NOT NULL,
    categories             INT              NOT NULL,
    subtopics_per_category INT              NOT NULL,
    documents_per_subtopic INT              NOT NULL,
    temperature            DOUBLE PRECISION NOT NULL,
    seed                   BIGINT           NOT NULL,
    status                 VARCHAR(20)      NOT NULL,
    cancel_requested       BOOLEAN          NOT NULL DEFAULT FALSE,
    error                  VARCHAR(2000),
    dataset_version_id     UUID,
    created_by             UUID             NOT NULL,
    created_by_username    VARCHAR(100)     NOT NULL,
    created_at             TIMESTAMPTZ      NOT NULL,
    started_at             TIMESTAMPTZ,
    finished_at            TIMESTAMPTZ,
    CONSTRAINT pk_teacher_run PRIMARY KEY (id),
    CONSTRAINT fk_teacher_run_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_teacher_run_endpoint_id FOREIGN KEY (endpoint_id) REFERENCES teacher_endpoint (id),
    CONSTRAINT fk_teacher_run_dataset_version_id FOREIGN KEY (dataset_version_id) REFERENCES dataset_version (id),
    CONSTRAINT ck_teacher_run_status CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'))
);

CREATE INDEX ix_teacher_run_tenant ON teacher_run (tenant_id, created_at);

-- One unit of work of one stage. Extraction, judge and filter items point at the document item
-- they derive from (document_id); a filter item that is DONE is an output row, and provenance
-- holds what made it (run, category, subtopic, document item, teacher model, prompt ids).
CREATE TABLE teacher_item (
    id          UUID          NOT NULL,
    tenant_id   UUID          NOT NULL,
    run_id      UUID          NOT NULL,
    stage       VARCHAR(20)   NOT NULL,
    parent_id   UUID,
    document_id UUID,
    ordinal     INT           NOT NULL,
    category    VARCHAR(500),
    subtopic    VARCHAR(500),
    status      VARCHAR(20)   NOT NULL,
    output      TEXT,
    reason      VARCHAR(2000),
    prompt_id   VARCHAR(50),
    provenance  TEXT,
    attempts    INT           NOT NULL DEFAULT 0,
    updated_at  TIMESTAMPTZ   NOT NULL,
    CONSTRAINT pk_teacher_item PRIMARY KEY (id),
    CONSTRAINT fk_teacher_item_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_teacher_item_run_id FOREIGN KEY (run_id) REFERENCES teacher_run (id),
    CONSTRAINT ck_teacher_item_stage CHECK (stage IN ('CATEGORIES', 'SUBTOPICS', 'DOCUMENTS', 'EXTRACTION', 'JUDGE', 'FILTER')),
    CONSTRAINT ck_teacher_item_status CHECK (status IN ('PENDING', 'DONE', 'FAILED', 'REJECTED'))
);

CREATE INDEX ix_teacher_item_run ON teacher_item (run_id, stage, status, ordinal);
