//! Territories: the instance-level calls that list and add them, and
//! [`TerritoryStorage`], the storage seen from inside one territory.

use sqlx::FromRow;

use super::{Storage, StorageError, WritePool, now_unix, on_pool};
use crate::plan::PlanData;
use crate::territory::{Territory, TerritoryId, TerritoryKind, TerritorySlug};

/// The storage of one territory: every call on it reads and writes that territory's rows
/// only, and an object of another territory is `None`, as if it did not exist (the app
/// answers 404, never 403, so nothing confirms that it does). Cheap to make and to clone.
#[derive(Clone)]
pub struct TerritoryStorage {
    pub(super) storage: Storage,
    pub(super) id: TerritoryId,
}

impl TerritoryStorage {
    pub fn id(&self) -> TerritoryId {
        self.id
    }

    /// The instance-level storage, for what is not a territory's (accounts, sessions).
    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    /// The id as bound in queries.
    pub(super) fn key(&self) -> i64 {
        self.id.get()
    }
}

/// What [`Storage::add_territory`] did.
#[derive(Debug)]
pub enum AddTerritory {
    Added(Territory),
    /// Another territory has the plan's slug; nothing was written.
    SlugTaken,
}

#[derive(FromRow)]
pub(super) struct TerritoryRow {
    id: i64,
    slug: String,
    name: String,
    kind: String,
    siren: Option<String>,
}

impl TerritoryRow {
    pub(super) fn into_territory(self) -> Result<Territory, StorageError> {
        Ok(Territory {
            id: TerritoryId::new(self.id),
            slug: TerritorySlug::parse(&self.slug)
                .map_err(|_| StorageError::Corrupt(format!("territory slug {:?}", self.slug)))?,
            kind: TerritoryKind::parse(&self.kind)
                .ok_or_else(|| StorageError::Corrupt(format!("territory kind {:?}", self.kind)))?,
            name: self.name,
            siren: self.siren,
        })
    }
}

const TERRITORY_COLUMNS: &str = "id, slug, name, kind, siren";

