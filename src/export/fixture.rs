//! A survey with every kind of question, and answers to it, for the export and import
//! tests.

use proptest::prelude::*;
use time::macros::date;

use crate::survey::{
    AGE_BRACKETS, Answer, Condition, FormValues, OUTSIDE_TERRITORY, Question, QuestionKind,
    QuestionOption, Survey, SurveyDefinition, SurveyStatus, validate_submission,
};

fn question(n: i64, kind: QuestionKind, label: &str, options: &[(&str, &str)]) -> Question {
    Question {
        id: n,
        code: format!("Q{n}"),
        position: i32::try_from(n).expect("small"),
        kind,
        label: label.to_owned(),
        help: String::new(),
        required: false,
        theme: None,
        max_choices: None,
        min_value: None,
        max_value: None,
        scale_min_label: String::new(),
        scale_max_label: String::new(),
        condition: None,
        options: (1..)
            .zip(options)
            .map(|(i, (code, label))| QuestionOption {
                id: n * 100 + i,
                code: (*code).to_owned(),
                label: (*label).to_owned(),
            })
            .collect(),
    }
}

/// Labels start with formula characters and hold separators and quotes on purpose.
pub(crate) fn definition() -> SurveyDefinition {
    let mut q1 = question(
        1,
        QuestionKind::Single,
        "Quel mode de garde utilisez-vous ?",
        &[
            ("O1", "Assistante maternelle"),
            ("O2", "Crèche \"Les P'tits Loups\"; Charny"),
            ("O3", "- de 2 km"),
            ("O4", "+ de 10 km"),
        ],
    );
    q1.required = true;
    let mut q2 = question(
        2,
        QuestionKind::Multiple,
        "Quels lieux fréquentez-vous ?",
        &[
            ("O1", "Médiathèque"),
            ("O2", "Piscine, l'été"),
            ("O3", "=Cinéma"),
            ("O4", "Café 😀"),
        ],
    );
    q2.max_choices = Some(2);
    let scale: Vec<(String, String)> = (1..=5).map(|n| (n.to_string(), n.to_string())).collect();
    let scale: Vec<(&str, &str)> = scale.iter().map(|(c, l)| (&c[..], &l[..])).collect();
    let q3 = question(3, QuestionKind::Scale, "Êtes-vous satisfait ?", &scale);
    let mut q4 = question(
        4,
        QuestionKind::YesNo,
        "Avez-vous des enfants ?",
        &[("oui", "Oui"), ("non", "Non")],
    );
    q4.required = true;
    let mut q5 = question(5, QuestionKind::ShortText, "Quel jour vous arrange ?", &[]);
    q5.condition = Some(Condition {
        question_id: 4,
        question_code: "Q4".into(),
        option_code: "oui".into(),
    });
    let mut q6 = question(6, QuestionKind::Number, "Combien de kilomètres ?", &[]);
    q6.min_value = Some(-10.0);
    q6.max_value = Some(1000.0);
    let q7 = question(7, QuestionKind::LongText, "Autre chose à nous dire ?", &[]);
    let q8 = question(
        8,
        QuestionKind::Commune,
        "Où habitez-vous ?",
        &[
            ("89068", "Charny Orée de Puisaye"),
            ("89108", "Égriselles-le-Bocage"),
            OUTSIDE_TERRITORY,
        ],
    );
    let q9 = question(
        9,
        QuestionKind::AgeBracket,
        "Quel âge avez-vous ?",
        &AGE_BRACKETS,
    );
    SurveyDefinition {
        survey: Survey {
            id: 42,
            title: "Garde d'enfants".into(),
            intro: String::new(),
            why: String::new(),
            status: SurveyStatus::Open,
            opens_on: date!(2026 - 01 - 01),
            closes_on: date!(2026 - 12 - 31),
            retention_until: date!(2028 - 12 - 31),
            actions: vec![1],
            themes: vec![],
            response_count: 0,
            created_at: 0,
            updated_at: 0,
            territory: crate::territory::TerritoryId::new(1),
        },
        questions: vec![q1, q2, q3, q4, q5, q6, q7, q8, q9],
    }
}

/// The answers the resident form would store for these raw values.
pub(crate) fn answer_values(definition: &SurveyDefinition, pairs: &[(&str, &str)]) -> Vec<Answer> {
    let values = FormValues::from_pairs(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    validate_submission(definition, &values).expect("valid answers")
}

/// A paper response to [`definition`] with these form values.
pub(crate) fn record(id: i64, pairs: &[(&str, &str)]) -> crate::export::ResponseRecord {
    crate::export::ResponseRecord {
        id,
        point_code: "MARCHE-CHARNY".into(),
        point_name: "Marché de Charny".into(),
        channel: "papier".into(),
        submitted_hour: 1_795_957_200, // 2026-11-29 13:00 UTC
        answers: answer_values(&definition(), pairs),
    }
}

/// Texts with accents, emoji, separators, quotes, line breaks and formula characters.
pub(crate) fn text(max_pieces: usize) -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "é",
        "À",
        "ç",
        "œ",
        "😀",
        "👩‍👩‍👧",
        ";",
        ",",
        "\"",
        "'",
        "\r\n",
        "\n",
        "\r",
        "=",
        "+",
        "-",
        "@",
        "\t",
        " ",
        "Yonne",
        "2,5",
    ]);
    prop::collection::vec(pieces, 1..max_pieces).prop_map(|p| p.concat())
}

fn pick(options: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop::sample::select(options).prop_map(str::to_owned))
}

/// Raw form values (field, value) that pass validation: required questions answered,
/// at most two choices, numbers within bounds, texts within their limits.
pub(crate) fn form_pairs() -> impl Strategy<Value = Vec<(String, String)>> {
    let number = prop_oneof![
        (-10i32..=1000).prop_map(f64::from),
        -10.0f64..=1000.0,
        Just(0.5),
    ];
    (
        prop::sample::select(vec!["O1", "O2", "O3", "O4"]),
        prop::sample::subsequence(vec!["O1", "O2", "O3", "O4"], 0..=2),
        pick(&["1", "2", "3", "4", "5"]),
        prop::bool::ANY,
        prop::option::of(text(40)),
        prop::option::of(number),
        prop::option::of(text(120)),
        pick(&["89068", "89108", "hors-ccyn"]),
        pick(&["moins-15", "18-25", "75-plus"]),
    )
        .prop_map(|(q1, q2, q3, q4, q5, q6, q7, q8, q9)| {
            let mut pairs = vec![("Q1".to_owned(), q1.to_owned())];
            pairs.extend(q2.into_iter().map(|o| ("Q2".to_owned(), o.to_owned())));
            pairs.push(("Q4".into(), if q4 { "oui" } else { "non" }.into()));
            let optional = [
                ("Q3", q3),
                ("Q5", q5),
                ("Q6", q6.map(|n| n.to_string())),
                ("Q7", q7),
                ("Q8", q8),
                ("Q9", q9),
            ];
            for (code, value) in optional {
                if let Some(value) = value {
                    pairs.push((code.to_owned(), value));
                }
            }
            pairs
        })
}
