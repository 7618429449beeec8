//! PostgreSQL, for several stateless server instances sharing one database.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};

use super::{Backend, StorageError, WritePool};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// How long a request waits for a connection, every one being busy or PostgreSQL not
/// answering, before it fails with [`StorageError::Unavailable`].
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

pub(super) async fn connect(url: &str, location: &str) -> Result<PgPool, StorageError> {
    let open_error = |source| StorageError::Open {
        backend: Backend::Postgres,
        location: location.to_owned(),
        source,
    };
    let options = PgConnectOptions::from_str(url).map_err(open_error)?;
    PgPoolOptions::new()
        .max_connections(16)
        // With PostgreSQL down, sqlx retries refused connections until this runs out:
        // keep it short so the visitor gets the 503 page at once rather than a long wait.
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .before_acquire(super::health::lend_if_idle)
        .connect_with(options)
        .await
        .map_err(open_error)
}

/// sqlx holds a PostgreSQL advisory lock while it migrates, so instances starting together
/// migrate one after the other.
pub(super) async fn migrate(pool: &PgPool, location: &str) -> Result<(), StorageError> {
    MIGRATOR
        .run(pool)
        .await
        .map_err(|source| StorageError::Migration {
            backend: Backend::Postgres,
            location: location.to_owned(),
            source,
        })
}

impl WritePool for PgPool {
    type Db = Postgres;

    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        self.begin().await
    }
}

/// Deletes login throttle counters last used at or before `before`, skipping those an
/// attempt holds locked (it is about to use them again), so the delete never waits on an
/// attempt that waits on it.
pub(super) async fn forget_login_counters(pool: &PgPool, before: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM login_throttle WHERE (scope, subject) IN \
         (SELECT scope, subject FROM login_throttle WHERE last_at <= $1 FOR UPDATE SKIP LOCKED)",
    )
    .bind(before)
    .execute(pool)
    .await?;
    Ok(())
}
