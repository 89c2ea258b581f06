-- What a count says about rows the trainer leaves out: rows with no assistant token left within
-- the maximum length, the smallest maximum length that keeps every row, and rows over the usual
-- limits (JSON object of limit to rows), so the quality report can give exact figures. Counts
-- stored before this have none of them and are counted again when asked for.
ALTER TABLE dataset_token_lengths
    ADD COLUMN dropped_rows    INT,
    ADD COLUMN keeps_every_row INT,
    ADD COLUMN rows_over       TEXT;
