-- A tenant's webhook endpoints: the URL, the events it wants (comma-separated wire names) and its
-- signing secret, encrypted under the platform secret (shown to the admin once, rotatable).
CREATE TABLE webhook_endpoint (
    id             UUID          NOT NULL,
    tenant_id      UUID          NOT NULL,
    url            VARCHAR(2000) NOT NULL,
    events         VARCHAR(500)  NOT NULL,
    secret         VARCHAR(500)  NOT NULL,
    created_by     UUID          NOT NULL,
    created_at     TIMESTAMPTZ   NOT NULL,
    secret_set_at  TIMESTAMPTZ   NOT NULL,
    CONSTRAINT pk_webhook_endpoint PRIMARY KEY (id),
    CONSTRAINT fk_webhook_endpoint_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_webhook_endpoint_created_by FOREIGN KEY (created_by) REFERENCES app_user (id)
);
CREATE INDEX ix_webhook_endpoint_tenant ON webhook_endpoint (tenant_id, created_at);

-- The outbox: one row per event and endpoint, written in the transaction that learns of the
-- event, sent and retried from here, so that nothing is lost when the app stops. status:
-- pending (next_attempt_at says when), delivered, failed (attempts spent or refused).
CREATE TABLE webhook_delivery (
    id               UUID          NOT NULL,
    tenant_id        UUID          NOT NULL,
    endpoint_id      UUID          NOT NULL,
    event_type       VARCHAR(60)   NOT NULL,
    payload          TEXT          NOT NULL,
    status           VARCHAR(20)   NOT NULL,
    attempts         INT           NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ,
    last_attempt_at  TIMESTAMPTZ,
    response_status  INT,
    response_excerpt VARCHAR(500),
    error            VARCHAR(500),
    created_at       TIMESTAMPTZ   NOT NULL,
    CONSTRAINT pk_webhook_delivery PRIMARY KEY (id),
    CONSTRAINT fk_webhook_delivery_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id),
    CONSTRAINT fk_webhook_delivery_endpoint_id FOREIGN KEY (endpoint_id)
        REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
    CONSTRAINT ck_webhook_delivery_status CHECK (status IN ('pending', 'delivered', 'failed'))
);
CREATE INDEX ix_webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_webhook_delivery_endpoint ON webhook_delivery (endpoint_id, created_at);
