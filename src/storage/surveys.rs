//! Surveys and their questions, as the builder changes them.

use std::collections::HashMap;

use sqlx::FromRow;

use super::audit::insert_audit;
use super::decode::{corrupt, parse_date};
use super::links::{LinkTable, replace_links};
use super::{StorageError, TerritoryStorage, WritePool, now_unix, on_pool};
use crate::audit::{Actor, AuditAction, AuditEntry};
use crate::survey::{
    QuestionDraft, QuestionKind, Survey, SurveyDraft, SurveyStatus, SurveySummary,
};
use crate::territory::TerritoryId;

#[derive(FromRow)]
struct SurveyRow {
    id: i64,
    title: String,
    intro: String,
    why: String,
    status: String,
    opens_on: String,
    closes_on: String,
    retention_until: String,
    response_count: i64,
    created_at: i64,
    updated_at: i64,
    territory_id: i64,
}

#[derive(FromRow)]
struct LinkRow {
    survey_id: i64,
    value: String,
}

impl SurveyRow {
    fn into_survey(
        self,
        links: &mut HashMap<i64, (Vec<i32>, Vec<String>)>,
    ) -> Result<Survey, StorageError> {
        let (actions, themes) = links.remove(&self.id).unwrap_or_default();
        Ok(Survey {
            status: SurveyStatus::parse(&self.status).map_err(|_| corrupt("survey status"))?,
            opens_on: parse_date(&self.opens_on)?,
            closes_on: parse_date(&self.closes_on)?,
            retention_until: parse_date(&self.retention_until)?,
            id: self.id,
            title: self.title,
            intro: self.intro,
            why: self.why,
            actions,
            themes,
            response_count: self.response_count,
            created_at: self.created_at,
            updated_at: self.updated_at,
            territory: TerritoryId::new(self.territory_id),
        })
    }
}

const SURVEY_COLUMNS: &str = "s.id, s.title, s.intro, s.why, s.status, s.opens_on, s.closes_on, \
     s.retention_until, s.response_count, s.created_at, s.updated_at, s.territory_id";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SurveyChange {
    Done,
    NotFound,
    /// Only drafts may be deleted.
    NotADraft,
    HasResponses,
    /// A survey opens only with at least one question.
    NoQuestions,
}

/// The outcome of a change to a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionChange {
    Done,
    NotFound,
    /// Refused: the survey already has answers.
    HasResponses,
    /// Refused: later questions depend on this one (their codes).
    HasDependents(Vec<String>),
    /// Refused: the move would put a question before the one it depends on.
    BreaksCondition(String),
}

const SURVEY_ACTIONS: LinkTable = LinkTable {
    table: "survey_action",
    owner: "survey_id",
    value: "action_number",
    scoped: true,
};

const SURVEY_THEMES: LinkTable = LinkTable {
    table: "survey_theme",
    owner: "survey_id",
    value: "theme_code",
    scoped: true,
};

/// Writes a survey's actions and themes (replacing any), inside the caller's transaction.
macro_rules! write_links {
    ($tx:expr, $territory:expr, $id:expr, $draft:expr) => {{
        replace_links!($tx, SURVEY_ACTIONS, $territory, $id, &$draft.actions);
        replace_links!($tx, SURVEY_THEMES, $territory, $id, &$draft.themes);
    }};
}

