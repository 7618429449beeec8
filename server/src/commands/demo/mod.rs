//! `pouls demo`: fills an empty database with believable synthetic data, so the platform
//! can be shown and tried without real residents' answers.
//!
//! Everything goes through the core crate's storage API, as staff would: the fictitious
//! example territory beside the CCYN, an account for each role (the lecteur départemental
//! and the instance admin included),
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

mod example;
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
use pouls::plan::PlanData;
use pouls::staff::{CreateAccount, NewAccount};
use pouls::storage::{AddTerritory, Storage};
use pouls::territory::{InstanceRole, Membership, TerritoryId};

/// What `pouls demo` prints so someone can log in: the CCYN admin's login, and every
/// account (email, what it may do), all with the same password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub email: String,
    pub password: String,
    pub accounts: Vec<(String, String)>,
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
    let example = example_territory(storage).await?;
    let (login, actor, example_admin) = accounts(storage, example).await?;
    example::fill(&storage.in_territory(example), &example_admin).await?;
    surveys::fill(storage, &actor).await?;
    plan::fill(storage, &actor).await?;
    needs::fill(storage, &actor).await?;
    Ok(login)
}

/// Where a demo account works: the CCYN, the example territory, or both (the lecteur
/// départemental), and whether it also holds an instance role.
#[derive(Debug, Clone, Copy)]
enum Reach {
    Ccyn(Role),
    Example(Role),
    Both(Role, InstanceRole),
    Instance,
}

/// The demo accounts, sharing one password; the first is the one `pouls demo` prints
/// first (the CCYN's admin, as which the rest of the demo acts).
const ACCOUNTS: [(&str, Reach); 6] = [
    ("coordination@ccyn.demo", Reach::Ccyn(Role::Admin)),
    ("action.sociale@ccyn.demo", Reach::Ccyn(Role::Agent)),
    (
        "france-services.sergines@ccyn.demo",
        Reach::Ccyn(Role::Partenaire),
    ),
    (
        "coordination@val-d-exemple.demo",
        Reach::Example(Role::Admin),
    ),
    (
        "conseillere.territoriale@caf89.demo",
        Reach::Both(Role::Lecteur, InstanceRole::Lecteur),
    ),
    ("administration@pouls.demo", Reach::Instance),
];

/// Adds the fictitious example territory (docs/plan-example.toml) beside the CCYN.
async fn example_territory(storage: &Storage) -> anyhow::Result<TerritoryId> {
    let plan = PlanData::parse(EXAMPLE_PLAN).map_err(|e| anyhow::anyhow!("example plan: {e}"))?;
    match storage.add_territory(&plan).await? {
        AddTerritory::Added(territory) => Ok(territory.id),
        AddTerritory::SlugTaken => bail!("the example territory is already there"),
    }
}

const EXAMPLE_PLAN: &str = include_str!("../../../../docs/plan-example.toml");

impl Reach {
    fn access(
        self,
        ccyn: TerritoryId,
        example: TerritoryId,
    ) -> (Vec<Membership>, Option<InstanceRole>) {
        let one = |territory, role| Membership { territory, role };
        match self {
            Self::Ccyn(role) => (vec![one(ccyn, role)], None),
            Self::Example(role) => (vec![one(example, role)], None),
            Self::Both(role, instance) => {
                (vec![one(ccyn, role), one(example, role)], Some(instance))
            }
            Self::Instance => (Vec::new(), Some(InstanceRole::Admin)),
        }
    }

    fn label(self) -> String {
        match self {
            Self::Ccyn(role) => format!("{} (CCYN)", role.label()),
            Self::Example(role) => format!("{} (Val d'Exemple)", role.label()),
            Self::Both(_, instance) => format!("{} (CCYN et Val d'Exemple)", instance.label()),
            Self::Instance => InstanceRole::Admin.label().to_owned(),
        }
    }
}

/// Words for the generated password: easy to read out and type, no accents.
#[rustfmt::skip]
const WORDS: [&str; 32] = [
    "ecluse", "tilleul", "brioche", "meunier", "peniche", "noisette", "lavoir", "moisson",
    "pommier", "verger", "hirondelle", "clocher", "passerelle", "coquelicot", "tournesol",
    "bocage", "colline", "ruisseau", "lanterne", "marelle", "cerisier", "grenier", "fontaine",
    "bruyere", "chaumiere", "sarment", "roseau", "mirabelle", "pressoir", "sentier",
    "guinguette", "tartine",
];

/// Creates the demo accounts. Returns the printed logins, the actor the rest of the demo
/// acts as (the CCYN's admin) and the example territory's admin.
async fn accounts(
    storage: &Storage,
    example: TerritoryId,
) -> anyhow::Result<(DemoLogin, Actor, Actor)> {
    let ccyn = storage.in_default_territory().await?.id();
    let emails = ACCOUNTS
        .iter()
        .map(|(email, _)| Email::parse(email))
        .collect::<Result<Vec<_>, _>>()?;
    let password = password(&emails)?;
    let (mut admin, mut example_admin) = (None, None);
    for ((_, reach), email) in ACCOUNTS.iter().zip(&emails) {
        let hash = hash_password(NewPassword::parse(&password, Some(email))?).await?;
        let (memberships, instance_role) = reach.access(ccyn, example);
        let account = NewAccount {
            email,
            password_hash: &hash,
            memberships: &memberships,
            instance_role,
        };
        match storage
            .create_account(&account, &Actor::CommandLine)
            .await?
        {
            CreateAccount::Created(user) if admin.is_none() => {
                admin = Some(Actor::Staff {
                    id: user.id,
                    email: user.email,
                });
            }
            CreateAccount::Created(user) if matches!(reach, Reach::Example(Role::Admin)) => {
                example_admin = Some(Actor::Staff {
                    id: user.id,
                    email: user.email,
                });
            }
            CreateAccount::Created(_) => {}
            CreateAccount::EmailTaken => bail!("an account already exists for {email}"),
        }
    }
    let actor = admin.context("no admin among the demo accounts")?;
    let example_admin = example_admin.context("no admin of the example territory")?;
    let email = emails[0].to_string();
    let accounts = ACCOUNTS
        .iter()
        .map(|(email, reach)| ((*email).to_owned(), reach.label()))
        .collect();
    Ok((
        DemoLogin {
            email,
            password,
            accounts,
        },
        actor,
        example_admin,
    ))
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
