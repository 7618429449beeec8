//! The versioned plan data file (`data/ctg-2026-2030.toml`), parsed and checked.

use std::collections::HashSet;

use serde::Deserialize;

use super::IndicatorKind;
use crate::domain::{ActionNumber, IndicatorCode, Phase};

const EMBEDDED: &str = include_str!("../../data/ctg-2026-2030.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanData {
    pub schema: u32,
    pub plan_version: String,
    pub title: String,
    pub territory: String,
    pub partner: String,
    pub adopted_on: String,
    pub phases: Vec<PlanPhase>,
    pub themes: Vec<PlanLabel>,
    pub publics: Vec<PlanLabel>,
    pub communes: Vec<PlanCommune>,
    pub ambitions: Vec<PlanAmbition>,
    pub orientations: Vec<PlanOrientation>,
    pub actions: Vec<PlanAction>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanPhase {
    pub number: i32,
    pub title: String,
    pub description: String,
}

/// A coded label: a theme or a public.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanLabel {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanCommune {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanAmbition {
    pub number: i32,
    pub title: String,
    pub impacts: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanOrientation {
    pub number: i32,
    pub ambition: i32,
    pub title: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanAction {
    pub number: i32,
    pub orientation: i32,
    pub phase: i32,
    pub title: String,
    pub objective: String,
    pub diagnostic: String,
    pub finality: String,
    pub operational_objectives: Vec<String>,
    pub target_publics: Vec<String>,
    pub publics: Vec<String>,
    pub themes: Vec<String>,
    pub implementation: String,
    pub services: Vec<String>,
    pub partners: Vec<String>,
    pub expected_results: Vec<String>,
    pub indicators: Vec<PlanIndicator>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanIndicator {
    pub code: String,
    pub label: String,
    pub kind: IndicatorKind,
    /// Platform activity that feeds the indicator with no setup (field reports,
    /// meetings...), as an `ActivityKind` code.
    #[serde(default)]
    pub activity: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanDataError {
    #[error("the plan data file does not match the plan schema")]
    Syntax(#[from] toml::de::Error),
    #[error("the plan data file is inconsistent: {0}")]
    Inconsistent(String),
}

impl PlanData {
    /// The plan shipped with this build of Pouls.
    pub fn embedded() -> Result<Self, PlanDataError> {
        Self::parse(EMBEDDED)
    }

    pub fn parse(text: &str) -> Result<Self, PlanDataError> {
        let plan: Self = toml::from_str(text)?;
        plan.check()?;
        Ok(plan)
    }

    pub fn indicator_count(&self) -> usize {
        self.actions.iter().map(|a| a.indicators.len()).sum()
    }

    /// Cross-references that serde cannot see: every number points at something that exists
    /// and every indicator code matches its action and position.
    fn check(&self) -> Result<(), PlanDataError> {
        let fail = |message: String| Err(PlanDataError::Inconsistent(message));
        let phases: HashSet<i32> = self.phases.iter().map(|p| p.number).collect();
        for phase in &self.phases {
            if Phase::from_number(phase.number).is_err() {
                return fail(format!("unknown phase {}", phase.number));
            }
        }
        let ambitions: HashSet<i32> = self.ambitions.iter().map(|a| a.number).collect();
        let themes: HashSet<&str> = self.themes.iter().map(|t| t.code.as_str()).collect();
        let publics: HashSet<&str> = self.publics.iter().map(|p| p.code.as_str()).collect();
        for orientation in &self.orientations {
            if !ambitions.contains(&orientation.ambition) {
                return fail(format!(
                    "orientation {} names unknown ambition {}",
                    orientation.number, orientation.ambition
                ));
            }
        }
        let orientations: HashSet<i32> = self.orientations.iter().map(|o| o.number).collect();
        let mut seen_actions = HashSet::new();
        for action in &self.actions {
            let n = action.number;
            let number = u8::try_from(n)
                .ok()
                .and_then(|n| ActionNumber::new(n).ok())
                .ok_or_else(|| PlanDataError::Inconsistent(format!("bad action number {n}")))?;
            if !seen_actions.insert(n) {
                return fail(format!("action {n} appears twice"));
            }
            if !orientations.contains(&action.orientation) {
                return fail(format!("action {n} names unknown orientation"));
            }
            if !phases.contains(&action.phase) {
                return fail(format!("action {n} names unknown phase {}", action.phase));
            }
            if let Some(code) = action.themes.iter().find(|c| !themes.contains(c.as_str())) {
                return fail(format!("action {n} names unknown theme {code}"));
            }
            if let Some(code) = action
                .publics
                .iter()
                .find(|c| !publics.contains(c.as_str()))
            {
                return fail(format!("action {n} names unknown public {code}"));
            }
            for (index, indicator) in action.indicators.iter().enumerate() {
                let expected = u8::try_from(index + 1)
                    .ok()
                    .and_then(|position| IndicatorCode::new(number, position).ok())
                    .map(|code| code.to_string());
                if expected.as_deref() != Some(indicator.code.as_str()) {
                    return fail(format!(
                        "indicator {} of action {n} should be coded {}",
                        indicator.code,
                        expected.unwrap_or_default()
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> PlanData {
        PlanData::embedded().expect("the embedded plan parses")
    }

    #[test]
    fn embedded_plan_has_the_counts_of_the_deliberation() {
        let plan = plan();
        assert_eq!(plan.ambitions.len(), 4);
        assert_eq!(plan.orientations.len(), 12);
        assert_eq!(plan.actions.len(), 17);
        assert_eq!(plan.indicator_count(), 83);
        assert_eq!(plan.communes.len(), 23);
        assert_eq!(plan.themes.len(), 7);
        assert_eq!(plan.publics.len(), 11);
        let per_action: Vec<usize> = plan.actions.iter().map(|a| a.indicators.len()).collect();
        assert_eq!(
            per_action,
            [4, 6, 5, 5, 5, 5, 5, 6, 5, 5, 5, 5, 5, 5, 5, 2, 5]
        );
    }

    #[test]
    fn phases_match_the_summary_table() {
        let plan = plan();
        let in_phase = |phase: i32| -> Vec<i32> {
            plan.actions
                .iter()
                .filter(|a| a.phase == phase)
                .map(|a| a.number)
                .collect()
        };
        assert_eq!(in_phase(1), [5, 8, 11, 14, 16, 17]);
        assert_eq!(in_phase(2), [1, 2, 3, 4, 6, 7, 15]);
        assert_eq!(in_phase(3), [9, 10, 12, 13]);
    }

    #[test]
    fn action_14_indicators_keep_the_fiche_wording() {
        let plan = plan();
        let action = plan
            .actions
            .iter()
            .find(|a| a.number == 14)
            .expect("action 14");
        assert_eq!(
            action.indicators[1].label,
            "Nombre de contributions issues des professionnels de première ligne."
        );
        assert_eq!(action.indicators[1].code, "A14.2");
    }

    #[test]
    fn refuses_a_wrong_indicator_code() {
        let text = EMBEDDED.replacen("code = \"A1.2\"", "code = \"A1.9\"", 1);
        assert!(matches!(
            PlanData::parse(&text),
            Err(PlanDataError::Inconsistent(_))
        ));
    }

    #[test]
    fn refuses_unknown_keys() {
        let text = format!("surprise = 1\n{EMBEDDED}");
        assert!(matches!(
            PlanData::parse(&text),
            Err(PlanDataError::Syntax(_))
        ));
    }
}