/// Appends options to a question, inside the caller's transaction.
macro_rules! insert_options {
    ($tx:expr, $question_id:expr, $options:expr, $first_position:expr) => {{
        for (offset, (code, label)) in (0i32..).zip($options) {
            sqlx::query("INSERT INTO question_option (question_id, code, position, label) VALUES ($1, $2, $3, $4)")
                .bind($question_id)
                .bind(code.as_str())
                .bind($first_position + offset)
                .bind(label.as_str())
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(crate) use insert_options;

/// Loads survey actions and themes of territory `$territory`, for one survey or all,
/// grouped by survey.
macro_rules! load_links {
    ($pool:expr, $territory:expr, $only:expr) => {{
        let territory: i64 = $territory;
        let only: Option<i64> = $only;
        let actions: Vec<(i64, i32)> = sqlx::query_as(
            "SELECT survey_id, action_number FROM survey_action \
             WHERE territory_id = $2 AND ($1 IS NULL OR survey_id = $1) ORDER BY action_number",
        )
        .bind(only)
        .bind(territory)
        .fetch_all($pool)
        .await?;
        let themes: Vec<LinkRow> = sqlx::query_as(
            "SELECT st.survey_id, st.theme_code AS value FROM survey_theme st \
             JOIN theme t ON t.territory_id = st.territory_id AND t.code = st.theme_code \
             WHERE st.territory_id = $2 AND ($1 IS NULL OR st.survey_id = $1) ORDER BY t.position",
        )
        .bind(only)
        .bind(territory)
        .fetch_all($pool)
        .await?;
        let mut links: HashMap<i64, (Vec<i32>, Vec<String>)> = HashMap::new();
        for (survey_id, action) in actions {
            links.entry(survey_id).or_default().0.push(action);
        }
        for row in themes {
            links.entry(row.survey_id).or_default().1.push(row.value);
        }
        links
    }};
}

impl TerritoryStorage {
    /// Creates a draft survey with an "online" collection point for its link on the home
    /// page. Returns its id.
    pub async fn create_survey(
        &self,
        draft: &SurveyDraft,
        actor: &Actor,
    ) -> Result<i64, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO survey (title, intro, why, status, opens_on, closes_on, retention_until, created_at, updated_at, territory_id) \
                 VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $7, $8) RETURNING id",
            )
            .bind(&draft.title)
            .bind(&draft.intro)
            .bind(&draft.why)
            .bind(draft.opens_on.to_string())
            .bind(draft.closes_on.to_string())
            .bind(draft.retention_until.to_string())
            .bind(now)
            .bind(self.key())
            .fetch_one(&mut *tx)
            .await?;
            write_links!(tx, self.key(), id, draft);
            super::points::insert_online_point!(tx, self.key(), id, now);
            let entry = AuditEntry::new(actor, AuditAction::SurveyCreated).object("survey", id).detail(&draft.title);
            insert_audit!(tx, &entry, now, Some(self.key()))?;
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn update_survey(
        &self,
        id: i64,
        draft: &SurveyDraft,
        actor: &Actor,
    ) -> Result<bool, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let updated = sqlx::query(
                "UPDATE survey SET title = $2, intro = $3, why = $4, opens_on = $5, closes_on = $6, \
                 retention_until = $7, updated_at = $8 WHERE id = $1 AND territory_id = $9",
            )
            .bind(id)
            .bind(&draft.title)
            .bind(&draft.intro)
            .bind(&draft.why)
            .bind(draft.opens_on.to_string())
            .bind(draft.closes_on.to_string())
            .bind(draft.retention_until.to_string())
            .bind(now)
            .bind(self.key())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Ok(false);
            }
            write_links!(tx, self.key(), id, draft);
            let entry = AuditEntry::new(actor, AuditAction::SurveyUpdated).object("survey", id).detail(&draft.title);
            insert_audit!(tx, &entry, now, Some(self.key()))?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Every survey, newest first, with its question and collection point counts.
    pub async fn surveys(&self) -> Result<Vec<SurveySummary>, StorageError> {
        let (rows, links, counts) = on_pool!(self.storage, pool => {
            let rows: Vec<SurveyRow> = sqlx::query_as(&format!(
                "SELECT {SURVEY_COLUMNS} FROM survey s WHERE s.territory_id = $1 ORDER BY s.id DESC"
            ))
            .bind(self.key())
            .fetch_all(pool)
            .await?;
            let links = load_links!(pool, self.key(), None::<i64>);
            let counts: Vec<(i64, i64, i64)> = sqlx::query_as(
                "SELECT s.id, (SELECT COUNT(*) FROM question q WHERE q.survey_id = s.id), \
                 (SELECT COUNT(*) FROM collection_point p WHERE p.survey_id = s.id) FROM survey s \
                 WHERE s.territory_id = $1",
            )
            .bind(self.key())
            .fetch_all(pool)
            .await?;
            (rows, links, counts)
        });
        let mut links = links;
        let counts: HashMap<i64, (i64, i64)> =
            counts.into_iter().map(|(id, q, p)| (id, (q, p))).collect();
        rows.into_iter()
            .map(|row| {
                let (question_count, point_count) =
                    counts.get(&row.id).copied().unwrap_or_default();
                Ok(SurveySummary {
                    survey: row.into_survey(&mut links)?,
                    question_count,
                    point_count,
                })
            })
            .collect()
    }

    pub async fn survey(&self, id: i64) -> Result<Option<Survey>, StorageError> {
        let (row, links) = on_pool!(self.storage, pool => {
            let row: Option<SurveyRow> = sqlx::query_as(&format!(
                "SELECT {SURVEY_COLUMNS} FROM survey s WHERE s.id = $1 AND s.territory_id = $2"
            ))
            .bind(id)
            .bind(self.key())
            .fetch_optional(pool)
            .await?;
            let links = load_links!(pool, self.key(), Some(id));
            (row, links)
        });
        let mut links = links;
        row.map(|row| row.into_survey(&mut links)).transpose()
    }

    /// Opens or closes a survey (a survey opens only with questions).
    pub async fn set_survey_status(
        &self,
        id: i64,
        status: SurveyStatus,
        actor: &Actor,
    ) -> Result<SurveyChange, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let questions: Option<i64> = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM question q WHERE q.survey_id = s.id) FROM survey s \
                 WHERE s.id = $1 AND s.territory_id = $2",
            )
            .bind(id)
            .bind(self.key())
            .fetch_optional(&mut *tx)
            .await?;
            let Some(questions) = questions else {
                return Ok(SurveyChange::NotFound);
            };
            if status == SurveyStatus::Open && questions == 0 {
                return Ok(SurveyChange::NoQuestions);
            }
            sqlx::query("UPDATE survey SET status = $2, updated_at = $3 WHERE id = $1")
                .bind(id)
                .bind(status.code())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let action = if status == SurveyStatus::Open { AuditAction::SurveyOpened } else { AuditAction::SurveyClosed };
            insert_audit!(tx, &AuditEntry::new(actor, action).object("survey", id), now, Some(self.key()))?;
            tx.commit().await?;
            Ok(SurveyChange::Done)
        })
    }

    /// Deletes a draft without responses, with its questions and collection points.
    pub async fn delete_survey_draft(
        &self,
        id: i64,
        actor: &Actor,
    ) -> Result<SurveyChange, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let row: Option<(String, String, i64)> =
                sqlx::query_as("SELECT status, title, response_count FROM survey WHERE id = $1 AND territory_id = $2")
                    .bind(id)
                    .bind(self.key())
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((status, title, responses)) = row else {
                return Ok(SurveyChange::NotFound);
            };
            if status != SurveyStatus::Draft.code() {
                return Ok(SurveyChange::NotADraft);
            }
            if responses > 0 {
                return Ok(SurveyChange::HasResponses);
            }
            // Conditions point at other questions of the survey; clear them first.
            sqlx::query("UPDATE question SET condition_question_id = NULL WHERE survey_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM survey WHERE id = $1").bind(id).execute(&mut *tx).await?;
            let entry = AuditEntry::new(actor, AuditAction::SurveyDeleted).object("survey", id).detail(title);
            insert_audit!(tx, &entry, now, Some(self.key()))?;
            tx.commit().await?;
            Ok(SurveyChange::Done)
        })
    }
}

