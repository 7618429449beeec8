//! Responses: storing them once, counting them for results, reviewing free text, and
//! deleting them when their survey's retention date has passed.

use std::collections::HashMap;

use sqlx::FromRow;

use super::audit::insert_audit;
use super::tallies::{ThemeRows, upsert_theme_tallies};
use super::{Storage, StorageError, WritePool, now_unix, on_pool};
use crate::audit::{Actor, AuditAction, AuditEntry};
use crate::domain::paris;
use crate::survey::{
    OptionCount, QuestionKind, QuestionResult, ResultsFilter, SurveyDefinition, TextAnswer,
};

/// Responses deleted (or, in a dry run, to delete) for one survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurgeReport {
    pub survey_id: i64,
    pub title: String,
    pub responses: i64,
}

/// The filtered responses of a survey, as a common table expression named `r`.
pub(super) const FILTERED: &str = "WITH r AS (SELECT id FROM response WHERE survey_id = $1 \
     AND ($2 IS NULL OR point_id = $2) \
     AND ($3 IS NULL OR submitted_hour >= $3) \
     AND ($4 IS NULL OR submitted_hour < $4) \
     AND ($5 IS NULL OR id IN (SELECT a.response_id FROM answer a \
         JOIN question_option o ON o.id = a.option_id JOIN question q ON q.id = a.question_id \
         WHERE q.survey_id = $1 AND q.kind = 'commune' AND o.code = $5)) \
     AND ($6 IS NULL OR id IN (SELECT a.response_id FROM answer a \
         JOIN question_option o ON o.id = a.option_id JOIN question q ON q.id = a.question_id \
         WHERE q.survey_id = $1 AND q.kind = 'public' AND o.code = $6))) ";

#[derive(FromRow)]
struct AnsweredRow {
    question_id: i64,
    answered: i64,
    mean: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
}

#[derive(FromRow)]
struct TextRow {
    response_id: i64,
    question_id: i64,
    text: String,
    submitted_hour: i64,
    reviewed: bool,
    publishable: bool,
}

/// Binds the six parameters of [`FILTERED`].
macro_rules! bind_filter {
    ($query:expr, $survey_id:expr, $filter:expr) => {{
        let filter: &ResultsFilter = $filter;
        $query
            .bind($survey_id)
            .bind(filter.point_id)
            .bind(filter.from.map(paris::start_of_day))
            .bind(
                filter
                    .to
                    .and_then(|d| d.next_day())
                    .map(paris::start_of_day),
            )
            .bind(filter.commune.as_deref())
            .bind(filter.public.as_deref())
    }};
}
pub(super) use bind_filter;

