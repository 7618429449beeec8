//! A CTG plan data file (`data/ctg-2026-2030.toml`, or any plan written to
//! `docs/plan-format.md`), parsed and checked. Every error names the line of the file at
//! fault and the field, so whoever wrote the file can mend it.

use std::collections::HashSet;
use std::fmt;

use serde::Deserialize;

use super::IndicatorKind;
use crate::domain::{ActionNumber, Phase};
use crate::indicators::RuleKind;
use crate::territory::TerritorySlug;

const EMBEDDED: &str = include_str!("../../data/ctg-2026-2030.toml");

/// The version of the plan file format this build reads.
pub const SCHEMA: u32 = 2;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanData {
    pub schema: u32,
    pub plan_version: String,
    pub title: String,
    pub partner: String,
    pub adopted_on: String,
    /// The years the plan covers; indicators aim at `last_year` by default.
    pub first_year: i32,
    pub last_year: i32,
    pub territory: PlanTerritory,
    pub phases: Vec<PlanPhase>,
    pub themes: Vec<PlanLabel>,
    pub publics: Vec<PlanLabel>,
    pub communes: Vec<PlanCommune>,
    pub ambitions: Vec<PlanAmbition>,
    pub orientations: Vec<PlanOrientation>,
    pub actions: Vec<PlanAction>,
}

/// Who the plan is for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanTerritory {
    /// Short, stable, lower case: public pages live under `/t/{slug}/`.
    pub slug: String,
    pub name: String,
    pub kind: TerritoryKind,
    #[serde(default)]
    pub siren: Option<String>,
}

pub use crate::territory::TerritoryKind;

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
    /// The INSEE code (COG), which links the commune to INSEE and CAF figures.
    #[serde(default)]
    pub insee: Option<String>,
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

