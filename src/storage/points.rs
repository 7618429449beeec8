//! Collection points: where and when a survey is answered, each with its own code.

use sqlx::FromRow;

use super::audit::insert_audit;
use super::decode::{corrupt, parse_date};
use super::{Storage, StorageError, TerritoryStorage, WritePool, now_unix, on_pool};
use crate::audit::{Actor, AuditAction, AuditEntry};
use crate::survey::{CollectionCode, CollectionPoint, PointDraft, PointKind};
use crate::territory::TerritoryId;

#[derive(FromRow)]
struct PointRow {
    id: i64,
    survey_id: i64,
    code: String,
    label: String,
    kind: String,
    commune_code: Option<String>,
    starts_on: Option<String>,
    ends_on: Option<String>,
    live_screen: bool,
    response_count: i64,
    territory_id: i64,
}

impl PointRow {
    fn into_point(self) -> Result<CollectionPoint, StorageError> {
        Ok(CollectionPoint {
            code: CollectionCode::parse(&self.code).map_err(|_| corrupt("point code"))?,
            kind: PointKind::parse(&self.kind).map_err(|_| corrupt("point kind"))?,
            starts_on: self.starts_on.as_deref().map(parse_date).transpose()?,
            ends_on: self.ends_on.as_deref().map(parse_date).transpose()?,
            id: self.id,
            survey_id: self.survey_id,
            label: self.label,
            commune: self.commune_code,
            live_screen: self.live_screen,
            response_count: self.response_count,
            territory: TerritoryId::new(self.territory_id),
        })
    }
}

const POINT_COLUMNS: &str = "id, survey_id, code, label, kind, commune_code, starts_on, ends_on, \
     live_screen, response_count, territory_id";

/// A code no point has yet, inside a transaction. Collisions are rare (31^6 codes), so
/// checking first avoids aborting a PostgreSQL transaction on a unique violation.
macro_rules! unused_code {
    ($tx:expr) => {{
        let mut code = $crate::survey::CollectionCode::generate();
        loop {
            let taken: Option<i64> =
                sqlx::query_scalar("SELECT id FROM collection_point WHERE code = $1")
                    .bind(code.as_str())
                    .fetch_optional(&mut *$tx)
                    .await?;
            if taken.is_none() {
                break code;
            }
            code = $crate::survey::CollectionCode::generate();
        }
    }};
}

