-- Failed sign-ins per account (lower-cased user name, whether or not it exists) and per client
-- address, shared by every app replica: how many in the current window, and until when further
-- attempts are refused (a growing delay, then a lock). A success deletes the account's row; rows
-- whose window and refusal are over are pruned as new failures arrive.
CREATE TABLE sign_in_throttle (
    subject           VARCHAR(300) NOT NULL,
    failures          INT          NOT NULL,
    window_started_at TIMESTAMPTZ  NOT NULL,
    refused_until     TIMESTAMPTZ  NOT NULL,
    CONSTRAINT pk_sign_in_throttle PRIMARY KEY (subject)
);
CREATE INDEX ix_sign_in_throttle_refused_until ON sign_in_throttle (refused_until);
