//! Storage: [`Storage`], a struct over one connection pool, SQLite (the embedded default)
//! or PostgreSQL, chosen by the database URL.
//!
//! A struct rather than a trait with an implementation per backend: both backends take the
//! same `$1`-style SQL, so each query is written once and [`on_pool!`] expands it for each
//! typed pool, the compiler checking its binds and rows against both backends; a trait
//! would need every query twice, or sqlx's type-erased `Any` driver, which decodes far
//! fewer types. What really differs per backend (connection options, write transactions,
//! migrations) lives in [`sqlite`] and [`postgres`]. The other modules each hold one
//! feature's queries as `impl Storage` blocks; [`decode`] reads stored values back into
//! domain types and [`links`] rewrites an object's link rows.

mod activity;
mod audit;
mod board;
mod decode;
mod definitions;
mod department;
#[cfg(test)]
mod drift;
mod export;
mod health;
mod indicators;
mod links;
mod meetings;
mod members;
mod needs;
mod outcomes;
mod plan;
mod points;
mod postgres;
mod questions;
mod reports;
mod responses;
mod review;
mod scoped_responses;
mod secrets;
mod sessions;
mod sqlite;
mod staff;
mod submissions;
mod surveys;
mod tallies;
mod templates;
mod territories;
mod throttle;
mod writer;

use std::fmt;
use std::sync::Arc;

use sqlx::{PgPool, SqlitePool};

pub use board::{CellSources, PublicVoices};
pub use export::ExportFilter;
pub use health::WRITE_FAILURE_WINDOW;
pub use indicators::IndicatorReport;
pub use meetings::PublicDecision;
pub use needs::NewSource;
pub use outcomes::{NeedLinks, QuestionTotal};
pub use responses::PurgeReport;
pub use review::{Quote, ReviewCounts, TextQuery};
pub use sqlite::SqliteSettings;
pub use submissions::{NewResponse, SubmitOutcome};
pub use surveys::{QuestionChange, SurveyChange};
pub use territories::{AddTerritory, TerritoryStorage};
pub use writer::{ResponseWriter, WriterOptions};

