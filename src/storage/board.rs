//! The needs board: counts per commune and theme over a span of days, from the theme
//! tallies (responses), field reports and needs.

use std::collections::BTreeMap;

use time::Date;

use super::{Storage, StorageError, on_pool};
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

impl Storage {
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
        let (responses, reports, needs) = on_pool!(self, pool => {
            let responses: Vec<(String, String, i64)> = sqlx::query_as(
                "SELECT commune_code, theme_code, CAST(SUM(responses) AS BIGINT) FROM theme_tally \
                 WHERE day >= $1 AND day < $2 AND ($3 IS NULL OR public_code = $3) GROUP BY commune_code, theme_code",
            )
            .bind(&from).bind(&to).bind(public)
            .fetch_all(pool).await?;
            let reports: Vec<(Option<String>, String, i64)> = sqlx::query_as(
                "SELECT r.commune_code, t.theme_code, COUNT(*) FROM field_report r \
                 JOIN field_report_theme t ON t.report_id = r.id \
                 WHERE r.observed_on >= $1 AND r.observed_on < $2 \
                   AND ($3 IS NULL OR EXISTS (SELECT 1 FROM field_report_public p WHERE p.report_id = r.id AND p.public_code = $3)) \
                 GROUP BY r.commune_code, t.theme_code",
            )
            .bind(&from).bind(&to).bind(public)
            .fetch_all(pool).await?;
            let needs: Vec<(Option<String>, String, i64)> = sqlx::query_as(
                "SELECT c.commune_code, n.theme_code, COUNT(DISTINCT n.id) FROM need n \
                 LEFT JOIN need_commune c ON c.need_id = n.id \
                 WHERE n.created_at >= $1 AND n.created_at < $2 \
                   AND ($3 IS NULL OR EXISTS (SELECT 1 FROM need_public p WHERE p.need_id = n.id AND p.public_code = $3)) \
                 GROUP BY c.commune_code, n.theme_code",
            )
            .bind(from_unix).bind(to_unix).bind(public)
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
        let (reports, needs, answers) = on_pool!(self, pool => {
            let reports: Vec<(i64, String, String, String)> = sqlx::query_as(
                "SELECT r.id, r.organisation, r.observed, r.observed_on FROM field_report r \
                 JOIN field_report_theme t ON t.report_id = r.id AND t.theme_code = $1 \
                 WHERE r.observed_on >= $2 AND r.observed_on < $3 AND COALESCE(r.commune_code, '') = COALESCE($4, '') \
                   AND ($5 IS NULL OR EXISTS (SELECT 1 FROM field_report_public p WHERE p.report_id = r.id AND p.public_code = $5)) \
                 ORDER BY r.observed_on DESC",
            )
            .bind(theme).bind(&from).bind(&to).bind(commune.as_deref()).bind(public)
            .fetch_all(pool).await?;
            let needs: Vec<(i64, String, String)> = sqlx::query_as(
                "SELECT DISTINCT n.id, n.title, n.status FROM need n LEFT JOIN need_commune c ON c.need_id = n.id \
                 WHERE n.theme_code = $1 AND n.created_at >= $2 AND n.created_at < $3 \
                   AND (($4 IS NULL AND c.commune_code IS NULL) OR c.commune_code = $4) \
                   AND ($5 IS NULL OR EXISTS (SELECT 1 FROM need_public p WHERE p.need_id = n.id AND p.public_code = $5)) \
                 ORDER BY n.id DESC",
            )
            .bind(theme).bind(from_unix).bind(to_unix).bind(commune.as_deref()).bind(public)
            .fetch_all(pool).await?;
            let answers: Vec<(i64, String, String, bool)> = sqlx::query_as(
                "SELECT q.survey_id, q.label, a.value_text, COALESCE(tr.reviewed, FALSE) FROM answer a \
                 JOIN response r ON r.id = a.response_id JOIN question q ON q.id = a.question_id \
                 LEFT JOIN text_review tr ON tr.response_id = a.response_id AND tr.question_id = a.question_id \
                 WHERE q.theme_code = $1 AND a.value_text IS NOT NULL AND r.submitted_hour >= $2 AND r.submitted_hour < $3 \
                   AND r.commune_code = COALESCE($4, '~') AND ($5 IS NULL OR r.public_code = $5) \
                   AND ($6 = FALSE OR tr.reviewed = TRUE) \
                 ORDER BY r.id DESC LIMIT 200",
            )
            .bind(theme).bind(from_unix).bind(to_unix).bind(commune.as_deref()).bind(public).bind(reviewed_only)
            .fetch_all(pool).await?;
            (reports, needs, answers)
        });
        let reports = reports
            .into_iter()
            .map(|(id, organisation, observed, day)| {
                let organisation = crate::needs::Organisation::parse(&organisation)
                    .map(|o| o.label().to_owned())
                    .unwrap_or(organisation);
                Ok((
                    id,
                    organisation,
                    observed,
                    super::surveys::parse_date(&day)?,
                ))
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

impl Storage {
    pub async fn public_voices(&self) -> Result<PublicVoices, StorageError> {
        let (responses_by_commune, texts) = on_pool!(self, pool => {
            let counts: Vec<(String, i64)> = sqlx::query_as(
                "SELECT commune_code, COUNT(*) FROM response GROUP BY commune_code ORDER BY commune_code",
            )
            .fetch_all(pool)
            .await?;
            let texts: Vec<(i64, String, String)> = sqlx::query_as(
                "SELECT r.survey_id, r.commune_code, a.value_text FROM text_review t \
                 JOIN answer a ON a.response_id = t.response_id AND a.question_id = t.question_id \
                 JOIN response r ON r.id = t.response_id \
                 WHERE t.publishable AND a.value_text IS NOT NULL ORDER BY t.reviewed_at DESC LIMIT 500",
            )
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
