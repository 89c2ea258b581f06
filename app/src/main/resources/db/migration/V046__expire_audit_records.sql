-- Audit records expire after the retention the app is configured with (tuneforge.audit.retention),
-- yet the app's role still cannot delete or change a record: the only way a row goes is this
-- function, which runs as its owner (the role that runs the migrations) and removes only rows older
-- than the retention it is given, never one younger than 90 days, whatever it is asked.
--
-- The append-only triggers of V042 stay; the trigger function now lets a DELETE through only while
-- this function runs (it sets a transaction-local cut-off) and only for rows before that cut-off.
-- Setting the cut-off by hand does not help a role without the DELETE privilege, which V042 took
-- from every role but the owner; and even the owner's plain DELETE of a recent row is refused.
CREATE OR REPLACE FUNCTION audit_record_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    cutoff TEXT := current_setting('tuneforge.audit_expiry_cutoff', true);
BEGIN
    IF TG_OP = 'DELETE' AND cutoff IS NOT NULL AND cutoff <> '' THEN
        IF cutoff::timestamptz <= now() - interval '90 days'
           AND OLD.occurred_at < cutoff::timestamptz THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_record is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE FUNCTION delete_expired_audit_records(retention_days INTEGER) RETURNS BIGINT
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    cutoff TIMESTAMPTZ;
    removed BIGINT;
BEGIN
    IF retention_days IS NULL OR retention_days < 90 THEN
        RAISE EXCEPTION 'Audit records are kept at least 90 days, not %', retention_days
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    cutoff := now() - make_interval(days => retention_days);
    PERFORM set_config('tuneforge.audit_expiry_cutoff', cutoff::text, true);
    DELETE FROM audit_record WHERE occurred_at < cutoff;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('tuneforge.audit_expiry_cutoff', '', true);
    RETURN removed;
END;
$$;

-- A SECURITY DEFINER function must not look names up where its caller could plant others.
DO $$
BEGIN
    EXECUTE format(
        'ALTER FUNCTION delete_expired_audit_records(INTEGER) SET search_path = %I, pg_temp',
        current_schema());
END;
$$;

-- Every role may call it (functions are executable by PUBLIC unless revoked): it removes only what
-- has expired.