/// Which database the platform runs on, chosen by `DATABASE_URL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("DATABASE_URL must start with sqlite:// or postgres:// (got {0:?})")]
    UnsupportedUrl(String),
    #[error("cannot open the {backend} database at {location}")]
    Open {
        backend: Backend,
        location: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("migration of the {backend} database at {location} failed")]
    Migration {
        backend: Backend,
        location: String,
        #[source]
        source: sqlx::migrate::MigrateError,
    },
    #[error("the plan data shipped with Pouls is invalid")]
    PlanData(#[from] crate::plan::PlanDataError),
    /// A stored value the domain refuses: only a bug or a hand edit of the database
    /// makes one.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("the survey template {slug} shipped with Pouls is invalid: {reason}")]
    InvalidTemplate { slug: &'static str, reason: String },
    /// Only before the first start has loaded a plan.
    #[error("the database holds no territory yet (no plan was loaded)")]
    NoTerritory,
    #[error("survey {0} was deleted while it was being made from a template")]
    SurveyGone(i64),
    /// Changes that name their author (a field report) need a staff member.
    #[error("only a staff member can do this, not {0}")]
    NotStaff(String),
    #[error("{} is not a UTF-8 path", .0.display())]
    PathNotUtf8(std::path::PathBuf),
    /// A task the storage spawned (reading or unpacking an export) panicked or was
    /// cancelled.
    #[error("a storage task failed")]
    Task(#[source] tokio::task::JoinError),
    #[error("database error")]
    Database(#[source] sqlx::Error),
    /// The database cannot serve now (down, unreachable, out of disk, locked past the busy
    /// timeout): pages say "try again in a moment" with a 503.
    /// Shared so that every submitter of a failed batch gets it.
    #[error("the database is unavailable")]
    Unavailable(#[source] Arc<sqlx::Error>),
    #[error("pouls backup copies SQLite databases; back up PostgreSQL with pg_dump")]
    BackupUnsupported,
    #[error("the response writer has stopped (the server is shutting down)")]
    WriterStopped,
}

impl From<sqlx::Error> for StorageError {
    fn from(error: sqlx::Error) -> Self {
        if health::is_unavailable(&error) {
            Self::Unavailable(Arc::new(error))
        } else {
            Self::Database(error)
        }
    }
}

/// How SQLite syncs a committed transaction to disk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SqliteSync {
    /// Every commit is on disk before it is acknowledged: an acknowledged response
    /// survives a crash of the process, of the OS or a power cut. The default.
    #[default]
    Full,
    /// Commits are on disk at the next WAL checkpoint: an acknowledged response survives
    /// a crash of the process, but the last ones can be lost in an OS crash or power cut.
    Normal,
}

/// Connection settings beyond the URL.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConnectOptions {
    pub sqlite_sync: SqliteSync,
}

#[derive(Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same code on whichever pool is configured; `$pool` is bound to a `SqlitePool`
/// in one arm and a `PgPool` in the other, so the body must compile for both.
macro_rules! on_pool {
    ($storage:expr, $pool:ident => $body:expr) => {
        match &$storage.pool {
            $crate::storage::Pool::Sqlite($pool) => $body,
            $crate::storage::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Begins a transaction that will write: SQLite takes its write lock at once
/// (`BEGIN IMMEDIATE`) so concurrent writers wait on the busy timeout instead of failing
/// with SQLITE_BUSY when they upgrade from a read.
pub(crate) trait WritePool {
    type Db: sqlx::Database;

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>;
}

/// The platform's storage: the pool of the configured backend, where it is (for logs),
/// and how recent writes went (for `/healthz`). Cheap to clone: clones share the pool and the write health.
#[derive(Clone)]
pub struct Storage {
    pool: Pool,
    location: String,
    writes: Arc<health::WriteHealth>,
}

impl Storage {
    /// Opens the database without migrating it (see [`Storage::migrate`]).
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        Self::connect_with(url, ConnectOptions::default()).await
    }

    /// [`Storage::connect`] with connection settings.
    pub async fn connect_with(url: &str, options: ConnectOptions) -> Result<Self, StorageError> {
        let location = redact(url);
        let pool = if url.starts_with("sqlite:") {
            Pool::Sqlite(sqlite::connect(url, &location, options.sqlite_sync).await?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Pool::Postgres(postgres::connect(url, &location).await?)
        } else {
            return Err(StorageError::UnsupportedUrl(location));
        };
        Ok(Self {
            pool,
            location,
            writes: Arc::default(),
        })
    }

    /// Applies the migrations of the backend. Each migration runs in its own transaction,
    /// so a failure leaves the database at the last complete migration.
    pub async fn migrate(&self) -> Result<(), StorageError> {
        match &self.pool {
            Pool::Sqlite(pool) => sqlite::migrate(pool, &self.location).await,
            Pool::Postgres(pool) => postgres::migrate(pool, &self.location).await,
        }
    }

    /// Takes the startup lock: on PostgreSQL, instances starting together prepare the
    /// database (migrations, plan, tally rebuilds) one after the other. Released by
    /// [`StartupLock::release`], or when dropped. SQLite has a single server process.
    pub async fn lock_startup(&self) -> Result<StartupLock, StorageError> {
        match &self.pool {
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(STARTUP_LOCK_KEY)
                    .execute(&mut *tx)
                    .await?;
                Ok(StartupLock(Some(tx)))
            }
            Pool::Sqlite(_) => Ok(StartupLock(None)),
        }
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Where the database is, with any password removed; safe to log.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// `Ok` when the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StorageError> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(drop))?;
        Ok(())
    }

    /// Whether storing responses failed for want of a database (see
    /// [`StorageError::Unavailable`]) less than [`WRITE_FAILURE_WINDOW`] ago, with no
    /// success since: reads may still work, a full disk only stops writes.
    pub fn writes_failing(&self) -> bool {
        self.writes.failing()
    }

    /// The SQLite connection settings in force, or `None` on PostgreSQL.
    pub async fn sqlite_settings(&self) -> Result<Option<SqliteSettings>, StorageError> {
        match &self.pool {
            Pool::Sqlite(pool) => Ok(Some(sqlite::settings(pool).await?)),
            Pool::Postgres(_) => Ok(None),
        }
    }

    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await);
    }

    /// Writes a consistent copy of a SQLite database to `file` (which must not exist)
    /// with `VACUUM INTO`: it reads one snapshot, so writes may go on meanwhile, and the
    /// copy is compact and ready to open. PostgreSQL has `pg_dump` for this.
    pub async fn backup_to(&self, file: &std::path::Path) -> Result<(), StorageError> {
        let Pool::Sqlite(pool) = &self.pool else {
            return Err(StorageError::BackupUnsupported);
        };
        let path = file
            .to_str()
            .ok_or_else(|| StorageError::PathNotUtf8(file.to_owned()))?;
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(pool)
            .await?;
        Ok(())
    }
}

/// "pouls" in ASCII: the key of the PostgreSQL advisory lock held while starting.
const STARTUP_LOCK_KEY: i64 = 0x0070_6f75_6c73;

/// See [`Storage::lock_startup`]. A transaction-level advisory lock: a crash or a dropped
/// guard ends the transaction, so the lock can never outlive its holder.
pub struct StartupLock(Option<sqlx::Transaction<'static, sqlx::Postgres>>);

impl StartupLock {
    pub async fn release(self) -> Result<(), StorageError> {
        if let Some(tx) = self.0 {
            tx.commit().await?;
        }
        Ok(())
    }
}

/// Drops the password from a database URL so it can appear in logs and error messages.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}@{host}")
        }
        None => url.to_owned(),
    }
}

/// Current time as Unix seconds.
pub(crate) fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_passwords_only() {
        assert_eq!(
            redact("postgres://pouls:secret@db:5432/pouls"),
            "postgres://pouls@db:5432/pouls"
        );
        assert_eq!(redact("postgres://db/pouls"), "postgres://db/pouls");
        assert_eq!(redact("sqlite://pouls.db"), "sqlite://pouls.db");
    }
}
