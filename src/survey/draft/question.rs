//! A question as staff type it into the builder, parsed and checked against the questions
//! before it.

use super::{HELP_MAX, LABEL_MAX, OPTION_MAX, SCALE_LABEL_MAX, check_text};
use crate::domain::FieldErrors;
use crate::survey::validate::{format_number, parse_number};
use crate::survey::{Question, QuestionKind};

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
    use super::*;
    use crate::survey::QuestionOption;

    const THEMES: [&str; 2] = ["jeunesse", "parentalite"];

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
