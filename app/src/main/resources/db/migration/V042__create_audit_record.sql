-- The audit log: who did what to which target, when and from where. Append-only.
--
-- tenant_id is the tenant the action concerns (null for platform-level actions: nodes, platform
-- models, platform admins' sign-ins). It has no foreign key on purpose: a deleted tenant's records
-- stay. actor_id likewise names the user without a foreign key; actor_name keeps the name as it was.
CREATE TABLE audit_record (
    id              BIGINT GENERATED ALWAYS AS IDENTITY,
    occurred_at     TIMESTAMPTZ NOT NULL,
    tenant_id       UUID,
    actor_id        UUID,
    actor_name      TEXT NOT NULL,
    action          TEXT NOT NULL,
    target          TEXT NOT NULL,
    detail          TEXT NOT NULL,
    client_address  TEXT NOT NULL,
    CONSTRAINT pk_audit_record PRIMARY KEY (id)
);

CREATE INDEX ix_audit_record_tenant_time ON audit_record (tenant_id, occurred_at DESC);
CREATE INDEX ix_audit_record_time ON audit_record (occurred_at DESC);

-- Rows can be added and read, never changed or removed, whoever asks: the triggers raise on
-- UPDATE, DELETE and TRUNCATE for every role, the table's owner and superusers included.
--
-- What the owner (the role that runs these migrations) can still do: as the owner it may drop or
-- disable the triggers (ALTER TABLE ... DISABLE TRIGGER), or drop the table; a superuser may also
-- skip triggers with session_replication_role = replica. The triggers stop mistakes and a
-- compromised application only when the application is not the owner. So production runs
-- migrations as an owner role and the application as a role that only holds
-- SELECT and INSERT on this table (see docs/operations.md); the REVOKE below takes away any
-- UPDATE, DELETE or TRUNCATE that default privileges gave another role.
CREATE FUNCTION audit_record_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_record is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_record_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_record
    FOR EACH ROW EXECUTE FUNCTION audit_record_is_append_only();

CREATE TRIGGER audit_record_no_truncate
    BEFORE TRUNCATE ON audit_record
    FOR EACH STATEMENT EXECUTE FUNCTION audit_record_is_append_only();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_record FROM PUBLIC;

DO $$
DECLARE
    grantee_name TEXT;
BEGIN
    FOR grantee_name IN
        SELECT DISTINCT grantee FROM information_schema.role_table_grants
        WHERE table_schema = current_schema() AND table_name = 'audit_record'
          AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
          AND grantee <> current_user AND grantee <> 'PUBLIC'
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_record FROM %I', grantee_name);
    END LOOP;
END;
$$;
