//! Reading responses one by one for the exports, through a database cursor.

use futures_util::TryStreamExt;
use tokio::sync::mpsc;

use super::{Storage, StorageError, on_pool};
use crate::domain::paris;
use crate::export::ResponseRecord;
use crate::survey::Answer;

/// Which responses an export holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportFilter {
    pub point_id: Option<i64>,
    /// Paris days, inclusive.
    pub from: Option<time::Date>,
    pub to: Option<time::Date>,
}

type Row = (
    i64,
    String,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<f64>,
);

impl Storage {
    /// Sends a survey's responses, in id order, to `out` as they are read: never all in
    /// memory. Stops early, without error, when the receiver goes away (the download was
    /// cancelled). Returns how many responses were sent.
    pub async fn stream_responses(
        &self,
        survey_id: i64,
        filter: &ExportFilter,
        out: mpsc::Sender<ResponseRecord>,
    ) -> Result<u64, StorageError> {
        let from = filter.from.map(paris::start_of_day);
        let to = filter
            .to
            .and_then(|d| d.next_day())
            .map(paris::start_of_day);
        let mut sent = 0;
        on_pool!(self, pool => {
            let mut rows = sqlx::query_as::<_, Row>(
                "SELECT r.id, p.code, r.channel, r.submitted_hour, a.question_id, a.option_id, a.value_text, a.value_number \
                 FROM response r JOIN collection_point p ON p.id = r.point_id \
                 LEFT JOIN answer a ON a.response_id = r.id \
                 WHERE r.survey_id = $1 AND ($2 IS NULL OR r.point_id = $2) \
                   AND ($3 IS NULL OR r.submitted_hour >= $3) AND ($4 IS NULL OR r.submitted_hour < $4) \
                 ORDER BY r.id",
            )
            .bind(survey_id)
            .bind(filter.point_id)
            .bind(from)
            .bind(to)
            .fetch(pool);
            let mut current: Option<ResponseRecord> = None;
            while let Some((id, point, channel, hour, question, option, text, number)) = rows.try_next().await? {
                if current.as_ref().is_some_and(|r| r.id != id)
                    && let Some(record) = current.take()
                {
                    if out.send(record).await.is_err() {
                        return Ok(sent);
                    }
                    sent += 1;
                }
                let record = current.get_or_insert_with(|| ResponseRecord {
                    id,
                    point_code: point,
                    channel,
                    submitted_hour: hour,
                    answers: Vec::new(),
                });
                if let Some(question_id) = question {
                    record.answers.push(Answer { question_id, option_id: option, text, number });
                }
            }
            if let Some(record) = current.take()
                && out.send(record).await.is_ok()
            {
                sent += 1;
            }
        });
        Ok(sent)
    }
}
