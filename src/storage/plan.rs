//! The plan tables: loaded once from the data file, read by the plan pages.

use std::collections::BTreeMap;

use sqlx::FromRow;

use super::{StorageError, TerritoryStorage, on_pool};
use crate::domain::Phase;
use crate::plan::{
    ActionDetail, ActionSummary, AmbitionOverview, Indicator, Labelled, OrientationOverview,
    PlanCounts, PlanOverview,
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

impl TerritoryStorage {
    pub async fn plan_counts(&self) -> Result<PlanCounts, StorageError> {
        let (ambitions, orientations, actions, indicators, communes, themes, publics) = on_pool!(self.storage, pool => sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM plan_ambition WHERE territory_id = $1), \
                 (SELECT COUNT(*) FROM plan_orientation WHERE territory_id = $1), \
                 (SELECT COUNT(*) FROM plan_action WHERE territory_id = $1), \
                 (SELECT COUNT(*) FROM plan_indicator WHERE territory_id = $1), \
                 (SELECT COUNT(*) FROM commune WHERE territory_id = $1), \
                 (SELECT COUNT(*) FROM theme WHERE territory_id = $1), \
                 (SELECT COUNT(*) FROM target_public WHERE territory_id = $1)",
            )
            .bind(self.key())
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

    /// "Territory, avec partner": who signs a poster of this territory's surveys.
    pub async fn poster_signature(&self) -> Result<String, StorageError> {
        let meta: MetaRow = on_pool!(self.storage, pool => sqlx::query_as(
            "SELECT title, territory, partner FROM plan_meta WHERE territory_id = $1",
        )
        .bind(self.key())
        .fetch_one(pool)
        .await)?;
        Ok(format!("{}, avec la {}", meta.territory, meta.partner))
    }

    /// The plan as `/plan` shows it, optionally only the actions of one phase
    /// (ambitions and orientations without such actions are left out).
    pub async fn plan_overview(&self, only: Option<Phase>) -> Result<PlanOverview, StorageError> {
        let (meta, ambitions, orientations, actions) = on_pool!(self.storage, pool => {
            let meta: MetaRow =
                sqlx::query_as("SELECT title, territory, partner FROM plan_meta WHERE territory_id = $1")
                    .bind(self.key())
                    .fetch_one(pool)
                    .await?;
            let ambitions: Vec<AmbitionRow> =
                sqlx::query_as("SELECT number, title, impacts FROM plan_ambition WHERE territory_id = $1 ORDER BY number")
                    .bind(self.key())
                    .fetch_all(pool)
                    .await?;
            let orientations: Vec<OrientationRow> = sqlx::query_as(
                "SELECT number, ambition_number, title FROM plan_orientation WHERE territory_id = $1 ORDER BY number",
            )
            .bind(self.key())
            .fetch_all(pool)
            .await?;
            let actions: Vec<ActionRow> = sqlx::query_as(
                "SELECT number, orientation_number, phase, title, objective FROM plan_action \
                 WHERE territory_id = $2 AND ($1 IS NULL OR phase = $1) ORDER BY number",
            )
            .bind(only.map(|p| i32::from(p.number())))
            .bind(self.key())
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
        self.labels("SELECT code, label FROM theme WHERE territory_id = $1 ORDER BY position")
            .await
    }

    /// The publics, in the plan's order.
    pub async fn publics(&self) -> Result<Vec<Labelled>, StorageError> {
        self.labels(
            "SELECT code, label FROM target_public WHERE territory_id = $1 ORDER BY position",
        )
        .await
    }

    /// The communes, in the plan's (alphabetical) order.
    pub async fn communes(&self) -> Result<Vec<Labelled>, StorageError> {
        self.labels(
            "SELECT code, name AS label FROM commune WHERE territory_id = $1 ORDER BY position",
        )
        .await
    }

    /// Each action's number and title.
    pub async fn action_titles(&self) -> Result<Vec<(i32, String)>, StorageError> {
        Ok(
            on_pool!(self.storage, pool => sqlx::query_as("SELECT number, title FROM plan_action WHERE territory_id = $1 ORDER BY number")
            .bind(self.key())
            .fetch_all(pool)
            .await)?,
        )
    }

    async fn labels(&self, sql: &'static str) -> Result<Vec<Labelled>, StorageError> {
        let rows: Vec<LabelRow> = on_pool!(self.storage, pool => sqlx::query_as(sql).bind(self.key()).fetch_all(pool).await)?;
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
        let loaded = on_pool!(self.storage, pool => {
            let row: Option<ActionDetailRow> = sqlx::query_as(
                "SELECT a.number, a.phase, a.title, a.objective, a.diagnostic, a.finality, \
                 a.operational_objectives, a.target_publics, a.implementation, a.services, \
                 a.partners, a.expected_results, o.title AS orientation_title, \
                 m.number AS ambition_number, m.title AS ambition_title \
                 FROM plan_action a \
                 JOIN plan_orientation o ON o.territory_id = a.territory_id AND o.number = a.orientation_number \
                 JOIN plan_ambition m ON m.territory_id = o.territory_id AND m.number = o.ambition_number \
                 WHERE a.territory_id = $1 AND a.number = $2",
            )
            .bind(self.key())
            .bind(number)
            .fetch_optional(pool)
            .await?;
            match row {
                None => None,
                Some(row) => {
                    let themes: Vec<LabelRow> = sqlx::query_as(
                        "SELECT t.code, t.label FROM plan_action_theme at \
                         JOIN theme t ON t.territory_id = at.territory_id AND t.code = at.theme_code \
                         WHERE at.territory_id = $1 AND at.action_number = $2 ORDER BY t.position",
                    )
                    .bind(self.key())
                    .bind(number)
                    .fetch_all(pool)
                    .await?;
                    let publics: Vec<LabelRow> = sqlx::query_as(
                        "SELECT p.code, p.label FROM plan_action_public ap \
                         JOIN target_public p ON p.territory_id = ap.territory_id AND p.code = ap.public_code \
                         WHERE ap.territory_id = $1 AND ap.action_number = $2 ORDER BY p.position",
                    )
                    .bind(self.key())
                    .bind(number)
                    .fetch_all(pool)
                    .await?;
                    let indicators: Vec<IndicatorRow> = sqlx::query_as(
                        "SELECT code, label, kind FROM plan_indicator \
                         WHERE territory_id = $1 AND action_number = $2 ORDER BY position",
                    )
                    .bind(self.key())
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
