//! What became of what was said: answers per question over a survey's whole life (from
//! the tallies, never a scan of the answers), the needs that answers and field reports
//! fed, and the answers staff published among a need's sources.

use super::{StorageError, TerritoryStorage, on_pool};

/// One question's answers over all days: per option, and `option_id = 0` for "answered
/// at all" (with the sum of the numbers typed, for number questions).
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionTotal {
    pub question_id: i64,
    pub option_id: i64,
    pub responses: i64,
    pub value_sum: f64,
}

/// How needs tie to surveys, for the public page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeedLinks {
    /// (need, survey): the need has an answer or a question of the survey among its
    /// sources.
    pub surveys: Vec<(i64, i64)>,
    /// (need, text): answers attached to the need that staff marked publishable.
    pub quotes: Vec<(i64, String)>,
}

impl TerritoryStorage {
    /// Every question's answers, summed over all days.
    pub async fn question_totals(&self) -> Result<Vec<QuestionTotal>, StorageError> {
        let rows: Vec<(i64, i64, i64, f64)> = on_pool!(self.storage, pool => sqlx::query_as(
            "SELECT t.question_id, t.option_id, CAST(SUM(t.responses) AS BIGINT), SUM(t.value_sum) \
             FROM answer_tally t JOIN question q ON q.id = t.question_id WHERE q.territory_id = $1 \
             GROUP BY t.question_id, t.option_id",
        )
        .bind(self.key())
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(
                |(question_id, option_id, responses, value_sum)| QuestionTotal {
                    question_id,
                    option_id,
                    responses,
                    value_sum,
                },
            )
            .collect())
    }

    /// Which surveys each need came from, and the published answers among its sources.
    pub async fn need_links(&self) -> Result<NeedLinks, StorageError> {
        let (surveys, quotes) = on_pool!(self.storage, pool => {
            let surveys: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT DISTINCT s.need_id, q.survey_id FROM need_source s \
                 JOIN question q ON q.id = s.question_id WHERE q.territory_id = $1 \
                 ORDER BY s.need_id, q.survey_id",
            )
            .bind(self.key())
            .fetch_all(pool)
            .await?;
            let quotes: Vec<(i64, String)> = sqlx::query_as(
                "SELECT s.need_id, a.value_text FROM need_source s \
                 JOIN answer a ON a.response_id = s.response_id AND a.question_id = s.question_id \
                 JOIN text_review t ON t.response_id = s.response_id AND t.question_id = s.question_id \
                 JOIN need n ON n.id = s.need_id \
                 WHERE n.territory_id = $1 AND t.publishable AND a.value_text IS NOT NULL ORDER BY s.need_id, s.id",
            )
            .bind(self.key())
            .fetch_all(pool)
            .await?;
            (surveys, quotes)
        });
        Ok(NeedLinks { surveys, quotes })
    }

    /// (field report, need): which needs each report was attached to.
    pub async fn report_needs(&self) -> Result<Vec<(i64, i64)>, StorageError> {
        Ok(on_pool!(self.storage, pool => sqlx::query_as(
            "SELECT DISTINCT s.report_id, s.need_id FROM need_source s JOIN need n ON n.id = s.need_id \
             WHERE n.territory_id = $1 AND s.report_id IS NOT NULL ORDER BY s.report_id, s.need_id",
        )
        .bind(self.key())
        .fetch_all(pool)
        .await)?)
    }
}
