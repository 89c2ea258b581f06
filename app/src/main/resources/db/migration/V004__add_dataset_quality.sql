-- The quality report of a dataset version (QualityReport as JSON, see docs/datasets.md), computed
-- in the upload's normalising pass. Versions stored before this migration have none.
ALTER TABLE dataset_version ADD COLUMN quality_report TEXT;
