-- Base models are imported under their Hugging Face id (which holds a '/'), optionally at a
-- revision.
ALTER TABLE base_model ADD COLUMN revision VARCHAR(200);

-- A model belongs to the platform (owner_tenant_id null: every tenant sees it) or to one tenant
-- (only that tenant sees it). The same id and revision may exist once per owner.
ALTER TABLE base_model ADD COLUMN owner_tenant_id UUID;
ALTER TABLE base_model ADD CONSTRAINT fk_base_model_owner_tenant_id
    FOREIGN KEY (owner_tenant_id) REFERENCES tenant (id);
ALTER TABLE base_model DROP CONSTRAINT uq_base_model_name;
CREATE UNIQUE INDEX uq_base_model_owner_name_revision ON base_model (
    COALESCE(owner_tenant_id, '00000000-0000-0000-0000-000000000000'::uuid),
    name,
    COALESCE(revision, ''));
CREATE INDEX ix_base_model_owner_tenant_id ON base_model (owner_tenant_id);

-- What inspection read from the model's files, shown by the catalogue page.
ALTER TABLE base_model ADD COLUMN display_name   VARCHAR(200);
ALTER TABLE base_model ADD COLUMN dtypes         VARCHAR(100) NOT NULL DEFAULT '';
ALTER TABLE base_model ADD COLUMN weight_bytes   BIGINT       NOT NULL DEFAULT 0;
ALTER TABLE base_model ADD COLUMN context_length INT          NOT NULL DEFAULT 0;
ALTER TABLE base_model ADD COLUMN licence        VARCHAR(200);
ALTER TABLE base_model ADD COLUMN chat_template  TEXT;
ALTER TABLE base_model ADD COLUMN eos_token_ids  VARCHAR(200) NOT NULL DEFAULT '';
ALTER TABLE base_model ADD COLUMN pad_token_id   INT;
ALTER TABLE base_model ADD COLUMN config_json    TEXT;
ALTER TABLE base_model ADD COLUMN retired_at     TIMESTAMPTZ;
