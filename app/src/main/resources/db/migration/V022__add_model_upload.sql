-- A model folder a browser or a script is uploading into object storage: what the importer chose
-- and each file's multipart upload. The row lives from the upload's start until the model is
-- saved, refused or the upload cancelled, so that a reloaded page can resume it and a scheduled
-- clean-up can abort what nobody finished. Platform uploads (owner_tenant_id null) are seen by
-- platform admins only, a tenant's by that tenant's admins only.
CREATE TABLE model_upload (
    id               UUID          NOT NULL,
    owner_tenant_id  UUID,
    object_prefix    VARCHAR(1000) NOT NULL,
    name             VARCHAR(200)  NOT NULL,
    revision         VARCHAR(200),
    display_name     VARCHAR(200),
    description      VARCHAR(500),
    created_by       UUID          NOT NULL,
    created_at       TIMESTAMPTZ   NOT NULL,
    last_active_at   TIMESTAMPTZ   NOT NULL,
    CONSTRAINT pk_model_upload PRIMARY KEY (id),
    CONSTRAINT fk_model_upload_owner_tenant_id FOREIGN KEY (owner_tenant_id) REFERENCES tenant (id)
);

CREATE INDEX ix_model_upload_owner_tenant_id ON model_upload (owner_tenant_id);
CREATE INDEX ix_model_upload_last_active_at ON model_upload (last_active_at);

-- One file of the folder: its multipart upload and the parts the uploader reported sent (storage's
-- own list of parts decides what a resumed upload skips).
CREATE TABLE model_upload_file (
    model_upload_id     UUID          NOT NULL,
    name                VARCHAR(300)  NOT NULL,
    size_bytes          BIGINT        NOT NULL,
    part_size           BIGINT        NOT NULL,
    multipart_upload_id VARCHAR(1000) NOT NULL,
    parts_done          INT           NOT NULL DEFAULT 0,
    bytes_done          BIGINT        NOT NULL DEFAULT 0,
    CONSTRAINT pk_model_upload_file PRIMARY KEY (model_upload_id, name),
    CONSTRAINT fk_model_upload_file_model_upload_id FOREIGN KEY (model_upload_id)
        REFERENCES model_upload (id) ON DELETE CASCADE
);