/// The options a question of a fixed-list kind gets when it is created.
pub(crate) fn fixed_options(
    kind: QuestionKind,
    communes: &[(String, String)],
    publics: &[(String, String)],
) -> Vec<(String, String)> {
    let owned = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(c, l)| ((*c).to_owned(), (*l).to_owned()))
            .collect()
    };
    match kind {
        QuestionKind::YesNo => owned(&[("oui", "Oui"), ("non", "Non")]),
        QuestionKind::Scale => (1..=5).map(|n| (n.to_string(), n.to_string())).collect(),
        QuestionKind::AgeBracket => owned(&crate::survey::AGE_BRACKETS),
        QuestionKind::Commune => {
            let mut options = communes.to_vec();
            let (code, label) = crate::survey::OUTSIDE_TERRITORY;
            options.push((code.to_owned(), label.to_owned()));
            options
        }
        QuestionKind::Public => publics.to_vec(),
        _ => Vec::new(),
    }
}

/// Labels of a question draft's new options with their fresh codes `O{n}`.
pub(crate) fn numbered_options(draft: &QuestionDraft, next: i32) -> Vec<(String, String)> {
    (next..)
        .zip(&draft.new_options)
        .map(|(n, label)| (format!("O{n}"), label.clone()))
        .collect()
}
