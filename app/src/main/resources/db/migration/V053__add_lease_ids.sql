-- The holding a job's or a merge's node has, or last had: each assignment to a node is a new one,
-- and the outputs of a holding go to a folder of their own (ObjectKeys.jobOutputs,
-- ObjectKeys.jobMerged), so a node that lost the lease cannot write over what another holding
-- delivered. Those assigned before this have none and keep the job's own folders.
ALTER TABLE fine_tune_job ADD COLUMN lease_id UUID;
ALTER TABLE merged_export ADD COLUMN lease_id UUID;
