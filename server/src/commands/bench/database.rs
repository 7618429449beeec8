//! The bench's own database, created empty and removed at the end: a SQLite file in a
//! temporary directory, or a fresh database on the PostgreSQL server given.

use std::path::PathBuf;

use anyhow::Context;

use super::pg::{self, PgUrl};

pub struct TempDatabase {
    /// Holds the SQLite file and the server's log; removed at the end.
    pub dir: PathBuf,
    pub url: String,
    /// On PostgreSQL: the URL given (to drop the database from) and the database's name.
    postgres: Option<(String, String)>,
}

impl TempDatabase {
    /// SQLite unless `given` is a `postgres://` URL.
    pub async fn create(given: Option<&str>) -> anyhow::Result<Self> {
        let dir = std::env::temp_dir().join(format!("pouls-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        match given {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                let name = format!("pouls_bench_{}", std::process::id());
                pg::execute(url, &format!("DROP DATABASE IF EXISTS {name}")).await?;
                pg::execute(url, &format!("CREATE DATABASE {name}")).await?;
                Ok(Self {
                    url: PgUrl::with_database(url, &name),
                    dir,
                    postgres: Some((url.to_owned(), name)),
                })
            }
            Some(url) if !url.starts_with("sqlite:") => {
                anyhow::bail!(
                    "--database-url: pouls bench takes a postgres:// URL, or none for SQLite"
                )
            }
            _ => Ok(Self {
                url: format!("sqlite://{}", dir.join("bench.db").display()),
                dir,
                postgres: None,
            }),
        }
    }

    pub fn backend(&self) -> &'static str {
        if self.postgres.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    }

    /// Drops the database and removes the directory; reports what failed but goes on.
    pub async fn remove(self) {
        if let Some((url, name)) = &self.postgres
            && let Err(error) =
                pg::execute(url, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await
        {
            eprintln!("pouls bench: could not drop the database {name}: {error:#}");
        }
        if let Err(error) = std::fs::remove_dir_all(&self.dir) {
            eprintln!(
                "pouls bench: could not remove {}: {error}",
                self.dir.display()
            );
        }
    }
}
