//! The plan tables: loaded once from the data file, read by the plan pages.

use std::collections::BTreeMap;

use sqlx::FromRow;

use super::{Storage, StorageError, WritePool, now_unix, on_pool};
use crate::domain::Phase;
use crate::plan::{
    ActionDetail, ActionSummary, AmbitionOverview, Indicator, Labelled, OrientationOverview,
    PlanCounts, PlanData, PlanOverview,
};

#[derive(FromRow)]
struct MetaRow {
    title: String,
    territory: String,
    partner: String,
}

#[derive(FromRow)]
struct AmbitionRow {
    number: i32,
    title: String,
    impacts: String,
}

#[derive(FromRow)]
struct OrientationRow {
    number: i32,
    ambition_number: i32,
    title: String,
}

#[derive(FromRow)]
struct ActionRow {
    number: i32,
    orientation_number: i32,
    phase: i32,
    title: String,
    objective: String,
}

#[derive(FromRow)]
struct ActionDetailRow {
    number: i32,
    phase: i32,
    title: String,
    objective: String,
    diagnostic: String,
    finality: String,
    operational_objectives: String,
    target_publics: String,
    implementation: String,
    services: String,
    partners: String,
    expected_results: String,
    orientation_title: String,
    ambition_number: i32,
    ambition_title: String,
}

#[derive(FromRow)]
struct LabelRow {
    code: String,
    label: String,
}

#[derive(FromRow)]
struct IndicatorRow {
    code: String,
    label: String,
    kind: String,
}

fn json_list(text: &str) -> Result<Vec<String>, StorageError> {
    serde_json::from_str(text).map_err(|e| StorageError::Corrupt(format!("list column: {e}")))
}

fn to_json(list: &[String]) -> String {
    // Serialising a list of strings cannot fail.
    serde_json::to_string(list).unwrap_or_else(|_| "[]".to_owned())
}

fn phase(number: i32) -> Result<Phase, StorageError> {
    Phase::from_number(number).map_err(|_| StorageError::Corrupt(format!("phase {number}")))
}

impl ActionRow {
    fn summary(&self) -> Result<ActionSummary, StorageError> {
        Ok(ActionSummary {
            number: self.number,
            title: self.title.clone(),
            objective: self.objective.clone(),
            phase: phase(self.phase)?,
        })
    }
}

