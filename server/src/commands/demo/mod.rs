//! `pouls demo`: fills an empty database with believable synthetic data, so the platform
//! can be shown and tried without real residents' answers.
//!
//! Everything goes through the core crate's storage API, as staff would: three accounts,
//! four surveys at real CCYN events of the CTG plan, their collection points and about
//! 3,000 responses. Answers come from a fixed-seed generator, so two runs on the same day
//! give the same data; only the password (and the invisible form tokens) change.
//!
//! Each part of the demo has its module: [`surveys`] (surveys, points, responses) and
//! [`plan`] (indicator settings, rules and recorded values); later parts (field reports,
//! needs, meetings) get one each, called from [`fill`].

mod needs;
mod plan;
mod surveys;

use anyhow::{Context, bail, ensure};
use pouls::audit::Actor;
use pouls::auth::{hash_password, random_token};
use pouls::domain::{Email, NewPassword, Role};
use pouls::staff::CreateAccount;
use pouls::storage::Storage;

/// What `pouls demo` prints so someone can log in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub email: String,
    pub password: String,
}

/// Fills an empty, migrated database (the CTG plan already loaded) with demo data.
pub async fn fill(storage: &Storage) -> anyhow::Result<DemoLogin> {
    ensure!(
        storage.surveys().await?.is_empty(),
        "the database already holds surveys: `pouls demo` only fills an empty database"
    );
    let (login, actor) = accounts(storage).await?;
    surveys::fill(storage, &actor).await?;
    plan::fill(storage, &actor).await?;
    needs::fill(storage, &actor).await?;
    Ok(login)
}

/// The demo accounts, sharing one password; the first is the one `pouls demo` prints.
const ACCOUNTS: [(&str, Role); 3] = [
    ("coordination@ccyn.demo", Role::Admin),
    ("action.sociale@ccyn.demo", Role::Agent),
    ("france-services.sergines@ccyn.demo", Role::Partenaire),
];

/// Words for the generated password: easy to read out and type, no accents.
#[rustfmt::skip]
const WORDS: [&str; 32] = [
    "ecluse", "tilleul", "brioche", "meunier", "peniche", "noisette", "lavoir", "moisson",
    "pommier", "verger", "hirondelle", "clocher", "passerelle", "coquelicot", "tournesol",
    "bocage", "colline", "ruisseau", "lanterne", "marelle", "cerisier", "grenier", "fontaine",
    "bruyere", "chaumiere", "sarment", "roseau", "mirabelle", "pressoir", "sentier",
    "guinguette", "tartine",
];

/// Creates the admin, agent and partenaire accounts. Returns the admin's login and the
/// actor the rest of the demo acts as.
async fn accounts(storage: &Storage) -> anyhow::Result<(DemoLogin, Actor)> {
    let emails = ACCOUNTS
        .iter()
        .map(|(email, _)| Email::parse(email))
        .collect::<Result<Vec<_>, _>>()?;
    let password = password(&emails)?;
    let mut admin = None;
    for ((_, role), email) in ACCOUNTS.iter().zip(&emails) {
        let hash = hash_password(NewPassword::parse(&password, Some(email))?).await?;
        match storage
            .create_account(email, &hash, *role, &Actor::CommandLine)
            .await?
        {
            CreateAccount::Created(user) if *role == Role::Admin => {
                admin = Some(Actor::Staff {
                    id: user.id,
                    email: user.email,
                });
            }
            CreateAccount::Created(_) => {}
            CreateAccount::EmailTaken => bail!("an account already exists for {email}"),
        }
    }
    let actor = admin.context("no admin among the demo accounts")?;
    let email = emails[0].to_string();
    Ok((DemoLogin { email, password }, actor))
}

