-- The model a generation was asked of, as its caller named it: the files of a generation a node
-- took are signed again from it (NodeApi.GENERATION_FILES). Rows queued before this have none.
ALTER TABLE generation_request ADD COLUMN model VARCHAR(600);
