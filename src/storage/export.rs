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

type Row = (i64, String, String, i64, String);

/// One answer as kept in `response.answers_json`: `[question_id, option_id, text, number]`.
type PackedAnswer = (i64, Option<i64>, Option<String>, Option<f64>);
type PackedAnswerRef<'a> = (i64, Option<i64>, Option<&'a str>, Option<f64>);

/// A response's answers as `response.answers_json` holds them (see migration 0006).
pub(super) fn pack_answers(answers: &[Answer]) -> String {
    let packed: Vec<PackedAnswerRef<'_>> = answers
        .iter()
        .map(|a| (a.question_id, a.option_id, a.text.as_deref(), a.number))
        .collect();
    serde_json::to_string(&packed).unwrap_or_else(|_| "[]".to_owned())
}

fn unpack_answers(json: &str) -> Result<Vec<Answer>, StorageError> {
    let packed: Vec<PackedAnswer> = serde_json::from_str(json)
        .map_err(|e| StorageError::Corrupt(format!("response.answers_json: {e}")))?;
    Ok(packed
        .into_iter()
        .map(|(question_id, option_id, text, number)| Answer {
            question_id,
            option_id,
            text,
            number,
        })
        .collect())
}

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
            // One row per response: the answers come packed on it, so a million responses
            // are a million rows, however many questions they answer.
            let mut rows = sqlx::query_as::<_, Row>(
                "SELECT r.id, p.code, r.channel, r.submitted_hour, r.answers_json \
                 FROM response r JOIN collection_point p ON p.id = r.point_id \
                 WHERE r.survey_id = $1 AND ($2 IS NULL OR r.point_id = $2) \
                   AND ($3 IS NULL OR r.submitted_hour >= $3) AND ($4 IS NULL OR r.submitted_hour < $4) \
                 ORDER BY r.id",
            )
            .bind(survey_id)
            .bind(filter.point_id)
            .bind(from)
            .bind(to)
            .fetch(pool);
            while let Some((id, point_code, channel, submitted_hour, answers)) = rows.try_next().await? {
                let record = ResponseRecord {
                    id,
                    point_code,
                    channel,
                    submitted_hour,
                    answers: unpack_answers(&answers)?,
                };
                if out.send(record).await.is_err() {
                    return Ok(sent);
                }
                sent += 1;
            }
        });
        Ok(sent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_answers_come_back_as_stored() {
        let answers = vec![
            Answer {
                question_id: 3,
                option_id: Some(12),
                text: None,
                number: None,
            },
            Answer {
                question_id: 4,
                option_id: None,
                text: Some("« Oui », \"non\"\n; =1+1".to_owned()),
                number: None,
            },
            Answer {
                question_id: 5,
                option_id: None,
                text: None,
                number: Some(2.5),
            },
            Answer {
                question_id: 6,
                option_id: None,
                text: None,
                number: Some(-1e-7),
            },
        ];
        let packed = pack_answers(&answers);
        assert_eq!(unpack_answers(&packed).expect("valid"), answers);
        assert_eq!(pack_answers(&[]), "[]");
        assert!(unpack_answers("[[1,").is_err());
    }

    #[test]
    fn reads_what_the_migration_backfill_writes() {
        // SQLite's json_array and PostgreSQL's json_build_array, spaces and all.
        let sqlite = r#"[[1,2,null,null],[3,null,"texte",null],[4,null,null,4.0]]"#;
        let postgres = r#"[[1, 2, null, null], [3, null, "texte", null], [4, null, null, 4]]"#;
        for json in [sqlite, postgres] {
            let answers = unpack_answers(json).expect("valid");
            assert_eq!(answers.len(), 3);
            assert_eq!(answers[1].text.as_deref(), Some("texte"));
            assert_eq!(answers[2].number, Some(4.0));
        }
    }
}
