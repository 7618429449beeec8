//! Read models of the plan, as pages show them.

use std::fmt;
use std::str::FromStr;

use serde::Deserialize;

use crate::domain::Phase;

/// How an indicator is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    Count,
    Rate,
    Score,
    Qualitative,
}

#[derive(Debug, thiserror::Error)]
#[error("unknown indicator kind {0:?}")]
pub struct UnknownIndicatorKind(pub String);

impl IndicatorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Count => "count",
            Self::Rate => "rate",
            Self::Score => "score",
            Self::Qualitative => "qualitative",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Count => "Dénombrement",
            Self::Rate => "Taux",
            Self::Score => "Score",
            Self::Qualitative => "Qualitatif",
        }
    }
}

impl FromStr for IndicatorKind {
    type Err = UnknownIndicatorKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "count" => Ok(Self::Count),
            "rate" => Ok(Self::Rate),
            "score" => Ok(Self::Score),
            "qualitative" => Ok(Self::Qualitative),
            other => Err(UnknownIndicatorKind(other.to_owned())),
        }
    }
}

impl fmt::Display for IndicatorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A code with its French label (theme, public, commune).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanOverview {
    pub title: String,
    pub territory: String,
    pub partner: String,
    pub ambitions: Vec<AmbitionOverview>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmbitionOverview {
    pub number: i32,
    pub title: String,
    pub impacts: Vec<String>,
    pub orientations: Vec<OrientationOverview>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrientationOverview {
    pub number: i32,
    pub title: String,
    pub actions: Vec<ActionSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionSummary {
    pub number: i32,
    pub title: String,
    pub objective: String,
    pub phase: Phase,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActionDetail {
    pub summary: ActionSummary,
    pub ambition_number: i32,
    pub ambition_title: String,
    pub orientation_title: String,
    pub diagnostic: String,
    pub finality: String,
    pub operational_objectives: Vec<String>,
    pub target_publics: Vec<String>,
    pub publics: Vec<Labelled>,
    pub themes: Vec<Labelled>,
    pub implementation: String,
    pub services: Vec<String>,
    pub partners: Vec<String>,
    pub expected_results: Vec<String>,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub code: String,
    pub label: String,
    pub kind: IndicatorKind,
}

/// How many rows of each part of the plan the database holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanCounts {
    pub ambitions: i64,
    pub orientations: i64,
    pub actions: i64,
    pub indicators: i64,
    pub communes: i64,
    pub themes: i64,
    pub publics: i64,
}
