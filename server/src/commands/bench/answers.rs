//! Synthetic residents' answers for the bench survey: as stored answers for the in-process
//! fill, and as url-encoded forms for the submission scenario.

use anyhow::Context;
use pouls::domain::paris;
use pouls::storage::Storage;
use pouls::survey::{Answer, CollectionPoint, Question, QuestionKind, SurveyDefinition};

use super::http::form_encode;

/// Responses stored per `insert_responses` call (one transaction each).
const CHUNK: usize = 5_000;

/// What residents write in text questions.
const TEXTS: &[&str] = &[
    "Plus d'animations pour les ados le samedi",
    "Une navette depuis les petites communes",
    "Trois mois d'attente pour un dermatologue, c'est trop",
    "Des ateliers parents-bébés le samedi matin, ce serait top",
    "Le \"coin des bébés\" était parfait, à refaire !",
    "Un kiné à Sergines & un dentiste à Pont, ce serait déjà bien",
    "Attente < 5 min aux jeux en bois, bravo",
];

/// SplitMix64: small, fast, reproducible.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// Skewed towards the first items, as real answers are: the smaller of two draws.
    fn skewed(&mut self, len: usize) -> usize {
        self.index(len).min(self.index(len))
    }

    fn percent(&mut self, chance: u64) -> bool {
        self.below(100) < chance
    }
}

/// One resident's answers: every required question, most optional ones, conditional ones
/// only when their condition holds.
pub fn generate(definition: &SurveyDefinition, rng: &mut Rng) -> Vec<Answer> {
    let mut answers = Vec::with_capacity(definition.questions.len() + 4);
    let mut chosen: Vec<(i64, &str)> = Vec::new();
    for question in &definition.questions {
        if let Some(condition) = &question.condition
            && !chosen.contains(&(condition.question_id, condition.option_code.as_str()))
        {
            continue;
        }
        if !question.required && rng.percent(if question.kind.is_text() { 70 } else { 10 }) {
            continue;
        }
        let answer = |option_id, text, number| Answer {
            question_id: question.id,
            option_id,
            text,
            number,
        };
        match question.kind {
            QuestionKind::Multiple => {
                let max = question
                    .max_choices
                    .and_then(|m| usize::try_from(m).ok())
                    .unwrap_or(usize::MAX);
                let mut ticked = 0;
                for option in &question.options {
                    if ticked < max && rng.percent(35) {
                        answers.push(answer(Some(option.id), None, None));
                        ticked += 1;
                    }
                }
                if ticked == 0 && !question.options.is_empty() {
                    let option = &question.options[rng.skewed(question.options.len())];
                    answers.push(answer(Some(option.id), None, None));
                }
            }
            QuestionKind::Number => {
                let min = question.min_value.unwrap_or(0.0);
                let max = question.max_value.unwrap_or(100.0);
                let span = (max - min).max(0.0) as u64 + 1;
                let number = min + rng.below(span) as f64;
                answers.push(answer(None, None, Some(number)));
            }
            kind if kind.is_text() => {
                let text = TEXTS[rng.index(TEXTS.len())].to_owned();
                answers.push(answer(None, Some(text), None));
            }
            _ if question.options.is_empty() => {}
            _ => {
                let option = &question.options[rng.skewed(question.options.len())];
                chosen.push((question.id, option.code.as_str()));
                answers.push(answer(Some(option.id), None, None));
            }
        }
    }
    answers
}

/// The url-encoded fields of a form carrying `answers` (without the `jeton`).
pub fn form_fields(definition: &SurveyDefinition, answers: &[Answer]) -> anyhow::Result<String> {
    let mut out = String::new();
    for answer in answers {
        let question: &Question = definition
            .question(answer.question_id)
            .context("answer to an unknown question")?;
        let value = match (answer.option_id, &answer.text, answer.number) {
            (Some(id), _, _) => {
                let option = question.options.iter().find(|o| o.id == id);
                option.context("unknown option")?.code.clone()
            }
            (None, Some(text), _) => text.clone(),
            (None, None, Some(number)) => format!("{number}"),
            (None, None, None) => continue,
        };
        out.push('&');
        form_encode(&question.code, &mut out);
        out.push('=');
        form_encode(&value, &mut out);
    }
    Ok(out)
}

/// The days responses are spread over: 2026 up to today (or all of 2026 before it starts),
/// as Unix seconds `[start, end)`.
fn span() -> (i64, i64) {
    let start = paris::start_of_day(time::macros::date!(2026 - 01 - 01));
    let year_end = paris::start_of_day(time::macros::date!(2027 - 01 - 01));
    let now = time::OffsetDateTime::now_utc().unix_timestamp() - 3600;
    let end = if now > start + 86_400 {
        now.min(year_end)
    } else {
        year_end
    };
    (start, end)
}

/// Stores generated responses through `point` until the survey holds `target`; returns
/// how many were added. Tokens are `bench-<serial>`, unique within the database.
pub async fn fill_to(
    storage: &Storage,
    definition: &SurveyDefinition,
    point: &CollectionPoint,
    rng: &mut Rng,
    serial: &mut u64,
    target: u64,
) -> anyhow::Result<u64> {
    let current = response_count(storage, definition.survey.id).await?;
    let missing = target.saturating_sub(current);
    let (start, end) = span();
    let width = u64::try_from(end - start).unwrap_or(1).max(1);
    let mut added = 0;
    while added < missing {
        let size = usize::try_from((missing - added).min(CHUNK as u64)).unwrap_or(CHUNK);
        let batch: Vec<(String, i64, Vec<Answer>)> = (0..size)
            .map(|_| {
                *serial += 1;
                let at = start + i64::try_from(rng.below(width)).unwrap_or(0);
                (format!("bench-{serial}"), at, generate(definition, rng))
            })
            .collect();
        added += storage.insert_responses(definition, point, &batch).await?;
    }
    Ok(added)
}

pub async fn response_count(storage: &Storage, survey_id: i64) -> anyhow::Result<u64> {
    let survey = storage
        .in_default_territory()
        .await?
        .survey(survey_id)
        .await?
        .context("the bench survey vanished")?;
    Ok(u64::try_from(survey.response_count).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_reproducible_and_bounded() {
        let (mut a, mut b) = (Rng(7), Rng(7));
        for _ in 0..1000 {
            let (x, y) = (a.below(10), b.below(10));
            assert_eq!(x, y);
            assert!(x < 10);
            assert!(a.skewed(3) < 3 && b.skewed(3) < 3);
        }
        assert_eq!(a.below(0), 0);
    }

    #[test]
    fn responses_fall_in_2026() {
        let (start, end) = span();
        assert!(start < end);
        assert!(end - start <= 366 * 86_400);
    }
}
