-- Several territories on one instance (issue 16): every root table gets territory_id, the
-- plan's natural keys (action numbers, theme, public and commune codes, indicator codes)
-- become (territory_id, key), and every reference to them a composite foreign key, so a
-- row can only point at the plan of its own territory. What the database held before
-- moves into territory 1, made from its plan_meta row.
--
-- SQLite cannot add a foreign key or change a primary key in place: those tables are
-- rebuilt (create the new table, copy, drop the old, rename), keeping every id. Dropping a
-- parent with foreign keys on would run its ON DELETE CASCADE on the children, so
-- src/storage/sqlite.rs runs the migrations on a connection with foreign keys off (the
-- pragma is a no-op inside the transaction sqlx 0.8 wraps every SQLite migration in, even
-- one marked -- no-transaction), and the check at the end of this file aborts the whole
-- migration if any reference is broken.
--
-- territory_id has no default: every insert names its territory, so one that forgets
-- fails instead of landing in territory 1.
--
-- response, answer, question_option, text_review, answer_tally, need_source,
-- need_status_change and meeting_need stay without territory_id: they always go through a
-- scoped parent (survey, question, need, meeting). response in particular is the big
-- table; the departmental count of responses goes through survey (response_survey index).

CREATE TABLE territory (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('epci', 'commune', 'departement', 'groupement', 'autre')),
    siren TEXT,
    created_at BIGINT NOT NULL
);

-- Territory 1 from the plan the database holds (none on a fresh database: the first start
-- creates it from the plan file). The CCYN keeps the slug of its plan file; another plan's
-- slug is its name in lower case, accents and punctuation turned into '-', or 'territoire'
-- if that still leaves something a slug may not hold.
INSERT INTO territory (slug, name, kind, siren, created_at)
SELECT CASE
        WHEN territory = 'Communauté de Communes Yonne Nord' THEN 'ccyn'
        WHEN derived GLOB '*[^a-z0-9-]*' OR length(derived) < 2 THEN 'territoire'
        ELSE derived
    END,
    territory, 'epci', NULL, loaded_at
