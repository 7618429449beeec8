//! The four demo surveys at CCYN events, their collection points and responses.

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail, ensure};
use pouls::audit::Actor;
use pouls::auth::random_token;
use pouls::domain::{FieldErrors, paris};
use pouls::storage::{Storage, SurveyChange};
use pouls::survey::{
    Answer, PointDraft, PointInput, PointKind, Question, QuestionDraft, QuestionInput,
    QuestionKind, QuestionOption, SurveyDraft, SurveyInput, SurveyStatus, parse_french_date,
};

/// The generator's seed: the same demo data on every run.
const SEED: u64 = 0x00C0_FFEE_2026_0089;
const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;
/// Responses stored per transaction.
const CHUNK: usize = 500;

/// Creates the four surveys, opens them and stores their responses, acting as `actor`.
pub(super) async fn fill(storage: &Storage, actor: &Actor) -> anyhow::Result<()> {
    let themes = storage.themes().await?;
    let themes: Vec<&str> = themes.iter().map(|t| t.code.as_str()).collect();
    let communes = storage.communes().await?;
    let communes: Vec<&str> = communes.iter().map(|c| c.code.as_str()).collect();
    let mut rng = SplitMix(SEED);
    for spec in SURVEYS {
        let id = survey(storage, spec, actor, &themes, &communes).await?;
        let stored = responses(storage, id, spec, &mut rng).await?;
        tracing::info!(
            survey = spec.title,
            responses = stored,
            "demo survey filled"
        );
    }
    Ok(())
}

/// A demo survey: what staff would type into the builder, and how many answer.
struct SurveySpec {
    title: &'static str,
    intro: &'static str,
    why: &'static str,
    actions: &'static [&'static str],
    themes: &'static [&'static str],
    /// The event day (ISO): the survey opens then.
    event: &'static str,
    /// The event's commune: more respondents live there.
    host: &'static str,
    /// First and last hour at which answers are given on the event's points.
    hours: (u64, u64),
    responses: usize,
    /// Percent of the responses given online, in the weeks after the event.
    online_share: usize,
    points: &'static [PointSpec],
    questions: &'static [QuestionSpec],
}

/// A collection point of a demo survey, besides the online point every survey gets.
struct PointSpec {
    label: &'static str,
    kind: &'static str,
    commune: &'static str,
    /// First and last day (ISO) of collection.
    days: (&'static str, &'static str),
    live_screen: bool,
    /// Percent of the survey's responses.
    share: usize,
}

/// One question of a demo survey and how residents answer it. Start from [`Q`].
struct QuestionSpec {
    kind: QuestionKind,
    label: &'static str,
    help: &'static str,
    required: bool,
    /// Chance in percent that an optional question is left empty.
    skip: u32,
    theme: &'static str,
    max_choices: &'static str,
    bounds: (&'static str, &'static str),
    scale: (&'static str, &'static str),
    /// `Q1=oui`: shown only when question Q1 was answered "oui".
    condition: &'static str,
    answers: Gen,
}

/// How the synthetic residents answer a question.
#[derive(Clone, Copy)]
enum Gen {
    /// Options written by staff (their labels), each with a weight: relative for a single
    /// choice, the chance in percent to be ticked for a multiple choice.
    Options(&'static [(&'static str, u32)]),
    /// One option of a fixed list (scale, yes/no, age, public) by code, with weights.
    Codes(&'static [(&'static str, u32)]),
    /// The commune of residence: by population, the event's commune more likely.
    Commune,
    /// A whole number, with weights.
    Number(&'static [(i32, u32)]),
    /// One of these sentences.
    Text(&'static [&'static str]),
}

/// The defaults of a question spec: required, no condition.
const Q: QuestionSpec = QuestionSpec {
    kind: QuestionKind::ShortText,
    label: "",
    help: "",
    required: true,
    skip: 0,
    theme: "",
    max_choices: "",
    bounds: ("", ""),
    scale: ("", ""),
    condition: "",
    answers: Gen::Text(&[]),
};