/// Why a plan file was refused: where, and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PlanDataError {
    /// The line of the file at fault (1 for the first), when known.
    pub line: Option<usize>,
    /// The field at fault, as a path (`actions[3].orientation`), when known.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for PlanDataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, &self.field) {
            (Some(line), Some(field)) => write!(f, "line {line}, {field}: {}", self.message),
            (Some(line), None) => write!(f, "line {line}: {}", self.message),
            (None, Some(field)) => write!(f, "{field}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

/// A step of a field's path in the file.
#[derive(Debug, Clone, Copy)]
enum Step {
    Key(&'static str),
    Index(usize),
}

/// A problem found once the file parsed, at a field given by its path.
struct Problem {
    path: Vec<Step>,
    message: String,
}

fn problem(path: &[Step], message: impl Into<String>) -> Problem {
    Problem {
        path: path.to_vec(),
        message: message.into(),
    }
}

fn path_text(path: &[Step]) -> String {
    let mut text = String::new();
    for step in path {
        match step {
            Step::Key(key) if text.is_empty() => text.push_str(key),
            Step::Key(key) => {
                text.push('.');
                text.push_str(key);
            }
            Step::Index(index) => text.push_str(&format!("[{index}]")),
        }
    }
    text
}

/// The line a byte offset of `text` is on.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .unwrap_or(text)
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

/// The line of the value at `path`, read from the file's syntax tree.
fn line_at(text: &str, path: &[Step]) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let mut span = root.span();
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    let mut array: Option<&[toml::Spanned<DeValue<'_>>]> = None;
    for step in path {
        let value = match (step, table, array) {
            (Step::Key(key), Some(t), _) => t.get(*key)?,
            (Step::Index(index), _, Some(a)) => a.get(*index)?,
            _ => return None,
        };
        span = value.span();
        (table, array) = match value.get_ref() {
            DeValue::Table(t) => (Some(t), None),
            DeValue::Array(a) => (None, Some(a.as_ref())),
            _ => (None, None),
        };
    }
    Some(line_of(text, span.start))
}

impl PlanData {
    /// The plan shipped with this build of Pouls (the CCYN's).
    pub fn embedded() -> Result<Self, PlanDataError> {
        Self::parse(EMBEDDED)
    }

    /// Reads a plan file; any error says where it is.
    pub fn parse(text: &str) -> Result<Self, PlanDataError> {
        let plan: Self = toml::from_str(text).map_err(|error| PlanDataError {
            line: error.span().map(|span| line_of(text, span.start)),
            field: None,
            message: error.message().trim().to_owned(),
        })?;
        plan.check().map_err(|found| PlanDataError {
            line: line_at(text, &found.path),
            field: (!found.path.is_empty()).then(|| path_text(&found.path)),
            message: found.message,
        })?;
        Ok(plan)
    }

    pub fn indicator_count(&self) -> usize {
        self.actions.iter().map(|a| a.indicators.len()).sum()
    }

    /// What serde cannot see: the format version, codes that are unique and well formed,
    /// and every number pointing at something that exists.
    fn check(&self) -> Result<(), Problem> {
        use Step::{Index, Key};
        if self.schema != SCHEMA {
            return Err(problem(
                &[Key("schema")],
                format!(
                    "this build of Pouls reads plan files of schema {SCHEMA}, not {}",
                    self.schema
                ),
            ));
        }
        if TerritorySlug::parse(&self.territory.slug).is_err() {
            return Err(problem(
                &[Key("territory"), Key("slug")],
                "a slug is 2 to 32 lower case letters, digits and hyphens, not starting or \
                 ending with a hyphen (for example \"ccyn\")",
            ));
        }
        if let Some(siren) = &self.territory.siren
            && !(siren.len() == 9 && siren.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(problem(
                &[Key("territory"), Key("siren")],
                "a SIREN is 9 digits",
            ));
        }
        if self.first_year > self.last_year || !(2000..=2100).contains(&self.first_year) {
            return Err(problem(
                &[Key("last_year")],
                "first_year and last_year are years, the first not after the last",
            ));
        }
        let phases = unique(&self.phases, "phases", |p| p.number.to_string())?;
        for (index, phase) in self.phases.iter().enumerate() {
            if Phase::from_number(phase.number).is_err() {
                return Err(problem(
                    &[Key("phases"), Index(index), Key("number")],
                    "phases are numbered 1 to 3",
                ));
            }
        }
        let themes = unique(&self.themes, "themes", |t| t.code.clone())?;
        let publics = unique(&self.publics, "publics", |p| p.code.clone())?;
        unique(&self.communes, "communes", |c| c.code.clone())?;
        for (index, commune) in self.communes.iter().enumerate() {
            if let Some(insee) = &commune.insee
                && !is_insee(insee)
            {
                return Err(problem(
                    &[Key("communes"), Index(index), Key("insee")],
                    format!(
                        "{insee:?} is not an INSEE commune code (5 characters, such as 89074 or 2A004)"
                    ),
                ));
            }
        }
        for (list, codes) in [("themes", &self.themes), ("publics", &self.publics)] {
            if let Some(index) = codes.iter().position(|c| !is_code(&c.code)) {
                return Err(problem(
                    &[Key(list), Index(index), Key("code")],
                    "codes are lower case letters, digits and hyphens",
                ));
            }
        }
        let ambitions = unique(&self.ambitions, "ambitions", |a| a.number.to_string())?;
        for (index, orientation) in self.orientations.iter().enumerate() {
            if !ambitions.contains(&orientation.ambition.to_string()) {
                return Err(problem(
                    &[Key("orientations"), Index(index), Key("ambition")],
                    format!("no ambition is numbered {}", orientation.ambition),
                ));
            }
        }
        let orientations = unique(&self.orientations, "orientations", |o| o.number.to_string())?;
        unique(&self.actions, "actions", |a| a.number.to_string())?;
        for (index, action) in self.actions.iter().enumerate() {
            let at = |key: &'static str| [Key("actions"), Index(index), Key(key)];
            let n = action.number;
            if u8::try_from(n)
                .ok()
                .and_then(|n| ActionNumber::new(n).ok())
                .is_none()
            {
                return Err(problem(
                    &at("number"),
                    format!(
                        "actions are numbered {} to {}",
                        ActionNumber::FIRST,
                        ActionNumber::LAST
                    ),
                ));
            }
            if !orientations.contains(&action.orientation.to_string()) {
                return Err(problem(
                    &at("orientation"),
                    format!("no orientation is numbered {}", action.orientation),
                ));
            }
            if !phases.contains(&action.phase.to_string()) {
                return Err(problem(
                    &at("phase"),
                    format!("no phase is numbered {}", action.phase),
                ));
            }
            if let Some(code) = action.themes.iter().find(|c| !themes.contains(c.as_str())) {
                return Err(problem(
                    &at("themes"),
                    format!("no theme is coded {code:?}"),
                ));
            }
            if let Some(code) = action
                .publics
                .iter()
                .find(|c| !publics.contains(c.as_str()))
            {
                return Err(problem(
                    &at("publics"),
                    format!("no public is coded {code:?}"),
                ));
            }
            for (position, indicator) in action.indicators.iter().enumerate() {
                let at = |key: &'static str| {
                    [
                        Key("actions"),
                        Index(index),
                        Key("indicators"),
                        Index(position),
                        Key(key),
                    ]
                };
                if let Some(activity) = &indicator.activity
                    && !RuleKind::parse(activity).is_ok_and(RuleKind::is_activity)
                {
                    let known: Vec<&str> = RuleKind::ALL
                        .into_iter()
                        .filter(|kind| kind.is_activity())
                        .map(RuleKind::code)
                        .collect();
                    return Err(problem(
                        &at("activity"),
                        format!(
                            "{activity:?} is not a platform activity ({})",
                            known.join(", ")
                        ),
                    ));
                }
                let expected = format!("A{n}.{}", position + 1);
                if indicator.code != expected {
                    return Err(problem(
                        &[
                            Key("actions"),
                            Index(index),
                            Key("indicators"),
                            Index(position),
                            Key("code"),
                        ],
                        format!(
                            "the indicator in position {} of action {n} is coded {expected}",
                            position + 1
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A code as the plan writes them: `petite-enfance`, `pont-sur-yonne`.
fn is_code(code: &str) -> bool {
    !code.is_empty()
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// An INSEE commune code: 5 characters, digits but Corsica's 2A / 2B.
fn is_insee(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() == 5
        && (bytes[..2].iter().all(u8::is_ascii_digit) || matches!(&bytes[..2], b"2A" | b"2B"))
        && bytes[2..].iter().all(u8::is_ascii_digit)
}

/// The keys of `items`, refusing the second item with a key already seen.
fn unique<T>(
    items: &[T],
    list: &'static str,
    key: impl Fn(&T) -> String,
) -> Result<HashSet<String>, Problem> {
    let mut seen = HashSet::new();
    for (index, item) in items.iter().enumerate() {
        let key = key(item);
        if !seen.insert(key.clone()) {
            return Err(problem(
                &[Step::Key(list), Step::Index(index)],
                format!("{key} appears twice in {list}"),
            ));
        }
    }
    Ok(seen)
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

    fn line_of_text(text: &str, needle: &str) -> usize {
        line_of(text, text.find(needle).expect("the text is in the file"))
    }

    #[test]
    fn a_wrong_indicator_code_is_refused_at_its_line() {
        let text = EMBEDDED.replacen("code = \"A1.2\"", "code = \"A1.9\"", 1);
        let error = PlanData::parse(&text).expect_err("refused");
        assert_eq!(error.line, Some(line_of_text(&text, "code = \"A1.9\"")));
        assert_eq!(
            error.field.as_deref(),
            Some("actions[0].indicators[1].code")
        );
        assert!(error.to_string().contains("is coded A1.2"), "{error}");
    }

    #[test]
    fn an_unknown_orientation_is_refused_at_its_line() {
        let text = EMBEDDED.replacen("orientation = 1\n", "orientation = 42\n", 1);
        let error = PlanData::parse(&text).expect_err("refused");
        assert_eq!(error.line, Some(line_of_text(&text, "orientation = 42")));
        assert_eq!(error.field.as_deref(), Some("actions[0].orientation"));
        assert!(error.message.contains("no orientation is numbered 42"));
    }

    #[test]
    fn unknown_and_missing_keys_name_the_field_and_line() {
        let text = format!("surprise = 1\n{EMBEDDED}");
        let error = PlanData::parse(&text).expect_err("refused");
        assert_eq!(error.line, Some(1));
        assert!(error.message.contains("surprise"), "{error}");

        let text = EMBEDDED.replacen("name = \"Communauté de Communes Yonne Nord\"\n", "", 1);
        let error = PlanData::parse(&text).expect_err("refused");
        assert!(error.message.contains("missing field `name`"), "{error}");
        assert!(error.line.is_some());
    }

    #[test]
    fn a_wrong_type_names_its_line() {
        let text = EMBEDDED.replacen("phase = 1\n", "phase = \"un\"\n", 1);
        let error = PlanData::parse(&text).expect_err("refused");
        assert_eq!(error.line, Some(line_of_text(&text, "phase = \"un\"")));
    }

    #[test]
    fn codes_and_years_are_checked() {
        for (from, to, field) in [
            ("slug = \"ccyn\"", "slug = \"CC Yonne\"", "territory.slug"),
            ("insee = \"89074\"", "insee = \"8907\"", "communes[0].insee"),
            ("last_year = 2030", "last_year = 2020", "last_year"),
            ("schema = 2", "schema = 1", "schema"),
        ] {
            let text = EMBEDDED.replacen(from, to, 1);
            let error = PlanData::parse(&text).expect_err(to);
            assert_eq!(error.field.as_deref(), Some(field), "{error}");
            assert_eq!(error.line, Some(line_of_text(&text, to)), "{error}");
        }
    }

    #[test]
    fn the_example_plan_reads() {
        let text = include_str!("../../docs/plan-example.toml");
        let plan = PlanData::parse(text).expect("the example plan parses");
        assert_eq!(plan.territory.slug, "val-d-exemple");
        assert_eq!(plan.actions.len(), 3);
        assert_eq!(plan.communes.len(), 5);
        let text = text.replacen("activity = \"meetings\"", "activity = \"reunions\"", 1);
        let error = PlanData::parse(&text).expect_err("unknown activity");
        assert_eq!(
            error.field.as_deref(),
            Some("actions[0].indicators[0].activity")
        );
    }

    #[test]
    fn the_ccyn_communes_carry_their_insee_codes() {
        let plan = plan();
        assert!(plan.communes.iter().all(|c| c.insee.is_some()));
        let sergines = plan
            .communes
            .iter()
            .find(|c| c.code == "sergines")
            .expect("Sergines");
        assert_eq!(sergines.insee.as_deref(), Some("89391"));
        assert_eq!(plan.territory.slug, "ccyn");
        assert_eq!(plan.territory.kind, TerritoryKind::Epci);
    }
}
