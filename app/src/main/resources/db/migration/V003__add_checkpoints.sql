-- Checkpoints: how often a job writes one, and the last one whose files all reached storage
-- (tenants/{tenant}/jobs/{job}/checkpoints/step-{n}/). A job back in the queue resumes from it;
-- checkpoints stay in storage when a job fails or is cancelled.
ALTER TABLE fine_tune_job ADD COLUMN checkpoint_every INT NOT NULL DEFAULT 50;
ALTER TABLE fine_tune_job ADD COLUMN last_checkpoint_step INT;
ALTER TABLE fine_tune_job ADD CONSTRAINT ck_fine_tune_job_checkpoint_every CHECK (checkpoint_every >= 0);
