//! `pouls user add`: create a staff account from the server's command line.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, bail};
use pouls::audit::Actor;
use pouls::auth::hash_password;
use pouls::domain::{Email, NewPassword, Role};
use pouls::staff::CreateAccount;

use crate::prepare_storage;

pub async fn add(database_url: &str, email: &str, role: Role) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
    let password = read_password()?;
    let password =
        NewPassword::parse(&password, Some(&email)).map_err(|e| anyhow::anyhow!("{e}"))?;
    let storage = prepare_storage(database_url).await?;
    let hash = hash_password(password).await?;
    let outcome = storage
        .create_account(&email, &hash, role, &Actor::CommandLine)
        .await?;
    storage.close().await;
    match outcome {
        CreateAccount::Created(user) => {
            println!(
                "Compte créé : n° {}, {}, rôle {} ({}).",
                user.id,
                user.email,
                user.role.as_str(),
                user.role.label()
            );
            Ok(())
        }
        CreateAccount::EmailTaken => bail!("an account already exists for {email}"),
    }
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
