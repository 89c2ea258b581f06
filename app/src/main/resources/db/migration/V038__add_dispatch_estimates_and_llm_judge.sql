-- A job's estimate is stored twice: at launch, for each node class then known, and at dispatch,
-- for the class of the node that took it (known only then when no node of it was enrolled at
-- launch). The comparison with the metered cost uses the dispatch one.
ALTER TABLE job_estimate ADD COLUMN moment VARCHAR(10) NOT NULL DEFAULT 'launch';
ALTER TABLE job_estimate ADD CONSTRAINT ck_job_estimate_moment CHECK (moment IN ('launch', 'dispatch'));
ALTER TABLE job_estimate DROP CONSTRAINT pk_job_estimate;
ALTER TABLE job_estimate ADD CONSTRAINT pk_job_estimate PRIMARY KEY (job_id, moment, node_class);
