-- Spring Modulith's event publication registry, as its schemas/v2/schema-postgresql.sql has it:
-- a row per module event and listener, kept until the listener completes, so that an event
-- outlives a failed listener or a restart. Completed rows are deleted (completion-mode delete).
CREATE TABLE event_publication (
    id                      UUID                     NOT NULL,
    listener_id             TEXT                     NOT NULL,
    event_type              TEXT                     NOT NULL,
    serialized_event        TEXT                     NOT NULL,
    publication_date        TIMESTAMP WITH TIME ZONE NOT NULL,
    completion_date         TIMESTAMP WITH TIME ZONE,
    status                  TEXT,
    completion_attempts     INT,
    last_resubmission_date  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_event_publication PRIMARY KEY (id)
);
CREATE INDEX event_publication_serialized_event_hash_idx ON event_publication USING hash (serialized_event);
CREATE INDEX event_publication_by_completion_date_idx ON event_publication (completion_date);
