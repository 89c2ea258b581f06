-- How many tokens each model may generate per held-out example in the evaluation (and per sample
-- during training): greedy decoding stops at EOS or after this many. Jobs before it had the node's
-- default of 256.
ALTER TABLE fine_tune_job ADD COLUMN evaluation_max_new_tokens INT NOT NULL DEFAULT 256;
ALTER TABLE fine_tune_job ADD CONSTRAINT ck_fine_tune_job_evaluation_max_new_tokens
    CHECK (evaluation_max_new_tokens BETWEEN 1 AND 4096);
