-- Each API key's request bucket, shared by every app replica: tokens left and when they were
-- counted (milliseconds of the app's clock). A request takes one token in a single atomic
-- upsert, so n replicas behind a balancer still give a key its limit once, not n times. A
-- revoked or deleted key's row goes with the key.
CREATE TABLE api_rate_bucket (
    key_id     UUID             NOT NULL,
    tokens     DOUBLE PRECISION NOT NULL,
    updated_ms BIGINT           NOT NULL,
    passed     BOOLEAN          NOT NULL,
    CONSTRAINT pk_api_rate_bucket PRIMARY KEY (key_id),
    CONSTRAINT fk_api_rate_bucket_key_id FOREIGN KEY (key_id) REFERENCES api_key (id) ON DELETE CASCADE
);
