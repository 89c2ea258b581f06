-- A user can cancel a merged export: a queued one ends 'cancelled' at once; a running one is
-- marked cancel_requested, its node is told with its next heartbeat and stops before uploading,
-- and the merge ends 'cancelled' when the node reports (or loses its lease), its uploaded files
-- removed.
ALTER TABLE merged_export ADD COLUMN cancel_requested BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE merged_export DROP CONSTRAINT ck_merged_export_status;
ALTER TABLE merged_export ADD CONSTRAINT ck_merged_export_status
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled'));
