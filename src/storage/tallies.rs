//! Running tallies kept beside the answers so results and the needs board never scan
//! every answer: per (question, option, day) in `answer_tally`, per (theme, commune,
//! public, day) in `theme_tally`. Written in the same transaction as the responses.

use std::collections::{BTreeMap, HashMap};

use futures_util::TryStreamExt;

use super::{Storage, StorageError, WritePool, on_pool};
use crate::domain::paris;
use crate::survey::{Answer, ResponseFacets};

/// Per-day answer counts added by some responses: key (question, option or 0, day).
/// Sorted, so that concurrent transactions (several instances on one PostgreSQL) lock
/// the rows they upsert in the same order and never deadlock.
pub(super) type TallyRows = BTreeMap<(i64, i64, String), (i64, f64)>;

/// Adds one response's answers to `rows`: each question answered counts once under
/// option 0 (with the number typed, if any), and each option chosen once.
pub(super) fn add_tallies(rows: &mut TallyRows, answers: &[Answer], hour: i64) {
    let day = paris::local(hour).date().to_string();
    let mut answered: HashMap<i64, f64> = HashMap::new();
    for answer in answers {
        *answered.entry(answer.question_id).or_default() += answer.number.unwrap_or(0.0);
        if let Some(option) = answer.option_id {
            let entry = rows
                .entry((answer.question_id, option, day.clone()))
                .or_default();
            entry.0 += 1;
        }
    }
    for (question, sum) in answered {
        let entry = rows.entry((question, 0, day.clone())).or_default();
        entry.0 += 1;
        entry.1 += sum;
    }
}

/// Rows per multi-row upsert: five parameters each, well under both backends' limits.
pub(super) const UPSERT_CHUNK: usize = 1_000;

/// Writes tallies inside the caller's transaction, a thousand rows per statement.
macro_rules! upsert_tallies {
    ($tx:expr, $rows:expr) => {{
        let rows: &TallyRows = $rows;
        let rows: Vec<_> = rows.iter().collect();
        for chunk in rows.chunks($crate::storage::tallies::UPSERT_CHUNK) {
            let mut upsert = sqlx::QueryBuilder::new(
                "INSERT INTO answer_tally (question_id, option_id, day, responses, value_sum) ",
            );
            upsert.push_values(
                chunk,
                |mut row, ((question, option, day), (responses, sum))| {
                    row.push_bind(*question)
                        .push_bind(*option)
                        .push_bind(day.as_str())
                        .push_bind(*responses)
                        .push_bind(*sum);
                },
            );
            upsert.push(
                " ON CONFLICT (question_id, option_id, day) DO UPDATE SET \
                 responses = answer_tally.responses + excluded.responses, \
                 value_sum = answer_tally.value_sum + excluded.value_sum",
            );
            upsert.build().execute(&mut *$tx).await?;
        }
    }};
}

/// Responses touching a theme, per (territory, theme, commune, public, day): the
/// territory of the response's survey.
pub(super) type ThemeRows = BTreeMap<(i64, String, String, String, String), i64>;

pub(super) fn add_theme_tallies(
    rows: &mut ThemeRows,
    territory: i64,
    facets: &ResponseFacets,
    hour: i64,
) {
    let day = paris::local(hour).date().to_string();
    for theme in &facets.themes {
        *rows
            .entry((
                territory,
                theme.clone(),
                facets.commune.clone(),
                facets.public.clone(),
                day.clone(),
            ))
            .or_default() += 1;
    }
}

macro_rules! upsert_theme_tallies {
    ($tx:expr, $rows:expr) => {{
        let rows: &ThemeRows = $rows;
        let rows: Vec<_> = rows.iter().collect();
        for chunk in rows.chunks($crate::storage::tallies::UPSERT_CHUNK) {
            let mut upsert = sqlx::QueryBuilder::new(
                "INSERT INTO theme_tally (territory_id, theme_code, commune_code, public_code, day, responses) ",
            );
            upsert.push_values(
                chunk,
                |mut row, ((territory, theme, commune, public, day), responses)| {
                    row.push_bind(*territory)
                        .push_bind(theme.as_str())
                        .push_bind(commune.as_str())
                        .push_bind(public.as_str())
                        .push_bind(day.as_str())
                        .push_bind(*responses);
                },
            );
            upsert.push(
                " ON CONFLICT (territory_id, theme_code, commune_code, public_code, day) DO UPDATE SET \
                 responses = theme_tally.responses + excluded.responses",
            );
            upsert.build().execute(&mut *$tx).await?;
        }
        // The same counts per month, so a year's board reads a few thousand rows.
        let months = $crate::storage::tallies::by_month(rows.iter().copied());
        let months: Vec<_> = months.iter().collect();
        for chunk in months.chunks($crate::storage::tallies::UPSERT_CHUNK) {
            let mut upsert = sqlx::QueryBuilder::new(
                "INSERT INTO theme_tally_month (territory_id, theme_code, commune_code, public_code, month, responses) ",
            );
            upsert.push_values(
                chunk,
                |mut row, ((territory, theme, commune, public, month), responses)| {
                    row.push_bind(*territory)
                        .push_bind(*theme)
                        .push_bind(*commune)
                        .push_bind(*public)
                        .push_bind(*month)
                        .push_bind(*responses);
                },
            );
            upsert.push(
                " ON CONFLICT (territory_id, theme_code, commune_code, public_code, month) DO UPDATE SET \
                 responses = theme_tally_month.responses + excluded.responses",
            );
            upsert.build().execute(&mut *$tx).await?;
        }
    }};
}

