-- Several territories on one instance (issue 16): every root table gets territory_id, the
-- plan's natural keys (action numbers, theme, public and commune codes, indicator codes)
-- become (territory_id, key), and every reference to them a composite foreign key, so a
-- row can only point at the plan of its own territory. What the database held before
-- moves into territory 1, made from its plan_meta row.
--
-- PostgreSQL changes the tables in place (the SQLite file rebuilds them): the foreign keys
-- on the old single keys go first, then each table gets its column and new keys, then the
-- composite foreign keys are added, checked against every existing row. One transaction.
--
-- territory_id has no default: every insert names its territory, so one that forgets
-- fails instead of landing in territory 1. (Each column is added with DEFAULT 1 to fill
-- the existing rows, and the default dropped at once.)
--
-- response, answer, question_option, text_review, answer_tally, need_source,
-- need_status_change and meeting_need stay without territory_id: they always go through a
-- scoped parent (survey, question, need, meeting). response in particular is the big
-- table; the departmental count of responses goes through survey (response_survey index).

CREATE TABLE territory (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('epci', 'commune', 'departement', 'groupement', 'autre')),
    siren TEXT,
    created_at BIGINT NOT NULL
);

-- Territory 1 from the plan the database holds (none on a fresh database: the first start
-- creates it from the plan file). The CCYN keeps the slug of its plan file; another plan's
-- slug is its name in lower case, accents and punctuation turned into '-', or 'territoire'
-- if that still leaves something a slug may not hold (the same rule as in SQLite, so both
-- backends give the same slug). The first row of a new identity column is 1.
INSERT INTO territory (slug, name, kind, siren, created_at)
SELECT CASE
        WHEN territory = 'Communauté de Communes Yonne Nord' THEN 'ccyn'
        WHEN derived ~ '[^a-z0-9-]' OR length(derived) < 2 THEN 'territoire'
        ELSE derived
    END,
    territory, 'epci', NULL, loaded_at
