//! The review of free-text answers: pages of them by review state, how many are in each
//! state, one change to many of them at once, and the quotes a printed report carries.

use sqlx::FromRow;

use super::audit::insert_audit;
use super::responses::{FILTERED, bind_filter};
use super::{Storage, StorageError, WritePool, now_unix, on_pool};
use crate::audit::{Actor, AuditAction, AuditEntry};
use crate::domain::paris;
use crate::survey::{ResultsFilter, ReviewAction, ReviewFilter, TextAnswer, review_label};

/// The free-text answers among the filtered responses, with their review state.
const TEXTS: &str = "FROM answer a JOIN response resp ON resp.id = a.response_id \
     LEFT JOIN text_review t ON t.response_id = a.response_id AND t.question_id = a.question_id \
     WHERE a.response_id IN (SELECT id FROM r) AND a.value_text IS NOT NULL ";

/// `$7`: a [`ReviewFilter`] code; `$8`: whether only reviewed answers may be listed.
const IN_STATE: &str = "AND ($7 = 'toutes' \
     OR ($7 = 'a-relire' AND NOT COALESCE(t.reviewed, FALSE)) \
     OR ($7 = 'relues' AND COALESCE(t.reviewed, FALSE) AND NOT COALESCE(t.publishable, FALSE)) \
     OR ($7 = 'publiables' AND COALESCE(t.publishable, FALSE))) \
     AND ($8 = FALSE OR COALESCE(t.reviewed, FALSE)) ";

const COLUMNS: &str = "SELECT a.response_id, a.question_id, a.value_text AS text, resp.submitted_hour, \
     COALESCE(t.reviewed, FALSE) AS reviewed, COALESCE(t.publishable, FALSE) AS publishable ";

#[derive(FromRow)]
struct TextRow {
    response_id: i64,
    question_id: i64,
    text: String,
    submitted_hour: i64,
    reviewed: bool,
    publishable: bool,
}

impl From<TextRow> for TextAnswer {
    fn from(row: TextRow) -> Self {
        Self {
            response_id: row.response_id,
            question_id: row.question_id,
            text: row.text,
            submitted_hour: row.submitted_hour,
            reviewed: row.reviewed,
            publishable: row.publishable,
        }
    }
}

/// How many free-text answers are in each review state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReviewCounts {
    pub to_review: i64,
    pub reviewed: i64,
    pub publishable: i64,
}

impl ReviewCounts {
    pub fn of(self, filter: ReviewFilter) -> i64 {
        match filter {
            ReviewFilter::ToReview => self.to_review,
            ReviewFilter::Reviewed => self.reviewed,
            ReviewFilter::Publishable => self.publishable,
            ReviewFilter::All => self.to_review + self.reviewed + self.publishable,
        }
    }
}

/// Which free-text answers a page lists.
#[derive(Debug, Clone, Copy)]
pub struct TextQuery {
    pub state: ReviewFilter,
    /// Partenaires never read an answer nobody reviewed.
    pub reviewed_only: bool,
    pub offset: i64,
    pub limit: i64,
}

/// A reviewed answer quoted in a printed report, and how many reviewed answers its
/// question has in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub answer: TextAnswer,
    pub of_question: i64,
}

impl Storage {
    /// One page of the free-text answers matching `filter` and `query`, those to review
    /// first, then the newest; and how many match in all.
    /// Reached through [`TerritoryStorage::text_answers_page`](super::TerritoryStorage::text_answers_page), which checks the territory.
    pub(crate) async fn text_answers_page(
        &self,
        survey_id: i64,
        filter: &ResultsFilter,
        query: TextQuery,
    ) -> Result<(i64, Vec<TextAnswer>), StorageError> {
        let count_sql = format!("{FILTERED} SELECT COUNT(*) {TEXTS} {IN_STATE}");
        let page_sql = format!(
            "{FILTERED} {COLUMNS} {TEXTS} {IN_STATE} \
             ORDER BY COALESCE(t.reviewed, FALSE), a.response_id DESC, a.question_id LIMIT $9 OFFSET $10"
        );
        let (total, rows) = on_pool!(self, pool => {
            let total: i64 = bind_filter!(sqlx::query_scalar(&count_sql), survey_id, filter)
                .bind(query.state.code())
                .bind(query.reviewed_only)
                .fetch_one(pool)
                .await?;
            let rows: Vec<TextRow> = bind_filter!(sqlx::query_as(&page_sql), survey_id, filter)
                .bind(query.state.code())
                .bind(query.reviewed_only)
                .bind(query.limit)
                .bind(query.offset)
                .fetch_all(pool)
                .await?;
            (total, rows)
        });
        Ok((total, rows.into_iter().map(TextAnswer::from).collect()))
    }

