//! What staff type into the survey builder, parsed and checked before anything is stored.

use time::macros::format_description;
use time::{Date, Month};

use super::validate::{format_number, parse_number};
use super::{Question, QuestionKind};
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

/// An existing option as edited: its new label, or removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionEdit {
    pub code: String,
    pub label: String,
    pub remove: bool,
}

/// "Show only if question `question_code` was answered `option_code`."
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionChoice {
    pub question_code: String,
    pub option_code: String,
}

impl ConditionChoice {
    /// The value of the condition select: `Q2=oui`.
    pub fn value(&self) -> String {
        format!("{}={}", self.question_code, self.option_code)
    }
}

/// The question form as sent.
#[derive(Debug, Clone, Default)]
pub struct QuestionInput {
    pub kind: String,
    pub label: String,
    pub help: String,
    pub required: bool,
    pub theme: String,
    pub max_choices: String,
    pub min_value: String,
    pub max_value: String,
    pub scale_min_label: String,
    pub scale_max_label: String,
    /// New options, one a line.
    pub new_options: String,
    pub option_edits: Vec<OptionEdit>,
    /// `""` or `Q2=oui`.
    pub condition: String,
}

/// A valid question, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionDraft {
    pub kind: QuestionKind,
    pub label: String,
    pub help: String,
    pub required: bool,
    pub theme: Option<String>,
    pub max_choices: Option<i32>,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    pub scale_min_label: String,
    pub scale_max_label: String,
    pub new_options: Vec<String>,
    pub option_edits: Vec<OptionEdit>,
    pub condition: Option<ConditionChoice>,
}