impl Storage {
    /// How many responses match `filter`, and each question's results among them.
    /// Reached through [`TerritoryStorage::survey_results`](super::TerritoryStorage::survey_results), which checks the territory.
    pub(crate) async fn survey_results(
        &self,
        definition: &SurveyDefinition,
        filter: &ResultsFilter,
    ) -> Result<(i64, Vec<QuestionResult>), StorageError> {
        let survey_id = definition.survey.id;
        let total_sql = format!("{FILTERED} SELECT COUNT(*) FROM r");
        let counts_sql = format!(
            "{FILTERED} SELECT a.question_id, a.option_id, COUNT(*) FROM answer a \
             WHERE a.response_id IN (SELECT id FROM r) AND a.option_id IS NOT NULL \
             GROUP BY a.question_id, a.option_id"
        );
        let answered_sql = format!(
            "{FILTERED} SELECT a.question_id, COUNT(DISTINCT a.response_id) AS answered, \
             AVG(a.value_number) AS mean, MIN(a.value_number) AS min, MAX(a.value_number) AS max \
             FROM answer a WHERE a.response_id IN (SELECT id FROM r) GROUP BY a.question_id"
        );
        let (total, counts, answered) = on_pool!(self, pool => {
            let total: i64 = bind_filter!(sqlx::query_scalar(&total_sql), survey_id, filter)
                .fetch_one(pool)
                .await?;
            let counts: Vec<(i64, i64, i64)> = bind_filter!(sqlx::query_as(&counts_sql), survey_id, filter)
                .fetch_all(pool)
                .await?;
            let answered: Vec<AnsweredRow> = bind_filter!(sqlx::query_as(&answered_sql), survey_id, filter)
                .fetch_all(pool)
                .await?;
            (total, counts, answered)
        });
        let counts: HashMap<(i64, i64), i64> =
            counts.into_iter().map(|(q, o, n)| ((q, o), n)).collect();
        let answered: HashMap<i64, AnsweredRow> = answered
            .into_iter()
            .map(|row| (row.question_id, row))
            .collect();
        let results = definition
            .questions
            .iter()
            .map(|question| {
                let row = answered.get(&question.id);
                let options: Vec<OptionCount> = question
                    .options
                    .iter()
                    .map(|option| OptionCount {
                        code: option.code.clone(),
                        label: option.label.clone(),
                        count: counts.get(&(question.id, option.id)).copied().unwrap_or(0),
                    })
                    .collect();
                let (mean, min, max) = if question.kind == QuestionKind::Scale {
                    scale_summary(&options)
                } else {
                    (
                        row.and_then(|r| r.mean),
                        row.and_then(|r| r.min),
                        row.and_then(|r| r.max),
                    )
                };
                QuestionResult {
                    question_id: question.id,
                    answered: row.map_or(0, |r| r.answered),
                    options,
                    mean,
                    min,
                    max,
                }
            })
            .collect();
        Ok((total, results))
    }

