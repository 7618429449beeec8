//! Questions of a survey: add, edit, reorder, remove; and duplicating a whole survey.

use std::collections::HashMap;

use super::audit::insert_audit;
use super::surveys::{QuestionChange, fixed_options, insert_options, numbered_options};
use super::{StorageError, TerritoryStorage, WritePool, now_unix, on_pool};
use crate::audit::{Actor, AuditAction, AuditEntry};
use crate::survey::{QuestionDraft, QuestionKind};

/// The communes and publics, for questions of those kinds, inside a transaction.
macro_rules! options_for_kind {
    ($tx:expr, $territory:expr, $kind:expr) => {{
        let kind: QuestionKind = $kind;
        let territory: i64 = $territory;
        let communes: Vec<(String, String)> = if kind == QuestionKind::Commune {
            sqlx::query_as(
                "SELECT code, name FROM commune WHERE territory_id = $1 ORDER BY position",
            )
            .bind(territory)
            .fetch_all(&mut *$tx)
            .await?
        } else {
            Vec::new()
        };
        let publics: Vec<(String, String)> = if kind == QuestionKind::Public {
            sqlx::query_as(
                "SELECT code, label FROM target_public WHERE territory_id = $1 ORDER BY position",
            )
            .bind(territory)
            .fetch_all(&mut *$tx)
            .await?
        } else {
            Vec::new()
        };
        fixed_options(kind, &communes, &publics)
    }};
}

/// The id of the question a condition names, inside a transaction.
macro_rules! condition_target {
    ($tx:expr, $survey_id:expr, $draft:expr) => {{
        match &$draft.condition {
            Some(condition) => {
                sqlx::query_scalar::<_, i64>(
                    "SELECT id FROM question WHERE survey_id = $1 AND code = $2",
                )
                .bind($survey_id)
                .bind(&condition.question_code)
                .fetch_optional(&mut *$tx)
                .await?
            }
            None => None,
        }
    }};
}