/// Day tallies summed per month (`YYYY-MM`, the first 7 characters of the day).
pub(super) fn by_month<'a>(
    days: impl Iterator<Item = (&'a (i64, String, String, String, String), &'a i64)>,
) -> BTreeMap<(i64, &'a str, &'a str, &'a str, &'a str), i64> {
    let mut months = BTreeMap::new();
    for ((territory, theme, commune, public, day), responses) in days {
        let month = day.get(..7).unwrap_or(day);
        *months
            .entry((
                *territory,
                theme.as_str(),
                commune.as_str(),
                public.as_str(),
                month,
            ))
            .or_default() += *responses;
    }
    months
}
pub(super) use upsert_tallies;
pub(super) use upsert_theme_tallies;

impl Storage {
    /// Rebuilds the theme tallies from the answers when they are missing (a database
    /// that had responses before the needs board existed).
    pub async fn rebuild_theme_tallies_if_missing(&self) -> Result<bool, StorageError> {
        let (tallies, themed): (i64, i64) = on_pool!(self, pool => sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM theme_tally), (SELECT COUNT(*) FROM question WHERE theme_code IS NOT NULL \
             AND survey_id IN (SELECT survey_id FROM response))",
        )
        .fetch_one(pool)
        .await)?;
        if tallies > 0 || themed == 0 {
            return Ok(false);
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let shares: Vec<(i64, String, String, String, i64, i64)> = sqlx::query_as(
                "SELECT q.territory_id, q.theme_code, r.commune_code, r.public_code, r.submitted_hour, COUNT(DISTINCT r.id) \
                 FROM response r JOIN answer a ON a.response_id = r.id JOIN question q ON q.id = a.question_id \
                 WHERE q.theme_code IS NOT NULL \
                 GROUP BY q.territory_id, q.theme_code, r.commune_code, r.public_code, r.submitted_hour",
            )
            .fetch_all(&mut *tx)
            .await?;
            let mut themes = ThemeRows::new();
            for (territory, theme, commune, public, hour, count) in shares {
                let day = paris::local(hour).date().to_string();
                *themes.entry((territory, theme, commune, public, day)).or_default() += count;
            }
            upsert_theme_tallies!(tx, &themes);
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Rebuilds every tally from the answers, when the tallies are missing (a database
    /// that had responses before tallies existed). Returns whether it rebuilt anything.
    pub async fn rebuild_tallies_if_missing(&self) -> Result<bool, StorageError> {
        let (tallies, responses): (i64, i64) = on_pool!(self, pool => sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM answer_tally), (SELECT COUNT(*) FROM response)",
        )
        .fetch_one(pool)
        .await)?;
        if tallies > 0 || responses == 0 {
            return Ok(false);
        }
        let mut tallies = TallyRows::new();
        let mut current: Option<(i64, i64)> = None;
        let mut answers: Vec<Answer> = Vec::new();
        // Streamed: the answers are never all in memory, only the tallies.
        let mut add = |(response, question_id, option_id, number, hour): (
            i64,
            i64,
            Option<i64>,
            Option<f64>,
            i64,
        )| {
            if current.is_some_and(|(id, _)| id != response) {
                if let Some((_, at)) = current {
                    add_tallies(&mut tallies, &answers, at);
                }
                answers.clear();
            }
            current = Some((response, hour));
            answers.push(Answer {
                question_id,
                option_id,
                text: None,
                number,
            });
        };
        on_pool!(self, pool => {
            let mut rows = sqlx::query_as::<_, (i64, i64, Option<i64>, Option<f64>, i64)>(
                "SELECT a.response_id, a.question_id, a.option_id, a.value_number, r.submitted_hour \
                 FROM answer a JOIN response r ON r.id = a.response_id ORDER BY a.response_id",
            )
            .fetch(pool);
            while let Some(row) = rows.try_next().await? {
                add(row);
            }
        });
        if let Some((_, at)) = current {
            add_tallies(&mut tallies, &answers, at);
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            upsert_tallies!(tx, &tallies);
            tx.commit().await?;
        });
        Ok(true)
    }
}
