//! Field reports ("remontées de terrain") from front-line professionals.

use time::Date;

use super::Organisation;
use crate::domain::FieldErrors;
use crate::survey::parse_french_date;

const OBSERVED_MAX: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldReport {
    pub id: i64,
    pub organisation: Organisation,
    /// `None`: the whole territory.
    pub commune: Option<String>,
    pub themes: Vec<String>,
    pub publics: Vec<String>,
    pub observed: String,
    pub people_count: Option<i64>,
    pub observed_on: Date,
    pub created_by: i64,
    pub created_by_label: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    pub organisation: String,
    pub commune: String,
    pub themes: Vec<String>,
    pub publics: Vec<String>,
    pub observed: String,
    pub people_count: String,
    pub observed_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDraft {
    pub organisation: Organisation,
    pub commune: Option<String>,
    pub themes: Vec<String>,
    pub publics: Vec<String>,
    pub observed: String,
    pub people_count: Option<i64>,
    pub observed_on: Date,
}

/// The lists a form's choices must come from.
pub struct Lists<'a> {
    pub communes: &'a [&'a str],
    pub themes: &'a [&'a str],
    pub publics: &'a [&'a str],
}

/// Keeps the values of `chosen` that are in `known`, once each; an error if any is not.
pub(crate) fn known(
    errors: &mut FieldErrors,
    field: &str,
    chosen: &[String],
    known: &[&str],
) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for value in chosen.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        if !known.contains(&value) {
            errors.add(field, "Choisissez dans la liste proposée.");
            break;
        }
        if !kept.iter().any(|k| k == value) {
            kept.push(value.to_owned());
        }
    }
    kept
}

impl ReportDraft {
    pub fn parse(input: &ReportInput, lists: &Lists<'_>, today: Date) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let organisation = Organisation::parse(&input.organisation)
            .map_err(|_| {
                errors.add(
                    "organisation",
                    "Choisissez le type de structure qui fait la remontée.",
                )
            })
            .ok();
        let commune = match input.commune.trim() {
            "" | "territoire" => None,
            code if lists.communes.contains(&code) => Some(code.to_owned()),
            _ => {
                errors.add(
                    "commune",
                    "Choisissez une commune, ou « Tout le territoire ».",
                );
                None
            }
        };
        let themes = known(&mut errors, "themes", &input.themes, lists.themes);
        if themes.is_empty() && errors.get("themes").is_none() {
            errors.add("themes", "Cochez au moins un thème.");
        }
        let publics = known(&mut errors, "publics", &input.publics, lists.publics);
        let observed = input.observed.trim().to_owned();
        if observed.is_empty() {
            errors.add("observed", "Décrivez ce qui a été observé.");
        } else if observed.chars().count() > OBSERVED_MAX {
            errors.add("observed", format!("{OBSERVED_MAX} caractères au plus."));
        }
        let people_count = match input.people_count.trim() {
            "" => None,
            typed => match typed.parse::<i64>() {
                Ok(n) if (1..=100_000).contains(&n) => Some(n),
                _ => {
                    errors.add(
                        "people_count",
                        "Saisissez un nombre entier de personnes, ou laissez vide.",
                    );
                    None
                }
            },
        };
        let observed_on = parse_french_date(&input.observed_on)
            .map_err(|e| errors.add("observed_on", e.0))
            .ok()
            .filter(|day| {
                let future = *day > today;
                if future {
                    errors.add("observed_on", "La date ne peut pas être dans le futur.");
                }
                !future
            });
        match (organisation, observed_on) {
            (Some(organisation), Some(observed_on)) if errors.is_empty() => Ok(Self {
                organisation,
                commune,
                themes,
                publics,
                observed,
                people_count,
                observed_on,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn lists() -> Lists<'static> {
        Lists {
            communes: &["sergines"],
            themes: &["acces-aux-droits"],
            publics: &["familles"],
        }
    }

    #[test]
    fn a_report_needs_an_organisation_a_theme_a_description_and_a_past_date() {
        let input = ReportInput {
            organisation: "france_services".into(),
            commune: "sergines".into(),
            themes: vec!["acces-aux-droits".into()],
            publics: vec!["familles".into()],
            observed: "Plusieurs familles sans solution de transport vers la CAF de Sens.".into(),
            people_count: "6".into(),
            observed_on: "2026-11-20".into(),
        };
        let today = date!(2026 - 11 - 29);
        let draft = ReportDraft::parse(&input, &lists(), today).expect("valid");
        assert_eq!(draft.people_count, Some(6));
        let errors =
            ReportDraft::parse(&ReportInput::default(), &lists(), today).expect_err("empty");
        for field in ["organisation", "themes", "observed", "observed_on"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        let future = ReportInput {
            observed_on: "2027-01-01".into(),
            people_count: "beaucoup".into(),
            ..input.clone()
        };
        let errors = ReportDraft::parse(&future, &lists(), today).expect_err("future");
        assert!(errors.get("observed_on").is_some());
        assert!(errors.get("people_count").is_some());
        let territory = ReportInput {
            commune: "territoire".into(),
            ..input
        };
        assert_eq!(
            ReportDraft::parse(&territory, &lists(), today).map(|d| d.commune),
            Ok(None)
        );
    }
}
