-- Base models are imported under their Hugging Face id (which holds a '/'), optionally at a
-- revision.
ALTER TABLE base_model ADD COLUMN revision VARCHAR(200);
