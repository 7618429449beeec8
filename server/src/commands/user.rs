//! `pouls user add`: create a staff account from the server's command line.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, bail};
use pouls::audit::Actor;
use pouls::auth::hash_password;
use pouls::domain::{Email, NewPassword, Role};
use pouls::staff::{CreateAccount, NewAccount};

use pouls::storage::Storage;
use pouls::territory::{InstanceRole, Membership, TerritorySlug};

use crate::prepare_storage;

/// What `pouls user add` gives the account.
#[derive(Debug)]
pub struct Access {
    /// The role in each territory; lecteur for a lecteur départemental without one.
    pub role: Option<Role>,
    /// Slugs; the first territory when empty.
    pub territories: Vec<String>,
    pub instance_role: Option<InstanceRole>,
}

pub async fn add(database_url: &str, email: &str, access: Access) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
    let role = match (access.role, access.instance_role) {
        (Some(role), _) => Some(role),
        (None, Some(InstanceRole::Lecteur)) => Some(Role::Lecteur),
        (None, Some(InstanceRole::Admin)) => None,
        (None, None) => bail!("--role is needed"),
    };
    let password = read_password()?;
    let password =
        NewPassword::parse(&password, Some(&email)).map_err(|e| anyhow::anyhow!("{e}"))?;
    let storage = prepare_storage(database_url).await?;
    let memberships = match memberships(&storage, role, &access.territories).await {
        Ok(memberships) => memberships,
        Err(error) => {
            storage.close().await;
            return Err(error);
        }
    };
    let hash = hash_password(password).await?;
    let account = NewAccount {
        email: &email,
        password_hash: &hash,
        memberships: &memberships,
        instance_role: access.instance_role,
    };
    let outcome = storage
        .create_account(&account, &Actor::CommandLine)
        .await?;
    let names = describe(&storage, &memberships).await?;
    storage.close().await;
    match outcome {
        CreateAccount::Created(user) => {
            println!("Compte créé : n° {}, {}.", user.id, user.email);
            for line in names {
                println!("  {line}");
            }
            if let Some(instance) = access.instance_role {
                println!("  Sur toute l'instance : {}", instance.label());
            }
            Ok(())
        }
        CreateAccount::EmailTaken => bail!("an account already exists for {email}"),
    }
}

/// `role` in each territory named (the first territory when none is): an unknown slug
/// is refused before anything is written.
async fn memberships(
    storage: &Storage,
    role: Option<Role>,
    slugs: &[String],
) -> anyhow::Result<Vec<Membership>> {
    let Some(role) = role else {
        if !slugs.is_empty() {
            bail!("--territory needs --role");
        }
        return Ok(Vec::new());
    };
    let mut territories = Vec::new();
    if slugs.is_empty() {
        let first = storage
            .default_territory()
            .await?
            .context("the database holds no territory: add one with `pouls territory add`")?;
        territories.push(first.id);
    }
    for slug in slugs {
        let parsed =
            TerritorySlug::parse(slug).map_err(|e| anyhow::anyhow!("--territory {slug}: {e}"))?;
        let territory = storage.territory_by_slug(&parsed).await?.with_context(|| {
            format!("--territory {slug}: no territory has this slug (see `pouls territory list`)")
        })?;
        if !territories.contains(&territory.id) {
            territories.push(territory.id);
        }
    }
    Ok(territories
        .into_iter()
        .map(|territory| Membership { territory, role })
        .collect())
}

/// "Territoire : name, rôle label" for each membership.
async fn describe(storage: &Storage, memberships: &[Membership]) -> anyhow::Result<Vec<String>> {
    let territories = storage.territories().await?;
    Ok(memberships
        .iter()
        .filter_map(|m| {
            let territory = territories.iter().find(|t| t.id == m.territory)?;
            Some(format!(
                "{} ({}) : {}",
                territory.name,
                territory.slug,
                m.role.label()
            ))
        })
        .collect())
}

/// At a terminal: asked twice, without echo. From a pipe: the first line.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Mot de passe (12 caractères au moins) : ")
            .context("cannot read the password")?;
        let second = rpassword::prompt_password("Le même mot de passe, une seconde fois : ")
            .context("cannot read the password")?;
        if first != second {
            bail!("the two passwords differ");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        Ok(line.trim_end_matches(['\n', '\r']).to_owned())
    }
}