impl TerritoryStorage {
    /// Adds a question at the end of a survey. Returns its id, or `None` if the survey
    /// does not exist.
    pub async fn add_question(
        &self,
        survey_id: i64,
        draft: &QuestionDraft,
        actor: &Actor,
    ) -> Result<Option<i64>, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let next: Option<(i32, i32)> = sqlx::query_as(
                "SELECT s.next_question_number, \
                 CAST(COALESCE((SELECT MAX(q.position) FROM question q WHERE q.survey_id = s.id), 0) AS INTEGER) \
                 FROM survey s WHERE s.id = $1 AND s.territory_id = $2",
            )
            .bind(survey_id)
            .bind(self.key())
            .fetch_optional(&mut *tx)
            .await?;
            let Some((number, last_position)) = next else {
                return Ok(None);
            };
            let code = format!("Q{number}");
            let condition_id = condition_target!(tx, survey_id, draft);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO question (survey_id, code, position, kind, label, help, required, theme_code, \
                 max_choices, min_value, max_value, scale_min_label, scale_max_label, condition_question_id, \
                 condition_option_code, territory_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
            )
            .bind(survey_id)
            .bind(&code)
            .bind(last_position + 1)
            .bind(draft.kind.code())
            .bind(&draft.label)
            .bind(&draft.help)
            .bind(draft.required)
            .bind(draft.theme.as_deref())
            .bind(draft.max_choices)
            .bind(draft.min_value)
            .bind(draft.max_value)
            .bind(&draft.scale_min_label)
            .bind(&draft.scale_max_label)
            .bind(condition_id)
            .bind(draft.condition.as_ref().map(|c| c.option_code.as_str()))
            .bind(self.key())
            .fetch_one(&mut *tx)
            .await?;
            let options = if draft.kind.has_custom_options() {
                numbered_options(draft, 1)
            } else {
                options_for_kind!(tx, self.key(), draft.kind)
            };
            insert_options!(tx, id, &options, 1);
            let next_option = i32::try_from(options.len()).unwrap_or(0) + 1;
            sqlx::query("UPDATE question SET next_option_number = $2 WHERE id = $1")
                .bind(id)
                .bind(next_option)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE survey SET next_question_number = next_question_number + 1, updated_at = $2 WHERE id = $1")
                .bind(survey_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let entry = AuditEntry::new(actor, AuditAction::QuestionAdded)
                .object("survey", survey_id)
                .detail(format!("{code} : {}", draft.label));
            insert_audit!(tx, &entry, now, Some(self.key()))?;
            tx.commit().await?;
            Ok(Some(id))
        })
    }

    /// Saves an edited question. Changing its kind or removing options is refused once
    /// the survey has responses; wording changes are recorded in the audit log.
    pub async fn update_question(
        &self,
        question_id: i64,
        draft: &QuestionDraft,
        actor: &Actor,
    ) -> Result<QuestionChange, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let current: Option<(i64, String, String, String, i64, i32)> = sqlx::query_as(
                "SELECT q.survey_id, q.code, q.kind, q.label, s.response_count, q.next_option_number \
                 FROM question q JOIN survey s ON s.id = q.survey_id WHERE q.id = $1 AND q.territory_id = $2",
            )
            .bind(question_id)
            .bind(self.key())
            .fetch_optional(&mut *tx)
            .await?;
            let Some((survey_id, code, kind, old_label, responses, next_option)) = current else {
                return Ok(QuestionChange::NotFound);
            };
            let kind_changes = kind != draft.kind.code();
            let removes = draft.option_edits.iter().any(|e| e.remove);
            if responses > 0 && (kind_changes || removes) {
                return Ok(QuestionChange::HasResponses);
            }
            let condition_id = condition_target!(tx, survey_id, draft);
            sqlx::query(
                "UPDATE question SET kind = $2, label = $3, help = $4, required = $5, theme_code = $6, \
                 max_choices = $7, min_value = $8, max_value = $9, scale_min_label = $10, scale_max_label = $11, \
                 condition_question_id = $12, condition_option_code = $13 WHERE id = $1",
            )
            .bind(question_id)
            .bind(draft.kind.code())
            .bind(&draft.label)
            .bind(&draft.help)
            .bind(draft.required)
            .bind(draft.theme.as_deref())
            .bind(draft.max_choices)
            .bind(draft.min_value)
            .bind(draft.max_value)
            .bind(&draft.scale_min_label)
            .bind(&draft.scale_max_label)
            .bind(condition_id)
            .bind(draft.condition.as_ref().map(|c| c.option_code.as_str()))
            .execute(&mut *tx)
            .await?;
            if kind_changes {
                // No responses yet (checked above): the options start afresh.
                sqlx::query("DELETE FROM question_option WHERE question_id = $1")
                    .bind(question_id)
                    .execute(&mut *tx)
                    .await?;
                let options = if draft.kind.has_custom_options() {
                    numbered_options(draft, next_option)
                } else {
                    options_for_kind!(tx, self.key(), draft.kind)
                };
                insert_options!(tx, question_id, &options, 1);
                sqlx::query("UPDATE question SET next_option_number = next_option_number + $2 WHERE id = $1")
                    .bind(question_id)
                    .bind(i32::try_from(options.len()).unwrap_or(0))
                    .execute(&mut *tx)
                    .await?;
            } else if draft.kind.has_custom_options() {
                for edit in &draft.option_edits {
                    if edit.remove {
                        sqlx::query("DELETE FROM question_option WHERE question_id = $1 AND code = $2")
                            .bind(question_id)
                            .bind(&edit.code)
                            .execute(&mut *tx)
                            .await?;
                    } else {
                        sqlx::query("UPDATE question_option SET label = $3 WHERE question_id = $1 AND code = $2")
                            .bind(question_id)
                            .bind(&edit.code)
                            .bind(&edit.label)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                let last: i32 = sqlx::query_scalar(
                    "SELECT CAST(COALESCE(MAX(position), 0) AS INTEGER) FROM question_option WHERE question_id = $1",
                )
                .bind(question_id)
                .fetch_one(&mut *tx)
                .await?;
                let options = numbered_options(draft, next_option);
                insert_options!(tx, question_id, &options, last + 1);
                sqlx::query("UPDATE question SET next_option_number = next_option_number + $2 WHERE id = $1")
                    .bind(question_id)
                    .bind(i32::try_from(options.len()).unwrap_or(0))
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("UPDATE survey SET updated_at = $2 WHERE id = $1")
                .bind(survey_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let detail = if old_label == draft.label {
                code
            } else {
                format!("{code} : « {old_label} » → « {} »", draft.label)
            };
            let entry = AuditEntry::new(actor, AuditAction::QuestionUpdated).object("survey", survey_id).detail(detail);
            insert_audit!(tx, &entry, now, Some(self.key()))?;
            tx.commit().await?;
            Ok(QuestionChange::Done)
        })
    }

    /// Removes a question, unless the survey has responses or later questions depend on it.
    pub async fn delete_question(
        &self,
        question_id: i64,
        actor: &Actor,
    ) -> Result<QuestionChange, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let current: Option<(i64, String, String, i32, i64)> = sqlx::query_as(
                "SELECT q.survey_id, q.code, q.label, q.position, s.response_count \
                 FROM question q JOIN survey s ON s.id = q.survey_id WHERE q.id = $1 AND q.territory_id = $2",
            )
            .bind(question_id)
            .bind(self.key())
            .fetch_optional(&mut *tx)
            .await?;
            let Some((survey_id, code, label, position, responses)) = current else {
                return Ok(QuestionChange::NotFound);
            };
            if responses > 0 {
                return Ok(QuestionChange::HasResponses);
            }
            let dependents: Vec<String> = sqlx::query_scalar(
                "SELECT code FROM question WHERE condition_question_id = $1 ORDER BY position",
            )
            .bind(question_id)
            .fetch_all(&mut *tx)
            .await?;
            if !dependents.is_empty() {
                return Ok(QuestionChange::HasDependents(dependents));
            }
            sqlx::query("DELETE FROM question WHERE id = $1").bind(question_id).execute(&mut *tx).await?;
            sqlx::query("UPDATE question SET position = position - 1 WHERE survey_id = $1 AND position > $2")
                .bind(survey_id)
                .bind(position)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE survey SET updated_at = $2 WHERE id = $1").bind(survey_id).bind(now).execute(&mut *tx).await?;
            let entry = AuditEntry::new(actor, AuditAction::QuestionDeleted)
                .object("survey", survey_id)
                .detail(format!("{code} : {label}"));
            insert_audit!(tx, &entry, now, Some(self.key()))?;
            tx.commit().await?;
            Ok(QuestionChange::Done)
        })
    }

    /// Swaps a question with the one before (`up`) or after it, unless that would put a
    /// question before the one it depends on.
    pub async fn move_question(
        &self,
        question_id: i64,
        up: bool,
        actor: &Actor,
    ) -> Result<QuestionChange, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let current: Option<(i64, String, i32, Option<i64>)> = sqlx::query_as(
                "SELECT survey_id, code, position, condition_question_id FROM question WHERE id = $1 AND territory_id = $2",
            )
            .bind(question_id)
            .bind(self.key())
            .fetch_optional(&mut *tx)
            .await?;
            let Some((survey_id, code, position, depends_on)) = current else {
                return Ok(QuestionChange::NotFound);
            };
            let target = if up { position - 1 } else { position + 1 };
            let neighbour: Option<(i64, String, Option<i64>)> = sqlx::query_as(
                "SELECT id, code, condition_question_id FROM question WHERE survey_id = $1 AND position = $2",
            )
            .bind(survey_id)
            .bind(target)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((neighbour_id, neighbour_code, neighbour_depends_on)) = neighbour else {
                return Ok(QuestionChange::Done);
            };
            if up && depends_on == Some(neighbour_id) {
                return Ok(QuestionChange::BreaksCondition(format!(
                    "{code} dépend de la réponse à {neighbour_code} : elle doit rester après."
                )));
            }
            if !up && neighbour_depends_on == Some(question_id) {
                return Ok(QuestionChange::BreaksCondition(format!(
                    "{neighbour_code} dépend de la réponse à {code} : {code} doit rester avant."
                )));
            }
            for (id, new_position) in [(question_id, target), (neighbour_id, position)] {
                sqlx::query("UPDATE question SET position = $2 WHERE id = $1")
                    .bind(id)
                    .bind(new_position)
                    .execute(&mut *tx)
                    .await?;
            }
            let entry = AuditEntry::new(actor, AuditAction::QuestionMoved)
                .object("survey", survey_id)
                .detail(format!("{code} {}", if up { "monte" } else { "descend" }));
            insert_audit!(tx, &entry, now, Some(self.key()))?;
            tx.commit().await?;
            Ok(QuestionChange::Done)
        })
    }

    /// Copies a survey as a new draft: its details, questions and options (same codes),
    /// without its collection points (it gets its own online point) or responses.
    pub async fn duplicate_survey(
        &self,
        id: i64,
        actor: &Actor,
    ) -> Result<Option<i64>, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let copy: Option<i64> = sqlx::query_scalar(
                "INSERT INTO survey (title, intro, why, status, opens_on, closes_on, retention_until, \
                 next_question_number, created_at, updated_at, territory_id) \
                 SELECT 'Copie de ' || title, intro, why, 'draft', opens_on, closes_on, retention_until, \
                 next_question_number, $2, $2, territory_id FROM survey WHERE id = $1 AND territory_id = $3 RETURNING id",
            )
            .bind(id)
            .bind(now)
            .bind(self.key())
            .fetch_optional(&mut *tx)
            .await?;
            let Some(copy) = copy else {
                return Ok(None);
            };
            sqlx::query("INSERT INTO survey_action (territory_id, survey_id, action_number) SELECT territory_id, $2, action_number FROM survey_action WHERE survey_id = $1")
                .bind(id).bind(copy).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO survey_theme (territory_id, survey_id, theme_code) SELECT territory_id, $2, theme_code FROM survey_theme WHERE survey_id = $1")
                .bind(id).bind(copy).execute(&mut *tx).await?;
            let questions: Vec<(i64, Option<i64>)> = sqlx::query_as(
                "SELECT id, condition_question_id FROM question WHERE survey_id = $1 ORDER BY position",
            )
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            let mut copies: HashMap<i64, i64> = HashMap::new();
            for (question_id, depends_on) in questions {
                let new_id: i64 = sqlx::query_scalar(
                    "INSERT INTO question (survey_id, code, position, kind, label, help, required, theme_code, \
                     max_choices, min_value, max_value, scale_min_label, scale_max_label, condition_question_id, \
                     condition_option_code, next_option_number, territory_id) \
                     SELECT $2, code, position, kind, label, help, required, theme_code, max_choices, min_value, \
                     max_value, scale_min_label, scale_max_label, $3, condition_option_code, next_option_number, \
                     territory_id FROM question WHERE id = $1 RETURNING id",
                )
                .bind(question_id)
                .bind(copy)
                .bind(depends_on.and_then(|d| copies.get(&d).copied()))
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO question_option (question_id, code, position, label) \
                     SELECT $2, code, position, label FROM question_option WHERE question_id = $1",
                )
                .bind(question_id)
                .bind(new_id)
                .execute(&mut *tx)
                .await?;
                copies.insert(question_id, new_id);
            }
            super::points::insert_online_point!(tx, self.key(), copy, now);
            let entry = AuditEntry::new(actor, AuditAction::SurveyDuplicated)
                .object("survey", copy)
                .detail(format!("copie de l'enquête {id}"));
            insert_audit!(tx, &entry, now, Some(self.key()))?;
            tx.commit().await?;
            Ok(Some(copy))
        })
    }
}
