-- Preference pairs from the teacher pipeline: with preference_pairs on, every document is
-- extracted a second time at a higher temperature (stage SAMPLE) and that sample is scored by the
-- judge too (stage SCORE); pairs whose scores differ by at least preference_margin points are
-- stored as a preference dataset version (preference_version_id).
ALTER TABLE teacher_run ADD COLUMN preference_pairs BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE teacher_run ADD COLUMN preference_margin INT NOT NULL DEFAULT 2;
ALTER TABLE teacher_run ADD COLUMN preference_version_id UUID;
ALTER TABLE teacher_run ADD CONSTRAINT fk_teacher_run_preference_version_id
    FOREIGN KEY (preference_version_id) REFERENCES dataset_version (id);
ALTER TABLE teacher_run ADD CONSTRAINT ck_teacher_run_preference_margin
    CHECK (preference_margin BETWEEN 1 AND 9);

ALTER TABLE teacher_item DROP CONSTRAINT ck_teacher_item_stage;
ALTER TABLE teacher_item ADD CONSTRAINT ck_teacher_item_stage
    CHECK (stage IN ('CATEGORIES', 'SUBTOPICS', 'DOCUMENTS', 'EXTRACTION', 'JUDGE', 'FILTER',
                     'SAMPLE', 'SCORE'));

-- Teacher pipeline calls through a priced endpoint are charged as the judge's are.
ALTER TABLE token_charge DROP CONSTRAINT ck_token_charge_kind;
ALTER TABLE token_charge ADD CONSTRAINT ck_token_charge_kind CHECK (kind IN ('judge', 'teacher'));
