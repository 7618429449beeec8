//! What the platform did, dated, for the indicators fed by activity (field reports,
//! meetings, attendance, decisions, contributions taken into account).

use std::collections::HashSet;

use time::Date;

use super::decode::parse_date;
use super::{StorageError, TerritoryStorage, on_pool};
use crate::domain::paris;
use crate::indicators::Activity;

/// Every dated fact, small enough to hold: meetings and reports are counted in hundreds.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    reports: Vec<Date>,
    /// (day, invited, present, partners invited, partners present)
    meetings: Vec<(Date, i64, i64, i64, i64)>,
    /// (meeting day, action, abandoned)
    decisions: Vec<(Date, i32, bool)>,
    /// Unix times at which answers were integrated (one entry per answer).
    integrated: Vec<i64>,
}

impl Facts {
    /// The activity of the days `[start, end)`.
    pub(crate) fn within(&self, start: Date, end: Date) -> Activity {
        let inside = |day: &Date| *day >= start && *day < end;
        let meetings: Vec<_> = self.meetings.iter().filter(|m| inside(&m.0)).collect();
        let decisions: Vec<_> = self
            .decisions
            .iter()
            .filter(|d| inside(&d.0) && !d.2)
            .collect();
        let actions: HashSet<i32> = decisions.iter().map(|d| d.1).collect();
        let (from, to) = (paris::start_of_day(start), paris::start_of_day(end));
        Activity {
            field_reports: self.reports.iter().filter(|d| inside(d)).count() as i64,
            meetings: meetings.len() as i64,
            invited: meetings.iter().map(|m| m.1).sum(),
            present: meetings.iter().map(|m| m.2).sum(),
            partners_invited: meetings.iter().map(|m| m.3).sum(),
            partners_present: meetings.iter().map(|m| m.4).sum(),
            decisions: decisions.len() as i64,
            adjusted_actions: actions.len() as i64,
            integrated_contributions: self
                .integrated
                .iter()
                .filter(|at| (from..to).contains(*at))
                .count() as i64,
        }
    }
}

impl TerritoryStorage {
    pub(crate) async fn activity_facts(&self) -> Result<Facts, StorageError> {
        let (reports, meetings, decisions, integrated) = on_pool!(self.storage, pool => {
            let reports: Vec<String> = sqlx::query_scalar("SELECT observed_on FROM field_report WHERE territory_id = $1")
                .bind(self.key())
                .fetch_all(pool)
                .await?;
            let meetings: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
                "SELECT held_on, CAST(invited_elus + invited_professionnels + invited_partenaires + invited_habitants AS BIGINT), \
                 CAST(present_elus + present_professionnels + present_partenaires + present_habitants AS BIGINT), \
                 CAST(invited_partenaires AS BIGINT), CAST(present_partenaires AS BIGINT) FROM meeting \
                 WHERE territory_id = $1",
            )
            .bind(self.key())
            .fetch_all(pool)
            .await?;
            let decisions: Vec<(String, i32, String)> = sqlx::query_as(
                "SELECT m.held_on, d.action_number, d.status FROM decision d JOIN meeting m ON m.id = d.meeting_id \
                 WHERE d.territory_id = $1",
            )
            .bind(self.key())
            .fetch_all(pool)
            .await?;
            // Each answer counts once, when its need was first taken into account.
            let integrated: Vec<i64> = sqlx::query_scalar(
                "SELECT (SELECT MIN(c.changed_at) FROM need_status_change c WHERE c.need_id = s.need_id AND c.status = 'pris_en_compte') \
                 FROM need_source s JOIN need n ON n.id = s.need_id WHERE n.territory_id = $1 AND s.response_id IS NOT NULL \
                   AND EXISTS (SELECT 1 FROM need_status_change c WHERE c.need_id = s.need_id AND c.status = 'pris_en_compte')",
            )
            .bind(self.key())
            .fetch_all(pool)
            .await?;
            (reports, meetings, decisions, integrated)
        });
        Ok(Facts {
            reports: reports
                .iter()
                .map(|d| parse_date(d))
                .collect::<Result<_, _>>()?,
            meetings: meetings
                .into_iter()
                .map(|(day, a, b, c, d)| Ok((parse_date(&day)?, a, b, c, d)))
                .collect::<Result<_, StorageError>>()?,
            decisions: decisions
                .into_iter()
                .map(|(day, action, status)| Ok((parse_date(&day)?, action, status == "abandonne")))
                .collect::<Result<_, StorageError>>()?,
            integrated,
        })
    }
}
