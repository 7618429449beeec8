//! When the database cannot serve: which errors mean "unavailable" rather than "this
//! query or its data is wrong", connections a failed transaction left inside it, and the
//! record of the last response write that `/healthz` reports.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use sqlx::Connection;
use sqlx::error::DatabaseError;
use sqlx::pool::PoolConnectionMetadata;
use sqlx::postgres::PgDatabaseError;
use sqlx::sqlite::SqliteError;

/// Whether `error` says the database cannot serve now (down, unreachable, every
/// connection busy past the acquire timeout, out of disk, locked past the busy timeout),
/// as opposed to a wrong query or data a constraint refuses.
pub(super) fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        // Not `PoolClosed`: the server closed its own pool, the database is not at fault.
        sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(database) => {
            if let Some(sqlite) = database.try_downcast_ref::<SqliteError>() {
                sqlite
                    .code()
                    .and_then(|code| code.parse::<i32>().ok())
                    .is_some_and(|code| SQLITE_UNAVAILABLE.contains(&(code & 0xff)))
            } else if let Some(postgres) = database.try_downcast_ref::<PgDatabaseError>() {
                let code = postgres.code();
                PG_UNAVAILABLE_CLASSES.iter().any(|c| code.starts_with(c))
                    || PG_UNAVAILABLE.contains(&code)
            } else {
                false
            }
        }
        _ => false,
    }
}

/// Primary SQLite result codes (the low byte of an extended code): BUSY, LOCKED, NOMEM,
/// READONLY, IOERR, FULL, CANTOPEN, PROTOCOL.
const SQLITE_UNAVAILABLE: [i32; 8] = [5, 6, 7, 8, 10, 13, 14, 15];

/// SQLSTATE classes: connection exception, insufficient resources (disk full, too many
/// connections), system error (I/O).
const PG_UNAVAILABLE_CLASSES: [&str; 3] = ["08", "53", "58"];

/// Administrator or crash shutdown, and "the database system is starting up".
const PG_UNAVAILABLE: [&str; 3] = ["57P01", "57P02", "57P03"];

/// The pool's check before lending a connection (after its ping, which runs any
/// rollback still queued). When a COMMIT or ROLLBACK fails, as on a full disk where SQLite
/// rolls the transaction back by itself, sqlx still counts the transaction as open, and
/// every later `BEGIN` on that connection fails ("attempted to call begin_with at
/// non-zero transaction depth"): such a connection is closed and another one opened.
pub(super) fn lend_if_idle<C: Connection>(
    connection: &mut C,
    _: PoolConnectionMetadata,
) -> BoxFuture<'_, Result<bool, sqlx::Error>> {
    let idle = !connection.is_in_transaction();
    if !idle {
        tracing::warn!("closing a database connection a failed transaction left open");
    }
    Box::pin(std::future::ready(Ok(idle)))
}

/// After an unavailable-database error, `/healthz` says 503 for this long, or until a
/// write succeeds. A window rather than "until the next success": a load balancer that
/// takes the instance out sends it no more writes, so it would never be put back.
pub const WRITE_FAILURE_WINDOW: Duration = Duration::from_secs(30);

/// What the last responses stored said about the database.
#[derive(Debug, Default)]
pub(super) struct WriteHealth {
    /// When a write last failed because the database was unavailable; `None` once one
    /// succeeds.
    failed_at: Mutex<Option<Instant>>,
}

impl WriteHealth {
    pub(super) fn succeeded(&self) {
        if let Ok(mut failed_at) = self.failed_at.lock() {
            *failed_at = None;
        }
    }

    pub(super) fn failed(&self) {
        if let Ok(mut failed_at) = self.failed_at.lock() {
            *failed_at = Some(Instant::now());
        }
    }

    /// Whether the last write failed, less than [`WRITE_FAILURE_WINDOW`] ago.
    pub(super) fn failing(&self) -> bool {
        self.failed_at
            .lock()
            .ok()
            .and_then(|failed_at| *failed_at)
            .is_some_and(|at| at.elapsed() < WRITE_FAILURE_WINDOW)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{StorageError, WritePool};
    use super::*;

    #[test]
    fn only_failures_of_the_database_itself_are_unavailable() {
        assert!(is_unavailable(&sqlx::Error::PoolTimedOut));
        assert!(is_unavailable(&sqlx::Error::Io(std::io::Error::from(
            std::io::ErrorKind::ConnectionReset
        ))));
        assert!(!is_unavailable(&sqlx::Error::RowNotFound));
        assert!(!is_unavailable(&sqlx::Error::PoolClosed));
        assert!(!is_unavailable(&sqlx::Error::InvalidSavePointStatement));
    }

    /// A pool lending connections as the server's do, on a database SQLite refuses to grow
    /// past 40 pages: it fails with SQLITE_FULL, as on a full disk.
    async fn small_database() -> (tempfile::TempDir, sqlx::SqlitePool) {
        let dir = tempfile::tempdir().expect("temporary directory");
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(dir.path().join("small.db"))
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .pragma("max_page_count", "40");
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            // One connection, so the next transaction gets the failed one's unless the
            // pool closes it.
            .max_connections(1)
            .before_acquire(lend_if_idle)
            .connect_with(options)
            .await
            .expect("open");
        sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB NOT NULL)")
            .execute(&pool)
            .await
            .expect("create");
        (dir, pool)
    }

    async fn write(pool: &sqlx::SqlitePool, sql: &str) -> Result<(), sqlx::Error> {
        let mut tx = pool.begin_write().await?;
        sqlx::query(sql).execute(&mut *tx).await?;
        tx.commit().await
    }

    #[tokio::test]
    async fn a_full_database_is_unavailable_and_recovers_once_it_has_room() {
        let (_dir, pool) = small_database().await;
        let insert = "INSERT INTO t (b) VALUES (zeroblob(20000))";
        let mut full = None;
        for _ in 0..100 {
            if let Err(error) = write(&pool, insert).await {
                full = Some(error);
                break;
            }
        }
        let error = full.expect("the database fills up");
        assert!(is_unavailable(&error), "{error}");
        assert!(matches!(
            StorageError::from(error),
            StorageError::Unavailable(_)
        ));
        // Without the check, sqlx would still count the transaction SQLite rolled back,
        // and refuse this BEGIN on the pool's only connection.
        write(&pool, "DELETE FROM t WHERE id % 2 = 0")
            .await
            .expect("writes work again");
        write(&pool, insert).await.expect("there is room again");
        let refused = write(&pool, "INSERT INTO t (id, b) VALUES (1, x'00')")
            .await
            .expect_err("a duplicate key");
        assert!(!is_unavailable(&refused), "{refused}");
    }

    #[test]
    fn a_success_clears_a_failure() {
        let health = WriteHealth::default();
        assert!(!health.failing());
        health.failed();
        assert!(health.failing());
        health.succeeded();
        assert!(!health.failing());
    }
}