impl Storage {
    /// Loads the plan in one transaction unless the database already holds one.
    /// Returns whether it was loaded now. Safe to call from several instances at once:
    /// the `plan_meta` row is the claim, and a second loader finds it taken.
    pub async fn load_plan_if_empty(&self, plan: &PlanData) -> Result<bool, StorageError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            // Until the storage is scoped by territory (issue 16), the plan is territory
            // 1's: made here on a fresh database, by migration 0010 on an older one.
            sqlx::query(
                "INSERT INTO territory (slug, name, kind, siren, created_at) \
                 SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM territory)",
            )
            .bind(&plan.territory.slug)
            .bind(&plan.territory.name)
            .bind(plan.territory.kind.code())
            .bind(&plan.territory.siren)
            .bind(now_unix())
            .execute(&mut *tx)
            .await?;
            let claimed = sqlx::query(
                "INSERT INTO plan_meta (territory_id, plan_version, title, territory, partner, adopted_on, loaded_at) \
                 VALUES (1, $1, $2, $3, $4, $5, $6) ON CONFLICT (territory_id) DO NOTHING",
            )
            .bind(&plan.plan_version)
            .bind(&plan.title)
            .bind(&plan.territory.name)
            .bind(&plan.partner)
            .bind(&plan.adopted_on)
            .bind(now_unix())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            for phase in &plan.phases {
                sqlx::query("INSERT INTO plan_phase (number, title, description) VALUES ($1, $2, $3)")
                    .bind(phase.number)
                    .bind(&phase.title)
                    .bind(&phase.description)
                    .execute(&mut *tx)
                    .await?;
            }
            for (position, theme) in (1i32..).zip(&plan.themes) {
                sqlx::query("INSERT INTO theme (code, label, position) VALUES ($1, $2, $3)")
                    .bind(&theme.code)
                    .bind(&theme.label)
                    .bind(position)
                    .execute(&mut *tx)
                    .await?;
            }
            for (position, public) in (1i32..).zip(&plan.publics) {
                sqlx::query("INSERT INTO target_public (code, label, position) VALUES ($1, $2, $3)")
                    .bind(&public.code)
                    .bind(&public.label)
                    .bind(position)
                    .execute(&mut *tx)
                    .await?;
            }
            for (position, commune) in (1i32..).zip(&plan.communes) {
                sqlx::query("INSERT INTO commune (code, name, position) VALUES ($1, $2, $3)")
                    .bind(&commune.code)
                    .bind(&commune.name)
                    .bind(position)
                    .execute(&mut *tx)
                    .await?;
            }
            for ambition in &plan.ambitions {
                sqlx::query("INSERT INTO plan_ambition (number, title, impacts) VALUES ($1, $2, $3)")
                    .bind(ambition.number)
                    .bind(&ambition.title)
                    .bind(to_json(&ambition.impacts))
                    .execute(&mut *tx)
                    .await?;
            }
            for orientation in &plan.orientations {
                sqlx::query(
                    "INSERT INTO plan_orientation (number, ambition_number, title) VALUES ($1, $2, $3)",
                )
                .bind(orientation.number)
                .bind(orientation.ambition)
                .bind(&orientation.title)
                .execute(&mut *tx)
                .await?;
            }
            for action in &plan.actions {
                sqlx::query(
                    "INSERT INTO plan_action (number, orientation_number, phase, title, objective, \
                     diagnostic, finality, operational_objectives, target_publics, implementation, \
                     services, partners, expected_results) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                )
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
                .execute(&mut *tx)
                .await?;
                for theme in &action.themes {
                    sqlx::query("INSERT INTO plan_action_theme (action_number, theme_code) VALUES ($1, $2)")
                        .bind(action.number)
                        .bind(theme)
                        .execute(&mut *tx)
                        .await?;
                }
                for public in &action.publics {
                    sqlx::query("INSERT INTO plan_action_public (action_number, public_code) VALUES ($1, $2)")
                        .bind(action.number)
                        .bind(public)
                        .execute(&mut *tx)
                        .await?;
                }
                for (position, indicator) in (1i32..).zip(&action.indicators) {
                    sqlx::query(
                        "INSERT INTO plan_indicator (code, action_number, position, label, kind, activity) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(&indicator.code)
                    .bind(action.number)
                    .bind(position)
                    .bind(&indicator.label)
                    .bind(indicator.kind.as_str())
                    .bind(indicator.activity.as_deref())
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    pub async fn plan_counts(&self) -> Result<PlanCounts, StorageError> {
        let (ambitions, orientations, actions, indicators, communes, themes, publics) = on_pool!(self, pool => sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM plan_ambition), (SELECT COUNT(*) FROM plan_orientation), \
                 (SELECT COUNT(*) FROM plan_action), (SELECT COUNT(*) FROM plan_indicator), \
                 (SELECT COUNT(*) FROM commune), (SELECT COUNT(*) FROM theme), \
                 (SELECT COUNT(*) FROM target_public)",
            )
            .fetch_one(pool)
            .await)?;
        Ok(PlanCounts {
            ambitions,
            orientations,
            actions,
            indicators,
            communes,
            themes,
            publics,
        })
    }

    /// The plan as `/plan` shows it, optionally only the actions of one phase
    /// (ambitions and orientations without such actions are left out).
    pub async fn plan_overview(&self, only: Option<Phase>) -> Result<PlanOverview, StorageError> {
        let (meta, ambitions, orientations, actions) = on_pool!(self, pool => {
            let meta: MetaRow =
                sqlx::query_as("SELECT title, territory, partner FROM plan_meta WHERE territory_id = 1")
                    .fetch_one(pool)
                    .await?;
            let ambitions: Vec<AmbitionRow> =
                sqlx::query_as("SELECT number, title, impacts FROM plan_ambition ORDER BY number")
                    .fetch_all(pool)
                    .await?;
            let orientations: Vec<OrientationRow> = sqlx::query_as(
                "SELECT number, ambition_number, title FROM plan_orientation ORDER BY number",
            )
            .fetch_all(pool)
            .await?;
            let actions: Vec<ActionRow> = sqlx::query_as(
                "SELECT number, orientation_number, phase, title, objective FROM plan_action \
                 WHERE $1 IS NULL OR phase = $1 ORDER BY number",
            )
            .bind(only.map(|p| i32::from(p.number())))
            .fetch_all(pool)
            .await?;
            (meta, ambitions, orientations, actions)
        });

        let mut actions_by_orientation: BTreeMap<i32, Vec<ActionSummary>> = BTreeMap::new();
        for action in &actions {
            actions_by_orientation
                .entry(action.orientation_number)
                .or_default()
                .push(action.summary()?);
        }
        let mut orientations_by_ambition: BTreeMap<i32, Vec<OrientationOverview>> = BTreeMap::new();
        for orientation in orientations {
            let Some(actions) = actions_by_orientation.remove(&orientation.number) else {
                continue;
            };
            orientations_by_ambition
                .entry(orientation.ambition_number)
                .or_default()
                .push(OrientationOverview {
                    number: orientation.number,
                    title: orientation.title,
                    actions,
                });
        }
        let mut overview = Vec::new();
        for ambition in ambitions {
            let Some(orientations) = orientations_by_ambition.remove(&ambition.number) else {
                continue;
            };
            overview.push(AmbitionOverview {
                number: ambition.number,
                impacts: json_list(&ambition.impacts)?,
                title: ambition.title,
                orientations,
            });
        }
        Ok(PlanOverview {
            title: meta.title,
            territory: meta.territory,
            partner: meta.partner,
            ambitions: overview,
        })
    }

    /// The themes, in the plan's order.
    pub async fn themes(&self) -> Result<Vec<Labelled>, StorageError> {
        self.labels("SELECT code, label FROM theme ORDER BY position")
            .await
    }

    /// The publics, in the plan's order.
    pub async fn publics(&self) -> Result<Vec<Labelled>, StorageError> {
        self.labels("SELECT code, label FROM target_public ORDER BY position")
            .await
    }

    /// The communes, in the plan's (alphabetical) order.
    pub async fn communes(&self) -> Result<Vec<Labelled>, StorageError> {
        self.labels("SELECT code, name AS label FROM commune ORDER BY position")
            .await
    }

    /// Each action's number and title.
    pub async fn action_titles(&self) -> Result<Vec<(i32, String)>, StorageError> {
        Ok(
            on_pool!(self, pool => sqlx::query_as("SELECT number, title FROM plan_action ORDER BY number")
            .fetch_all(pool)
            .await)?,
        )
    }

    async fn labels(&self, sql: &'static str) -> Result<Vec<Labelled>, StorageError> {
        let rows: Vec<LabelRow> =
            on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|r| Labelled {
                code: r.code,
                label: r.label,
            })
            .collect())
    }

