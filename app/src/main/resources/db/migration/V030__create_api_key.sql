-- API keys: a user's named credentials for /v1 and /api. Only a SHA-256 hash of the key text is
-- kept: keys are 256 random bits, so a fast hash cannot be brute-forced and needs no salt or
-- slow password hash, and a request finds its key by the hash in one indexed look-up. The
-- prefix is the key's first characters, shown to tell keys apart. tenant_id is the owner's
-- tenant (null for platform admins), kept for listing a tenant's keys.
CREATE TABLE api_key (
    id           UUID         NOT NULL,
    tenant_id    UUID,
    user_id      UUID         NOT NULL,
    name         VARCHAR(100) NOT NULL,
    prefix       VARCHAR(20)  NOT NULL,
    secret_hash  VARCHAR(64)  NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL,
    expires_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    CONSTRAINT pk_api_key PRIMARY KEY (id),
    CONSTRAINT uq_api_key_secret_hash UNIQUE (secret_hash),
    CONSTRAINT fk_api_key_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_api_key_user_id FOREIGN KEY (user_id) REFERENCES app_user (id)
);
CREATE INDEX ix_api_key_user ON api_key (user_id, created_at);
CREATE INDEX ix_api_key_tenant ON api_key (tenant_id, created_at);