FROM (SELECT territory, loaded_at, btrim(substr(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(replace(replace(replace(lower(territory),
    ' ', '-'), '''', '-'), '’', '-'), 'é', 'e'), 'è', 'e'), 'ê', 'e'), 'ë', 'e'),
    'à', 'a'), 'â', 'a'), 'î', 'i'), 'ï', 'i'), 'ô', 'o'), 'ù', 'u'), 'û', 'u'),
    'ç', 'c'), 'É', 'e'), 'È', 'e'), 1, 32), '-') AS derived FROM plan_meta) AS meta;

-- The foreign keys on the plan's single keys, replaced below by composite ones.
ALTER TABLE plan_orientation DROP CONSTRAINT plan_orientation_ambition_number_fkey;
ALTER TABLE plan_action DROP CONSTRAINT plan_action_orientation_number_fkey;
ALTER TABLE plan_action DROP CONSTRAINT plan_action_phase_fkey;
ALTER TABLE plan_action_theme DROP CONSTRAINT plan_action_theme_action_number_fkey;
ALTER TABLE plan_action_theme DROP CONSTRAINT plan_action_theme_theme_code_fkey;
ALTER TABLE plan_action_public DROP CONSTRAINT plan_action_public_action_number_fkey;
ALTER TABLE plan_action_public DROP CONSTRAINT plan_action_public_public_code_fkey;
ALTER TABLE plan_indicator DROP CONSTRAINT plan_indicator_action_number_fkey;
ALTER TABLE survey_action DROP CONSTRAINT survey_action_action_number_fkey;
ALTER TABLE survey_action DROP CONSTRAINT survey_action_survey_id_fkey;
ALTER TABLE survey_theme DROP CONSTRAINT survey_theme_survey_id_fkey;
ALTER TABLE survey_theme DROP CONSTRAINT survey_theme_theme_code_fkey;
ALTER TABLE question DROP CONSTRAINT question_survey_id_fkey;
ALTER TABLE question DROP CONSTRAINT question_theme_code_fkey;
ALTER TABLE collection_point DROP CONSTRAINT collection_point_survey_id_fkey;
ALTER TABLE collection_point DROP CONSTRAINT collection_point_commune_code_fkey;
ALTER TABLE indicator_rule DROP CONSTRAINT indicator_rule_indicator_code_fkey;
ALTER TABLE indicator_value DROP CONSTRAINT indicator_value_indicator_code_fkey;
ALTER TABLE field_report DROP CONSTRAINT field_report_commune_code_fkey;
ALTER TABLE field_report_theme DROP CONSTRAINT field_report_theme_report_id_fkey;
ALTER TABLE field_report_theme DROP CONSTRAINT field_report_theme_theme_code_fkey;
ALTER TABLE field_report_public DROP CONSTRAINT field_report_public_report_id_fkey;
ALTER TABLE field_report_public DROP CONSTRAINT field_report_public_public_code_fkey;
ALTER TABLE need DROP CONSTRAINT need_theme_code_fkey;
ALTER TABLE need_commune DROP CONSTRAINT need_commune_need_id_fkey;
ALTER TABLE need_commune DROP CONSTRAINT need_commune_commune_code_fkey;
ALTER TABLE need_public DROP CONSTRAINT need_public_need_id_fkey;
ALTER TABLE need_public DROP CONSTRAINT need_public_public_code_fkey;
ALTER TABLE meeting DROP CONSTRAINT meeting_theme_code_fkey;
ALTER TABLE decision DROP CONSTRAINT decision_meeting_id_fkey;
ALTER TABLE decision DROP CONSTRAINT decision_action_number_fkey;

-- The plan, one per territory.

ALTER TABLE plan_meta DROP COLUMN id;
ALTER TABLE plan_meta ADD COLUMN territory_id BIGINT REFERENCES territory (id);
UPDATE plan_meta SET territory_id = 1;
ALTER TABLE plan_meta ALTER COLUMN territory_id SET NOT NULL;
ALTER TABLE plan_meta ADD PRIMARY KEY (territory_id);

ALTER TABLE plan_phase ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1 REFERENCES territory (id);
ALTER TABLE plan_phase ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE plan_phase DROP CONSTRAINT plan_phase_pkey;
ALTER TABLE plan_phase ADD PRIMARY KEY (territory_id, number);

ALTER TABLE theme ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1 REFERENCES territory (id);
ALTER TABLE theme ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE theme DROP CONSTRAINT theme_pkey;
ALTER TABLE theme ADD PRIMARY KEY (territory_id, code);

ALTER TABLE target_public ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1 REFERENCES territory (id);
ALTER TABLE target_public ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE target_public DROP CONSTRAINT target_public_pkey;
ALTER TABLE target_public ADD PRIMARY KEY (territory_id, code);

ALTER TABLE commune ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1 REFERENCES territory (id);
ALTER TABLE commune ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE commune DROP CONSTRAINT commune_pkey;
ALTER TABLE commune ADD PRIMARY KEY (territory_id, code);

ALTER TABLE plan_ambition ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1 REFERENCES territory (id);
ALTER TABLE plan_ambition ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE plan_ambition DROP CONSTRAINT plan_ambition_pkey;
ALTER TABLE plan_ambition ADD PRIMARY KEY (territory_id, number);

ALTER TABLE plan_orientation ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1 REFERENCES territory (id);
ALTER TABLE plan_orientation ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE plan_orientation DROP CONSTRAINT plan_orientation_pkey;
ALTER TABLE plan_orientation ADD PRIMARY KEY (territory_id, number);
ALTER TABLE plan_orientation ADD FOREIGN KEY (territory_id, ambition_number)
    REFERENCES plan_ambition (territory_id, number);

ALTER TABLE plan_action ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1 REFERENCES territory (id);
ALTER TABLE plan_action ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE plan_action DROP CONSTRAINT plan_action_pkey;
ALTER TABLE plan_action ADD PRIMARY KEY (territory_id, number);
ALTER TABLE plan_action ADD FOREIGN KEY (territory_id, orientation_number)
    REFERENCES plan_orientation (territory_id, number);
ALTER TABLE plan_action ADD FOREIGN KEY (territory_id, phase) REFERENCES plan_phase (territory_id, number);

ALTER TABLE plan_action_theme ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1 REFERENCES territory (id);
ALTER TABLE plan_action_theme ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE plan_action_theme DROP CONSTRAINT plan_action_theme_pkey;
ALTER TABLE plan_action_theme ADD PRIMARY KEY (territory_id, action_number, theme_code);
ALTER TABLE plan_action_theme ADD FOREIGN KEY (territory_id, action_number)
    REFERENCES plan_action (territory_id, number);
ALTER TABLE plan_action_theme ADD FOREIGN KEY (territory_id, theme_code) REFERENCES theme (territory_id, code);

ALTER TABLE plan_action_public ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1 REFERENCES territory (id);
ALTER TABLE plan_action_public ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE plan_action_public DROP CONSTRAINT plan_action_public_pkey;
ALTER TABLE plan_action_public ADD PRIMARY KEY (territory_id, action_number, public_code);
ALTER TABLE plan_action_public ADD FOREIGN KEY (territory_id, action_number)
    REFERENCES plan_action (territory_id, number);
ALTER TABLE plan_action_public ADD FOREIGN KEY (territory_id, public_code)
    REFERENCES target_public (territory_id, code);

ALTER TABLE plan_indicator ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1 REFERENCES territory (id);
ALTER TABLE plan_indicator ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE plan_indicator DROP CONSTRAINT plan_indicator_pkey;
ALTER TABLE plan_indicator DROP CONSTRAINT plan_indicator_action_number_position_key;
ALTER TABLE plan_indicator ADD PRIMARY KEY (territory_id, code);
ALTER TABLE plan_indicator ADD UNIQUE (territory_id, action_number, position);
ALTER TABLE plan_indicator ADD FOREIGN KEY (territory_id, action_number)
    REFERENCES plan_action (territory_id, number);

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

ALTER TABLE survey ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1 REFERENCES territory (id);
ALTER TABLE survey ALTER COLUMN territory_id DROP DEFAULT;
CREATE UNIQUE INDEX survey_territory ON survey (territory_id, id);
CREATE INDEX survey_territory_status ON survey (territory_id, status);

ALTER TABLE survey_action ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1;
ALTER TABLE survey_action ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE survey_action ADD FOREIGN KEY (territory_id, survey_id)
    REFERENCES survey (territory_id, id) ON DELETE CASCADE;
ALTER TABLE survey_action ADD FOREIGN KEY (territory_id, action_number)
    REFERENCES plan_action (territory_id, number);
CREATE INDEX survey_action_action ON survey_action (territory_id, action_number);

ALTER TABLE survey_theme ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1;
ALTER TABLE survey_theme ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE survey_theme ADD FOREIGN KEY (territory_id, survey_id)
    REFERENCES survey (territory_id, id) ON DELETE CASCADE;
ALTER TABLE survey_theme ADD FOREIGN KEY (territory_id, theme_code) REFERENCES theme (territory_id, code);

ALTER TABLE question ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1;
ALTER TABLE question ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE question ADD FOREIGN KEY (territory_id, survey_id)
    REFERENCES survey (territory_id, id) ON DELETE CASCADE;
ALTER TABLE question ADD FOREIGN KEY (territory_id, theme_code) REFERENCES theme (territory_id, code);

ALTER TABLE collection_point ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1;
ALTER TABLE collection_point ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE collection_point ADD FOREIGN KEY (territory_id, survey_id)
    REFERENCES survey (territory_id, id) ON DELETE CASCADE;
ALTER TABLE collection_point ADD FOREIGN KEY (territory_id, commune_code)
    REFERENCES commune (territory_id, code);

-- Indicators: rules and values name an indicator of their territory.

ALTER TABLE indicator_rule ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1;
ALTER TABLE indicator_rule ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE indicator_rule ADD FOREIGN KEY (territory_id, indicator_code)
    REFERENCES plan_indicator (territory_id, code);
DROP INDEX indicator_rule_indicator;
CREATE INDEX indicator_rule_indicator ON indicator_rule (territory_id, indicator_code);

ALTER TABLE indicator_value ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1;
ALTER TABLE indicator_value ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE indicator_value DROP CONSTRAINT indicator_value_pkey;
ALTER TABLE indicator_value ADD PRIMARY KEY (territory_id, indicator_code, period);
ALTER TABLE indicator_value ADD FOREIGN KEY (territory_id, indicator_code)
    REFERENCES plan_indicator (territory_id, code);

-- Needs observation.

ALTER TABLE field_report ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1 REFERENCES territory (id);
ALTER TABLE field_report ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE field_report ADD UNIQUE (territory_id, id);
ALTER TABLE field_report ADD FOREIGN KEY (territory_id, commune_code) REFERENCES commune (territory_id, code);
DROP INDEX field_report_day;
CREATE INDEX field_report_day ON field_report (territory_id, observed_on);

ALTER TABLE field_report_theme ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1;
ALTER TABLE field_report_theme ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE field_report_theme ADD FOREIGN KEY (territory_id, report_id)
    REFERENCES field_report (territory_id, id) ON DELETE CASCADE;
ALTER TABLE field_report_theme ADD FOREIGN KEY (territory_id, theme_code) REFERENCES theme (territory_id, code);

ALTER TABLE field_report_public ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1;
ALTER TABLE field_report_public ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE field_report_public ADD FOREIGN KEY (territory_id, report_id)
    REFERENCES field_report (territory_id, id) ON DELETE CASCADE;
ALTER TABLE field_report_public ADD FOREIGN KEY (territory_id, public_code)
    REFERENCES target_public (territory_id, code);

ALTER TABLE need ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1 REFERENCES territory (id);
ALTER TABLE need ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE need ADD UNIQUE (territory_id, id);
ALTER TABLE need ADD FOREIGN KEY (territory_id, theme_code) REFERENCES theme (territory_id, code);
CREATE INDEX need_territory_status ON need (territory_id, status);

ALTER TABLE need_commune ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1;
ALTER TABLE need_commune ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE need_commune ADD FOREIGN KEY (territory_id, need_id)
    REFERENCES need (territory_id, id) ON DELETE CASCADE;
ALTER TABLE need_commune ADD FOREIGN KEY (territory_id, commune_code) REFERENCES commune (territory_id, code);

ALTER TABLE need_public ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1;
ALTER TABLE need_public ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE need_public ADD FOREIGN KEY (territory_id, need_id)
    REFERENCES need (territory_id, id) ON DELETE CASCADE;
ALTER TABLE need_public ADD FOREIGN KEY (territory_id, public_code)
    REFERENCES target_public (territory_id, code);

ALTER TABLE meeting ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1 REFERENCES territory (id);
ALTER TABLE meeting ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE meeting ADD UNIQUE (territory_id, id);
ALTER TABLE meeting ADD FOREIGN KEY (territory_id, theme_code) REFERENCES theme (territory_id, code);
DROP INDEX meeting_day;
CREATE INDEX meeting_day ON meeting (territory_id, held_on);

-- A decision carries the territory itself rather than reaching it through its meeting:
-- its action must be one of the territory's plan, which only a composite key can enforce.
-- need_id keeps a plain key: ON DELETE SET NULL on a composite key would null the
-- territory too (and SQLite has no column list for SET NULL).
ALTER TABLE decision ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1;
ALTER TABLE decision ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE decision ADD FOREIGN KEY (territory_id, meeting_id)
    REFERENCES meeting (territory_id, id) ON DELETE CASCADE;
ALTER TABLE decision ADD FOREIGN KEY (territory_id, action_number)
    REFERENCES plan_action (territory_id, number);
DROP INDEX decision_action;
CREATE INDEX decision_action ON decision (territory_id, action_number);

-- The needs board's counts, per territory first.

ALTER TABLE theme_tally ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1 REFERENCES territory (id);
ALTER TABLE theme_tally ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE theme_tally DROP CONSTRAINT theme_tally_pkey;
ALTER TABLE theme_tally ADD PRIMARY KEY (territory_id, theme_code, commune_code, public_code, day);
DROP INDEX theme_tally_day;
CREATE INDEX theme_tally_day ON theme_tally (territory_id, day);

ALTER TABLE theme_tally_month ADD COLUMN territory_id BIGINT NOT NULL DEFAULT 1 REFERENCES territory (id);
ALTER TABLE theme_tally_month ALTER COLUMN territory_id DROP DEFAULT;
ALTER TABLE theme_tally_month DROP CONSTRAINT theme_tally_month_pkey;
ALTER TABLE theme_tally_month ADD PRIMARY KEY (territory_id, theme_code, commune_code, public_code, month);
