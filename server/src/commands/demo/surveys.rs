//! The demo surveys, their collection points and responses: past events closed since,
//! and the survey open now (see [`super::specs`]).

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail, ensure};
use pouls::audit::Actor;
use pouls::auth::random_token;
use pouls::domain::{FieldErrors, paris};
use pouls::storage::{Storage, SurveyChange};
use pouls::survey::{
    Answer, PointDraft, PointInput, PointKind, Question, QuestionDraft, QuestionKind,
    QuestionOption, SurveyDraft, SurveyInput, SurveyStatus, parse_french_date,
};
use time::Date;

use super::random::SplitMix;
use super::specs::{Day, Gen, QuestionSpec, SURVEYS, SurveySpec};
use super::texts;

/// The generator's seed: the same demo data on every run.
const SEED: u64 = 0x00C0_FFEE_2026_0089;
const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;
/// Responses stored per transaction.
const CHUNK: usize = 500;

/// Creates the surveys, opens them, stores their responses and closes those whose
/// collection is over, acting as `actor`.
pub(super) async fn fill(storage: &Storage, actor: &Actor) -> anyhow::Result<()> {
    let themes = storage.in_default_territory().await?.themes().await?;
    let themes: Vec<&str> = themes.iter().map(|t| t.code.as_str()).collect();
    let communes = storage.in_default_territory().await?.communes().await?;
    let communes: Vec<&str> = communes.iter().map(|c| c.code.as_str()).collect();
    let mut rng = SplitMix(SEED);
    let today = paris::today();
    for spec in SURVEYS {
        let id = survey(storage, spec, actor, &themes, &communes).await?;
        let stored = responses(storage, id, spec, &mut rng).await?;
        if date(spec.closes)? < today {
            match storage
                .in_default_territory()
                .await?
                .set_survey_status(id, SurveyStatus::Closed, actor)
                .await?
            {
                SurveyChange::Done => {}
                other => bail!("cannot close the survey {:?}: {other:?}", spec.title),
            }
        }
        tracing::info!(
            survey = spec.title,
            responses = stored,
            "demo survey filled"
        );
    }
    Ok(())
}

/// The Paris day a demo day stands for.
pub(super) fn date(day: Day) -> anyhow::Result<Date> {
    match day {
        Day::On(iso) => Ok(parse_french_date(iso)?),
        Day::FromToday(days) => paris::today()
            .checked_add(time::Duration::days(days))
            .context("a demo day out of range"),
    }
}

/// Creates a survey with its questions and points, and opens it. Returns its id.
async fn survey(
    storage: &Storage,
    spec: &SurveySpec,
    actor: &Actor,
    themes: &[&str],
    communes: &[&str],
) -> anyhow::Result<i64> {
    let input = SurveyInput {
        title: spec.title.to_owned(),
        intro: spec.intro.to_owned(),
        why: spec.why.to_owned(),
        actions: spec.actions.iter().map(|a| (*a).to_owned()).collect(),
        themes: spec.themes.iter().map(|t| (*t).to_owned()).collect(),
        opens_on: date(spec.opens)?.to_string(),
        closes_on: date(spec.closes)?.to_string(),
        retention_until: String::new(),
    };
    let draft = SurveyDraft::parse(&input, themes).map_err(|e| invalid(spec.title, &e))?;
    let id = storage
        .in_default_territory()
        .await?
        .create_survey(&draft, actor)
        .await?;
    for question in spec.questions {
        // A condition refers to earlier questions, as stored.
        let earlier = match question.condition {
            "" => Vec::new(),
            _ => {
                storage
                    .in_default_territory()
                    .await?
                    .survey_definition(id)
                    .await?
                    .context("no survey")?
                    .questions
            }
        };
        let draft = QuestionDraft::parse(&question.input(), &earlier, themes)
            .map_err(|e| invalid(question.label, &e))?;
        storage
            .in_default_territory()
            .await?
            .add_question(id, &draft, actor)
            .await?
            .context("no survey")?;
    }
    for point in spec.points {
        let input = PointInput {
            label: point.label.to_owned(),
            kind: point.kind.to_owned(),
            commune: point.commune.to_owned(),
            starts_on: date(point.days.0)?.to_string(),
            ends_on: date(point.days.1)?.to_string(),
            live_screen: point.live_screen,
        };
        let draft = PointDraft::parse(&input, communes).map_err(|e| invalid(point.label, &e))?;
        storage
            .in_default_territory()
            .await?
            .create_point(id, &draft, actor)
            .await?;
    }
    match storage
        .in_default_territory()
        .await?
        .set_survey_status(id, SurveyStatus::Open, actor)
        .await?
    {
        SurveyChange::Done => Ok(id),
        other => bail!("cannot open the survey {:?}: {other:?}", spec.title),
    }
}

