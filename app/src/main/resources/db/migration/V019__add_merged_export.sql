-- A LoRA job's merged model: base plus adapter merged on a training node, leased like a
-- fine-tune (node_id, lease_expires_at), one per job. Its progress is the node's last count of
-- tensors written. Nodes now state their protocol version; merges go only to version 2 or later.
CREATE TABLE merged_export (
    id               UUID          NOT NULL,
    tenant_id        UUID          NOT NULL,
    job_id           UUID          NOT NULL,
    status           VARCHAR(20)   NOT NULL,
    node_id          UUID,
    lease_expires_at TIMESTAMPTZ,
    done             INT           NOT NULL DEFAULT 0,
    total            INT           NOT NULL DEFAULT 0,
    message          VARCHAR(2000),
    error            VARCHAR(4000),
    created_by       UUID          NOT NULL,
    created_at       TIMESTAMPTZ   NOT NULL,
    started_at       TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ,
    CONSTRAINT pk_merged_export PRIMARY KEY (id),
    CONSTRAINT fk_merged_export_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_merged_export_job_id FOREIGN KEY (job_id) REFERENCES fine_tune_job (id),
    CONSTRAINT uq_merged_export_job_id UNIQUE (job_id),
    CONSTRAINT ck_merged_export_status CHECK (status IN ('queued', 'running', 'succeeded', 'failed'))
);

CREATE INDEX ix_merged_export_status ON merged_export (status, created_at);

ALTER TABLE training_node ADD COLUMN protocol_version INT NOT NULL DEFAULT 1;

-- A merge's time on a node is metered like training, as its job's 'merge' segments.
ALTER TABLE usage_record DROP CONSTRAINT ck_usage_record_kind;
ALTER TABLE usage_record ADD CONSTRAINT ck_usage_record_kind
    CHECK (kind IN ('training', 'evaluation', 'merge'));
