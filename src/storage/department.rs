//! The departmental view's figures: each territory's activity and its needs by theme.
//!
//! One query per territory asked for, each naming its territory like every scoped call
//! does, rather than one grouped query over the whole instance: the caller's list is the
//! reader's scope, and nothing outside it is read.

use time::{Date, Month};

use super::decode::corrupt;
use super::{Storage, StorageError, on_pool};
use crate::department::{NeedsByTheme, TerritoryOverview, ThemeRow};
use crate::domain::paris;
use crate::needs::NeedStatus;
use crate::territory::TerritoryId;

/// `[1 January of year, 1 January of the next)`.
fn year_bounds(year: i32) -> Result<(Date, Date), StorageError> {
    let first = |y: i32| {
        Date::from_calendar_date(y, Month::January, 1).map_err(|_| corrupt("year out of range"))
    };
    Ok((first(year)?, first(year + 1)?))
}

impl Storage {
    /// Each territory's figures for the calendar `year` (Paris time), in the order given.
    pub async fn department_overview(
        &self,
        territories: &[TerritoryId],
        year: i32,
    ) -> Result<Vec<TerritoryOverview>, StorageError> {
        let (start, end) = year_bounds(year)?;
        let (from_day, to_day) = (start.to_string(), end.to_string());
        let (from_unix, to_unix) = (paris::start_of_day(start), paris::start_of_day(end));
        let today = paris::today().to_string();
        let mut overviews = Vec::with_capacity(territories.len());
        for territory in territories {
            let key = territory.get();
            let (figures, needs) = on_pool!(self, pool => {
                // Decisions are counted as the indicators count them: those of the
                // year's meetings, abandoned ones left out.
                let figures: (i64, i64, i64, i64, i64) = sqlx::query_as(
                    "SELECT \
                       (SELECT COUNT(*) FROM survey WHERE territory_id = $1 AND status = 'open' \
                          AND opens_on <= $2 AND closes_on >= $2), \
                       (SELECT COUNT(*) FROM response r JOIN survey s ON s.id = r.survey_id \
                          WHERE s.territory_id = $1 AND r.submitted_hour >= $3 AND r.submitted_hour < $4), \
                       (SELECT COUNT(*) FROM field_report WHERE territory_id = $1 \
                          AND observed_on >= $5 AND observed_on < $6), \
                       (SELECT COUNT(*) FROM meeting WHERE territory_id = $1 \
                          AND held_on >= $5 AND held_on < $6), \
                       (SELECT COUNT(*) FROM decision d JOIN meeting m ON m.id = d.meeting_id \
                          WHERE d.territory_id = $1 AND m.territory_id = $1 \
                          AND m.held_on >= $5 AND m.held_on < $6 AND d.status <> 'abandonne')",
                )
                .bind(key)
                .bind(&today)
                .bind(from_unix)
                .bind(to_unix)
                .bind(&from_day)
                .bind(&to_day)
                .fetch_one(pool)
                .await?;
                let needs: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT status, COUNT(*) FROM need WHERE territory_id = $1 GROUP BY status",
                )
                .bind(key)
                .fetch_all(pool)
                .await?;
                (figures, needs)
            });
            let mut by_status: Vec<(NeedStatus, i64)> =
                NeedStatus::ALL.iter().map(|s| (*s, 0)).collect();
            for (code, count) in needs {
                let status = NeedStatus::parse(&code).map_err(|_| corrupt("need status"))?;
                if let Some(slot) = by_status.iter_mut().find(|(s, _)| *s == status) {
                    slot.1 += count;
                }
            }
            let (open_surveys, responses, field_reports, meetings, decisions) = figures;
            overviews.push(TerritoryOverview {
                territory: *territory,
                open_surveys,
                responses,
                field_reports,
                needs: by_status,
                meetings,
                decisions,
            });
        }
        Ok(overviews)
    }

    /// Every need by theme and territory, whatever its status or date. Plans have their
    /// own themes: a row is a theme label, and a territory counts in it through the theme
    /// of its own plan that has that label. Rows follow the first plan's order, then the
    /// labels the next plans add.
    pub async fn department_needs_board(
        &self,
        territories: &[TerritoryId],
    ) -> Result<NeedsByTheme, StorageError> {
        let mut board = NeedsByTheme::default();
        for territory in territories {
            let rows: Vec<(String, i64)> = on_pool!(self, pool => sqlx::query_as(
                "SELECT t.label, COUNT(n.id) FROM theme t \
                 LEFT JOIN need n ON n.territory_id = t.territory_id AND n.theme_code = t.code \
                 WHERE t.territory_id = $1 GROUP BY t.code, t.label, t.position ORDER BY t.position, t.code",
            )
            .bind(territory.get())
            .fetch_all(pool)
            .await)?;
            for (label, count) in rows {
                let label = label.trim().to_owned();
                let index = match board.rows.iter().position(|r| r.label == label) {
                    Some(index) => index,
                    None => {
                        board.rows.push(ThemeRow {
                            label,
                            counts: Default::default(),
                        });
                        board.rows.len() - 1
                    }
                };
                if let Some(row) = board.rows.get_mut(index) {
                    *row.counts.entry(*territory).or_default() += count;
                }
            }
        }
        Ok(board)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_runs_from_one_first_of_january_to_the_next() {
        let (start, end) = year_bounds(2026).expect("a year");
        assert_eq!(
            (start.to_string(), end.to_string()),
            ("2026-01-01".to_owned(), "2027-01-01".to_owned())
        );
    }
}
