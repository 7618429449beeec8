//! The CTG plan: the data file shipped in the repository and the read models pages use.

mod data;
mod model;

pub use data::{
    PlanAction, PlanAmbition, PlanCommune, PlanData, PlanDataError, PlanIndicator, PlanLabel,
    PlanOrientation, PlanPhase, PlanTerritory, TerritoryKind,
};
pub use model::{
    ActionDetail, ActionSummary, AmbitionOverview, Indicator, IndicatorKind, Labelled,
    OrientationOverview, PlanCounts, PlanOverview, UnknownIndicatorKind,
};
