-- A copy of each response's answers on the response itself, as a JSON array of
-- [question_id, option_id, value_text, value_number], written in the same transaction as
-- the answer rows. Exports read one row per response instead of one per answer: a million
-- responses of 20 questions are a million rows to read, not twenty million. The answer
-- table stays the source for counting and filtering.
ALTER TABLE response ADD COLUMN answers_json TEXT NOT NULL DEFAULT '[]';
UPDATE response SET answers_json = COALESCE((
    SELECT json_agg(json_build_array(a.question_id, a.option_id, a.value_text, a.value_number))::text
    FROM answer a WHERE a.response_id = response.id
), '[]');
-- Exports read a survey's responses in id order: from this index, with no sort to wait
-- for before the first row.
CREATE INDEX response_survey_order ON response (survey_id, id);
