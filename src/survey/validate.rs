//! Server-side validation of a resident's answers: everything the form could have got
//! wrong, with a French message by each question, and nothing stored unless all is right.

use std::collections::HashMap;

use super::{Question, QuestionKind, SurveyDefinition};
use crate::domain::{FieldErrors, strip_controls};

/// The raw values of a submitted form, by field name, in the order sent. Repeated fields
/// (check boxes) keep every value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormValues(HashMap<String, Vec<String>>);

impl FormValues {
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut values: HashMap<String, Vec<String>> = HashMap::new();
        for (name, value) in pairs {
            values.entry(name).or_default().push(value);
        }
        Self(values)
    }

    pub fn all(&self, name: &str) -> &[String] {
        self.0.get(name).map_or(&[], Vec::as_slice)
    }

    /// The first value, trimmed, or "".
    pub fn first(&self, name: &str) -> &str {
        self.all(name).first().map_or("", |v| v.trim())
    }

    pub fn contains(&self, name: &str, value: &str) -> bool {
        self.all(name).iter().any(|v| v == value)
    }
}

/// One stored answer: a choice, a text or a number.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub question_id: i64,
    pub option_id: Option<i64>,
    pub text: Option<String>,
    pub number: Option<f64>,
}

/// A valid response, ready to store in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// The form's one-time token: the same token twice stores one response.
    pub token: String,
    pub answers: Vec<Answer>,
}

/// Checks every answer against its question. Unknown fields are ignored; answers to a
/// conditional question whose condition does not hold are dropped.
pub fn validate_submission(
    definition: &SurveyDefinition,
    values: &FormValues,
) -> Result<Vec<Answer>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut answers = Vec::new();
    // Option chosen per controlling question, to evaluate conditions in order.
    let mut chosen: HashMap<i64, String> = HashMap::new();
    for question in &definition.questions {
        if let Some(condition) = &question.condition {
            let holds = chosen.get(&condition.question_id) == Some(&condition.option_code);
            if !holds {
                continue;
            }
        }
        match check(question, values.all(&question.code)) {
            Ok(found) => {
                if question.kind.is_single_choice()
                    && let Some(option) = found.first().and_then(|a| a.option_id)
                    && let Some(o) = question.options.iter().find(|o| o.id == option)
                {
                    chosen.insert(question.id, o.code.clone());
                }
                answers.extend(found);
            }
            Err(message) => errors.add(question.code.clone(), message),
        }
    }
    errors.into_result(answers)
}

/// The answers to one question, or the French message explaining what is wrong.
fn check(question: &Question, raw: &[String]) -> Result<Vec<Answer>, String> {
    // Control characters are already gone from web forms; a file imported may still
    // carry them, and PostgreSQL refuses a NUL.
    let cleaned: Vec<_> = raw.iter().map(|v| strip_controls(v)).collect();
    let given: Vec<&str> = cleaned
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    let answer = |option_id: Option<i64>, text: Option<String>, number: Option<f64>| Answer {
        question_id: question.id,
        option_id,
        text,
        number,
    };
    if given.is_empty() {
        return if question.required {
            Err(missing_message(question.kind).to_owned())
        } else {
            Ok(Vec::new())
        };
    }
    match question.kind {
        kind if kind.is_single_choice() => {
            let mut distinct = given.clone();
            distinct.sort_unstable();
            distinct.dedup();
            if distinct.len() > 1 {
                return Err("Choisissez une seule réponse.".to_owned());
            }
            let option = question
                .option_by_code(distinct[0])
                .ok_or("Choisissez une réponse dans la liste proposée.")?;
            Ok(vec![answer(Some(option.id), None, None)])
        }
        QuestionKind::Multiple => {
            let mut ids = Vec::new();
            for code in given {
                let option = question
                    .option_by_code(code)
                    .ok_or("Choisissez vos réponses dans la liste proposée.")?;
                if !ids.contains(&option.id) {
                    ids.push(option.id);
                }
            }
            if let Some(max) = question.max_choices
                && ids.len() > usize::try_from(max).unwrap_or(usize::MAX)
            {
                return Err(format!(
                    "Choisissez au plus {max} réponse{}.",
                    if max > 1 { "s" } else { "" }
                ));
            }
            Ok(ids
                .into_iter()
                .map(|id| answer(Some(id), None, None))
                .collect())
        }
        QuestionKind::Number => {
            if given.len() > 1 {
                return Err("Saisissez un seul nombre.".to_owned());
            }
            let number =
                parse_number(given[0]).ok_or("Saisissez un nombre, par exemple 3 ou 2,5.")?;
            let below = question.min_value.is_some_and(|min| number < min);
            let above = question.max_value.is_some_and(|max| number > max);
            if below || above {
                return Err(bounds_message(question.min_value, question.max_value));
            }
            Ok(vec![answer(None, None, Some(number))])
        }
        _ => {
            // Text: repeated fields are joined rather than lost.
            let text = given.join("\n");
            let limit = question.kind.max_text_chars();
            let length = text.chars().count();
            if length > limit {
                return Err(format!(
                    "Votre réponse est trop longue : {length} caractères pour {limit} au plus."
                ));
            }
            Ok(vec![answer(None, Some(text), None)])
        }
    }
}

