-- The GPUs a node reports at enrolment and in every heartbeat (protocol Gpu records as a JSON
-- array: index, name, memory and free memory in bytes, CUDA and driver version, the job each
-- runs); empty for CPU nodes. Dispatch gives a node one job per GPU and fits jobs to free memory.
ALTER TABLE training_node ADD COLUMN gpus TEXT NOT NULL DEFAULT '[]';