impl QuestionDraft {
    /// `earlier`: the questions placed before this one, which a condition may refer to.
    pub fn parse(
        input: &QuestionInput,
        earlier: &[Question],
        known_themes: &[&str],
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = QuestionKind::parse(&input.kind).map_err(|_| {
            let mut e = FieldErrors::default();
            e.add("kind", "Choisissez le type de question.");
            e
        })?;
        let label = check_text(
            &mut errors,
            "label",
            &input.label,
            "Écrivez la question.",
            LABEL_MAX,
        );
        let help = check_text(&mut errors, "help", &input.help, "", HELP_MAX);
        let theme = Some(input.theme.trim().to_owned()).filter(|t| !t.is_empty());
        if theme.as_deref().is_some_and(|t| !known_themes.contains(&t)) {
            errors.add("theme", "Choisissez un thème dans la liste.");
        }

        let mut new_options: Vec<String> = Vec::new();
        let mut option_edits = Vec::new();
        if kind.has_custom_options() {
            for edit in &input.option_edits {
                let label = edit.label.trim().to_owned();
                let field = format!("option-{}", edit.code);
                if !edit.remove && label.is_empty() {
                    errors.add(
                        field,
                        "Écrivez le libellé de l'option, ou cochez « supprimer ».",
                    );
                } else if label.chars().count() > OPTION_MAX {
                    errors.add(field, format!("{OPTION_MAX} caractères au plus."));
                }
                option_edits.push(OptionEdit {
                    code: edit.code.clone(),
                    label,
                    remove: edit.remove,
                });
            }
            for line in input
                .new_options
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
            {
                if line.chars().count() > OPTION_MAX {
                    errors.add(
                        "new_options",
                        format!("Chaque option compte {OPTION_MAX} caractères au plus."),
                    );
                }
                new_options.push(line.to_owned());
            }
            let mut labels: Vec<String> = option_edits
                .iter()
                .filter(|e| !e.remove)
                .map(|e| e.label.to_lowercase())
                .chain(new_options.iter().map(|l| l.to_lowercase()))
                .collect();
            let count = labels.len();
            labels.sort_unstable();
            labels.dedup();
            if count < 2 {
                errors.add(
                    "new_options",
                    "Proposez au moins deux options, une par ligne.",
                );
            } else if labels.len() != count {
                errors.add("new_options", "Deux options portent le même libellé.");
            }
        }

        let mut max_choices = None;
        if kind == QuestionKind::Multiple && !input.max_choices.trim().is_empty() {
            let options = option_edits.iter().filter(|e| !e.remove).count() + new_options.len();
            match input.max_choices.trim().parse::<i32>() {
                Ok(n) if n >= 1 && usize::try_from(n).is_ok_and(|n| n <= options.max(1)) => {
                    max_choices = Some(n);
                }
                _ => errors.add(
                    "max_choices",
                    format!("Saisissez un nombre entier entre 1 et {}.", options.max(1)),
                ),
            }
        }

        let (mut min_value, mut max_value) = (None, None);
        if kind == QuestionKind::Number {
            let mut bound = |field: &str, value: &str| -> Option<f64> {
                if value.trim().is_empty() {
                    return None;
                }
                let parsed = parse_number(value);
                if parsed.is_none() {
                    errors.add(field, "Saisissez un nombre, par exemple 0 ou 2,5.");
                }
                parsed
            };
            min_value = bound("min_value", &input.min_value);
            max_value = bound("max_value", &input.max_value);
            if let (Some(min), Some(max)) = (min_value, max_value)
                && min > max
            {
                errors.add(
                    "max_value",
                    "Le maximum doit être supérieur ou égal au minimum.",
                );
            }
        }

        let (mut scale_min_label, mut scale_max_label) = (String::new(), String::new());
        if kind == QuestionKind::Scale {
            scale_min_label = check_text(
                &mut errors,
                "scale_min_label",
                &input.scale_min_label,
                "",
                SCALE_LABEL_MAX,
            );
            scale_max_label = check_text(
                &mut errors,
                "scale_max_label",
                &input.scale_max_label,
                "",
                SCALE_LABEL_MAX,
            );
        }

        let condition = match input.condition.trim() {
            "" => None,
            value => {
                let choice = value.split_once('=').and_then(|(q, o)| {
                    let question = earlier
                        .iter()
                        .find(|e| e.code == q && e.kind.can_control_conditions())?;
                    question.option_by_code(o)?;
                    Some(ConditionChoice {
                        question_code: q.to_owned(),
                        option_code: o.to_owned(),
                    })
                });
                if choice.is_none() {
                    errors.add(
                        "condition",
                        "La condition doit porter sur une question à choix unique ou oui / non placée avant celle-ci.",
                    );
                }
                choice
            }
        };

        errors.into_result(Self {
            kind,
            label,
            help,
            required: input.required,
            theme,
            max_choices,
            min_value,
            max_value,
            scale_min_label,
            scale_max_label,
            new_options,
            option_edits,
            condition,
        })
    }

