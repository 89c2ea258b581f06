-- A tenant a platform admin deleted: its members cannot sign in, its keys stop, and once
-- deletion_due_at has passed a background job removes every row and object of it. Until then an
-- admin can undo the deletion (the column goes back to null).
ALTER TABLE tenant ADD COLUMN deletion_due_at TIMESTAMPTZ;
CREATE INDEX ix_tenant_deletion_due_at ON tenant (deletion_due_at) WHERE deletion_due_at IS NOT NULL;