/// Four words and two digits, e.g. `ecluse-tournesol-grenier-tartine-42`, drawn from the
/// platform's random tokens.
fn password(emails: &[Email]) -> anyhow::Result<String> {
    for _ in 0..20 {
        let token = random_token();
        let bytes: Vec<u8> = (0..token.len() / 2)
            .filter_map(|i| u8::from_str_radix(token.get(2 * i..2 * i + 2)?, 16).ok())
            .collect();
        let [a, b, c, d, e, f, ..] = bytes[..] else {
            bail!("random token too short");
        };
        let words = [a, b, c, d].map(|byte| WORDS[usize::from(byte) % WORDS.len()]);
        let number = (u16::from(e) << 8 | u16::from(f)) % 100;
        let candidate = format!("{}-{number:02}", words.join("-"));
        if emails
            .iter()
            .all(|email| NewPassword::parse(&candidate, Some(email)).is_ok())
        {
            return Ok(candidate);
        }
    }
    bail!("could not generate an acceptable demo password")
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use pouls::domain::paris;
    use pouls::survey::QuestionKind;

    use pouls::auth::verify_password_blocking;
    use pouls::survey::{Acceptance, QuestionResult, ResultsFilter, SurveyDefinition};

    use super::*;

    async fn results_of(
        storage: &Storage,
        id: i64,
        filter: &ResultsFilter,
    ) -> (SurveyDefinition, i64, Vec<QuestionResult>) {
        let definition = storage.survey_definition(id).await.expect("reads");
        let definition = definition.expect("survey");
        let (count, results) = storage
            .survey_results(&definition, filter)
            .await
            .expect("results");
        (definition, count, results)
    }

    #[tokio::test]
    async fn fills_an_empty_database_with_open_surveys_and_believable_answers() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("demo.db").display());
        let storage = crate::prepare_storage(&url).await.expect("database");
        let started = Instant::now();
        let login = fill(&storage).await.expect("demo data");
        eprintln!("demo data filled in {:?}", started.elapsed());

        let email = Email::parse(&login.email).expect("email");
        let account = storage.account_for_login(&email).await.expect("reads");
        let (user, hash) = account.expect("account");
        assert_eq!(user.role, Role::Admin);
        assert!(verify_password_blocking(&login.password, &hash));
        assert_eq!(storage.accounts().await.expect("accounts").len(), 3);

        let surveys = storage.surveys().await.expect("surveys");
        assert_eq!(surveys.len(), 4);
        let (mut kinds, mut total, all) = (Vec::new(), 0, ResultsFilter::default());
        for survey in surveys.iter().map(|s| &s.survey) {
            assert_eq!(survey.acceptance_on(paris::today()), Acceptance::Open);
            total += survey.response_count;
            let points = storage.points(survey.id).await.expect("points");
            let by_point: i64 = points.iter().map(|p| p.response_count).sum();
            assert_eq!(by_point, survey.response_count);
            let (definition, _, results) = results_of(&storage, survey.id, &all).await;
            assert!((5..=8).contains(&definition.questions.len()));
            kinds.extend(definition.questions.iter().map(|q| q.kind));
            // The form says "Plusieurs réponses possibles, N au plus." by itself: a hint
            // saying it again would be read twice.
            for question in definition
                .questions
                .iter()
                .filter(|q| q.max_choices.is_some())
            {
                assert!(!question.help.contains("au plus"), "{}", question.label);
            }
            // A conditional question is answered only after the option it waits for.
            for (question, result) in definition.questions.iter().zip(&results) {
                let Some(condition) = &question.condition else {
                    continue;
                };
                let controlling = results
                    .iter()
                    .find(|r| r.question_id == condition.question_id);
                let options = controlling
                    .map(|r| r.options.as_slice())
                    .unwrap_or_default();
                let awaited = options.iter().find(|o| o.code == condition.option_code);
                let awaited = awaited.map_or(0, |o| o.count);
                assert!(
                    result.answered > 0 && result.answered <= awaited,
                    "{}",
                    question.label
                );
            }
            // No answer before the survey opens.
            let to = survey.opens_on.previous_day();
            let before = ResultsFilter {
                to,
                ..ResultsFilter::default()
            };
            assert_eq!(
                results_of(&storage, survey.id, &before).await.1,
                0,
                "{}",
                survey.title
            );
        }
        assert!((2500..=4000).contains(&total), "{total} responses");
        for kind in QuestionKind::ALL {
            assert!(kinds.contains(kind), "no {kind:?} question");
        }

        let summary = surveys
            .iter()
            .find(|s| s.survey.title.starts_with("Ville à Joie"));
        let id = summary.expect("Ville à Joie").survey.id;
        let (definition, count, results) = results_of(&storage, id, &all).await;
        let question = |label: &str| {
            let index = definition.questions.iter().position(|q| q.label == label);
            &results[index.expect(label)]
        };
        let mean = question("Êtes-vous satisfait de la journée ?")
            .mean
            .expect("answers");
        assert!((3.5..=4.3).contains(&mean), "satisfaction {mean}");
        let communes = &question("Dans quelle commune habitez-vous ?").options;
        let share = |code: &str| {
            let found = communes.iter().find(|o| o.code == code);
            found.map_or(0, |o| o.count) as f64 / count as f64
        };
        assert!(share("pont-sur-yonne") > 0.2 && share("compigny") < 0.02);
        assert!((0.02..0.09).contains(&share("hors-ccyn")));
        // Some free texts need escaping in pages.
        let texts = storage.text_answers(id, &all, 2000).await.expect("texts");
        assert!(texts.iter().any(|t| t.text.contains('"')));
        assert!(texts.iter().any(|t| t.text.contains('<')));

        assert!(
            fill(&storage).await.is_err(),
            "only an empty database is filled"
        );
    }
}
