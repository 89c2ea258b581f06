-- A deleted user keeps their row, so that the datasets and jobs they created stay with the tenant
-- and still name them; the row is disabled, loses its password and its user name (freed for
-- reuse as 'deleted:<id>') and is hidden from the users page.
ALTER TABLE app_user ADD COLUMN deleted_at TIMESTAMPTZ;
