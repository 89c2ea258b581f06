-- Serving's queue, shared by the app's replicas: a generation waits here until a node polling any
-- replica takes it (FOR UPDATE SKIP LOCKED), and the chunks a node posts to a replica other than
-- the one holding the caller's connection wait in generation_chunk until that replica reads them
-- (woken by NOTIFY on channel tuneforge_generation). Rows go once the answer is complete or the
-- caller went away; the holding replica touches its rows, so those of a replica that died are swept.
CREATE TABLE generation_request (
    id              UUID         NOT NULL,
    tenant_id       UUID         NOT NULL,
    base_model      VARCHAR(600) NOT NULL,
    request         JSONB        NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    taken_by        UUID,
    created_at      TIMESTAMPTZ  NOT NULL,
    pickup_deadline TIMESTAMPTZ  NOT NULL,
    taken_at        TIMESTAMPTZ,
    touched_at      TIMESTAMPTZ  NOT NULL,
    CONSTRAINT pk_generation_request PRIMARY KEY (id),
    CONSTRAINT fk_generation_request_tenant_id FOREIGN KEY (tenant_id)
        REFERENCES tenant (id) ON DELETE CASCADE,
    CONSTRAINT ck_generation_request_state CHECK (state IN ('queued', 'taken'))
);

CREATE INDEX ix_generation_request_queued ON generation_request (created_at) WHERE state = 'queued';

CREATE TABLE generation_chunk (
    generation_id UUID        NOT NULL,
    idx           INTEGER     NOT NULL,
    tenant_id     UUID        NOT NULL,
    chunk         JSONB       NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    CONSTRAINT pk_generation_chunk PRIMARY KEY (generation_id, idx),
    CONSTRAINT fk_generation_chunk_generation_id FOREIGN KEY (generation_id)
        REFERENCES generation_request (id) ON DELETE CASCADE,
    CONSTRAINT fk_generation_chunk_tenant_id FOREIGN KEY (tenant_id)
        REFERENCES tenant (id) ON DELETE CASCADE
);
