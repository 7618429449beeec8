//! What residents said, question by question, as the public may read it: the main
//! options with their share, the others together (never fewer than 5 of them, so that
//! nothing small is a subtraction away), and the mean of a scale or a number.

use std::collections::HashMap;

use leptos::prelude::*;
use pouls::disclosure::{Audience, Count};
use pouls::storage::QuestionTotal;
use pouls::survey::{Question, QuestionKind};

use crate::format;

/// Options listed per question; the others are grouped.
const LISTED: usize = 5;

/// One question's answers as the public may read them.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Heard {
    pub label: String,
    /// How many answered it, as the public may see it.
    pub answered: Count,
    /// (option, share) for the main options, then "Autres réponses".
    pub shares: Vec<(String, String)>,
    pub mean: Option<String>,
    /// A note on how to read it: several answers possible, what 1 and 5 mean.
    pub note: Option<String>,
}

/// Each question's answers over all days, by (question, option); option 0: answered.
pub(super) fn by_question(totals: Vec<QuestionTotal>) -> HashMap<(i64, i64), (i64, f64)> {
    totals
        .into_iter()
        .map(|t| ((t.question_id, t.option_id), (t.responses, t.value_sum)))
        .collect()
}

fn share(n: i64, of: i64) -> String {
    format!("{} %", format::decimal(n as f64 * 100.0 / of as f64, 0))
}

/// The public summary of a closed question; `None` for free text and unanswered ones.
pub(super) fn heard(
    question: &Question,
    totals: &HashMap<(i64, i64), (i64, f64)>,
) -> Option<Heard> {
    if matches!(
        question.kind,
        QuestionKind::ShortText | QuestionKind::LongText
    ) {
        return None;
    }
    let (answered, value_sum) = totals.get(&(question.id, 0)).copied()?;
    if answered == 0 {
        return None;
    }
    let public = Audience::Public;
    let shown = public.shows(answered);
    let mut heard = Heard {
        label: question.label.clone(),
        answered: public.count(answered),
        shares: Vec::new(),
        mean: None,
        note: None,
    };
    if question.kind == QuestionKind::Number {
        heard.mean = shown.then(|| {
            format!(
                "Moyenne : {}",
                format::decimal(value_sum / answered as f64, 1)
            )
        });
        return Some(heard);
    }
    let counts: Vec<i64> = question
        .options
        .iter()
        .map(|o| totals.get(&(question.id, o.id)).map_or(0, |t| t.0))
        .collect();
    let exclusive = question.kind != QuestionKind::Multiple;
    let summary = public.summary(&counts, answered, exclusive, LISTED);
    let label = |index: usize| {
        let option = &question.options[index];
        match (question.kind, option.code.as_str()) {
            (QuestionKind::Scale, "1") if !question.scale_min_label.is_empty() => {
                format!("1 ({})", question.scale_min_label)
            }
            (QuestionKind::Scale, "5") if !question.scale_max_label.is_empty() => {
                format!("5 ({})", question.scale_max_label)
            }
            _ => option.label.clone(),
        }
    };
    // With nothing listed, "the others" would be everyone: say they are too dispersed.
    let listed = !summary.listed.is_empty();
    heard.shares = summary
        .listed
        .iter()
        .map(|(index, n)| (label(*index), share(*n, answered)))
        .chain(
            summary
                .others
                .filter(|_| listed)
                .map(|n| ("Autres réponses".to_owned(), share(n, answered))),
        )
        .collect();
    if question.kind == QuestionKind::Scale && shown {
        let sum: i64 = question
            .options
            .iter()
            .zip(&counts)
            .filter_map(|(o, n)| o.code.parse::<i64>().ok().map(|v| v * n))
            .sum();
        heard.mean = Some(format!(
            "Moyenne : {} sur 5",
            format::decimal(sum as f64 / answered as f64, 1)
        ));
    }
    if question.kind == QuestionKind::Multiple {
        heard.note =
            Some("Plusieurs réponses possibles : les parts ne s'additionnent pas.".to_owned());
    }
    Some(heard)
}

#[component]
pub(super) fn HeardList(questions: Vec<Heard>) -> impl IntoView {
    questions
        .into_iter()
        .map(|q| {
            let answered = match q.answered {
                Count::Shown(_) => format!("{} à cette question", q.answered.answers()),
                Count::Hidden => format!("Détail non publié : {} à cette question.", q.answered.answers()),
            };
            let dispersed = q.shares.is_empty() && q.mean.is_none() && matches!(q.answered, Count::Shown(_));
            view! {
                <div class="heard">
                    <h4>{q.label}</h4>
                    <p class="muted">{answered}</p>
                    {(!q.shares.is_empty()).then(|| view! {
                        <ul class="shares">
                            {q.shares.into_iter().map(|(option, share)| view! { <li>{option}" : "<strong>{share}</strong></li> }).collect_view()}
                        </ul>
                    })}
                    {q.mean.map(|mean| view! { <p>{mean}</p> })}
                    {dispersed.then(|| view! { <p>"Les réponses sont trop dispersées pour en publier le détail."</p> })}
                    {q.note.map(|note| view! { <p class="muted">{note}</p> })}
                </div>
            }
        })
        .collect_view()
}
