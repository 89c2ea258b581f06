-- User names are one name whatever their case: 'Alice' and 'alice' sign in as the same account, so
-- storage refuses the second even when two creations race. A name that differed from an older one
-- only in case gets the start of its id appended (its owner signs in with that name now).
UPDATE app_user u
SET username = left(u.username, 91) || '-' || left(replace(u.id::text, '-', ''), 8)
WHERE EXISTS (
    SELECT 1 FROM app_user older
    WHERE lower(older.username) = lower(u.username)
      AND (older.created_at, older.id) < (u.created_at, u.id));

ALTER TABLE app_user DROP CONSTRAINT uq_app_user_username;
CREATE UNIQUE INDEX uq_app_user_username_lower ON app_user (lower(username));
