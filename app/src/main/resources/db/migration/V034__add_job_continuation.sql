-- A fine-tune may continue from an earlier job of its tenant: from that job's checkpoint at
-- continued_from_step (its last one when the user chose the job's final adapter). NULL: a fresh start.
ALTER TABLE fine_tune_job
    ADD COLUMN continued_from_job_id UUID,
    ADD COLUMN continued_from_step   INT,
    ADD CONSTRAINT fk_fine_tune_job_continued_from_job_id
        FOREIGN KEY (continued_from_job_id) REFERENCES fine_tune_job (id),
    ADD CONSTRAINT ck_fine_tune_job_continued_from
        CHECK ((continued_from_job_id IS NULL) = (continued_from_step IS NULL));
CREATE INDEX ix_fine_tune_job_continued_from ON fine_tune_job (continued_from_job_id);
