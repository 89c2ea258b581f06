-- The holding a job's node has, or last had: each assignment to a node is a new one, and the
-- outputs of a holding go to a folder of their own (ObjectKeys.jobOutputs), so a node that lost
-- the job cannot write over what another holding delivered. Jobs assigned before this have none
-- and keep the job's own folder.
ALTER TABLE fine_tune_job ADD COLUMN lease_id UUID;