/// Writes `plan` into territory `territory` (an `i64`) within the transaction `tx`.
macro_rules! insert_plan {
    ($tx:expr, $territory:expr, $plan:expr) => {{
            let territory: i64 = $territory;
            let plan: &PlanData = $plan;
            sqlx::query(
                "INSERT INTO plan_meta (territory_id, plan_version, title, territory, partner, adopted_on, loaded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(territory)
            .bind(&plan.plan_version)
            .bind(&plan.title)
            .bind(&plan.territory.name)
            .bind(&plan.partner)
            .bind(&plan.adopted_on)
            .bind(now_unix())
            .execute(&mut *$tx)
            .await?;
            for phase in &plan.phases {
                sqlx::query("INSERT INTO plan_phase (territory_id, number, title, description) VALUES ($1, $2, $3, $4)")
                    .bind(territory)
                    .bind(phase.number)
                    .bind(&phase.title)
                    .bind(&phase.description)
                    .execute(&mut *$tx)
                    .await?;
            }
            for (position, theme) in (1i32..).zip(&plan.themes) {
                sqlx::query("INSERT INTO theme (territory_id, code, label, position) VALUES ($1, $2, $3, $4)")
                    .bind(territory)
                    .bind(&theme.code)
                    .bind(&theme.label)
                    .bind(position)
                    .execute(&mut *$tx)
                    .await?;
            }
            for (position, public) in (1i32..).zip(&plan.publics) {
                sqlx::query("INSERT INTO target_public (territory_id, code, label, position) VALUES ($1, $2, $3, $4)")
                    .bind(territory)
                    .bind(&public.code)
                    .bind(&public.label)
                    .bind(position)
                    .execute(&mut *$tx)
                    .await?;
            }
            for (position, commune) in (1i32..).zip(&plan.communes) {
                sqlx::query("INSERT INTO commune (territory_id, code, name, position) VALUES ($1, $2, $3, $4)")
                    .bind(territory)
                    .bind(&commune.code)
                    .bind(&commune.name)
                    .bind(position)
                    .execute(&mut *$tx)
                    .await?;
            }
            for ambition in &plan.ambitions {
                sqlx::query("INSERT INTO plan_ambition (territory_id, number, title, impacts) VALUES ($1, $2, $3, $4)")
                    .bind(territory)
                    .bind(ambition.number)
                    .bind(&ambition.title)
                    .bind(to_json(&ambition.impacts))
                    .execute(&mut *$tx)
                    .await?;
            }
            for orientation in &plan.orientations {
                sqlx::query(
                    "INSERT INTO plan_orientation (territory_id, number, ambition_number, title) VALUES ($1, $2, $3, $4)",
                )
                .bind(territory)
                .bind(orientation.number)
                .bind(orientation.ambition)
                .bind(&orientation.title)
                .execute(&mut *$tx)
                .await?;
            }
            for action in &plan.actions {
                sqlx::query(
                    "INSERT INTO plan_action (territory_id, number, orientation_number, phase, title, \
                     objective, diagnostic, finality, operational_objectives, target_publics, \
                     implementation, services, partners, expected_results) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                )
                .bind(territory)
                .bind(action.number)
                .bind(action.orientation)
                .bind(action.phase)
                .bind(&action.title)
                .bind(&action.objective)
                .bind(&action.diagnostic)
                .bind(&action.finality)
                .bind(to_json(&action.operational_objectives))
                .bind(to_json(&action.target_publics))
                .bind(&action.implementation)
                .bind(to_json(&action.services))
                .bind(to_json(&action.partners))
                .bind(to_json(&action.expected_results))
                .execute(&mut *$tx)
                .await?;
                for theme in &action.themes {
                    sqlx::query("INSERT INTO plan_action_theme (territory_id, action_number, theme_code) VALUES ($1, $2, $3)")
                        .bind(territory)
                        .bind(action.number)
                        .bind(theme)
                        .execute(&mut *$tx)
                        .await?;
                }
                for public in &action.publics {
                    sqlx::query("INSERT INTO plan_action_public (territory_id, action_number, public_code) VALUES ($1, $2, $3)")
                        .bind(territory)
                        .bind(action.number)
                        .bind(public)
                        .execute(&mut *$tx)
                        .await?;
                }
                for (position, indicator) in (1i32..).zip(&action.indicators) {
                    sqlx::query(
                        "INSERT INTO plan_indicator (territory_id, code, action_number, position, label, kind, activity) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(territory)
                    .bind(&indicator.code)
                    .bind(action.number)
                    .bind(position)
                    .bind(&indicator.label)
                    .bind(indicator.kind.as_str())
                    .bind(indicator.activity.as_deref())
                    .execute(&mut *$tx)
                    .await?;
                }
            }
            Ok::<(), sqlx::Error>(())
    }};
}

impl Storage {
    /// The storage of territory `id`. Nothing is checked here: an id that names no
    /// territory finds nothing.
    pub fn in_territory(&self, id: TerritoryId) -> TerritoryStorage {
        TerritoryStorage {
            storage: self.clone(),
            id,
        }
    }

    /// Every territory, in the order they were added.
    pub async fn territories(&self) -> Result<Vec<Territory>, StorageError> {
        let sql = format!("SELECT {TERRITORY_COLUMNS} FROM territory ORDER BY id");
        let rows: Vec<TerritoryRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await)?;
        rows.into_iter().map(TerritoryRow::into_territory).collect()
    }

    pub async fn territory_by_slug(
        &self,
        slug: &TerritorySlug,
    ) -> Result<Option<Territory>, StorageError> {
        let sql = format!("SELECT {TERRITORY_COLUMNS} FROM territory WHERE slug = $1");
        let row: Option<TerritoryRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(slug.as_str())
            .fetch_optional(pool)
            .await)?;
        row.map(TerritoryRow::into_territory).transpose()
    }

    /// The territory single-territory pages show: the first one added (the CCYN on an
    /// instance that has always been the CCYN's). `None` before any plan is loaded.
    pub async fn default_territory(&self) -> Result<Option<Territory>, StorageError> {
        let sql = format!("SELECT {TERRITORY_COLUMNS} FROM territory ORDER BY id LIMIT 1");
        let row: Option<TerritoryRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).fetch_optional(pool).await)?;
        row.map(TerritoryRow::into_territory).transpose()
    }

    /// The storage of [`Storage::default_territory`]: what single-territory pages and the
    /// commands that fill one territory (demo, bench) work in.
    pub async fn in_default_territory(&self) -> Result<TerritoryStorage, StorageError> {
        let territory = self
            .default_territory()
            .await?
            .ok_or(StorageError::NoTerritory)?;
        Ok(self.in_territory(territory.id))
    }

    /// The territory of survey `id`, if there is one: for the command line, which names
    /// a survey without a territory.
    pub async fn survey_territory(&self, id: i64) -> Result<Option<TerritoryId>, StorageError> {
        let territory: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT territory_id FROM survey WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        Ok(territory.map(TerritoryId::new))
    }

    /// Adds a territory and its whole plan in one transaction: either both are there, or
    /// nothing was written.
    pub async fn add_territory(&self, plan: &PlanData) -> Result<AddTerritory, StorageError> {
        self.add_territory_if(plan, false).await
    }

    /// Loads the plan as the first territory unless the database already holds one.
    /// Returns whether it was loaded now. Safe to call from several instances at once:
    /// the check and the insert are one write transaction.
    pub async fn load_plan_if_empty(&self, plan: &PlanData) -> Result<bool, StorageError> {
        Ok(matches!(
            self.add_territory_if(plan, true).await?,
            AddTerritory::Added(_)
        ))
    }

    /// [`Storage::add_territory`]; with `only_first`, only when there is no territory yet
    /// (reported as [`AddTerritory::SlugTaken`] otherwise, and nothing written).
    async fn add_territory_if(
        &self,
        plan: &PlanData,
        only_first: bool,
    ) -> Result<AddTerritory, StorageError> {
        let slug = TerritorySlug::parse(&plan.territory.slug)
            .map_err(|_| StorageError::Corrupt(format!("plan slug {:?}", plan.territory.slug)))?;
        let sql = format!(
            "INSERT INTO territory (slug, name, kind, siren, created_at) \
             SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS \
             (SELECT 1 FROM territory WHERE slug = $1 OR $6) RETURNING {TERRITORY_COLUMNS}"
        );
        let row = on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let row: Option<TerritoryRow> = sqlx::query_as(&sql)
                .bind(slug.as_str())
                .bind(&plan.territory.name)
                .bind(plan.territory.kind.code())
                .bind(&plan.territory.siren)
                .bind(now_unix())
                .bind(only_first)
                .fetch_optional(&mut *tx)
                .await?;
            match row {
                Some(row) => {
                    insert_plan!(tx, row.id, plan)?;
                    tx.commit().await?;
                    Some(row)
                }
                None => {
                    tx.rollback().await?;
                    None
                }
            }
        });
        Ok(match row {
            Some(row) => AddTerritory::Added(row.into_territory()?),
            None => AddTerritory::SlugTaken,
        })
    }
}

fn to_json(list: &[String]) -> String {
    // Serialising a list of strings cannot fail.
    serde_json::to_string(list).unwrap_or_else(|_| "[]".to_owned())
}