    /// Once a survey has answers, the changes that would make stored answers wrong, each
    /// with the field and the French explanation. Wording changes are not among them.
    pub fn structural_changes(&self, existing: &Question) -> FieldErrors {
        let mut errors = FieldErrors::default();
        const WHY: &str = "l'enquête a déjà des réponses";
        if self.kind != existing.kind {
            errors.add("kind", format!("Impossible de changer le type de question : {WHY}. Ajoutez plutôt une nouvelle question."));
        }
        for edit in self.option_edits.iter().filter(|e| e.remove) {
            errors.add(
                format!("option-{}", edit.code),
                format!(
                    "Impossible de supprimer une option : {WHY}. Vous pouvez corriger son libellé."
                ),
            );
        }
        let existing_condition = existing
            .condition
            .as_ref()
            .map(|c| (c.question_code.as_str(), c.option_code.as_str()));
        let new_condition = self
            .condition
            .as_ref()
            .map(|c| (c.question_code.as_str(), c.option_code.as_str()));
        if existing_condition != new_condition {
            errors.add(
                "condition",
                format!("Impossible de changer la condition d'affichage : {WHY}."),
            );
        }
        if let Some(max) = self.max_choices
            && existing.max_choices.is_none_or(|old| max < old)
        {
            errors.add(
                "max_choices",
                format!("Impossible de réduire le nombre de choix permis : {WHY}."),
            );
        }
        let narrower_min = self
            .min_value
            .is_some_and(|new| existing.min_value.is_none_or(|old| new > old));
        let narrower_max = self
            .max_value
            .is_some_and(|new| existing.max_value.is_none_or(|old| new < old));
        if narrower_min || narrower_max {
            let bounds = match (existing.min_value, existing.max_value) {
                (Some(a), Some(b)) => format!(
                    " (actuellement de {} à {})",
                    format_number(a),
                    format_number(b)
                ),
                _ => String::new(),
            };
            errors.add(
                "min_value",
                format!("Impossible de restreindre les bornes{bounds} : {WHY}."),
            );
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::survey::QuestionOption;

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

    fn earlier() -> Vec<Question> {
        vec![Question {
            id: 1,
            code: "Q1".into(),
            position: 1,
            kind: QuestionKind::YesNo,
            label: "Avez-vous des enfants ?".into(),
            help: String::new(),
            required: true,
            theme: None,
            max_choices: None,
            min_value: None,
            max_value: None,
            scale_min_label: String::new(),
            scale_max_label: String::new(),
            condition: None,
            options: vec![
                QuestionOption {
                    id: 1,
                    code: "oui".into(),
                    label: "Oui".into(),
                },
                QuestionOption {
                    id: 2,
                    code: "non".into(),
                    label: "Non".into(),
                },
            ],
        }]
    }

    fn question_input(kind: &str) -> QuestionInput {
        QuestionInput {
            kind: kind.into(),
            label: "Quels services utilisez-vous ?".into(),
            required: true,
            new_options: "Crèche\nRPE\n\nAccueil de loisirs\n".into(),
            ..QuestionInput::default()
        }
    }

    #[test]
    fn choice_questions_need_two_distinct_options() {
        let draft = QuestionDraft::parse(&question_input("multiple"), &[], &THEMES).expect("valid");
        assert_eq!(draft.new_options, ["Crèche", "RPE", "Accueil de loisirs"]);
        let mut input = question_input("single");
        input.new_options = "Seule".into();
        assert!(
            QuestionDraft::parse(&input, &[], &THEMES)
                .expect_err("one")
                .get("new_options")
                .is_some()
        );
        input.new_options = "Oui\noui".into();
        assert!(QuestionDraft::parse(&input, &[], &THEMES).is_err());
    }

    #[test]
    fn multiple_choice_maximum_and_number_bounds() {
        let mut input = question_input("multiple");
        input.max_choices = "2".into();
        assert_eq!(
            QuestionDraft::parse(&input, &[], &THEMES).map(|d| d.max_choices),
            Ok(Some(2))
        );
        input.max_choices = "4".into();
        assert!(
            QuestionDraft::parse(&input, &[], &THEMES).is_err(),
            "more than the options"
        );
        let mut input = question_input("number");
        input.min_value = "10".into();
        input.max_value = "2".into();
        assert!(
            QuestionDraft::parse(&input, &[], &THEMES)
                .expect_err("order")
                .get("max_value")
                .is_some()
        );
        input.max_value = "20,5".into();
        assert_eq!(
            QuestionDraft::parse(&input, &[], &THEMES).map(|d| d.max_value),
            Ok(Some(20.5))
        );
    }

    #[test]
    fn conditions_refer_to_an_earlier_choice_question() {
        let mut input = question_input("short_text");
        input.condition = "Q1=oui".into();
        let draft = QuestionDraft::parse(&input, &earlier(), &THEMES).expect("valid");
        assert_eq!(draft.condition.map(|c| c.value()), Some("Q1=oui".into()));
        for bad in ["Q1=peut-être", "Q9=oui", "n'importe quoi"] {
            input.condition = bad.into();
            assert!(
                QuestionDraft::parse(&input, &earlier(), &THEMES).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn structural_changes_are_listed_but_wording_is_free() {
        let existing = &earlier()[0];
        let mut input = question_input("yes_no");
        input.label = "Avez-vous un ou des enfants ?".into();
        let draft = QuestionDraft::parse(&input, &[], &THEMES).expect("valid");
        assert!(draft.structural_changes(existing).is_empty());
        let changed = QuestionDraft::parse(&question_input("single"), &[], &THEMES).expect("valid");
        assert!(changed.structural_changes(existing).get("kind").is_some());
    }
}