/// Every survey gets an online point, the link the home page shows.
macro_rules! insert_online_point {
    ($tx:expr, $territory:expr, $survey_id:expr, $now:expr) => {{
        let code = $crate::storage::points::unused_code!($tx);
        sqlx::query(
            "INSERT INTO collection_point (survey_id, code, label, kind, created_at, territory_id) \
             VALUES ($1, $2, $3, 'en_ligne', $4, $5)",
        )
        .bind($survey_id)
        .bind(code.as_str())
        .bind("En ligne (site Pouls)")
        .bind($now)
        .bind($territory)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use {insert_online_point, unused_code};

impl TerritoryStorage {
    /// Adds a collection point to survey `survey_id`, which must be of this territory
    /// (the composite key refuses it otherwise).
    pub async fn create_point(
        &self,
        survey_id: i64,
        draft: &PointDraft,
        actor: &Actor,
    ) -> Result<CollectionCode, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let code = unused_code!(tx);
            sqlx::query(
                "INSERT INTO collection_point (survey_id, code, label, kind, commune_code, starts_on, ends_on, live_screen, created_at, territory_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(survey_id)
            .bind(code.as_str())
            .bind(&draft.label)
            .bind(draft.kind.code())
            .bind(draft.commune.as_deref())
            .bind(draft.starts_on.map(|d| d.to_string()))
            .bind(draft.ends_on.map(|d| d.to_string()))
            .bind(draft.live_screen)
            .bind(now)
            .bind(self.key())
            .execute(&mut *tx)
            .await?;
            let entry = AuditEntry::new(actor, AuditAction::PointCreated)
                .object("collection_point", code.as_str())
                .detail(&draft.label);
            insert_audit!(tx, &entry, now, Some(self.key()))?;
            tx.commit().await?;
            Ok(code)
        })
    }

    /// Saves an edited point; its code never changes (it is printed on posters).
    pub async fn update_point(
        &self,
        id: i64,
        draft: &PointDraft,
        actor: &Actor,
    ) -> Result<bool, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let updated = sqlx::query(
                "UPDATE collection_point SET label = $2, kind = $3, commune_code = $4, starts_on = $5, ends_on = $6, \
                 live_screen = $7 WHERE id = $1 AND territory_id = $8",
            )
            .bind(id)
            .bind(&draft.label)
            .bind(draft.kind.code())
            .bind(draft.commune.as_deref())
            .bind(draft.starts_on.map(|d| d.to_string()))
            .bind(draft.ends_on.map(|d| d.to_string()))
            .bind(draft.live_screen)
            .bind(self.key())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Ok(false);
            }
            let entry = AuditEntry::new(actor, AuditAction::PointUpdated).object("collection_point", id).detail(&draft.label);
            insert_audit!(tx, &entry, now, Some(self.key()))?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// A survey's collection points, oldest first.
    pub async fn points(&self, survey_id: i64) -> Result<Vec<CollectionPoint>, StorageError> {
        let rows: Vec<PointRow> = on_pool!(self.storage, pool => sqlx::query_as(&format!(
            "SELECT {POINT_COLUMNS} FROM collection_point WHERE survey_id = $1 AND territory_id = $2 ORDER BY id"
        ))
        .bind(survey_id)
        .bind(self.key())
        .fetch_all(pool)
        .await)?;
        rows.into_iter().map(PointRow::into_point).collect()
    }

    pub async fn point(&self, id: i64) -> Result<Option<CollectionPoint>, StorageError> {
        let row: Option<PointRow> = on_pool!(self.storage, pool => sqlx::query_as(&format!(
            "SELECT {POINT_COLUMNS} FROM collection_point WHERE id = $1 AND territory_id = $2"
        ))
        .bind(id)
        .bind(self.key())
        .fetch_optional(pool)
        .await)?;
        row.map(PointRow::into_point).transpose()
    }

    /// For the home page: each open survey's title and the code of its online point.
    pub async fn open_survey_links(
        &self,
        today: time::Date,
    ) -> Result<Vec<(String, String, String)>, StorageError> {
        let today = today.to_string();
        Ok(on_pool!(self.storage, pool => sqlx::query_as(
            "SELECT s.title, s.intro, MIN(p.code) FROM survey s JOIN collection_point p ON p.survey_id = s.id \
             WHERE s.territory_id = $2 AND s.status = 'open' AND s.opens_on <= $1 AND s.closes_on >= $1 AND p.kind = 'en_ligne' \
             AND (p.starts_on IS NULL OR p.starts_on <= $1) AND (p.ends_on IS NULL OR p.ends_on >= $1) \
             GROUP BY s.id, s.title, s.intro ORDER BY s.closes_on, s.id",
        )
        .bind(today)
        .bind(self.key())
        .fetch_all(pool)
        .await)?)
    }
}

impl Storage {
    /// A survey's collection points, whatever its territory: for storage calls that were
    /// given a survey the caller already found in its territory (exports).
    pub(super) async fn survey_points(
        &self,
        survey_id: i64,
    ) -> Result<Vec<CollectionPoint>, StorageError> {
        let rows: Vec<PointRow> = on_pool!(self, pool => sqlx::query_as(&format!(
            "SELECT {POINT_COLUMNS} FROM collection_point WHERE survey_id = $1 ORDER BY id"
        ))
        .bind(survey_id)
        .fetch_all(pool)
        .await)?;
        rows.into_iter().map(PointRow::into_point).collect()
    }

    /// The point a QR code names, whatever its territory: codes are unique on the
    /// instance, so `/q/{code}` needs no territory. The point says which it is.
    pub async fn point_by_code(
        &self,
        code: &CollectionCode,
    ) -> Result<Option<CollectionPoint>, StorageError> {
        let row: Option<PointRow> = on_pool!(self, pool => sqlx::query_as(&format!(
            "SELECT {POINT_COLUMNS} FROM collection_point WHERE code = $1"
        ))
        .bind(code.as_str())
        .fetch_optional(pool)
        .await)?;
        row.map(PointRow::into_point).transpose()
    }
}
