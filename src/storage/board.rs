//! The needs board: counts per commune and theme over a span of days, from the theme
//! tallies (responses), field reports and needs.

use std::collections::BTreeMap;

use time::Date;

use super::{StorageError, TerritoryStorage, on_pool};
use crate::domain::paris;
use crate::needs::{Board, Counts, UNKNOWN_COMMUNE, WHOLE_TERRITORY};

type Cells = BTreeMap<String, BTreeMap<String, Counts>>;

/// A cell's sources, for the page a board cell links to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CellSources {
    /// (id, organisation label, what was observed, day)
    pub reports: Vec<(i64, String, String, Date)>,
    /// (id, title, status label)
    pub needs: Vec<(i64, String, String)>,
    /// (survey id, question label, text, reviewed)
    pub answers: Vec<(i64, String, String, bool)>,
}

fn row_of(commune: &str) -> String {
    if commune.is_empty() {
        UNKNOWN_COMMUNE.to_owned()
    } else {
        commune.to_owned()
    }
}

/// A span of days `[start, end)` read from the tallies: whole months from the monthly
/// table, the days before the first and after the last whole month from the daily one.
/// Each pair is a half-open range of `YYYY-MM-DD` days or `YYYY-MM` months, maybe empty.
#[derive(Debug, PartialEq, Eq)]
struct TallySpans {
    head: (String, String),
    months: (String, String),
    tail: (String, String),
}

impl TallySpans {
    fn new(start: Date, end: Date) -> Self {
        let first_of = |d: Date| d.replace_day(1).unwrap_or(d);
        let month = |d: Date| format!("{:04}-{:02}", d.year(), u8::from(d.month()));
        let first_whole = if start.day() == 1 {
            start
        } else {
            let next = first_of(start).month().next();
            let year = start.year() + i32::from(next == time::Month::January);
            Date::from_calendar_date(year, next, 1).unwrap_or(end)
        };
        let last_whole_end = first_of(end);
        if first_whole >= last_whole_end {
            let empty = (String::new(), String::new());
            return Self {
                head: (start.to_string(), end.to_string()),
                months: empty.clone(),
                tail: empty,
            };
        }
        Self {
            head: (start.to_string(), first_whole.to_string()),
            months: (month(first_whole), month(last_whole_end)),
            tail: (last_whole_end.to_string(), end.to_string()),
        }
    }
}

impl TerritoryStorage {
    /// The board for the days `[start, end)`, compared with `[previous_start, start)`.
    pub async fn needs_board(
        &self,
        label: &str,
        (start, end): (Date, Date),
        previous_start: Date,
        public: Option<&str>,
    ) -> Result<Board, StorageError> {
        Ok(Board {
            label: label.to_owned(),
            public: public.map(str::to_owned),
            cells: self.board_cells(start, end, public).await?,
            previous: self.board_cells(previous_start, start, public).await?,
        })
    }

