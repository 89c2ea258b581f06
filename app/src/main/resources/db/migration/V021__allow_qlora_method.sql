-- A fine-tune may also train a LoRA adapter over the base kept in 4-bit NormalFloat ('qlora'),
-- delivering an adapter as 'lora' does.
ALTER TABLE fine_tune_job DROP CONSTRAINT ck_fine_tune_job_method;
ALTER TABLE fine_tune_job ADD CONSTRAINT ck_fine_tune_job_method CHECK (method IN ('lora', 'qlora', 'full'));
