-- The id a node's agent picks when it starts, sent on each call: a new one means the node started
-- again, and the jobs it ran before go back in the queue at once.
ALTER TABLE training_node ADD COLUMN boot_id varchar(64);