    /// How many of the free-text answers matching `filter` are in each review state.
    /// Reached through [`TerritoryStorage::review_counts`](super::TerritoryStorage::review_counts), which checks the territory.
    pub(crate) async fn review_counts(
        &self,
        survey_id: i64,
        filter: &ResultsFilter,
    ) -> Result<ReviewCounts, StorageError> {
        let sql = format!(
            "{FILTERED} SELECT COALESCE(t.reviewed, FALSE) AS reviewed, COALESCE(t.publishable, FALSE) AS publishable, \
             COUNT(*) {TEXTS} GROUP BY COALESCE(t.reviewed, FALSE), COALESCE(t.publishable, FALSE)"
        );
        let rows: Vec<(bool, bool, i64)> = on_pool!(self, pool =>
            bind_filter!(sqlx::query_as(&sql), survey_id, filter).fetch_all(pool).await)?;
        let mut counts = ReviewCounts::default();
        for (reviewed, publishable, count) in rows {
            match (reviewed, publishable) {
                (_, true) => counts.publishable += count,
                (true, false) => counts.reviewed += count,
                (false, false) => counts.to_review += count,
            }
        }
        Ok(counts)
    }

    /// Applies `action` to every `(response, question)` of `items`, in one transaction,
    /// each change in the audit log. `None`, and nothing changed, when one of them is not a
    /// free-text answer to this survey; otherwise how many answers changed state.
    /// Reached through [`TerritoryStorage::review_texts`](super::TerritoryStorage::review_texts), which checks the territory.
    pub(crate) async fn review_texts(
        &self,
        survey_id: i64,
        items: &[(i64, i64)],
        action: ReviewAction,
        actor: &Actor,
    ) -> Result<Option<usize>, StorageError> {
        let now = now_unix();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mut changes = Vec::new();
            for &(response_id, question_id) in items {
                let current: Option<(bool, bool)> = sqlx::query_as(
                    "SELECT COALESCE(t.reviewed, FALSE), COALESCE(t.publishable, FALSE) FROM answer a \
                     JOIN question q ON q.id = a.question_id \
                     LEFT JOIN text_review t ON t.response_id = a.response_id AND t.question_id = a.question_id \
                     WHERE a.response_id = $1 AND a.question_id = $2 AND q.survey_id = $3 AND a.value_text IS NOT NULL",
                )
                .bind(response_id)
                .bind(question_id)
                .bind(survey_id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(current) = current else {
                    return Ok(None);
                };
                let next = action.apply(current.1);
                if next != current && !changes.iter().any(|(r, q, _)| (*r, *q) == (response_id, question_id)) {
                    changes.push((response_id, question_id, next));
                }
            }
            for &(response_id, question_id, (reviewed, publishable)) in &changes {
                sqlx::query(
                    "INSERT INTO text_review (response_id, question_id, reviewed, publishable, reviewed_by, reviewed_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (response_id, question_id) DO UPDATE SET \
                     reviewed = excluded.reviewed, publishable = excluded.publishable, \
                     reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at",
                )
                .bind(response_id)
                .bind(question_id)
                .bind(reviewed)
                .bind(publishable)
                .bind(actor.id())
                .bind(now)
                .execute(&mut *tx)
                .await?;
                let entry = AuditEntry::new(actor, AuditAction::TextReviewed)
                    .object("response", response_id)
                    .detail(review_label(reviewed, publishable).to_lowercase());
                insert_audit!(tx, &entry, now)?;
            }
            tx.commit().await?;
            Ok(Some(changes.len()))
        })
    }

    /// The reviewed free-text answers matching `filter`, at most `per_question` for each
    /// question, the publishable ones first, then the newest.
    /// Reached through [`TerritoryStorage::reviewed_quotes`](super::TerritoryStorage::reviewed_quotes), which checks the territory.
    pub(crate) async fn reviewed_quotes(
        &self,
        survey_id: i64,
        filter: &ResultsFilter,
        per_question: i64,
    ) -> Result<Vec<Quote>, StorageError> {
        let sql = format!(
            "{FILTERED} SELECT response_id, question_id, text, submitted_hour, reviewed, publishable, of_question FROM ( \
             SELECT a.response_id, a.question_id, a.value_text AS text, resp.submitted_hour, \
             t.reviewed, t.publishable, \
             ROW_NUMBER() OVER (PARTITION BY a.question_id ORDER BY t.publishable DESC, a.response_id DESC) AS place, \
             COUNT(*) OVER (PARTITION BY a.question_id) AS of_question \
             FROM answer a JOIN response resp ON resp.id = a.response_id \
             JOIN text_review t ON t.response_id = a.response_id AND t.question_id = a.question_id \
             WHERE a.response_id IN (SELECT id FROM r) AND a.value_text IS NOT NULL AND t.reviewed \
             ) ranked WHERE place <= $7 ORDER BY question_id, place"
        );
        #[derive(FromRow)]
        struct QuoteRow {
            #[sqlx(flatten)]
            text: TextRow,
            of_question: i64,
        }
        let rows: Vec<QuoteRow> = on_pool!(self, pool =>
            bind_filter!(sqlx::query_as(&sql), survey_id, filter)
                .bind(per_question)
                .fetch_all(pool)
                .await)?;
        Ok(rows
            .into_iter()
            .map(|row| Quote {
                answer: row.text.into(),
                of_question: row.of_question,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_for_every_filter() {
        let counts = ReviewCounts {
            to_review: 3,
            reviewed: 4,
            publishable: 5,
        };
        assert_eq!(counts.of(ReviewFilter::ToReview), 3);
        assert_eq!(counts.of(ReviewFilter::Publishable), 5);
        assert_eq!(counts.of(ReviewFilter::All), 12);
    }
}
