-- A dataset version is supervised chat rows ('sft') or preference pairs ('preference', stored as
-- preference JSONL), with the pairs' own report (identical pairs, empty answers, length bias) as
-- JSON beside the quality report. A fine-tune may train with DPO ('dpo') on preference pairs, with
-- its beta and the weight of the added SFT term.
ALTER TABLE dataset_version ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'sft';
ALTER TABLE dataset_version ADD CONSTRAINT ck_dataset_version_kind CHECK (kind IN ('sft', 'preference'));
ALTER TABLE dataset_version ADD COLUMN preference_report TEXT;
ALTER TABLE fine_tune_job DROP CONSTRAINT ck_fine_tune_job_method;
ALTER TABLE fine_tune_job ADD CONSTRAINT ck_fine_tune_job_method CHECK (method IN ('lora', 'qlora', 'full', 'dpo'));
ALTER TABLE fine_tune_job ADD COLUMN dpo_beta DOUBLE PRECISION NOT NULL DEFAULT 0.1;
ALTER TABLE fine_tune_job ADD COLUMN dpo_sft_weight DOUBLE PRECISION NOT NULL DEFAULT 0.0;
