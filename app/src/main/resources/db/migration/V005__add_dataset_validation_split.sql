-- A dataset version may hold a validation file beside its training file (see docs/datasets.md,
-- "Training and validation"). row_count stays the training file's row count.
ALTER TABLE dataset_version ADD COLUMN validation_object_key VARCHAR(500);
ALTER TABLE dataset_version ADD COLUMN validation_row_count INT NOT NULL DEFAULT 0;
ALTER TABLE dataset_version ADD COLUMN split VARCHAR(300) NOT NULL DEFAULT 'none';
