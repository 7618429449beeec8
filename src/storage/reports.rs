//! Field reports from front-line professionals.

use std::collections::HashMap;

use sqlx::FromRow;

use super::audit::insert_audit;
use super::decode::{corrupt, parse_date};
use super::links::{LinkTable, replace_links};
use super::{StorageError, TerritoryStorage, WritePool, now_unix, on_pool};
use crate::audit::{Actor, AuditAction, AuditEntry};
use crate::needs::{FieldReport, Organisation, ReportDraft};

#[derive(FromRow)]
struct ReportRow {
    id: i64,
    organisation: String,
    commune_code: Option<String>,
    observed: String,
    people_count: Option<i32>,
    observed_on: String,
    created_by: i64,
    created_by_label: String,
    created_at: i64,
}

const REPORT_THEMES: LinkTable = LinkTable {
    table: "field_report_theme",
    owner: "report_id",
    value: "theme_code",
    scoped: true,
};

const REPORT_PUBLICS: LinkTable = LinkTable {
    table: "field_report_public",
    owner: "report_id",
    value: "public_code",
    scoped: true,
};

/// Writes a report's themes and publics (replacing any) inside a transaction.
macro_rules! write_report_links {
    ($tx:expr, $territory:expr, $id:expr, $draft:expr) => {{
        replace_links!($tx, REPORT_THEMES, $territory, $id, &$draft.themes);
        replace_links!($tx, REPORT_PUBLICS, $territory, $id, &$draft.publics);
    }};
}

impl TerritoryStorage {
    /// Files a report in the name of `actor` (a staff member). Returns its id.
    pub async fn create_report(
        &self,
        draft: &ReportDraft,
        actor: &Actor,
    ) -> Result<i64, StorageError> {
        let now = now_unix();
        let author = actor
            .id()
            .ok_or_else(|| StorageError::NotStaff(actor.label()))?;
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO field_report (organisation, commune_code, observed, people_count, observed_on, created_by, created_at, updated_at, territory_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id",
            )
            .bind(draft.organisation.code())
            .bind(draft.commune.as_deref())
            .bind(&draft.observed)
            .bind(draft.people_count.and_then(|n| i32::try_from(n).ok()))
            .bind(draft.observed_on.to_string())
            .bind(author)
            .bind(now)
            .bind(self.key())
            .fetch_one(&mut *tx)
            .await?;
            write_report_links!(tx, self.key(), id, draft);
            let entry = AuditEntry::new(actor, AuditAction::ReportFiled).object("field_report", id).detail(draft.organisation.label());
            insert_audit!(tx, &entry, now, Some(self.key()))?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Saves an edited report; with `only_author`, only if that staff member filed it.
    pub async fn update_report(
        &self,
        id: i64,
        draft: &ReportDraft,
        only_author: Option<i64>,
        actor: &Actor,
    ) -> Result<bool, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let updated = sqlx::query(
                "UPDATE field_report SET organisation = $2, commune_code = $3, observed = $4, people_count = $5, \
                 observed_on = $6, updated_at = $7 WHERE id = $1 AND territory_id = $9 AND ($8 IS NULL OR created_by = $8)",
            )
            .bind(id)
            .bind(draft.organisation.code())
            .bind(draft.commune.as_deref())
            .bind(&draft.observed)
            .bind(draft.people_count.and_then(|n| i32::try_from(n).ok()))
            .bind(draft.observed_on.to_string())
            .bind(now)
            .bind(only_author)
            .bind(self.key())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Ok(false);
            }
            write_report_links!(tx, self.key(), id, draft);
            insert_audit!(tx, &AuditEntry::new(actor, AuditAction::ReportUpdated).object("field_report", id), now, Some(self.key()))?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Reports, newest observations first; with `author`, only that staff member's.
    pub async fn reports(&self, author: Option<i64>) -> Result<Vec<FieldReport>, StorageError> {
        self.load_reports(author, None).await
    }

    pub async fn report(&self, id: i64) -> Result<Option<FieldReport>, StorageError> {
        Ok(self.load_reports(None, Some(id)).await?.pop())
    }

    async fn load_reports(
        &self,
        author: Option<i64>,
        only: Option<i64>,
    ) -> Result<Vec<FieldReport>, StorageError> {
        let (rows, themes, publics) = on_pool!(self.storage, pool => {
            let rows: Vec<ReportRow> = sqlx::query_as(
                "SELECT r.id, r.organisation, r.commune_code, r.observed, r.people_count, r.observed_on, r.created_by, \
                 u.email AS created_by_label, r.created_at FROM field_report r JOIN staff_user u ON u.id = r.created_by \
                 WHERE r.territory_id = $3 AND ($1 IS NULL OR r.created_by = $1) AND ($2 IS NULL OR r.id = $2) \
                 ORDER BY r.observed_on DESC, r.id DESC",
            )
            .bind(author)
            .bind(only)
            .bind(self.key())
            .fetch_all(pool)
            .await?;
            let themes: Vec<(i64, String)> = sqlx::query_as("SELECT report_id, theme_code FROM field_report_theme WHERE territory_id = $2 AND ($1 IS NULL OR report_id = $1)")
                .bind(only)
                .bind(self.key())
                .fetch_all(pool)
                .await?;
            let publics: Vec<(i64, String)> = sqlx::query_as("SELECT report_id, public_code FROM field_report_public WHERE territory_id = $2 AND ($1 IS NULL OR report_id = $1)")
                .bind(only)
                .bind(self.key())
                .fetch_all(pool)
                .await?;
            (rows, themes, publics)
        });
        let group = |pairs: Vec<(i64, String)>| {
            let mut map: HashMap<i64, Vec<String>> = HashMap::new();
            for (id, code) in pairs {
                map.entry(id).or_default().push(code);
            }
            map
        };
        let (mut themes, mut publics) = (group(themes), group(publics));
        rows.into_iter()
            .map(|row| {
                Ok(FieldReport {
                    organisation: Organisation::parse(&row.organisation)
                        .map_err(|_| corrupt("organisation"))?,
                    observed_on: parse_date(&row.observed_on)?,
                    themes: themes.remove(&row.id).unwrap_or_default(),
                    publics: publics.remove(&row.id).unwrap_or_default(),
                    id: row.id,
                    commune: row.commune_code,
                    observed: row.observed,
                    people_count: row.people_count.map(i64::from),
                    created_by: row.created_by,
                    created_by_label: row.created_by_label,
                    created_at: row.created_at,
                })
            })
            .collect()
    }
}
