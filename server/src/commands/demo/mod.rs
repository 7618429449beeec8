//! `pouls demo`: fills an empty database with believable synthetic data, so the platform
//! can be shown and tried without real residents' answers.
//!
//! Everything goes through the core crate's storage API, as staff would: three accounts,
//! four surveys at real CCYN events of 2026, closed since, and one open now, their
//! collection points and about 3,500 responses; field reports, needs and meetings dated
//! through 2026; the plan's indicators fed by rules and recorded values. Answers come from
//! a fixed-seed generator, so two runs on the same day give the same data; only the
//! password (and the invisible form tokens) change.
//!
//! Each part of the demo has its module: [`specs`] and [`surveys`] (surveys, points,
//! responses, with [`texts`] for what residents write), [`plan`] (indicator settings,
//! rules and recorded values), [`reports`] and [`needs`] (field reports, needs,
//! meetings), called from [`fill`].

mod needs;
mod plan;
mod random;
mod reports;
mod specs;
mod surveys;
mod texts;

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
        storage
            .in_default_territory()
            .await?
            .surveys()
            .await?
            .is_empty(),
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
mod tests;
