//! What staff type into the survey builder, parsed and checked before anything is stored.

use time::macros::format_description;
use time::{Date, Month};

mod question;

pub use question::{ConditionChoice, OptionEdit, QuestionDraft, QuestionInput};

use crate::domain::{ActionNumber, FieldErrors, ParseError};

const TITLE_MAX: usize = 150;
const INTRO_MAX: usize = 1000;
const WHY_MAX: usize = 200;
const LABEL_MAX: usize = 300;
const HELP_MAX: usize = 500;
const OPTION_MAX: usize = 200;
const SCALE_LABEL_MAX: usize = 60;

/// A date as typed: `2026-11-29` (what date pickers send) or `29/11/2026`.
pub fn parse_french_date(input: &str) -> Result<Date, ParseError> {
    let input = input.trim();
    let iso = format_description!("[year]-[month]-[day]");
    let french = format_description!("[day]/[month]/[year]");
    Date::parse(input, iso)
        .or_else(|_| Date::parse(input, french))
        .map_err(|_| ParseError::new("Saisissez une date valide, par exemple 29/11/2026."))
}

/// `date` plus `years` years (29 February becomes 28 February).
fn add_years(date: Date, years: i32) -> Date {
    let year = date.year() + years;
    let day = date.day().min(date.month().length(year));
    Date::from_calendar_date(year, date.month(), day)
        .unwrap_or_else(|_| Date::from_calendar_date(year, Month::January, 1).unwrap_or(date))
}

fn check_text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    required: &str,
    max: usize,
) -> String {
    let value = value.trim();
    if value.is_empty() && !required.is_empty() {
        errors.add(field, required);
    } else if value.chars().count() > max {
        errors.add(field, format!("{max} caractères au plus."));
    }
    value.to_owned()
}

/// The survey form as sent.
#[derive(Debug, Clone, Default)]
pub struct SurveyInput {
    pub title: String,
    pub intro: String,
    pub why: String,
    pub actions: Vec<String>,
    pub themes: Vec<String>,
    pub opens_on: String,
    pub closes_on: String,
    pub retention_until: String,
}

/// A valid survey, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyDraft {
    pub title: String,
    pub intro: String,
    pub why: String,
    pub actions: Vec<i32>,
    pub themes: Vec<String>,
    pub opens_on: Date,
    pub closes_on: Date,
    pub retention_until: Date,
}

impl SurveyDraft {
    /// Retention defaults to two years after closing.
    pub const DEFAULT_RETENTION_YEARS: i32 = 2;

    pub fn parse(input: &SurveyInput, known_themes: &[&str]) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = check_text(
            &mut errors,
            "title",
            &input.title,
            "Donnez un titre à l'enquête.",
            TITLE_MAX,
        );
        let intro = check_text(
            &mut errors,
            "intro",
            &input.intro,
            "Écrivez une courte introduction : à quoi sert l'enquête, en quelques mots simples.",
            INTRO_MAX,
        );
        let why = check_text(&mut errors, "why", &input.why, "", WHY_MAX);
        let mut actions = Vec::new();
        for value in &input.actions {
            match ActionNumber::parse(value) {
                Ok(number) => actions.push(i32::from(number.get())),
                Err(error) => errors.add("actions", error.0),
            }
        }
        actions.sort_unstable();
        actions.dedup();
        if actions.is_empty() && errors.get("actions").is_none() {
            errors.add(
                "actions",
                "Cochez au moins une action du plan que l'enquête sert.",
            );
        }
        let mut themes: Vec<String> = Vec::new();
        for theme in &input.themes {
            if !known_themes.contains(&theme.as_str()) {
                errors.add("themes", "Choisissez les thèmes dans la liste.");
            } else if !themes.contains(theme) {
                themes.push(theme.clone());
            }
        }
        let mut date = |field: &str, value: &str, missing: &str| -> Option<Date> {
            if value.trim().is_empty() {
                if !missing.is_empty() {
                    errors.add(field, missing);
                }
                return None;
            }
            parse_french_date(value)
                .map_err(|e| errors.add(field, e.0))
                .ok()
        };
        let opens_on = date("opens_on", &input.opens_on, "Indiquez la date d'ouverture.");
        let closes_on = date(
            "closes_on",
            &input.closes_on,
            "Indiquez la date de clôture.",
        );
        let retention = date("retention_until", &input.retention_until, "");
        if let (Some(opens), Some(closes)) = (opens_on, closes_on)
            && closes < opens
        {
            errors.add(
                "closes_on",
                "La date de clôture doit suivre la date d'ouverture.",
            );
        }
        let retention_until = match (retention, closes_on) {
            (Some(retention), Some(closes)) if retention < closes => {
                errors.add(
                    "retention_until",
                    "Les réponses doivent être conservées au moins jusqu'à la clôture.",
                );
                None
            }
            (Some(retention), _) => Some(retention),
            (None, Some(closes)) => Some(add_years(closes, Self::DEFAULT_RETENTION_YEARS)),
            (None, None) => None,
        };
        match (opens_on, closes_on, retention_until) {
            (Some(opens_on), Some(closes_on), Some(retention_until)) if errors.is_empty() => {
                Ok(Self {
                    title,
                    intro,
                    why,
                    actions,
                    themes,
                    opens_on,
                    closes_on,
                    retention_until,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const THEMES: [&str; 2] = ["jeunesse", "parentalite"];

    fn survey_input() -> SurveyInput {
        SurveyInput {
            title: "Foire de printemps".into(),
            intro: "Dites-nous ce que vous pensez.".into(),
            why: String::new(),
            actions: vec!["2".into(), "14".into()],
            themes: vec!["jeunesse".into()],
            opens_on: "2026-04-01".into(),
            closes_on: "30/04/2026".into(),
            retention_until: String::new(),
        }
    }

    #[test]
    fn a_survey_needs_a_title_an_intro_an_action_and_ordered_dates() {
        let draft = SurveyDraft::parse(&survey_input(), &THEMES).expect("valid");
        assert_eq!(draft.actions, [2, 14]);
        assert_eq!(draft.closes_on, date!(2026 - 04 - 30));
        assert_eq!(
            draft.retention_until,
            date!(2028 - 04 - 30),
            "closing + 2 years"
        );

        let input = SurveyInput {
            actions: vec!["18".into()],
            themes: vec!["cuisine".into()],
            ..SurveyInput::default()
        };
        let errors = SurveyDraft::parse(&input, &THEMES).expect_err("empty");
        for field in [
            "title",
            "intro",
            "actions",
            "themes",
            "opens_on",
            "closes_on",
        ] {
            assert!(errors.get(field).is_some(), "{field}");
        }

        let mut input = survey_input();
        input.closes_on = "2026-03-01".into();
        let errors = SurveyDraft::parse(&input, &THEMES).expect_err("order");
        assert!(errors.get("closes_on").is_some());

        let mut input = survey_input();
        input.retention_until = "2026-04-01".into();
        assert!(
            SurveyDraft::parse(&input, &THEMES)
                .expect_err("retention")
                .get("retention_until")
                .is_some()
        );
    }

    #[test]
    fn dates_in_both_notations_and_leap_days() {
        assert_eq!(parse_french_date("29/02/2028"), Ok(date!(2028 - 02 - 29)));
        assert_eq!(parse_french_date("2026-11-29"), Ok(date!(2026 - 11 - 29)));
        assert!(parse_french_date("31/02/2026").is_err());
        assert!(parse_french_date("demain").is_err());
        assert_eq!(add_years(date!(2028 - 02 - 29), 2), date!(2030 - 02 - 28));
    }
}
