//! Reading responses one by one for the exports, through a database cursor.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{Pool, Storage, StorageError, on_pool};
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

/// Responses per page: one query, one row and one message per page rather than per
/// response. Row by row, the threads of the driver and of the export woke each other for
/// every response, which took a quarter of the export's time.
const PAGE: i64 = 500;

/// The responses after `$2`, as one JSON array of `[id, point, channel, hour, answers]`,
/// and the last id. The filters are those of [`ExportFilter`].
const PAGE_FILTER: &str = "FROM response r JOIN collection_point p ON p.id = r.point_id \
     WHERE r.survey_id = $1 AND r.id > $2 AND ($3 IS NULL OR r.point_id = $3) \
       AND ($4 IS NULL OR r.submitted_hour >= $4) AND ($5 IS NULL OR r.submitted_hour < $5) \
     ORDER BY r.id LIMIT $6";

/// A page as the database sends it: one `[id, point, channel, hour, answers]` per response.
type PageRow = (i64, String, String, i64, Vec<PackedAnswer>);

/// The page's responses, each point named from `names` (point code to name).
fn unpack_page(
    json: &str,
    names: &HashMap<String, String>,
) -> Result<Vec<ResponseRecord>, StorageError> {
    let rows: Vec<PageRow> = serde_json::from_str(json)
        .map_err(|e| StorageError::Corrupt(format!("exported page: {e}")))?;
    let mut records: Vec<ResponseRecord> = rows
        .into_iter()
        .map(
            |(id, point_code, channel, submitted_hour, answers)| ResponseRecord {
                id,
                point_name: names.get(&point_code).cloned().unwrap_or_default(),
                point_code,
                channel,
                submitted_hour,
                answers: answers
                    .into_iter()
                    .map(|(question_id, option_id, text, number)| Answer {
                        question_id,
                        option_id,
                        text,
                        number,
                    })
                    .collect(),
            },
        )
        .collect();
    // SQLite aggregates in the order its subquery gives, without promising it.
    if !records.is_sorted_by_key(|r| r.id) {
        records.sort_by_key(|r| r.id);
    }
    Ok(records)
}

impl Storage {
    /// Sends a survey's responses, in id order and in pages, to `out` as they are read:
    /// never all in memory. Stops early, without error, when the receiver goes away (the
    /// download was cancelled). Returns how many responses were sent.
    /// Reached through [`TerritoryStorage::stream_responses`](super::TerritoryStorage::stream_responses), which checks the territory.
    pub(crate) async fn stream_responses(
        &self,
        survey_id: i64,
        filter: &ExportFilter,
        out: mpsc::Sender<Vec<ResponseRecord>>,
    ) -> Result<u64, StorageError> {
        let from = filter.from.map(paris::start_of_day);
        let to = filter
            .to
            .and_then(|d| d.next_day())
            .map(paris::start_of_day);
        // The page is put together as text: `answers_json` already is JSON, and having the
        // database parse and print it again took more time than the rest of the query.
        let sql = match &self.pool {
            Pool::Sqlite(_) => format!(
                "SELECT '[' || group_concat('[' || id || ',' || json_quote(code) || ',' || json_quote(channel) \
                 || ',' || submitted_hour || ',' || answers_json || ']', ',') || ']', MAX(id) \
                 FROM (SELECT r.id, p.code, r.channel, r.submitted_hour, r.answers_json {PAGE_FILTER})"
            ),
            Pool::Postgres(_) => format!(
                "SELECT '[' || string_agg('[' || id || ',' || to_json(code)::text || ',' || to_json(channel)::text \
                 || ',' || submitted_hour || ',' || answers_json || ']', ',' ORDER BY id) || ']', MAX(id) \
                 FROM (SELECT r.id, p.code, r.channel, r.submitted_hour, r.answers_json {PAGE_FILTER}) page"
            ),
        };
        // Names come from the survey's few points, not from every row of the page.
        let names: Arc<HashMap<String, String>> = Arc::new(
            self.survey_points(survey_id)
                .await?
                .into_iter()
                .map(|p| (p.code.to_string(), p.label))
                .collect(),
        );
        let mut sent = 0;
        let mut after = 0_i64;
        // Page n is unpacked on another worker while the database reads page n + 1.
        let mut unpacking: Option<JoinHandle<Result<Vec<ResponseRecord>, StorageError>>> = None;
        loop {
            let (page, last): (Option<String>, Option<i64>) = on_pool!(self, pool => {
                sqlx::query_as(&sql)
                    .bind(survey_id)
                    .bind(after)
                    .bind(filter.point_id)
                    .bind(from)
                    .bind(to)
                    .bind(PAGE)
                    .fetch_one(pool)
                    .await?
            });
            let next = match (page, last) {
                (Some(page), Some(last)) => {
                    after = last;
                    let names = Arc::clone(&names);
                    Some(tokio::spawn(async move { unpack_page(&page, &names) }))
                }
                _ => None,
            };
            if let Some(previous) = unpacking.take() {
                let records = previous.await.map_err(StorageError::Task)??;
                let count = records.len() as u64;
                if out.send(records).await.is_err() {
                    return Ok(sent);
                }
                sent += count;
            }
            match next {
                Some(next) => unpacking = Some(next),
                None => break,
            }
        }
        Ok(sent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_of(id: i64, packed: &str) -> String {
        format!(r#"[[{id}, "KIOSQUE-1", "web", 3600, {packed}]]"#)
    }

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
        let names = HashMap::from([("KIOSQUE-1".to_owned(), "Tablette".to_owned())]);
        let records = unpack_page(&page_of(7, &pack_answers(&answers)), &names).expect("valid");
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].id, 7);
        assert_eq!(records[0].point_code, "KIOSQUE-1");
        assert_eq!(records[0].point_name, "Tablette");
        assert_eq!(records[0].submitted_hour, 3600);
        assert_eq!(records[0].answers, answers);
        assert_eq!(pack_answers(&[]), "[]");
        assert!(unpack_page("[[1,", &names).is_err());
    }

    #[test]
    fn reads_pages_as_both_databases_write_them() {
        // SQLite's json_array and PostgreSQL's json_build_array, spaces and all.
        let sqlite = r#"[[9,"A","web",0,[[1,2,null,null],[3,null,"texte",null],[4,null,null,4.0]]],[8,"A","papier",0,[]]]"#;
        let postgres = r#"[[8, "A", "papier", 0, []], [9, "A", "web", 0, [[1, 2, null, null], [3, null, "texte", null], [4, null, null, 4]]]]"#;
        for json in [sqlite, postgres] {
            let records = unpack_page(json, &HashMap::new()).expect("valid");
            assert_eq!(
                records.iter().map(|r| r.id).collect::<Vec<_>>(),
                [8, 9],
                "in id order"
            );
            let answers = &records[1].answers;
            assert_eq!(answers.len(), 3);
            assert_eq!(answers[1].text.as_deref(), Some("texte"));
            assert_eq!(answers[2].number, Some(4.0));
        }
    }
}
