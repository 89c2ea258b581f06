-- What early stopping watches: the validation loss, as before, or the field F1 the node measures
-- on a fixed validation sample. A retention check after the evaluation: on the node's built-in
-- general-ability set ('builtin') or on a dataset version of the team's ('dataset'), or none.
ALTER TABLE fine_tune_job ADD COLUMN early_stopping_metric VARCHAR(20) NOT NULL DEFAULT 'validation_loss';
ALTER TABLE fine_tune_job ADD CONSTRAINT ck_fine_tune_job_early_stopping_metric
    CHECK (early_stopping_metric IN ('validation_loss', 'field_f1'));
ALTER TABLE fine_tune_job ADD COLUMN retention VARCHAR(20);
ALTER TABLE fine_tune_job ADD CONSTRAINT ck_fine_tune_job_retention
    CHECK (retention IN ('builtin', 'dataset'));
ALTER TABLE fine_tune_job ADD COLUMN retention_dataset_version_id UUID;
ALTER TABLE fine_tune_job ADD CONSTRAINT fk_fine_tune_job_retention_dataset_version_id
    FOREIGN KEY (retention_dataset_version_id) REFERENCES dataset_version (id);

-- Latency and output lengths of base and tuned (JSON of LatencyFigures) and the retention
-- check's scores (JSON of RetentionScores), both computed from the node's files like the metrics.
ALTER TABLE evaluation ADD COLUMN latency TEXT;
ALTER TABLE evaluation ADD COLUMN retention TEXT;
