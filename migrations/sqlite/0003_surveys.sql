-- Flash surveys: questions and options, collection points, responses and answers.
-- Dates people pick (opening, closing, retention) are Paris days stored as 'YYYY-MM-DD'.

CREATE TABLE survey (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    intro TEXT NOT NULL,
    why TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    retention_until TEXT NOT NULL,
    -- Question codes (Q1, Q2...) are never reused, even after a deletion.
    next_question_number INTEGER NOT NULL DEFAULT 1,
    -- Kept up to date with each response, so lists never count all responses.
    response_count BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE survey_action (
    survey_id BIGINT NOT NULL REFERENCES survey (id) ON DELETE CASCADE,
    action_number INTEGER NOT NULL REFERENCES plan_action (number),
    PRIMARY KEY (survey_id, action_number)
);

CREATE TABLE survey_theme (
    survey_id BIGINT NOT NULL REFERENCES survey (id) ON DELETE CASCADE,
    theme_code TEXT NOT NULL REFERENCES theme (code),
    PRIMARY KEY (survey_id, theme_code)
);

CREATE TABLE question (
    id INTEGER PRIMARY KEY,
    survey_id BIGINT NOT NULL REFERENCES survey (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'scale', 'yes_no', 'number',
        'short_text', 'long_text', 'commune', 'public', 'age')),
    label TEXT NOT NULL,
    help TEXT NOT NULL DEFAULT '',
    required BOOLEAN NOT NULL,
    theme_code TEXT REFERENCES theme (code),
    max_choices INTEGER,
    min_value DOUBLE PRECISION,
    max_value DOUBLE PRECISION,
    scale_min_label TEXT NOT NULL DEFAULT '',
    scale_max_label TEXT NOT NULL DEFAULT '',
    condition_question_id BIGINT REFERENCES question (id),
    condition_option_code TEXT,
    next_option_number INTEGER NOT NULL DEFAULT 1,
    UNIQUE (survey_id, code)
);
CREATE INDEX question_survey ON question (survey_id, position);

CREATE TABLE question_option (
    id INTEGER PRIMARY KEY,
    question_id BIGINT NOT NULL REFERENCES question (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    UNIQUE (question_id, code)
);

CREATE TABLE collection_point (
    id INTEGER PRIMARY KEY,
    survey_id BIGINT NOT NULL REFERENCES survey (id) ON DELETE CASCADE,
    code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('en_ligne', 'evenement', 'lieu', 'guichet', 'kiosque', 'papier')),
    commune_code TEXT REFERENCES commune (code),
    starts_on TEXT,
    ends_on TEXT,
    live_screen BOOLEAN NOT NULL DEFAULT FALSE,
    response_count BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX collection_point_survey ON collection_point (survey_id);

-- No address, no user agent, no cookie: the time is rounded down to the hour, and the
-- token is the form's one-time idempotency key, random for each form shown.
CREATE TABLE response (
    id INTEGER PRIMARY KEY,
    survey_id BIGINT NOT NULL REFERENCES survey (id) ON DELETE CASCADE,
    point_id BIGINT NOT NULL REFERENCES collection_point (id) ON DELETE CASCADE,
    channel TEXT NOT NULL CHECK (channel IN ('web', 'kiosque', 'papier')),
    submitted_hour BIGINT NOT NULL,
    token TEXT NOT NULL UNIQUE
);
CREATE INDEX response_survey ON response (survey_id, submitted_hour);
CREATE INDEX response_point ON response (point_id);

CREATE TABLE answer (
    response_id BIGINT NOT NULL REFERENCES response (id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES question (id) ON DELETE CASCADE,
    option_id BIGINT REFERENCES question_option (id) ON DELETE CASCADE,
    value_text TEXT,
    value_number DOUBLE PRECISION
);
CREATE INDEX answer_response ON answer (response_id);
CREATE INDEX answer_question ON answer (question_id, option_id);

-- Staff review of free-text answers: read, and whether it may be published.
CREATE TABLE text_review (
    response_id BIGINT NOT NULL REFERENCES response (id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES question (id) ON DELETE CASCADE,
    reviewed BOOLEAN NOT NULL DEFAULT FALSE,
    publishable BOOLEAN NOT NULL DEFAULT FALSE,
    reviewed_by BIGINT REFERENCES staff_user (id),
    reviewed_at BIGINT,
    PRIMARY KEY (response_id, question_id)
);
