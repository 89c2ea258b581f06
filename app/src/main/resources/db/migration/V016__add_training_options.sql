-- The trainer's options a fine-tune now chooses: learning-rate schedule, warm-up ratio, gradient
-- accumulation, weight decay, gradient clipping (0: off), validation interval and early-stopping
-- patience (0: off). The defaults are the trainer's, so existing jobs train as before; a null
-- validation interval measures at each checkpoint, as every job did before.
ALTER TABLE fine_tune_job ADD COLUMN schedule VARCHAR(16) NOT NULL DEFAULT 'linear';
ALTER TABLE fine_tune_job ADD COLUMN warmup_ratio DOUBLE PRECISION NOT NULL DEFAULT 0.1;
ALTER TABLE fine_tune_job ADD COLUMN gradient_accumulation INT NOT NULL DEFAULT 1;
ALTER TABLE fine_tune_job ADD COLUMN weight_decay DOUBLE PRECISION NOT NULL DEFAULT 0.0;
ALTER TABLE fine_tune_job ADD COLUMN max_grad_norm DOUBLE PRECISION NOT NULL DEFAULT 1.0;
ALTER TABLE fine_tune_job ADD COLUMN validation_every INT;
ALTER TABLE fine_tune_job ADD COLUMN early_stopping_patience INT NOT NULL DEFAULT 0;
ALTER TABLE fine_tune_job ADD CONSTRAINT ck_fine_tune_job_schedule CHECK (schedule IN ('linear', 'cosine'));