    /// Everything the plan holds on one action, or `None` if there is no such action.
    pub async fn action_detail(&self, number: i32) -> Result<Option<ActionDetail>, StorageError> {
        let loaded = on_pool!(self, pool => {
            let row: Option<ActionDetailRow> = sqlx::query_as(
                "SELECT a.number, a.phase, a.title, a.objective, a.diagnostic, a.finality, \
                 a.operational_objectives, a.target_publics, a.implementation, a.services, \
                 a.partners, a.expected_results, o.title AS orientation_title, \
                 m.number AS ambition_number, m.title AS ambition_title \
                 FROM plan_action a \
                 JOIN plan_orientation o ON o.number = a.orientation_number \
                 JOIN plan_ambition m ON m.number = o.ambition_number \
                 WHERE a.number = $1",
            )
            .bind(number)
            .fetch_optional(pool)
            .await?;
            match row {
                None => None,
                Some(row) => {
                    let themes: Vec<LabelRow> = sqlx::query_as(
                        "SELECT t.code, t.label FROM plan_action_theme at \
                         JOIN theme t ON t.code = at.theme_code \
                         WHERE at.action_number = $1 ORDER BY t.position",
                    )
                    .bind(number)
                    .fetch_all(pool)
                    .await?;
                    let publics: Vec<LabelRow> = sqlx::query_as(
                        "SELECT p.code, p.label FROM plan_action_public ap \
                         JOIN target_public p ON p.code = ap.public_code \
                         WHERE ap.action_number = $1 ORDER BY p.position",
                    )
                    .bind(number)
                    .fetch_all(pool)
                    .await?;
                    let indicators: Vec<IndicatorRow> = sqlx::query_as(
                        "SELECT code, label, kind FROM plan_indicator \
                         WHERE action_number = $1 ORDER BY position",
                    )
                    .bind(number)
                    .fetch_all(pool)
                    .await?;
                    Some((row, themes, publics, indicators))
                }
            }
        });
        let Some((row, themes, publics, indicators)) = loaded else {
            return Ok(None);
        };
        let labelled = |rows: Vec<LabelRow>| -> Vec<Labelled> {
            rows.into_iter()
                .map(|r| Labelled {
                    code: r.code,
                    label: r.label,
                })
                .collect()
        };
        let indicators = indicators
            .into_iter()
            .map(|r| {
                Ok(Indicator {
                    kind: r
                        .kind
                        .parse()
                        .map_err(|e| StorageError::Corrupt(format!("{e}")))?,
                    code: r.code,
                    label: r.label,
                })
            })
            .collect::<Result<_, StorageError>>()?;
        Ok(Some(ActionDetail {
            summary: ActionSummary {
                number: row.number,
                title: row.title,
                objective: row.objective,
                phase: phase(row.phase)?,
            },
            ambition_number: row.ambition_number,
            ambition_title: row.ambition_title,
            orientation_title: row.orientation_title,
            diagnostic: row.diagnostic,
            finality: row.finality,
            operational_objectives: json_list(&row.operational_objectives)?,
            target_publics: json_list(&row.target_publics)?,
            publics: labelled(publics),
            themes: labelled(themes),
            implementation: row.implementation,
            services: json_list(&row.services)?,
            partners: json_list(&row.partners)?,
            expected_results: json_list(&row.expected_results)?,
            indicators,
        }))
    }
}
