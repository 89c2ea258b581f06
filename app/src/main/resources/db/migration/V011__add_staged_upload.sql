-- Browser uploads in progress: a multipart upload into object storage under the tenant's
-- uploads/ folder. The row outlives every outcome only until the staged object and the
-- multipart upload are gone, so that a scheduled clean-up can find what a closed browser left.
CREATE TABLE staged_upload (
    id          UUID          NOT NULL,
    tenant_id   UUID          NOT NULL,
    file_name   VARCHAR(500)  NOT NULL,
    size_bytes  BIGINT        NOT NULL,
    part_size   BIGINT        NOT NULL,
    object_key  VARCHAR(1000) NOT NULL,
    upload_id   VARCHAR(1000) NOT NULL,
    created_by  UUID          NOT NULL,
    created_at  TIMESTAMPTZ   NOT NULL,
    CONSTRAINT pk_staged_upload PRIMARY KEY (id),
    CONSTRAINT fk_staged_upload_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id)
);

CREATE INDEX ix_staged_upload_created_at ON staged_upload (created_at);
