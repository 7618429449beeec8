//! SQLite, the embedded default: one file in WAL mode.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use super::{Backend, SqliteSync, StorageError, WritePool};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

pub(super) async fn connect(
    url: &str,
    location: &str,
    sync: SqliteSync,
) -> Result<SqlitePool, StorageError> {
    let open_error = |source| StorageError::Open {
        backend: Backend::Sqlite,
        location: location.to_owned(),
        source,
    };
    let options = SqliteConnectOptions::from_str(url)
        .map_err(open_error)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL by default: a response acknowledged to a resident survives a power cut.
        .synchronous(match sync {
            SqliteSync::Full => SqliteSynchronous::Full,
            SqliteSync::Normal => SqliteSynchronous::Normal,
        })
        .foreign_keys(true)
        // A writer waits this long for the lock, then the request gets the 503 page.
        .busy_timeout(Duration::from_secs(5))
        // Rows cross from SQLite's thread to ours through a bounded channel; at the default
        // 50 the two threads wake each other every few rows of an export.
        .row_buffer_size(1024);
    SqlitePoolOptions::new()
        .max_connections(8)
        .before_acquire(super::health::lend_if_idle)
        .connect_with(options)
        .await
        .map_err(open_error)
}

/// Runs the migrations on a connection of their own with foreign keys off. Migrations
/// that rebuild a table (0010) drop the old one, and with foreign keys on that drop
/// deletes, and cascades to, every child row. `PRAGMA foreign_keys` does nothing inside a
/// transaction, and sqlx 0.8 runs every SQLite migration in one (it ignores
/// `-- no-transaction` on SQLite), so the pragma has to come from here; each rebuilding
/// migration checks its references itself before it commits. The connection is detached
/// from the pool, so it is closed afterwards rather than lent with foreign keys off.
pub(super) async fn migrate(pool: &SqlitePool, location: &str) -> Result<(), StorageError> {
    let failed = |source| StorageError::Migration {
        backend: Backend::Sqlite,
        location: location.to_owned(),
        source,
    };
    let mut connection = pool.acquire().await?.detach();
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut connection)
        .await?;
    MIGRATOR.run(&mut connection).await.map_err(failed)?;
    let broken: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(&mut connection)
        .await?;
    if let Some((table,)) = broken.first() {
        return Err(failed(sqlx::migrate::MigrateError::Execute(
            sqlx::Error::Protocol(format!(
                "{} rows refer to missing rows after migrating, the first in {table}",
                broken.len()
            )),
        )));
    }
    Ok(())
}

impl WritePool for SqlitePool {
    type Db = Sqlite;

    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

/// Deletes login throttle counters last used at or before `before`. SQLite runs one
/// write at a time, so a plain delete never waits on an attempt being counted.
pub(super) async fn forget_login_counters(
    pool: &SqlitePool,
    before: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_throttle WHERE last_at <= $1")
        .bind(before)
        .execute(pool)
        .await?;
    Ok(())
}

/// The connection settings SQLite reports, to check that the pool applied them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteSettings {
    pub journal_mode: String,
    pub synchronous: i64,
    pub foreign_keys: bool,
    pub busy_timeout_ms: i64,
}

pub(super) async fn settings(pool: &SqlitePool) -> Result<SqliteSettings, sqlx::Error> {
    let mut connection = pool.acquire().await?;
    let journal_mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *connection)
        .await?;
    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut *connection)
        .await?;
    let foreign_keys: bool = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *connection)
        .await?;
    let busy_timeout_ms: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&mut *connection)
        .await?;
    Ok(SqliteSettings {
        journal_mode,
        synchronous,
        foreign_keys,
        busy_timeout_ms,
    })
}
