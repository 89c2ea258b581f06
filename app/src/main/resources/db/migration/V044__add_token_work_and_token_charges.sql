-- What one trained token of the job takes (multiply-adds forward and backward for its model, method
-- and row length; docs/usage.md): later estimates scale a past job's speed by it. Empty on
-- estimates stored before; those scale by the model's parameters alone.
ALTER TABLE job_estimate ADD COLUMN work_per_token DOUBLE PRECISION;