fn invalid(what: &str, errors: &FieldErrors) -> anyhow::Error {
    let messages: Vec<String> = errors
        .iter()
        .map(|(field, m)| format!("{field}: {m}"))
        .collect();
    anyhow::anyhow!("demo data refused for {what:?}: {}", messages.join("; "))
}

/// Generates a survey's responses point by point and stores them in bulk. Returns how
/// many were stored.
async fn responses(
    storage: &Storage,
    id: i64,
    spec: &SurveySpec,
    rng: &mut SplitMix,
) -> anyhow::Result<u64> {
    let definition = storage
        .in_default_territory()
        .await?
        .survey_definition(id)
        .await?
        .context("no survey")?;
    ensure!(
        definition.questions.len() == spec.questions.len(),
        "questions missing"
    );
    let questions: Vec<_> = definition.questions.iter().zip(spec.questions).collect();
    let communes = commune_weights(spec.host);
    let now = i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs())?;
    let today = paris::start_of_day(paris::today());
    let opens = paris::start_of_day(date(spec.opens)?);
    let closes = paris::start_of_day(date(spec.closes)?).min(today);
    let mut stored = 0;
    for point in storage.in_default_territory().await?.points(id).await? {
        let (share, window) = match spec.points.iter().find(|p| p.label == point.label) {
            Some(known) => {
                let first = point.starts_on.map_or(opens, paris::start_of_day);
                let last = point.ends_on.map_or(closes, paris::start_of_day);
                (known.share, Window::new(first, last.min(closes)))
            }
            None if point.kind == PointKind::Online => {
                (spec.online_share, Window::new(opens, closes))
            }
            None => bail!("collection point {:?} not in the demo", point.label),
        };
        let mut batch = Vec::new();
        for _ in 0..spec.responses * share / 100 {
            let mut at = moment(rng, point.kind, &window, spec.hours);
            // Today's hours still to come: the day before.
            while at > now - 60 {
                at -= DAY;
            }
            let mut token = random_token();
            token.truncate(32);
            batch.push((token, at, answers(rng, &questions, &communes)?));
        }
        for chunk in batch.chunks(CHUNK) {
            stored += storage.insert_responses(&definition, &point, chunk).await?;
        }
    }
    Ok(stored)
}