fn missing_message(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Multiple => "Cochez au moins une réponse.",
        QuestionKind::Number => "Saisissez un nombre.",
        QuestionKind::ShortText | QuestionKind::LongText => "Écrivez votre réponse.",
        _ => "Choisissez une réponse.",
    }
}

fn bounds_message(min: Option<f64>, max: Option<f64>) -> String {
    let show = |n: f64| format_number(n);
    match (min, max) {
        (Some(min), Some(max)) => {
            format!("Saisissez un nombre entre {} et {}.", show(min), show(max))
        }
        (Some(min), None) => format!("Saisissez un nombre supérieur ou égal à {}.", show(min)),
        (None, Some(max)) => format!("Saisissez un nombre inférieur ou égal à {}.", show(max)),
        (None, None) => "Saisissez un nombre.".to_owned(),
    }
}

/// A number as French people write it: "3", "2,5", "-1", "1 200" (spaces between thousands).
pub fn parse_number(input: &str) -> Option<f64> {
    let cleaned: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let valid = !cleaned.is_empty()
        && cleaned
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && c == '-'))
        && cleaned.matches('.').count() <= 1;
    if !valid {
        return None;
    }
    cleaned.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// "2,5", "3": for messages.
pub(crate) fn format_number(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        n.to_string().replace('.', ",")
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::survey::{Condition, QuestionOption, Survey, SurveyStatus};

    fn option(id: i64, code: &str) -> QuestionOption {
        QuestionOption {
            id,
            code: code.to_owned(),
            label: code.to_uppercase(),
        }
    }

    fn question(id: i64, kind: QuestionKind, options: Vec<QuestionOption>) -> Question {
        Question {
            id,
            code: format!("Q{id}"),
            position: i32::try_from(id).unwrap_or(0),
            kind,
            label: format!("Question {id}"),
            help: String::new(),
            required: true,
            theme: None,
            max_choices: None,
            min_value: None,
            max_value: None,
            scale_min_label: String::new(),
            scale_max_label: String::new(),
            condition: None,
            options,
        }
    }

    fn definition(questions: Vec<Question>) -> SurveyDefinition {
        SurveyDefinition {
            survey: Survey {
                id: 1,
                title: "Test".into(),
                intro: String::new(),
                why: String::new(),
                status: SurveyStatus::Open,
                opens_on: date!(2026 - 01 - 01),
                closes_on: date!(2026 - 12 - 31),
                retention_until: date!(2028 - 12 - 31),
                actions: vec![14],
                themes: vec![],
                response_count: 0,
                created_at: 0,
                updated_at: 0,
                territory: crate::territory::TerritoryId::new(1),
            },
            questions,
        }
    }

    fn values(pairs: &[(&str, &str)]) -> FormValues {
        FormValues::from_pairs(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        )
    }

    #[test]
    fn single_choice_accepts_one_known_option() {
        let d = definition(vec![question(
            1,
            QuestionKind::Single,
            vec![option(10, "O1"), option(11, "O2")],
        )]);
        let answers = validate_submission(&d, &values(&[("Q1", "O2")])).expect("valid");
        assert_eq!(answers[0].option_id, Some(11));
        // The same value twice (a double tap) is one answer.
        assert!(validate_submission(&d, &values(&[("Q1", "O2"), ("Q1", "O2")])).is_ok());
        let errors =
            validate_submission(&d, &values(&[("Q1", "O1"), ("Q1", "O2")])).expect_err("two");
        assert_eq!(
            errors.get("Q1").as_deref(),
            Some("Choisissez une seule réponse.")
        );
        let errors = validate_submission(&d, &values(&[("Q1", "O9")])).expect_err("unknown");
        assert!(errors.get("Q1").is_some_and(|m| m.contains("liste")));
        let errors = validate_submission(&d, &values(&[])).expect_err("required");
        assert_eq!(errors.get("Q1").as_deref(), Some("Choisissez une réponse."));
    }

    #[test]
    fn multiple_choice_respects_its_maximum() {
        let mut q = question(
            1,
            QuestionKind::Multiple,
            vec![option(10, "O1"), option(11, "O2"), option(12, "O3")],
        );
        q.max_choices = Some(2);
        let d = definition(vec![q]);
        let answers = validate_submission(&d, &values(&[("Q1", "O1"), ("Q1", "O3"), ("Q1", "O1")]))
            .expect("valid");
        assert_eq!(answers.len(), 2, "duplicates count once");
        let errors = validate_submission(&d, &values(&[("Q1", "O1"), ("Q1", "O2"), ("Q1", "O3")]))
            .expect_err("three");
        assert_eq!(
            errors.get("Q1").as_deref(),
            Some("Choisissez au plus 2 réponses.")
        );
        let errors = validate_submission(&d, &values(&[])).expect_err("none");
        assert_eq!(
            errors.get("Q1").as_deref(),
            Some("Cochez au moins une réponse.")
        );
    }

    #[test]
    fn numbers_within_bounds_in_french_notation() {
        let mut q = question(1, QuestionKind::Number, vec![]);
        q.min_value = Some(0.0);
        q.max_value = Some(20.0);
        let d = definition(vec![q]);
        for (input, expected) in [
            ("3", 3.0),
            ("2,5", 2.5),
            ("20", 20.0),
            ("0", 0.0),
            (" 1 ", 1.0),
        ] {
            let answers = validate_submission(&d, &values(&[("Q1", input)])).expect(input);
            assert_eq!(answers[0].number, Some(expected));
        }
        for input in ["21", "-1", "20,01"] {
            let errors = validate_submission(&d, &values(&[("Q1", input)])).expect_err(input);
            assert_eq!(
                errors.get("Q1").as_deref(),
                Some("Saisissez un nombre entre 0 et 20.")
            );
        }
        for input in ["trois", "1e3", "2,5,1", "NaN", "--1", "1-"] {
            assert!(
                validate_submission(&d, &values(&[("Q1", input)])).is_err(),
                "{input}"
            );
        }
        assert_eq!(parse_number("1 200"), Some(1200.0));
    }

    #[test]
    fn texts_up_to_their_limit_in_characters() {
        let d = definition(vec![
            question(1, QuestionKind::ShortText, vec![]),
            question(2, QuestionKind::LongText, vec![]),
        ]);
        let at_limit = "é".repeat(280);
        let long_ok = "a".repeat(2000);
        assert!(validate_submission(&d, &values(&[("Q1", &at_limit), ("Q2", &long_ok)])).is_ok());
        let over = "é".repeat(281);
        let errors = validate_submission(&d, &values(&[("Q1", &over), ("Q2", &"a".repeat(2001))]))
            .expect_err("long");
        assert_eq!(
            errors.get("Q1").as_deref(),
            Some("Votre réponse est trop longue : 281 caractères pour 280 au plus.")
        );
        assert!(errors.get("Q2").is_some());
        let errors =
            validate_submission(&d, &values(&[("Q1", "   "), ("Q2", "ok")])).expect_err("blank");
        assert_eq!(errors.get("Q1").as_deref(), Some("Écrivez votre réponse."));
    }

    #[test]
    fn control_characters_never_reach_a_stored_text() {
        let d = definition(vec![
            question(1, QuestionKind::ShortText, vec![]),
            question(2, QuestionKind::LongText, vec![]),
        ]);
        let answers = validate_submission(
            &d,
            &values(&[("Q1", "mer\0credi\u{7}"), ("Q2", "une\r\nidée\tici")]),
        )
        .expect("valid");
        assert_eq!(answers[0].text.as_deref(), Some("mercredi"));
        assert_eq!(answers[1].text.as_deref(), Some("une\r\nidée\tici"));
        let errors = validate_submission(&d, &values(&[("Q1", "\0\0"), ("Q2", "ok")]))
            .expect_err("nothing left");
        assert_eq!(errors.get("Q1").as_deref(), Some("Écrivez votre réponse."));
    }

    #[test]
    fn optional_questions_may_stay_empty_and_unknown_fields_are_ignored() {
        let mut q = question(1, QuestionKind::ShortText, vec![]);
        q.required = false;
        let d = definition(vec![q]);
        let answers = validate_submission(&d, &values(&[("Q1", ""), ("Q99", "x"), ("jeton", "t")]))
            .expect("valid");
        assert!(answers.is_empty());
    }

    #[test]
    fn a_conditional_question_applies_only_when_its_condition_holds() {
        let controller = question(
            1,
            QuestionKind::YesNo,
            vec![option(10, "oui"), option(11, "non")],
        );
        let mut dependent = question(2, QuestionKind::ShortText, vec![]);
        dependent.condition = Some(Condition {
            question_id: 1,
            question_code: "Q1".into(),
            option_code: "oui".into(),
        });
        let d = definition(vec![controller, dependent]);
        // "oui": the dependent question is required.
        let errors = validate_submission(&d, &values(&[("Q1", "oui")])).expect_err("required");
        assert!(errors.get("Q2").is_some());
        let answers =
            validate_submission(&d, &values(&[("Q1", "oui"), ("Q2", "le mardi")])).expect("valid");
        assert_eq!(answers.len(), 2);
        // "non": its answer is dropped, and it is not required.
        let answers =
            validate_submission(&d, &values(&[("Q1", "non"), ("Q2", "le mardi")])).expect("valid");
        assert_eq!(answers.len(), 1);
        assert!(validate_submission(&d, &values(&[("Q1", "non")])).is_ok());
    }

    #[test]
    fn every_error_is_reported_at_once() {
        let d = definition(vec![
            question(
                1,
                QuestionKind::Scale,
                vec![option(10, "1"), option(14, "5")],
            ),
            question(2, QuestionKind::Number, vec![]),
        ]);
        let errors = validate_submission(&d, &values(&[("Q2", "beaucoup")])).expect_err("two");
        assert_eq!(errors.len(), 2);
    }
}
