-- Indicator settings, the rules that compute indicators from answers, values recorded
-- by staff, and per-day answer tallies that make indicators cheap to compute.

ALTER TABLE plan_indicator ADD COLUMN unit TEXT NOT NULL DEFAULT '';
ALTER TABLE plan_indicator ADD COLUMN baseline_value DOUBLE PRECISION;
ALTER TABLE plan_indicator ADD COLUMN baseline_label TEXT NOT NULL DEFAULT '';
ALTER TABLE plan_indicator ADD COLUMN target_value DOUBLE PRECISION;
ALTER TABLE plan_indicator ADD COLUMN periodicity TEXT NOT NULL DEFAULT 'year' CHECK (periodicity IN ('year', 'half'));
ALTER TABLE plan_indicator ADD COLUMN published BOOLEAN NOT NULL DEFAULT TRUE;

CREATE TABLE indicator_rule (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    indicator_code TEXT NOT NULL REFERENCES plan_indicator (code),
    kind TEXT NOT NULL CHECK (kind IN ('responses', 'share', 'mean', 'distribution', 'communes')),
    question_id BIGINT NOT NULL REFERENCES question (id) ON DELETE CASCADE,
    -- JSON array of option codes.
    options TEXT NOT NULL DEFAULT '[]',
    created_at BIGINT NOT NULL
);
CREATE INDEX indicator_rule_indicator ON indicator_rule (indicator_code);

-- One value per indicator and period, for what the platform cannot see; changes are
-- recorded in the audit log.
CREATE TABLE indicator_value (
    indicator_code TEXT NOT NULL REFERENCES plan_indicator (code),
    period TEXT NOT NULL,
    value DOUBLE PRECISION,
    text TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES staff_user (id),
    recorded_by_label TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (indicator_code, period)
);

-- Answers per question, option and Paris day; option_id 0 counts responses that answered
-- the question at all (value_sum adds up number answers). Kept with each response.
CREATE TABLE answer_tally (
    question_id BIGINT NOT NULL REFERENCES question (id) ON DELETE CASCADE,
    option_id BIGINT NOT NULL,
    day TEXT NOT NULL,
    responses BIGINT NOT NULL,
    value_sum DOUBLE PRECISION NOT NULL DEFAULT 0,
    PRIMARY KEY (question_id, option_id, day)
);