/// One resident's answers: required questions always, optional ones mostly, conditional
/// ones only when their condition holds.
fn answers(
    rng: &mut SplitMix,
    questions: &[(&Question, &QuestionSpec)],
    communes: &[(&'static str, u32)],
) -> anyhow::Result<Vec<Answer>> {
    let mut answers = Vec::new();
    // Options chosen so far, by question id, to evaluate conditions.
    let mut chosen: Vec<(i64, &str)> = Vec::new();
    for (question, spec) in questions {
        if let Some(condition) = &question.condition {
            let wanted = (condition.question_id, condition.option_code.as_str());
            if !chosen.contains(&wanted) {
                continue;
            }
        }
        if !question.required && rng.percent(spec.skip) {
            continue;
        }
        let answer = |option_id, text, number| Answer {
            question_id: question.id,
            option_id,
            text,
            number,
        };
        let by_code = |weights: &[(&str, u32)]| -> anyhow::Result<Vec<(&QuestionOption, u32)>> {
            weights
                .iter()
                .map(|(code, weight)| {
                    let option = question.option_by_code(code);
                    Ok((
                        option.with_context(|| format!("no option {code:?}"))?,
                        *weight,
                    ))
                })
                .collect()
        };
        let options: Vec<(&QuestionOption, u32)> = match spec.answers {
            Gen::Options(weights) => {
                let weights = weights.iter().map(|(_, weight)| *weight);
                question.options.iter().zip(weights).collect()
            }
            Gen::Codes(weights) => by_code(weights)?,
            Gen::Commune => by_code(communes)?,
            Gen::Number(numbers) => {
                let number = rng.pick(numbers).context("no numbers")?;
                answers.push(answer(None, None, Some(f64::from(number))));
                continue;
            }
            Gen::Text(voice) => {
                answers.push(answer(None, Some(texts::text(voice, rng)), None));
                continue;
            }
        };
        if question.kind == QuestionKind::Multiple {
            let mut ticked: Vec<i64> = options
                .iter()
                .filter(|(_, chance)| rng.percent(*chance))
                .map(|(option, _)| option.id)
                .collect();
            if ticked.is_empty() {
                ticked.extend(rng.pick(&options).map(|option| option.id));
            }
            let max = question.max_choices.and_then(|m| usize::try_from(m).ok());
            while ticked.len() > max.unwrap_or(usize::MAX) {
                ticked.remove(rng.below_len(ticked.len()));
            }
            answers.extend(ticked.into_iter().map(|id| answer(Some(id), None, None)));
        } else {
            let option = rng.pick(&options).context("no options")?;
            chosen.push((question.id, option.code.as_str()));
            answers.push(answer(Some(option.id), None, None));
        }
    }
    Ok(answers)
}

/// The days a point collects answers on: `days` days from `first` (a Paris midnight).
struct Window {
    first: i64,
    days: u64,
}

impl Window {
    fn new(first: i64, last: i64) -> Self {
        let span = (last.max(first) - first + 12 * HOUR) / DAY;
        let days = u64::try_from(span).unwrap_or(0) + 1;
        Self { first, days }
    }

    /// The Paris midnight starting the `index`-th day (days last 23 or 25 hours when the
    /// clocks change).
    fn day(&self, index: u64) -> i64 {
        let noon = self.first + i64::try_from(index).unwrap_or(0) * DAY + 12 * HOUR;
        paris::start_of_day(paris::local(noon).date())
    }
}

/// Hours at which people answer online, with weights: more at lunch and in the evening.
#[rustfmt::skip]
const ONLINE_HOURS: [(u64, u32); 12] = [
    (9, 4), (10, 5), (11, 5), (12, 7), (13, 7), (14, 5),
    (15, 5), (16, 5), (17, 6), (18, 8), (19, 9), (20, 8),
];
/// Opening hours of a counter.
const OFFICE_HOURS: [(u64, u32); 6] = [(9, 3), (10, 4), (11, 4), (14, 4), (15, 4), (16, 3)];

/// When an answer is given: online mostly in the days just after the event, at a counter
/// on weekdays in office hours, on paper at noon of the day it was collected (as typed-in
/// paper answers are dated), elsewhere during the event.
fn moment(rng: &mut SplitMix, kind: PointKind, window: &Window, hours: (u64, u64)) -> i64 {
    let (day, hour) = match kind {
        PointKind::Online => {
            // Exponential decay, ten days on average.
            let day = (-(1.0 - rng.unit()).ln() * 10.0) as u64;
            let day = if day < window.days {
                day
            } else {
                rng.below(window.days)
            };
            (day, rng.pick(&ONLINE_HOURS).unwrap_or(18))
        }
        PointKind::Counter => {
            let mut day = rng.below(window.days);
            for _ in 0..10 {
                let weekday = paris::local(window.day(day) + 12 * HOUR).weekday();
                if weekday.number_days_from_monday() < 5 {
                    break;
                }
                day = rng.below(window.days);
            }
            (day, rng.pick(&OFFICE_HOURS).unwrap_or(10))
        }
        PointKind::Paper => return window.day(rng.below(window.days)) + 12 * HOUR,
        _ => {
            let span = hours.1.saturating_sub(hours.0) + 1;
            (rng.below(window.days), hours.0 + rng.below(span))
        }
    };
    let seconds = hour * 3600 + rng.below(3600);
    window.day(day) + i64::try_from(seconds).unwrap_or(0)
}

/// Rough populations of the 23 communes: who comes to an event is roughly who lives
/// around. The host commune counts four times, and "hors CCYN" gets about 5%.
#[rustfmt::skip]
const COMMUNES: [(&str, u32); 23] = [
    ("pont-sur-yonne", 3500), ("villeneuve-la-guyard", 3300), ("villeblevin", 1900),
    ("champigny", 1800), ("sergines", 1300), ("michery", 1150), ("courlon-sur-yonne", 1100),
    ("vinneuf", 1100), ("thorigny-sur-oreuse", 1050), ("la-chapelle-sur-oreuse", 700),
    ("cuy", 650), ("serbonnes", 620), ("chaumont", 600), ("villemanoche", 600),
    ("gisy-les-nobles", 550), ("evry", 450), ("perceneige", 420), ("pailly", 330),
    ("saint-serotin", 320), ("villeperrot", 250), ("plessis-saint-jean", 220),
    ("villenavotte", 180), ("compigny", 110),
];

fn commune_weights(host: &str) -> Vec<(&'static str, u32)> {
    let mut weights: Vec<(&'static str, u32)> = COMMUNES
        .iter()
        .map(|&(code, n)| (code, if code == host { n * 4 } else { n }))
        .collect();
    let total: u32 = weights.iter().map(|(_, n)| n).sum();
    weights.push(("hors-ccyn", total / 19));
    weights
}
