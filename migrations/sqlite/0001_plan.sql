-- The CTG plan: loaded once from data/ctg-2026-2030.toml, then editable by admins.
-- List-valued fields (impacts, publics as written, services...) are JSON arrays of strings.

CREATE TABLE plan_meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    plan_version TEXT NOT NULL,
    title TEXT NOT NULL,
    territory TEXT NOT NULL,
    partner TEXT NOT NULL,
    adopted_on TEXT NOT NULL,
    loaded_at BIGINT NOT NULL
);

CREATE TABLE plan_phase (
    number INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL
);

CREATE TABLE theme (
    code TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE target_public (
    code TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE commune (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE plan_ambition (
    number INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    impacts TEXT NOT NULL
);

CREATE TABLE plan_orientation (
    number INTEGER PRIMARY KEY,
    ambition_number INTEGER NOT NULL REFERENCES plan_ambition (number),
    title TEXT NOT NULL
);

CREATE TABLE plan_action (
    number INTEGER PRIMARY KEY,
    orientation_number INTEGER NOT NULL REFERENCES plan_orientation (number),
    phase INTEGER NOT NULL REFERENCES plan_phase (number),
    title TEXT NOT NULL,
    objective TEXT NOT NULL,
    diagnostic TEXT NOT NULL,
    finality TEXT NOT NULL,
    operational_objectives TEXT NOT NULL,
    target_publics TEXT NOT NULL,
    implementation TEXT NOT NULL,
    services TEXT NOT NULL,
    partners TEXT NOT NULL,
    expected_results TEXT NOT NULL
);

CREATE TABLE plan_action_theme (
    action_number INTEGER NOT NULL REFERENCES plan_action (number),
    theme_code TEXT NOT NULL REFERENCES theme (code),
    PRIMARY KEY (action_number, theme_code)
);

CREATE TABLE plan_action_public (
    action_number INTEGER NOT NULL REFERENCES plan_action (number),
    public_code TEXT NOT NULL REFERENCES target_public (code),
    PRIMARY KEY (action_number, public_code)
);

CREATE TABLE plan_indicator (
    code TEXT PRIMARY KEY,
    action_number INTEGER NOT NULL REFERENCES plan_action (number),
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('count', 'rate', 'score', 'qualitative')),
    UNIQUE (action_number, position)
);
