-- A node's credential can be revoked by an administrator and expires on its own; a draining node
-- finishes what it holds and is given nothing new.
ALTER TABLE training_node
    ADD COLUMN revoked_at            TIMESTAMPTZ,
    ADD COLUMN credential_expires_at TIMESTAMPTZ,
    ADD COLUMN draining              BOOLEAN NOT NULL DEFAULT FALSE;