    async fn board_cells(
        &self,
        start: Date,
        end: Date,
        public: Option<&str>,
    ) -> Result<Cells, StorageError> {
        let (from, to) = (start.to_string(), end.to_string());
        let (from_unix, to_unix) = (paris::start_of_day(start), paris::start_of_day(end));
        let spans = TallySpans::new(start, end);
        let (responses, reports, needs) = on_pool!(self.storage, pool => {
            let responses: Vec<(String, String, i64)> = sqlx::query_as(
                "SELECT commune_code, theme_code, CAST(SUM(responses) AS BIGINT) FROM ( \
                   SELECT commune_code, theme_code, responses FROM theme_tally \
                   WHERE territory_id = $8 AND day >= $1 AND day < $2 AND ($7 IS NULL OR public_code = $7) \
                   UNION ALL SELECT commune_code, theme_code, responses FROM theme_tally_month \
                   WHERE territory_id = $8 AND month >= $3 AND month < $4 AND ($7 IS NULL OR public_code = $7) \
                   UNION ALL SELECT commune_code, theme_code, responses FROM theme_tally \
                   WHERE territory_id = $8 AND day >= $5 AND day < $6 AND ($7 IS NULL OR public_code = $7) \
                 ) t GROUP BY commune_code, theme_code",
            )
            .bind(&spans.head.0).bind(&spans.head.1)
            .bind(&spans.months.0).bind(&spans.months.1)
            .bind(&spans.tail.0).bind(&spans.tail.1)
            .bind(public)
            .bind(self.key())
            .fetch_all(pool).await?;
            let reports: Vec<(Option<String>, String, i64)> = sqlx::query_as(
                "SELECT r.commune_code, t.theme_code, COUNT(*) FROM field_report r \
                 JOIN field_report_theme t ON t.report_id = r.id \
                 WHERE r.territory_id = $4 AND r.observed_on >= $1 AND r.observed_on < $2 \
                   AND ($3 IS NULL OR EXISTS (SELECT 1 FROM field_report_public p WHERE p.report_id = r.id AND p.public_code = $3)) \
                 GROUP BY r.commune_code, t.theme_code",
            )
            .bind(&from).bind(&to).bind(public).bind(self.key())
            .fetch_all(pool).await?;
            let needs: Vec<(Option<String>, String, i64)> = sqlx::query_as(
                "SELECT c.commune_code, n.theme_code, COUNT(DISTINCT n.id) FROM need n \
                 LEFT JOIN need_commune c ON c.need_id = n.id \
                 WHERE n.territory_id = $4 AND n.created_at >= $1 AND n.created_at < $2 \
                   AND ($3 IS NULL OR EXISTS (SELECT 1 FROM need_public p WHERE p.need_id = n.id AND p.public_code = $3)) \
                 GROUP BY c.commune_code, n.theme_code",
            )
            .bind(from_unix).bind(to_unix).bind(public).bind(self.key())
            .fetch_all(pool).await?;
            (responses, reports, needs)
        });
        let mut cells = Cells::new();
        for (commune, theme, count) in responses {
            cells
                .entry(row_of(&commune))
                .or_default()
                .entry(theme)
                .or_default()
                .responses += count;
        }
        let territory =
            |commune: Option<String>| commune.unwrap_or_else(|| WHOLE_TERRITORY.to_owned());
        for (commune, theme, count) in reports {
            cells
                .entry(territory(commune))
                .or_default()
                .entry(theme)
                .or_default()
                .reports += count;
        }
        for (commune, theme, count) in needs {
            cells
                .entry(territory(commune))
                .or_default()
                .entry(theme)
                .or_default()
                .needs += count;
        }
        Ok(cells)
    }

    /// What a board cell counts: its field reports, needs and free-text answers (only
    /// reviewed ones when `reviewed_only`).
    pub async fn board_sources(
        &self,
        row: &str,
        theme: &str,
        (start, end): (Date, Date),
        public: Option<&str>,
        reviewed_only: bool,
    ) -> Result<CellSources, StorageError> {
        let commune = match row {
            WHOLE_TERRITORY => None,
            UNKNOWN_COMMUNE => Some(String::new()),
            code => Some(code.to_owned()),
        };
        let (from, to) = (start.to_string(), end.to_string());
        let (from_unix, to_unix) = (paris::start_of_day(start), paris::start_of_day(end));
        let (reports, needs, answers) = on_pool!(self.storage, pool => {
            let reports: Vec<(i64, String, String, String)> = sqlx::query_as(
                "SELECT r.id, r.organisation, r.observed, r.observed_on FROM field_report r \
                 JOIN field_report_theme t ON t.report_id = r.id AND t.theme_code = $1 \
                 WHERE r.territory_id = $6 AND r.observed_on >= $2 AND r.observed_on < $3 AND COALESCE(r.commune_code, '') = COALESCE($4, '') \
                   AND ($5 IS NULL OR EXISTS (SELECT 1 FROM field_report_public p WHERE p.report_id = r.id AND p.public_code = $5)) \
                 ORDER BY r.observed_on DESC",
            )
            .bind(theme).bind(&from).bind(&to).bind(commune.as_deref()).bind(public).bind(self.key())
            .fetch_all(pool).await?;
            let needs: Vec<(i64, String, String)> = sqlx::query_as(
                "SELECT DISTINCT n.id, n.title, n.status FROM need n LEFT JOIN need_commune c ON c.need_id = n.id \
                 WHERE n.territory_id = $6 AND n.theme_code = $1 AND n.created_at >= $2 AND n.created_at < $3 \
                   AND (($4 IS NULL AND c.commune_code IS NULL) OR c.commune_code = $4) \
                   AND ($5 IS NULL OR EXISTS (SELECT 1 FROM need_public p WHERE p.need_id = n.id AND p.public_code = $5)) \
                 ORDER BY n.id DESC",
            )
            .bind(theme).bind(from_unix).bind(to_unix).bind(commune.as_deref()).bind(public).bind(self.key())
            .fetch_all(pool).await?;
            let answers: Vec<(i64, String, String, bool)> = sqlx::query_as(
                "SELECT q.survey_id, q.label, a.value_text, COALESCE(tr.reviewed, FALSE) FROM answer a \
                 JOIN response r ON r.id = a.response_id JOIN question q ON q.id = a.question_id \
                 LEFT JOIN text_review tr ON tr.response_id = a.response_id AND tr.question_id = a.question_id \
                 WHERE q.territory_id = $7 AND q.theme_code = $1 AND a.value_text IS NOT NULL AND r.submitted_hour >= $2 AND r.submitted_hour < $3 \
                   AND r.commune_code = COALESCE($4, '~') AND ($5 IS NULL OR r.public_code = $5) \
                   AND ($6 = FALSE OR tr.reviewed = TRUE) \
                 ORDER BY r.id DESC LIMIT 200",
            )
            .bind(theme).bind(from_unix).bind(to_unix).bind(commune.as_deref()).bind(public).bind(reviewed_only).bind(self.key())
            .fetch_all(pool).await?;
            (reports, needs, answers)
        });
        let reports = reports
            .into_iter()
            .map(|(id, organisation, observed, day)| {
                let organisation = crate::needs::Organisation::parse(&organisation)
                    .map(|o| o.label().to_owned())
                    .unwrap_or(organisation);
                Ok((id, organisation, observed, super::decode::parse_date(&day)?))
            })
            .collect::<Result<_, StorageError>>()?;
        let needs = needs
            .into_iter()
            .map(|(id, title, status)| {
                let status = crate::needs::NeedStatus::parse(&status)
                    .map(|s| s.label().to_owned())
                    .unwrap_or(status);
                (id, title, status)
            })
            .collect();
        Ok(CellSources {
            reports,
            needs,
            answers,
        })
    }
}