impl QuestionSpec {
    /// The question form as staff would fill it in.
    fn input(&self) -> QuestionInput {
        let new_options = match self.answers {
            Gen::Options(options) => {
                let labels: Vec<&str> = options.iter().map(|(label, _)| *label).collect();
                labels.join("\n")
            }
            _ => String::new(),
        };
        QuestionInput {
            kind: self.kind.code().to_owned(),
            label: self.label.to_owned(),
            help: self.help.to_owned(),
            required: self.required,
            theme: self.theme.to_owned(),
            max_choices: self.max_choices.to_owned(),
            min_value: self.bounds.0.to_owned(),
            max_value: self.bounds.1.to_owned(),
            scale_min_label: self.scale.0.to_owned(),
            scale_max_label: self.scale.1.to_owned(),
            new_options,
            option_edits: Vec::new(),
            condition: self.condition.to_owned(),
        }
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
    let today = paris::start_of_day(paris::today());
    let event = day_start(spec.event)?;
    // Open today and for months to come, whatever the day the demo runs.
    let closes = day_start("2027-06-30")?.max(today + 200 * DAY);
    let input = SurveyInput {
        title: spec.title.to_owned(),
        intro: spec.intro.to_owned(),
        why: spec.why.to_owned(),
        actions: spec.actions.iter().map(|a| (*a).to_owned()).collect(),
        themes: spec.themes.iter().map(|t| (*t).to_owned()).collect(),
        opens_on: iso(event.min(today)),
        closes_on: iso(closes),
        retention_until: String::new(),
    };
    let draft = SurveyDraft::parse(&input, themes).map_err(|e| invalid(spec.title, &e))?;
    let id = storage.create_survey(&draft, actor).await?;
    for question in spec.questions {
        // A condition refers to earlier questions, as stored.
        let earlier = match question.condition {
            "" => Vec::new(),
            _ => {
                storage
                    .survey_definition(id)
                    .await?
                    .context("no survey")?
                    .questions
            }
        };
        let draft = QuestionDraft::parse(&question.input(), &earlier, themes)
            .map_err(|e| invalid(question.label, &e))?;
        storage
            .add_question(id, &draft, actor)
            .await?
            .context("no survey")?;
    }
    for point in spec.points {
        let input = PointInput {
            label: point.label.to_owned(),
            kind: point.kind.to_owned(),
            commune: point.commune.to_owned(),
            starts_on: point.days.0.to_owned(),
            ends_on: point.days.1.to_owned(),
            live_screen: point.live_screen,
        };
        let draft = PointDraft::parse(&input, communes).map_err(|e| invalid(point.label, &e))?;
        storage.create_point(id, &draft, actor).await?;
    }
    match storage
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
    let definition = storage.survey_definition(id).await?.context("no survey")?;
    ensure!(
        definition.questions.len() == spec.questions.len(),
        "questions missing"
    );
    let questions: Vec<_> = definition.questions.iter().zip(spec.questions).collect();
    let communes = commune_weights(spec.host);
    let now = i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs())?;
    let today = paris::start_of_day(paris::today());
    let event = day_start(spec.event)?;
    let mut stored = 0;
    for point in storage.points(id).await? {
        let (share, window) = match spec.points.iter().find(|p| p.label == point.label) {
            Some(known) => {
                let first = point.starts_on.map_or(event, paris::start_of_day);
                let last = point.ends_on.map_or(today, paris::start_of_day);
                (known.share, Window::new(first, last.min(today)))
            }
            None if point.kind == PointKind::Online => {
                (spec.online_share, Window::new(event, today))
            }
            None => bail!("collection point {:?} not in the demo", point.label),
        };
        let mut batch = Vec::new();
        for _ in 0..spec.responses * share / 100 {
            let at = moment(rng, point.kind, &window, spec.hours).min(now - 60);
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
            Gen::Text(sentences) => {
                let text = sentences
                    .get(rng.below_len(sentences.len()))
                    .context("no text")?;
                answers.push(answer(None, Some((*text).to_owned()), None));
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
/// on weekdays in office hours, elsewhere during the event.
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

/// Midnight in Paris starting an ISO day.
fn day_start(iso: &str) -> anyhow::Result<i64> {
    Ok(paris::start_of_day(parse_french_date(iso)?))
}

/// The ISO Paris day of a Unix time.
fn iso(unix: i64) -> String {
    paris::local(unix + 12 * HOUR).date().to_string()
}

/// SplitMix64: small, fast and good enough for synthetic data.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    fn below_len(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    fn percent(&mut self, chance: u32) -> bool {
        self.below(100) < u64::from(chance)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A value drawn by weight, or `None` when every weight is 0.
    fn pick<T: Copy>(&mut self, weighted: &[(T, u32)]) -> Option<T> {
        let total = weighted.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut draw = self.below(total);
        for (value, weight) in weighted {
            match draw.checked_sub(u64::from(*weight)) {
                Some(rest) => draw = rest,
                None => return Some(*value),
            }
        }
        None
    }
}

use QuestionKind as K;

/// The four demo surveys, at events the CTG plan names.
#[rustfmt::skip]
const SURVEYS: &[SurveySpec] = &[
    SurveySpec {
        title: "Ville à Joie 2026 : votre avis",
        intro: "Vous êtes passé à Ville à Joie ? Dites-nous en deux minutes ce qui vous a plu et ce que nous pouvons faire mieux. C'est anonyme.",
        why: "Vos réponses aident la CCYN et ses partenaires à préparer les prochaines fêtes du territoire.",
        actions: &["1", "2"],
        themes: &["vie-sociale", "parentalite"],
        event: "2026-06-13",
        host: "pont-sur-yonne",
        hours: (10, 18),
        responses: 1200,
        online_share: 15,
        points: &[
            PointSpec { label: "Ville à Joie 2026 - stand CCYN", kind: "evenement", commune: "pont-sur-yonne", days: ("2026-06-13", "2026-06-13"), live_screen: true, share: 55 },
            PointSpec { label: "Ville à Joie 2026 - tablette accueil", kind: "kiosque", commune: "pont-sur-yonne", days: ("2026-06-13", "2026-06-13"), live_screen: false, share: 30 },
        ],
        questions: &[
            QuestionSpec { kind: K::Scale, label: "Êtes-vous satisfait de la journée ?", scale: ("Pas du tout satisfait", "Très satisfait"), theme: "vie-sociale",
                answers: Gen::Codes(&[("1", 3), ("2", 6), ("3", 17), ("4", 40), ("5", 34)]), ..Q },
            QuestionSpec { kind: K::Commune, label: "Dans quelle commune habitez-vous ?", answers: Gen::Commune, ..Q },
            QuestionSpec { kind: K::Public, label: "Vous êtes venu surtout en tant que :", help: "Choisissez ce qui vous correspond le mieux.",
                answers: Gen::Codes(&[("familles", 46), ("enfants", 10), ("jeunes", 12), ("seniors", 14), ("aidants", 3), ("handicap", 3), ("nouveaux-arrivants", 5), ("eloignes", 1), ("benevoles", 4), ("professionnels", 1), ("elus", 1)]), ..Q },
            QuestionSpec { kind: K::Multiple, label: "Quelles animations avez-vous préférées ?", max_choices: "3",
                answers: Gen::Options(&[("Les jeux en bois", 48), ("Le spectacle pour enfants", 40), ("Les stands des associations", 30), ("La buvette et le pique-nique", 26), ("Le stand santé et prévention", 14), ("L'espace parents et tout-petits", 22)]), ..Q },
            QuestionSpec { kind: K::YesNo, label: "Est-ce la première fois que vous venez à Ville à Joie ?", answers: Gen::Codes(&[("oui", 38), ("non", 62)]), ..Q },
            QuestionSpec { kind: K::Single, label: "Si oui : comment avez-vous connu Ville à Joie ?", condition: "Q5=oui",
                answers: Gen::Options(&[("Par l'école ou la crèche", 30), ("Par le bulletin de ma commune", 22), ("Par Facebook", 24), ("Par le bouche-à-oreille", 18), ("Par une affiche", 6)]), ..Q },
            QuestionSpec { kind: K::ShortText, label: "Une idée pour la prochaine édition ?", required: false, skip: 70, answers: Gen::Text(IDEAS), ..Q },
        ],
    },
    SurveySpec {
        title: "Octobre Rose 2026 : prévention santé",
        intro: "Pendant Octobre Rose, nous voulons savoir comment vous prenez soin de votre santé, et ce qui vous en empêche parfois. Cinq minutes, anonyme.",
        why: "Pour rapprocher la prévention et les soins de chez vous.",
        actions: &["9", "14"],
        themes: &["sante-handicap", "acces-aux-droits"],
        event: "2026-10-03",
        host: "villeneuve-la-guyard",
        hours: (9, 13),
        responses: 600,
        online_share: 25,
        points: &[
            PointSpec { label: "Octobre Rose 2026 - marche rose de Villeneuve-la-Guyard", kind: "evenement", commune: "villeneuve-la-guyard", days: ("2026-10-03", "2026-10-03"), live_screen: true, share: 45 },
            PointSpec { label: "France Services Sergines - accueil", kind: "guichet", commune: "sergines", days: ("2026-10-05", "2026-10-30"), live_screen: false, share: 30 },
        ],
        questions: &[
            QuestionSpec { kind: K::AgeBracket, label: "Quel âge avez-vous ?", answers: Gen::Codes(&[("15-17", 2), ("18-25", 6), ("26-39", 20), ("40-59", 36), ("60-74", 26), ("75-plus", 10)]), ..Q },
            QuestionSpec { kind: K::Commune, label: "Où habitez-vous ?", answers: Gen::Commune, ..Q },
            QuestionSpec { kind: K::YesNo, label: "Avez-vous un médecin traitant ?", theme: "sante-handicap", answers: Gen::Codes(&[("oui", 84), ("non", 16)]), ..Q },
            QuestionSpec { kind: K::Number, label: "Si oui : combien de minutes vous faut-il pour aller à son cabinet ?", condition: "Q3=oui", bounds: ("0", "180"), required: false, skip: 12,
                answers: Gen::Number(&[(5, 8), (10, 18), (15, 22), (20, 18), (25, 8), (30, 12), (40, 6), (45, 4), (60, 4)]), ..Q },
            QuestionSpec { kind: K::Multiple, label: "Qu'est-ce qui vous freine pour prendre soin de votre santé ?",
                answers: Gen::Options(&[("Les délais pour avoir un rendez-vous", 58), ("Le trajet, sans voiture", 34), ("Le coût des soins", 22), ("Les démarches en ligne", 18), ("Le manque de temps", 26), ("Rien de particulier", 12)]), ..Q },
            QuestionSpec { kind: K::Scale, label: "Les informations du stand vous ont-elles été utiles ?", scale: ("Pas du tout utiles", "Très utiles"),
                answers: Gen::Codes(&[("1", 2), ("2", 5), ("3", 20), ("4", 43), ("5", 30)]), ..Q },
            QuestionSpec { kind: K::LongText, label: "Voulez-vous ajouter quelque chose sur la santé près de chez vous ?", theme: "acces-aux-droits", required: false, skip: 78, answers: Gen::Text(HEALTH), ..Q },
        ],
    },
    SurveySpec {
        title: "Foire de printemps de Michery : vos besoins en petite enfance",
        intro: "Parents, futurs parents, grands-parents : dites-nous ce qui vous faciliterait la vie avec les tout-petits. C'est anonyme.",
        why: "Pour adapter l'accueil des jeunes enfants aux besoins des familles du territoire.",
        actions: &["14", "15"],
        themes: &["petite-enfance", "parentalite"],
        event: "2026-04-12",
        host: "michery",
        hours: (9, 17),
        responses: 550,
        online_share: 15,
        points: &[
            PointSpec { label: "Foire de printemps 2026 - stand RPE", kind: "evenement", commune: "michery", days: ("2026-04-12", "2026-04-12"), live_screen: false, share: 55 },
            PointSpec { label: "Foire de printemps 2026 - questionnaires papier", kind: "papier", commune: "michery", days: ("2026-04-12", "2026-04-12"), live_screen: false, share: 30 },
        ],
        questions: &[
            QuestionSpec { kind: K::YesNo, label: "Avez-vous un ou plusieurs enfants de moins de 6 ans ?", answers: Gen::Codes(&[("oui", 64), ("non", 36)]), ..Q },
            QuestionSpec { kind: K::Number, label: "Si oui : combien ?", condition: "Q1=oui", bounds: ("1", "6"), answers: Gen::Number(&[(1, 58), (2, 32), (3, 8), (4, 2)]), ..Q },
            QuestionSpec { kind: K::Single, label: "Qui garde le plus souvent votre enfant en journée ?", condition: "Q1=oui", theme: "petite-enfance",
                answers: Gen::Options(&[("Un parent, à la maison", 24), ("Une assistante maternelle", 38), ("La crèche ou la micro-crèche", 18), ("La famille ou des proches", 16), ("Une autre solution", 4)]), ..Q },
            QuestionSpec { kind: K::Multiple, label: "Qu'est-ce qui vous aiderait le plus ?", max_choices: "2",
                answers: Gen::Options(&[("Plus de places en crèche", 52), ("Des horaires d'accueil plus larges", 38), ("Des temps d'éveil parents-enfants", 30), ("De l'aide pour trouver une assistante maternelle", 28), ("Toutes les informations au même endroit", 34)]), ..Q },
            QuestionSpec { kind: K::Commune, label: "Dans quelle commune habitez-vous ?", answers: Gen::Commune, ..Q },
            QuestionSpec { kind: K::AgeBracket, label: "Votre âge", required: false, skip: 10, answers: Gen::Codes(&[("15-17", 1), ("18-25", 12), ("26-39", 52), ("40-59", 22), ("60-74", 10), ("75-plus", 3)]), ..Q },
            QuestionSpec { kind: K::LongText, label: "Racontez-nous votre quotidien avec les tout-petits", required: false, skip: 70, answers: Gen::Text(EARLY_YEARS), ..Q },
        ],
    },
    SurveySpec {
        title: "Les Nocturnales de Courlon-sur-Yonne : et si on en parlait ?",
        intro: "Une belle soirée aux Nocturnales ? Aidez-nous à imaginer la suite, pour les jeunes et pour tous. Deux minutes, anonyme.",
        why: "Pour que les animations répondent aux envies des jeunes et des habitants.",
        actions: &["2", "3"],
        themes: &["jeunesse", "vie-sociale"],
        event: "2026-07-18",
        host: "courlon-sur-yonne",
        // An evening event.
        hours: (18, 22),
        responses: 650,
        online_share: 25,
        points: &[
            PointSpec { label: "Nocturnales 2026 - stand jeunesse", kind: "evenement", commune: "courlon-sur-yonne", days: ("2026-07-18", "2026-07-18"), live_screen: true, share: 75 },
        ],
        questions: &[
            QuestionSpec { kind: K::AgeBracket, label: "Quel âge avez-vous ?", answers: Gen::Codes(&[("moins-15", 8), ("15-17", 18), ("18-25", 26), ("26-39", 22), ("40-59", 16), ("60-74", 8), ("75-plus", 2)]), ..Q },
            QuestionSpec { kind: K::Public, label: "Vous êtes plutôt :", required: false, skip: 8,
                answers: Gen::Codes(&[("jeunes", 40), ("familles", 26), ("seniors", 8), ("enfants", 6), ("benevoles", 8), ("nouveaux-arrivants", 6), ("aidants", 2), ("handicap", 2), ("professionnels", 1), ("elus", 1)]), ..Q },
            QuestionSpec { kind: K::Scale, label: "Avez-vous passé une bonne soirée ?", scale: ("Pas du tout", "Excellente soirée"), answers: Gen::Codes(&[("1", 2), ("2", 4), ("3", 14), ("4", 38), ("5", 42)]), ..Q },
            QuestionSpec { kind: K::Multiple, label: "Qu'aimeriez-vous voir plus souvent près de chez vous ?", max_choices: "3", theme: "jeunesse",
                answers: Gen::Options(&[("Des concerts et des soirées", 50), ("Un lieu pour les jeunes", 42), ("Des sorties sportives", 30), ("Des ateliers : cuisine, musique, numérique", 26), ("Des transports le soir", 36)]), ..Q },
            QuestionSpec { kind: K::YesNo, label: "Seriez-vous prêt à donner un coup de main comme bénévole ?", answers: Gen::Codes(&[("oui", 22), ("non", 78)]), ..Q },
            QuestionSpec { kind: K::ShortText, label: "Si oui : dans quel domaine ?", condition: "Q5=oui", required: false, skip: 35, answers: Gen::Text(VOLUNTEERING), ..Q },
            QuestionSpec { kind: K::Commune, label: "Où habitez-vous ?", answers: Gen::Commune, ..Q },
            QuestionSpec { kind: K::ShortText, label: "Un mot pour les organisateurs ?", required: false, skip: 75, answers: Gen::Text(EVENINGS), ..Q },
        ],
    },
];

// What residents write. A few contain quotes, `<` or `&`, which pages must escape.
const IDEAS: &[&str] = &[
    "Plus d'animations pour les ados le samedi",
    "Un grand merci aux bénévoles !",
    "Plus de coins à l'ombre, il faisait très chaud",
    "Une navette depuis les petites communes",
    "Des toilettes accessibles aux poussettes et aux fauteuils",
    "Le spectacle était trop court, les enfants en redemandaient",
    "Des tables pour pique-niquer en famille",
    "Le \"coin des bébés\" était parfait, à refaire !",
    "Attente < 5 min aux jeux en bois, bravo",
    "Le dimanche, pour ceux qui travaillent le samedi",
];
const HEALTH: &[&str] = &[
    "Difficile de venir sans voiture depuis Compigny",
    "Trois mois d'attente pour un dermatologue, c'est trop",
    "Il faudrait un bus vers l'hôpital de Sens deux fois par semaine",
    "Mon médecin part à la retraite et personne ne le remplace",
    "Merci pour les infos sur le dépistage, je ne savais pas que c'était gratuit",
    "Les démarches Ameli en ligne, je n'y arrive pas seule",
    "Un kiné à Sergines & un dentiste à Pont, ce serait déjà bien",
    "Plus de permanences de la CPAM à France Services",
    "On manque d'informations sur les aides pour les aidants",
];
const EARLY_YEARS: &[&str] = &[
    "Les horaires de la crèche ne collent pas avec les trajets vers Sens",
    "Je travaille en horaires décalés, aucune assistante maternelle n'accepte",
    "On a attendu 8 mois pour une place en crèche",
    "Le RPE nous a beaucoup aidés pour trouver une nounou",
    "Des ateliers parents-bébés le samedi matin, ce serait top",
    "Seule avec deux petits, les mercredis sont compliqués",
    "Les \"bébés lecteurs\" à la médiathèque, c'est super",
    "Pas de solution de garde quand mon fils est malade",
    "On ne sait jamais qui appeler : mairie, CCYN ou CAF ?",
    "Plus de places en micro-crèche à Michery & Courlon",
];
const VOLUNTEERING: &[&str] = &[
    "Installation et rangement",
    "La buvette",
    "La sono, je fais de la musique",
    "Les affiches et les réseaux sociaux",
    "L'accueil des familles à l'entrée",
    "Un peu de tout, selon mes disponibilités",
    "Animer des jeux pour les enfants",
];
const EVENINGS: &[&str] = &[
    "Trop bien la soirée, merci !",
    "Une navette pour rentrer après minuit",
    "Des concerts avec des groupes du coin <3",
    "Plus de choses pour les 12-15 ans",
    "Un peu plus de lumière sur le parking",
];