FROM (SELECT territory, loaded_at, trim(substr(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(replace(replace(replace(lower(territory),
    ' ', '-'), '''', '-'), '’', '-'), 'é', 'e'), 'è', 'e'), 'ê', 'e'), 'ë', 'e'),
    'à', 'a'), 'â', 'a'), 'î', 'i'), 'ï', 'i'), 'ô', 'o'), 'ù', 'u'), 'û', 'u'),
    'ç', 'c'), 'É', 'e'), 'È', 'e'), 1, 32), '-') AS derived FROM plan_meta);

-- The plan, one per territory.

CREATE TABLE plan_meta_new (
    territory_id BIGINT NOT NULL PRIMARY KEY REFERENCES territory (id),
    plan_version TEXT NOT NULL,
    title TEXT NOT NULL,
    territory TEXT NOT NULL,
    partner TEXT NOT NULL,
    adopted_on TEXT NOT NULL,
    loaded_at BIGINT NOT NULL
);
INSERT INTO plan_meta_new (territory_id, plan_version, title, territory, partner, adopted_on, loaded_at)
SELECT 1, plan_version, title, territory, partner, adopted_on, loaded_at FROM plan_meta;
DROP TABLE plan_meta;
ALTER TABLE plan_meta_new RENAME TO plan_meta;

CREATE TABLE plan_phase_new (
    territory_id BIGINT NOT NULL REFERENCES territory (id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (territory_id, number)
);
INSERT INTO plan_phase_new (territory_id, number, title, description)
SELECT 1, number, title, description FROM plan_phase;
DROP TABLE plan_phase;
ALTER TABLE plan_phase_new RENAME TO plan_phase;

CREATE TABLE theme_new (
    territory_id BIGINT NOT NULL REFERENCES territory (id),
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (territory_id, code)
);
INSERT INTO theme_new (territory_id, code, label, position) SELECT 1, code, label, position FROM theme;
DROP TABLE theme;
ALTER TABLE theme_new RENAME TO theme;

CREATE TABLE target_public_new (
    territory_id BIGINT NOT NULL REFERENCES territory (id),
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (territory_id, code)
);
INSERT INTO target_public_new (territory_id, code, label, position)
SELECT 1, code, label, position FROM target_public;
DROP TABLE target_public;
ALTER TABLE target_public_new RENAME TO target_public;

CREATE TABLE commune_new (
    territory_id BIGINT NOT NULL REFERENCES territory (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (territory_id, code)
);
INSERT INTO commune_new (territory_id, code, name, position) SELECT 1, code, name, position FROM commune;
DROP TABLE commune;
ALTER TABLE commune_new RENAME TO commune;

CREATE TABLE plan_ambition_new (
    territory_id BIGINT NOT NULL REFERENCES territory (id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    impacts TEXT NOT NULL,
    PRIMARY KEY (territory_id, number)
);
INSERT INTO plan_ambition_new (territory_id, number, title, impacts)
SELECT 1, number, title, impacts FROM plan_ambition;
DROP TABLE plan_ambition;
ALTER TABLE plan_ambition_new RENAME TO plan_ambition;

CREATE TABLE plan_orientation_new (
    territory_id BIGINT NOT NULL REFERENCES territory (id),
    number INTEGER NOT NULL,
    ambition_number INTEGER NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (territory_id, number),
    FOREIGN KEY (territory_id, ambition_number) REFERENCES plan_ambition (territory_id, number)
);
INSERT INTO plan_orientation_new (territory_id, number, ambition_number, title)
SELECT 1, number, ambition_number, title FROM plan_orientation;
DROP TABLE plan_orientation;
ALTER TABLE plan_orientation_new RENAME TO plan_orientation;

CREATE TABLE plan_action_new (
    territory_id BIGINT NOT NULL REFERENCES territory (id),
    number INTEGER NOT NULL,
    orientation_number INTEGER NOT NULL,
    phase INTEGER NOT NULL,
    title TEXT NOT NULL,
    objective TEXT NOT NULL,
    diagnostic TEXT NOT NULL,
    finality TEXT NOT NULL,
    operational_objectives TEXT NOT NULL,
    target_publics TEXT NOT NULL,
    implementation TEXT NOT NULL,
    services TEXT NOT NULL,
    partners TEXT NOT NULL,
    expected_results TEXT NOT NULL,
    PRIMARY KEY (territory_id, number),
    FOREIGN KEY (territory_id, orientation_number) REFERENCES plan_orientation (territory_id, number),
    FOREIGN KEY (territory_id, phase) REFERENCES plan_phase (territory_id, number)
);
INSERT INTO plan_action_new (territory_id, number, orientation_number, phase, title, objective,
    diagnostic, finality, operational_objectives, target_publics, implementation, services,
    partners, expected_results)
SELECT 1, number, orientation_number, phase, title, objective, diagnostic, finality,
    operational_objectives, target_publics, implementation, services, partners, expected_results
FROM plan_action;
DROP TABLE plan_action;
ALTER TABLE plan_action_new RENAME TO plan_action;

CREATE TABLE plan_action_theme_new (
    territory_id BIGINT NOT NULL REFERENCES territory (id),
    action_number INTEGER NOT NULL,
    theme_code TEXT NOT NULL,
    PRIMARY KEY (territory_id, action_number, theme_code),
    FOREIGN KEY (territory_id, action_number) REFERENCES plan_action (territory_id, number),
    FOREIGN KEY (territory_id, theme_code) REFERENCES theme (territory_id, code)
);
INSERT INTO plan_action_theme_new (territory_id, action_number, theme_code)
SELECT 1, action_number, theme_code FROM plan_action_theme;
DROP TABLE plan_action_theme;
ALTER TABLE plan_action_theme_new RENAME TO plan_action_theme;

CREATE TABLE plan_action_public_new (
    territory_id BIGINT NOT NULL REFERENCES territory (id),
    action_number INTEGER NOT NULL,
    public_code TEXT NOT NULL,
    PRIMARY KEY (territory_id, action_number, public_code),
    FOREIGN KEY (territory_id, action_number) REFERENCES plan_action (territory_id, number),
    FOREIGN KEY (territory_id, public_code) REFERENCES target_public (territory_id, code)
);
INSERT INTO plan_action_public_new (territory_id, action_number, public_code)
SELECT 1, action_number, public_code FROM plan_action_public;
DROP TABLE plan_action_public;
ALTER TABLE plan_action_public_new RENAME TO plan_action_public;

CREATE TABLE plan_indicator_new (
    territory_id BIGINT NOT NULL REFERENCES territory (id),
    code TEXT NOT NULL,
    action_number INTEGER NOT NULL,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('count', 'rate', 'score', 'qualitative')),
    unit TEXT NOT NULL DEFAULT '',
    baseline_value DOUBLE PRECISION,
    baseline_label TEXT NOT NULL DEFAULT '',
    target_value DOUBLE PRECISION,
    periodicity TEXT NOT NULL DEFAULT 'year' CHECK (periodicity IN ('year', 'half')),
    published BOOLEAN NOT NULL DEFAULT TRUE,
    activity TEXT,
    PRIMARY KEY (territory_id, code),
    UNIQUE (territory_id, action_number, position),
    FOREIGN KEY (territory_id, action_number) REFERENCES plan_action (territory_id, number)
);
INSERT INTO plan_indicator_new (territory_id, code, action_number, position, label, kind, unit,
    baseline_value, baseline_label, target_value, periodicity, published, activity)
SELECT 1, code, action_number, position, label, kind, unit, baseline_value, baseline_label,
    target_value, periodicity, published, activity
FROM plan_indicator;
DROP TABLE plan_indicator;
ALTER TABLE plan_indicator_new RENAME TO plan_indicator;

-- Staff: a role per territory, and the two instance-wide roles (instance admin creates
-- territories and accounts; lecteur départemental reads the territories it is given).
-- staff_user.role stays until the storage reads memberships (step 4), then goes.

ALTER TABLE staff_user ADD COLUMN instance_role TEXT CHECK (instance_role IN ('admin', 'lecteur'));
UPDATE staff_user SET instance_role = 'admin' WHERE role = 'admin';

CREATE TABLE staff_membership (
    user_id BIGINT NOT NULL REFERENCES staff_user (id) ON DELETE CASCADE,
    territory_id BIGINT NOT NULL REFERENCES territory (id),
    role TEXT NOT NULL CHECK (role IN ('admin', 'agent', 'partenaire', 'lecteur')),
    PRIMARY KEY (user_id, territory_id)
);
CREATE INDEX staff_membership_territory ON staff_membership (territory_id, role);
INSERT INTO staff_membership (user_id, territory_id, role)
SELECT u.id, t.id, u.role FROM staff_user u JOIN territory t ON t.id = 1;

-- The territory chosen in the staff menu; checked against the memberships on every request.
ALTER TABLE staff_session ADD COLUMN territory_id BIGINT REFERENCES territory (id);
UPDATE staff_session SET territory_id = (SELECT id FROM territory WHERE id = 1);

-- NULL: an instance-wide event (logins, accounts); the others belonged to territory 1.
ALTER TABLE audit_event ADD COLUMN territory_id BIGINT REFERENCES territory (id);
UPDATE audit_event SET territory_id = (SELECT id FROM territory WHERE id = 1)
WHERE action NOT IN ('login', 'login_failed', 'login_locked', 'logout', 'user_created',
    'user_deactivated', 'user_reactivated', 'user_password_reset', 'user_sessions_ended',
    'password_changed', 'reauth_failed');
CREATE INDEX audit_event_territory ON audit_event (territory_id, at);

-- Surveys: the survey carries the territory; its questions and collection points repeat
-- it so their theme and commune are the territory's, and (territory_id, survey_id) keeps
-- them on a survey of the same territory. Collection point codes stay unique on the
-- instance: /q/{code} and the posters already printed keep working.

CREATE TABLE survey_new (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    intro TEXT NOT NULL,
    why TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    retention_until TEXT NOT NULL,
    next_question_number INTEGER NOT NULL DEFAULT 1,
    response_count BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    territory_id BIGINT NOT NULL REFERENCES territory (id)
);
INSERT INTO survey_new (id, title, intro, why, status, opens_on, closes_on, retention_until,
    next_question_number, response_count, created_at, updated_at, territory_id)
SELECT id, title, intro, why, status, opens_on, closes_on, retention_until, next_question_number,
    response_count, created_at, updated_at, 1
FROM survey;
DROP TABLE survey;
ALTER TABLE survey_new RENAME TO survey;
CREATE UNIQUE INDEX survey_territory ON survey (territory_id, id);
CREATE INDEX survey_territory_status ON survey (territory_id, status);

CREATE TABLE survey_action_new (
    territory_id BIGINT NOT NULL,
    survey_id BIGINT NOT NULL,
    action_number INTEGER NOT NULL,
    PRIMARY KEY (survey_id, action_number),
    FOREIGN KEY (territory_id, survey_id) REFERENCES survey (territory_id, id) ON DELETE CASCADE,
    FOREIGN KEY (territory_id, action_number) REFERENCES plan_action (territory_id, number)
);
INSERT INTO survey_action_new (territory_id, survey_id, action_number)
SELECT s.territory_id, a.survey_id, a.action_number FROM survey_action a JOIN survey s ON s.id = a.survey_id;
DROP TABLE survey_action;
ALTER TABLE survey_action_new RENAME TO survey_action;
CREATE INDEX survey_action_action ON survey_action (territory_id, action_number);

CREATE TABLE survey_theme_new (
    territory_id BIGINT NOT NULL,
    survey_id BIGINT NOT NULL,
    theme_code TEXT NOT NULL,
    PRIMARY KEY (survey_id, theme_code),
    FOREIGN KEY (territory_id, survey_id) REFERENCES survey (territory_id, id) ON DELETE CASCADE,
    FOREIGN KEY (territory_id, theme_code) REFERENCES theme (territory_id, code)
);
INSERT INTO survey_theme_new (territory_id, survey_id, theme_code)
SELECT s.territory_id, t.survey_id, t.theme_code FROM survey_theme t JOIN survey s ON s.id = t.survey_id;
DROP TABLE survey_theme;
ALTER TABLE survey_theme_new RENAME TO survey_theme;

CREATE TABLE question_new (
    id INTEGER PRIMARY KEY,
    survey_id BIGINT NOT NULL,
    code TEXT NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'scale', 'yes_no', 'number',
        'short_text', 'long_text', 'commune', 'public', 'age')),
    label TEXT NOT NULL,
    help TEXT NOT NULL DEFAULT '',
    required BOOLEAN NOT NULL,
    theme_code TEXT,
    max_choices INTEGER,
    min_value DOUBLE PRECISION,
    max_value DOUBLE PRECISION,
    scale_min_label TEXT NOT NULL DEFAULT '',
    scale_max_label TEXT NOT NULL DEFAULT '',
    condition_question_id BIGINT REFERENCES question (id),
    condition_option_code TEXT,
    next_option_number INTEGER NOT NULL DEFAULT 1,
    territory_id BIGINT NOT NULL,
    UNIQUE (survey_id, code),
    FOREIGN KEY (territory_id, survey_id) REFERENCES survey (territory_id, id) ON DELETE CASCADE,
    FOREIGN KEY (territory_id, theme_code) REFERENCES theme (territory_id, code)
);
INSERT INTO question_new (id, survey_id, code, position, kind, label, help, required, theme_code,
    max_choices, min_value, max_value, scale_min_label, scale_max_label, condition_question_id,
    condition_option_code, next_option_number, territory_id)
SELECT q.id, q.survey_id, q.code, q.position, q.kind, q.label, q.help, q.required, q.theme_code,
    q.max_choices, q.min_value, q.max_value, q.scale_min_label, q.scale_max_label,
    q.condition_question_id, q.condition_option_code, q.next_option_number, s.territory_id
FROM question q JOIN survey s ON s.id = q.survey_id;
DROP TABLE question;
ALTER TABLE question_new RENAME TO question;
CREATE INDEX question_survey ON question (survey_id, position);

CREATE TABLE collection_point_new (
    id INTEGER PRIMARY KEY,
    survey_id BIGINT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('en_ligne', 'evenement', 'lieu', 'guichet', 'kiosque', 'papier')),
    commune_code TEXT,
    starts_on TEXT,
    ends_on TEXT,
    live_screen BOOLEAN NOT NULL DEFAULT FALSE,
    response_count BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    territory_id BIGINT NOT NULL,
    FOREIGN KEY (territory_id, survey_id) REFERENCES survey (territory_id, id) ON DELETE CASCADE,
    FOREIGN KEY (territory_id, commune_code) REFERENCES commune (territory_id, code)
);
INSERT INTO collection_point_new (id, survey_id, code, label, kind, commune_code, starts_on,
    ends_on, live_screen, response_count, created_at, territory_id)
SELECT p.id, p.survey_id, p.code, p.label, p.kind, p.commune_code, p.starts_on, p.ends_on,
    p.live_screen, p.response_count, p.created_at, s.territory_id
FROM collection_point p JOIN survey s ON s.id = p.survey_id;
DROP TABLE collection_point;
ALTER TABLE collection_point_new RENAME TO collection_point;
CREATE INDEX collection_point_survey ON collection_point (survey_id);

-- Indicators: rules and values name an indicator of their territory.

CREATE TABLE indicator_rule_new (
    id INTEGER PRIMARY KEY,
    indicator_code TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('responses', 'share', 'mean', 'distribution', 'communes')),
    question_id BIGINT NOT NULL REFERENCES question (id) ON DELETE CASCADE,
    options TEXT NOT NULL DEFAULT '[]',
    created_at BIGINT NOT NULL,
    territory_id BIGINT NOT NULL,
    FOREIGN KEY (territory_id, indicator_code) REFERENCES plan_indicator (territory_id, code)
);
INSERT INTO indicator_rule_new (id, indicator_code, kind, question_id, options, created_at, territory_id)
SELECT id, indicator_code, kind, question_id, options, created_at, 1 FROM indicator_rule;
DROP TABLE indicator_rule;
ALTER TABLE indicator_rule_new RENAME TO indicator_rule;
CREATE INDEX indicator_rule_indicator ON indicator_rule (territory_id, indicator_code);

CREATE TABLE indicator_value_new (
    territory_id BIGINT NOT NULL,
    indicator_code TEXT NOT NULL,
    period TEXT NOT NULL,
    value DOUBLE PRECISION,
    text TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES staff_user (id),
    recorded_by_label TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (territory_id, indicator_code, period),
    FOREIGN KEY (territory_id, indicator_code) REFERENCES plan_indicator (territory_id, code)
);
INSERT INTO indicator_value_new (territory_id, indicator_code, period, value, text, source, note,
    recorded_by, recorded_by_label, recorded_at)
SELECT 1, indicator_code, period, value, text, source, note, recorded_by, recorded_by_label, recorded_at
FROM indicator_value;
DROP TABLE indicator_value;
ALTER TABLE indicator_value_new RENAME TO indicator_value;

-- Needs observation.

CREATE TABLE field_report_new (
    id INTEGER PRIMARY KEY,
    organisation TEXT NOT NULL CHECK (organisation IN ('france_services', 'rpe', 'ccas_mairie',
        'association', 'service_social', 'pmi', 'mission_locale', 'etablissement_scolaire', 'autre')),
    commune_code TEXT,
    observed TEXT NOT NULL,
    people_count INTEGER,
    observed_on TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES staff_user (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    territory_id BIGINT NOT NULL REFERENCES territory (id),
    UNIQUE (territory_id, id),
    FOREIGN KEY (territory_id, commune_code) REFERENCES commune (territory_id, code)
);
INSERT INTO field_report_new (id, organisation, commune_code, observed, people_count, observed_on,
    created_by, created_at, updated_at, territory_id)
SELECT id, organisation, commune_code, observed, people_count, observed_on, created_by,
    created_at, updated_at, 1
FROM field_report;
DROP TABLE field_report;
ALTER TABLE field_report_new RENAME TO field_report;
CREATE INDEX field_report_day ON field_report (territory_id, observed_on);
CREATE INDEX field_report_author ON field_report (created_by);

CREATE TABLE field_report_theme_new (
    territory_id BIGINT NOT NULL,
    report_id BIGINT NOT NULL,
    theme_code TEXT NOT NULL,
    PRIMARY KEY (report_id, theme_code),
    FOREIGN KEY (territory_id, report_id) REFERENCES field_report (territory_id, id) ON DELETE CASCADE,
    FOREIGN KEY (territory_id, theme_code) REFERENCES theme (territory_id, code)
);
INSERT INTO field_report_theme_new (territory_id, report_id, theme_code)
SELECT 1, report_id, theme_code FROM field_report_theme;
DROP TABLE field_report_theme;
ALTER TABLE field_report_theme_new RENAME TO field_report_theme;

CREATE TABLE field_report_public_new (
    territory_id BIGINT NOT NULL,
    report_id BIGINT NOT NULL,
    public_code TEXT NOT NULL,
    PRIMARY KEY (report_id, public_code),
    FOREIGN KEY (territory_id, report_id) REFERENCES field_report (territory_id, id) ON DELETE CASCADE,
    FOREIGN KEY (territory_id, public_code) REFERENCES target_public (territory_id, code)
);
INSERT INTO field_report_public_new (territory_id, report_id, public_code)
SELECT 1, report_id, public_code FROM field_report_public;
DROP TABLE field_report_public;
ALTER TABLE field_report_public_new RENAME TO field_report_public;

CREATE TABLE need_new (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    theme_code TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('signale', 'qualifie', 'pris_en_compte', 'clos')),
    created_by BIGINT REFERENCES staff_user (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    territory_id BIGINT NOT NULL REFERENCES territory (id),
    UNIQUE (territory_id, id),
    FOREIGN KEY (territory_id, theme_code) REFERENCES theme (territory_id, code)
);
INSERT INTO need_new (id, title, description, theme_code, status, created_by, created_at, updated_at, territory_id)
SELECT id, title, description, theme_code, status, created_by, created_at, updated_at, 1 FROM need;
DROP TABLE need;
ALTER TABLE need_new RENAME TO need;
CREATE INDEX need_territory_status ON need (territory_id, status);

CREATE TABLE need_commune_new (
    territory_id BIGINT NOT NULL,
    need_id BIGINT NOT NULL,
    commune_code TEXT NOT NULL,
    PRIMARY KEY (need_id, commune_code),
    FOREIGN KEY (territory_id, need_id) REFERENCES need (territory_id, id) ON DELETE CASCADE,
    FOREIGN KEY (territory_id, commune_code) REFERENCES commune (territory_id, code)
);
INSERT INTO need_commune_new (territory_id, need_id, commune_code)
SELECT 1, need_id, commune_code FROM need_commune;
DROP TABLE need_commune;
ALTER TABLE need_commune_new RENAME TO need_commune;

CREATE TABLE need_public_new (
    territory_id BIGINT NOT NULL,
    need_id BIGINT NOT NULL,
    public_code TEXT NOT NULL,
    PRIMARY KEY (need_id, public_code),
    FOREIGN KEY (territory_id, need_id) REFERENCES need (territory_id, id) ON DELETE CASCADE,
    FOREIGN KEY (territory_id, public_code) REFERENCES target_public (territory_id, code)
);
INSERT INTO need_public_new (territory_id, need_id, public_code)
SELECT 1, need_id, public_code FROM need_public;
DROP TABLE need_public;
ALTER TABLE need_public_new RENAME TO need_public;

CREATE TABLE meeting_new (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('observatoire', 'copil', 'cotech', 'groupe_travail')),
    title TEXT NOT NULL,
    theme_code TEXT,
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
    snapshot TEXT,
    snapshot_at BIGINT,
    created_by BIGINT REFERENCES staff_user (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    territory_id BIGINT NOT NULL REFERENCES territory (id),
    UNIQUE (territory_id, id),
    FOREIGN KEY (territory_id, theme_code) REFERENCES theme (territory_id, code)
);
INSERT INTO meeting_new (id, kind, title, theme_code, held_on, place, notes, invited_elus,
    present_elus, invited_professionnels, present_professionnels, invited_partenaires,
    present_partenaires, invited_habitants, present_habitants, snapshot, snapshot_at,
    created_by, created_at, updated_at, territory_id)
SELECT id, kind, title, theme_code, held_on, place, notes, invited_elus, present_elus,
    invited_professionnels, present_professionnels, invited_partenaires, present_partenaires,
    invited_habitants, present_habitants, snapshot, snapshot_at, created_by, created_at,
    updated_at, 1
FROM meeting;
DROP TABLE meeting;
ALTER TABLE meeting_new RENAME TO meeting;
CREATE INDEX meeting_day ON meeting (territory_id, held_on);

-- A decision carries the territory itself rather than reaching it through its meeting:
-- its action must be one of the territory's plan, which only a composite key can enforce.
-- need_id keeps a plain key: ON DELETE SET NULL on a composite key would null the
-- territory too (and SQLite has no column list for SET NULL).
CREATE TABLE decision_new (
    id INTEGER PRIMARY KEY,
    meeting_id BIGINT NOT NULL,
    action_number INTEGER NOT NULL,
    need_id BIGINT REFERENCES need (id) ON DELETE SET NULL,
    what TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('a_faire', 'en_cours', 'fait', 'abandonne')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    territory_id BIGINT NOT NULL,
    FOREIGN KEY (territory_id, meeting_id) REFERENCES meeting (territory_id, id) ON DELETE CASCADE,
    FOREIGN KEY (territory_id, action_number) REFERENCES plan_action (territory_id, number)
);
INSERT INTO decision_new (id, meeting_id, action_number, need_id, what, owner, due_on, status,
    created_at, updated_at, territory_id)
SELECT id, meeting_id, action_number, need_id, what, owner, due_on, status, created_at, updated_at, 1
FROM decision;
DROP TABLE decision;
ALTER TABLE decision_new RENAME TO decision;
CREATE INDEX decision_action ON decision (territory_id, action_number);

-- The needs board's counts, per territory first.

CREATE TABLE theme_tally_new (
    territory_id BIGINT NOT NULL REFERENCES territory (id),
    theme_code TEXT NOT NULL,
    commune_code TEXT NOT NULL,
    public_code TEXT NOT NULL,
    day TEXT NOT NULL,
    responses BIGINT NOT NULL,
    PRIMARY KEY (territory_id, theme_code, commune_code, public_code, day)
);
INSERT INTO theme_tally_new (territory_id, theme_code, commune_code, public_code, day, responses)
SELECT 1, theme_code, commune_code, public_code, day, responses FROM theme_tally;
DROP TABLE theme_tally;
ALTER TABLE theme_tally_new RENAME TO theme_tally;
CREATE INDEX theme_tally_day ON theme_tally (territory_id, day);

CREATE TABLE theme_tally_month_new (
    territory_id BIGINT NOT NULL REFERENCES territory (id),
    theme_code TEXT NOT NULL,
    commune_code TEXT NOT NULL,
    public_code TEXT NOT NULL,
    month TEXT NOT NULL,
    responses BIGINT NOT NULL,
    PRIMARY KEY (territory_id, theme_code, commune_code, public_code, month)
);
INSERT INTO theme_tally_month_new (territory_id, theme_code, commune_code, public_code, month, responses)
SELECT 1, theme_code, commune_code, public_code, month, responses FROM theme_tally_month;
DROP TABLE theme_tally_month;
ALTER TABLE theme_tally_month_new RENAME TO theme_tally_month;

-- Every reference must still resolve (foreign keys were off during the rebuilds): one
-- broken row fails the CHECK, which rolls the whole migration back; a key that no longer
-- matches its parent's makes foreign_key_check itself fail.
CREATE TEMP TABLE territories_foreign_key_check (broken INTEGER NOT NULL CHECK (broken = 0));
INSERT INTO territories_foreign_key_check SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE territories_foreign_key_check;