/// What residents said, as the public may see it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicVoices {
    /// Responses per declared commune (empty code: not declared).
    pub responses_by_commune: Vec<(String, i64)>,
    /// Free-text answers staff marked publishable: (survey id, commune code, text).
    pub texts: Vec<(i64, String, String)>,
}

impl TerritoryStorage {
    pub async fn public_voices(&self) -> Result<PublicVoices, StorageError> {
        let (responses_by_commune, texts) = on_pool!(self.storage, pool => {
            let counts: Vec<(String, i64)> = sqlx::query_as(
                "SELECT r.commune_code, COUNT(*) FROM response r JOIN survey s ON s.id = r.survey_id \
                 WHERE s.territory_id = $1 GROUP BY r.commune_code ORDER BY r.commune_code",
            )
            .bind(self.key())
            .fetch_all(pool)
            .await?;
            let texts: Vec<(i64, String, String)> = sqlx::query_as(
                "SELECT r.survey_id, r.commune_code, a.value_text FROM text_review t \
                 JOIN answer a ON a.response_id = t.response_id AND a.question_id = t.question_id \
                 JOIN response r ON r.id = t.response_id JOIN question q ON q.id = t.question_id \
                 WHERE q.territory_id = $1 AND t.publishable AND a.value_text IS NOT NULL \
                 ORDER BY t.reviewed_at DESC LIMIT 500",
            )
            .bind(self.key())
            .fetch_all(pool)
            .await?;
            (counts, texts)
        });
        Ok(PublicVoices {
            responses_by_commune,
            texts,
        })
    }
}

#[cfg(test)]
mod spans_tests {
    use time::macros::date;

    use super::TallySpans;

    fn spans(start: time::Date, end: time::Date) -> [(String, String); 3] {
        let s = TallySpans::new(start, end);
        [s.head, s.months, s.tail]
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_owned(), b.to_owned())
    }

    #[test]
    fn a_year_is_twelve_months_and_no_day() {
        assert_eq!(
            spans(date!(2026 - 01 - 01), date!(2027 - 01 - 01)),
            [
                pair("2026-01-01", "2026-01-01"),
                pair("2026-01", "2027-01"),
                pair("2027-01-01", "2027-01-01"),
            ]
        );
    }

    #[test]
    fn a_meeting_snapshot_adds_the_days_of_its_month() {
        // 1 January to the meeting of 17 March, inclusive.
        assert_eq!(
            spans(date!(2026 - 01 - 01), date!(2026 - 03 - 18)),
            [
                pair("2026-01-01", "2026-01-01"),
                pair("2026-01", "2026-03"),
                pair("2026-03-01", "2026-03-18"),
            ]
        );
        // Starting mid-month, across the new year.
        assert_eq!(
            spans(date!(2026 - 12 - 15), date!(2027 - 02 - 03)),
            [
                pair("2026-12-15", "2027-01-01"),
                pair("2027-01", "2027-02"),
                pair("2027-02-01", "2027-02-03"),
            ]
        );
    }

    #[test]
    fn a_span_inside_one_month_is_read_by_day() {
        let [head, months, tail] = spans(date!(2026 - 05 - 03), date!(2026 - 05 - 20));
        assert_eq!(head, pair("2026-05-03", "2026-05-20"));
        assert_eq!(months, pair("", ""));
        assert_eq!(tail, pair("", ""));
    }
}
