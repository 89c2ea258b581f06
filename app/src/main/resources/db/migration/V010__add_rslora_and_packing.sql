-- Two training options of a fine-tune: rsLoRA scaling (alpha / sqrt(r) instead of alpha / r)
-- and packing several examples into each row of the max sequence length. Existing jobs had neither.
ALTER TABLE fine_tune_job ADD COLUMN use_rslora BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE fine_tune_job ADD COLUMN packing BOOLEAN NOT NULL DEFAULT FALSE;