    /// Free-text answers matching `filter`, newest first (at most `limit`).
    /// Reached through [`TerritoryStorage::text_answers`](super::TerritoryStorage::text_answers), which checks the territory.
    pub(crate) async fn text_answers(
        &self,
        survey_id: i64,
        filter: &ResultsFilter,
        limit: i64,
    ) -> Result<Vec<TextAnswer>, StorageError> {
        let sql = format!(
            "{FILTERED} SELECT a.response_id, a.question_id, a.value_text AS text, resp.submitted_hour, \
             COALESCE(t.reviewed, FALSE) AS reviewed, COALESCE(t.publishable, FALSE) AS publishable \
             FROM answer a JOIN response resp ON resp.id = a.response_id \
             LEFT JOIN text_review t ON t.response_id = a.response_id AND t.question_id = a.question_id \
             WHERE a.response_id IN (SELECT id FROM r) AND a.value_text IS NOT NULL \
             ORDER BY a.response_id DESC, a.question_id LIMIT $7"
        );
        let rows: Vec<TextRow> = on_pool!(self, pool => bind_filter!(sqlx::query_as(&sql), survey_id, filter)
        .bind(limit)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|row| TextAnswer {
                response_id: row.response_id,
                question_id: row.question_id,
                text: row.text,
                submitted_hour: row.submitted_hour,
                reviewed: row.reviewed,
                publishable: row.publishable,
            })
            .collect())
    }

    /// Marks a free-text answer as read, and whether it may be published.
    /// Reached through [`TerritoryStorage::review_text`](super::TerritoryStorage::review_text), which checks the territory.
    pub(crate) async fn review_text(
        &self,
        response_id: i64,
        question_id: i64,
        reviewed: bool,
        publishable: bool,
        actor: &Actor,
    ) -> Result<bool, StorageError> {
        let now = now_unix();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let exists: Option<i64> = sqlx::query_scalar(
                "SELECT response_id FROM answer WHERE response_id = $1 AND question_id = $2 AND value_text IS NOT NULL",
            )
            .bind(response_id)
            .bind(question_id)
            .fetch_optional(&mut *tx)
            .await?;
            if exists.is_none() {
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO text_review (response_id, question_id, reviewed, publishable, reviewed_by, reviewed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (response_id, question_id) DO UPDATE SET \
                 reviewed = excluded.reviewed, publishable = excluded.publishable, \
                 reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at",
            )
            .bind(response_id)
            .bind(question_id)
            .bind(reviewed || publishable)
            .bind(publishable)
            .bind(actor.id())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let detail = if publishable { "relue, publiable" } else if reviewed { "relue" } else { "à relire" };
            let entry = AuditEntry::new(actor, AuditAction::TextReviewed)
                .object("response", response_id)
                .detail(detail);
            insert_audit!(tx, &entry, now)?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Deletes the responses of every survey whose retention date is before `today`,
    /// one transaction per survey, each recorded in the audit log. With `dry_run`, only
    /// reports what would go.
    pub async fn purge_expired(
        &self,
        today: time::Date,
        dry_run: bool,
        actor: &Actor,
    ) -> Result<Vec<PurgeReport>, StorageError> {
        let due: Vec<(i64, String, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, title, response_count FROM survey WHERE retention_until < $1 AND response_count > 0 ORDER BY id",
        )
        .bind(today.to_string())
        .fetch_all(pool)
        .await)?;
        let mut reports = Vec::new();
        for (survey_id, title, expected) in due {
            let responses = if dry_run {
                expected
            } else {
                self.purge_survey(survey_id, actor).await?
            };
            reports.push(PurgeReport {
                survey_id,
                title,
                responses,
            });
        }
        Ok(reports)
    }

    async fn purge_survey(&self, survey_id: i64, actor: &Actor) -> Result<i64, StorageError> {
        let now = now_unix();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            // The survey's share of the theme tallies goes with its responses.
            let shares: Vec<(i64, String, String, String, i64, i64)> = sqlx::query_as(
                "SELECT q.territory_id, q.theme_code, r.commune_code, r.public_code, r.submitted_hour, COUNT(DISTINCT r.id) \
                 FROM response r JOIN answer a ON a.response_id = r.id JOIN question q ON q.id = a.question_id \
                 WHERE r.survey_id = $1 AND q.theme_code IS NOT NULL \
                 GROUP BY q.territory_id, q.theme_code, r.commune_code, r.public_code, r.submitted_hour",
            )
            .bind(survey_id)
            .fetch_all(&mut *tx)
            .await?;
            let mut themes = ThemeRows::new();
            for (territory, theme, commune, public, hour, count) in shares {
                let day = paris::local(hour).date().to_string();
                *themes.entry((territory, theme, commune, public, day)).or_default() -= count;
            }
            upsert_theme_tallies!(tx, &themes);
            let deleted = sqlx::query("DELETE FROM response WHERE survey_id = $1")
                .bind(survey_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query("DELETE FROM answer_tally WHERE question_id IN (SELECT id FROM question WHERE survey_id = $1)")
                .bind(survey_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE survey SET response_count = 0 WHERE id = $1").bind(survey_id).execute(&mut *tx).await?;
            sqlx::query("UPDATE collection_point SET response_count = 0 WHERE survey_id = $1")
                .bind(survey_id)
                .execute(&mut *tx)
                .await?;
            let deleted = i64::try_from(deleted).unwrap_or(i64::MAX);
            let entry = AuditEntry::new(actor, AuditAction::ResponsesPurged)
                .object("survey", survey_id)
                .detail(format!("{} : durée de conservation échue", crate::french::plural(deleted, "réponse supprimée", "réponses supprimées")));
            insert_audit!(tx, &entry, now)?;
            tx.commit().await?;
            Ok(deleted)
        })
    }
}

/// Mean, minimum and maximum of a 1-to-5 scale from its option counts.
fn scale_summary(options: &[OptionCount]) -> (Option<f64>, Option<f64>, Option<f64>) {
    let values: Vec<(f64, i64)> = options
        .iter()
        .filter_map(|o| o.code.parse::<f64>().ok().map(|v| (v, o.count)))
        .filter(|(_, count)| *count > 0)
        .collect();
    let total: i64 = values.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return (None, None, None);
    }
    let sum: f64 = values.iter().map(|(v, n)| v * (*n as f64)).sum();
    let min = values.iter().map(|(v, _)| *v).fold(f64::INFINITY, f64::min);
    let max = values
        .iter()
        .map(|(v, _)| *v)
        .fold(f64::NEG_INFINITY, f64::max);
    (Some(sum / total as f64), Some(min), Some(max))
}
