-- Needs observation: field reports from front-line professionals, qualified needs with
-- their sources and status history, observatory meetings with their agenda, attendance,
-- decisions and a frozen board snapshot; per-day theme counts for the needs board.

CREATE TABLE field_report (
    id INTEGER PRIMARY KEY,
    organisation TEXT NOT NULL CHECK (organisation IN ('france_services', 'rpe', 'ccas_mairie',
        'association', 'service_social', 'pmi', 'mission_locale', 'etablissement_scolaire', 'autre')),
    -- NULL: the whole territory.
    commune_code TEXT REFERENCES commune (code),
    observed TEXT NOT NULL,
    people_count INTEGER,
    observed_on TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES staff_user (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX field_report_day ON field_report (observed_on);
CREATE INDEX field_report_author ON field_report (created_by);

CREATE TABLE field_report_theme (
    report_id BIGINT NOT NULL REFERENCES field_report (id) ON DELETE CASCADE,
    theme_code TEXT NOT NULL REFERENCES theme (code),
    PRIMARY KEY (report_id, theme_code)
);

CREATE TABLE field_report_public (
    report_id BIGINT NOT NULL REFERENCES field_report (id) ON DELETE CASCADE,
    public_code TEXT NOT NULL REFERENCES target_public (code),
    PRIMARY KEY (report_id, public_code)
);

CREATE TABLE need (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    theme_code TEXT NOT NULL REFERENCES theme (code),
    status TEXT NOT NULL CHECK (status IN ('signale', 'qualifie', 'pris_en_compte', 'clos')),
    created_by BIGINT REFERENCES staff_user (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE need_commune (
    need_id BIGINT NOT NULL REFERENCES need (id) ON DELETE CASCADE,
    commune_code TEXT NOT NULL REFERENCES commune (code),
    PRIMARY KEY (need_id, commune_code)
);

CREATE TABLE need_public (
    need_id BIGINT NOT NULL REFERENCES need (id) ON DELETE CASCADE,
    public_code TEXT NOT NULL REFERENCES target_public (code),
    PRIMARY KEY (need_id, public_code)
);

-- What a need rests on: a field report, a resident's answer (response and question), or
-- a pattern in a closed question's results (question only).
CREATE TABLE need_source (
    id INTEGER PRIMARY KEY,
    need_id BIGINT NOT NULL REFERENCES need (id) ON DELETE CASCADE,
    report_id BIGINT REFERENCES field_report (id) ON DELETE CASCADE,
    response_id BIGINT REFERENCES response (id) ON DELETE CASCADE,
    question_id BIGINT REFERENCES question (id) ON DELETE CASCADE,
    note TEXT NOT NULL DEFAULT '',
    added_at BIGINT NOT NULL
);
CREATE INDEX need_source_need ON need_source (need_id);

CREATE TABLE need_status_change (
    id INTEGER PRIMARY KEY,
    need_id BIGINT NOT NULL REFERENCES need (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    changed_by BIGINT REFERENCES staff_user (id),
    changed_by_label TEXT NOT NULL,
    changed_at BIGINT NOT NULL
);
CREATE INDEX need_status_change_need ON need_status_change (need_id, changed_at);

CREATE TABLE meeting (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('observatoire', 'copil', 'cotech', 'groupe_travail')),
    title TEXT NOT NULL,
    theme_code TEXT REFERENCES theme (code),
    held_on TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    invited_elus INTEGER NOT NULL DEFAULT 0,
    present_elus INTEGER NOT NULL DEFAULT 0,
    invited_professionnels INTEGER NOT NULL DEFAULT 0,
    present_professionnels INTEGER NOT NULL DEFAULT 0,
    invited_partenaires INTEGER NOT NULL DEFAULT 0,
    present_partenaires INTEGER NOT NULL DEFAULT 0,
    invited_habitants INTEGER NOT NULL DEFAULT 0,
    present_habitants INTEGER NOT NULL DEFAULT 0,
    -- The needs board as it stood on the meeting date, frozen on purpose (JSON).
    snapshot TEXT,
    snapshot_at BIGINT,
    created_by BIGINT REFERENCES staff_user (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX meeting_day ON meeting (held_on);

CREATE TABLE meeting_need (
    meeting_id BIGINT NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    need_id BIGINT NOT NULL REFERENCES need (id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, need_id)
);

CREATE TABLE decision (
    id INTEGER PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    action_number INTEGER NOT NULL REFERENCES plan_action (number),
    need_id BIGINT REFERENCES need (id) ON DELETE SET NULL,
    what TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('a_faire', 'en_cours', 'fait', 'abandonne')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX decision_action ON decision (action_number);

-- The commune and public a response declared (or its collection point's commune), kept
-- on the response so the board can count by them.
ALTER TABLE response ADD COLUMN commune_code TEXT NOT NULL DEFAULT '';
ALTER TABLE response ADD COLUMN public_code TEXT NOT NULL DEFAULT '';
UPDATE response SET commune_code = COALESCE((SELECT o.code FROM answer a
    JOIN question q ON q.id = a.question_id JOIN question_option o ON o.id = a.option_id
    WHERE a.response_id = response.id AND q.kind = 'commune' LIMIT 1),
    (SELECT p.commune_code FROM collection_point p WHERE p.id = response.point_id), '');
UPDATE response SET public_code = COALESCE((SELECT o.code FROM answer a
    JOIN question q ON q.id = a.question_id JOIN question_option o ON o.id = a.option_id
    WHERE a.response_id = response.id AND q.kind = 'public' LIMIT 1), '');
CREATE INDEX response_commune ON response (commune_code);

-- Responses touching each theme, per commune, public and Paris day.
CREATE TABLE theme_tally (
    theme_code TEXT NOT NULL,
    commune_code TEXT NOT NULL,
    public_code TEXT NOT NULL,
    day TEXT NOT NULL,
    responses BIGINT NOT NULL,
    PRIMARY KEY (theme_code, commune_code, public_code, day)
);

-- Indicators fed by this activity, live with no setup.
ALTER TABLE plan_indicator ADD COLUMN activity TEXT;
UPDATE plan_indicator SET activity = 'field_reports' WHERE code = 'A14.2';
UPDATE plan_indicator SET activity = 'meetings' WHERE code IN ('A14.3', 'A16.1', 'A17.1');
UPDATE plan_indicator SET activity = 'adjusted_actions' WHERE code = 'A14.4';
UPDATE plan_indicator SET activity = 'attendance' WHERE code = 'A16.2';
UPDATE plan_indicator SET activity = 'partner_attendance' WHERE code = 'A17.2';
UPDATE plan_indicator SET activity = 'integrated_contributions' WHERE code = 'A3.3';
