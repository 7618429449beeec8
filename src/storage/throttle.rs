//! The login throttle's counters (the policy is `crate::throttle`).
//!
//! An attempt's three counters are read and written in one write transaction, so
//! parallel attempts queue on them and each is counted: SQLite runs write transactions
//! one at a time, and on PostgreSQL the upsert that reads a counter also locks its row.

use sha2::{Digest, Sha256};

use super::{Pool, Storage, StorageError, WritePool, now_unix, on_pool, postgres, sqlite};
use crate::auth::to_hex;
use crate::throttle::{Counter, LoginCounters, MEMORY_SECONDS, Verdict};

/// What an attempt is counted under: salted hashes, so the table names no address and
/// no email.
struct Subjects {
    account: String,
    client: String,
    pair: String,
}

impl Subjects {
    /// In the order every transaction locks them, so two never wait on each other.
    fn in_order(&self) -> [(&'static str, &str); 3] {
        [
            ("account", &self.account),
            ("client", &self.client),
            ("pair", &self.pair),
        ]
    }
}

/// Locks the three counters of an attempt for the rest of the transaction and reads
/// them; a counter forgotten by now reads as new.
macro_rules! lock_counters {
    ($tx:expr, $subjects:expr, $now:expr) => {{
        let mut counters = [Counter::default(); 3];
        for (counter, (scope, subject)) in counters.iter_mut().zip($subjects.in_order()) {
            // The no-op update is what takes the row lock on PostgreSQL.
            let (failures, next_at, last_at): (i64, i64, i64) = sqlx::query_as(
                "INSERT INTO login_throttle (scope, subject, failures, next_at, last_at) \
                 VALUES ($1, $2, 0, 0, $3) \
                 ON CONFLICT (scope, subject) DO UPDATE SET last_at = login_throttle.last_at \
                 RETURNING failures, next_at, last_at",
            )
            .bind(scope)
            .bind(subject)
            .bind($now)
            .fetch_one(&mut *$tx)
            .await?;
            if last_at > $now - MEMORY_SECONDS {
                *counter = Counter { failures, next_at };
            }
        }
        let [account, client, pair] = counters;
        LoginCounters {
            account,
            client,
            pair,
        }
    }};
}

/// Writes the counters back; one back to nothing is deleted.
macro_rules! store_counters {
    ($tx:expr, $subjects:expr, $counters:expr, $now:expr) => {{
        let counters: LoginCounters = $counters;
        let values = [counters.account, counters.client, counters.pair];
        for (counter, (scope, subject)) in values.into_iter().zip($subjects.in_order()) {
            if counter == Counter::default() {
                sqlx::query("DELETE FROM login_throttle WHERE scope = $1 AND subject = $2")
                    .bind(scope)
                    .bind(subject)
                    .execute(&mut *$tx)
                    .await?;
            } else {
                sqlx::query(
                    "UPDATE login_throttle SET failures = $3, next_at = $4, last_at = $5 \
                     WHERE scope = $1 AND subject = $2",
                )
                .bind(scope)
                .bind(subject)
                .bind(counter.failures)
                .bind(counter.next_at)
                .bind($now)
                .execute(&mut *$tx)
                .await?;
            }
        }
    }};
}

impl Storage {
    /// Counts a login attempt on `account` (as typed, normalised) from `client_address`
    /// before its password is checked, and says whether it may be checked.
    pub async fn charge_login_attempt(
        &self,
        account: &str,
        client_address: &str,
    ) -> Result<Verdict, StorageError> {
        let subjects = self.login_subjects(account, client_address).await?;
        let now = now_unix();
        let verdict = on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let (verdict, after) = lock_counters!(tx, &subjects, now).charge(now);
            store_counters!(tx, &subjects, after, now);
            tx.commit().await?;
            verdict
        });
        let forgotten = now - MEMORY_SECONDS;
        match &self.pool {
            Pool::Sqlite(pool) => sqlite::forget_login_counters(pool, forgotten).await?,
            Pool::Postgres(pool) => postgres::forget_login_counters(pool, forgotten).await?,
        }
        Ok(verdict)
    }

    /// Takes back a charged attempt whose password was right.
    pub async fn forgive_login_attempt(
        &self,
        account: &str,
        client_address: &str,
    ) -> Result<(), StorageError> {
        let subjects = self.login_subjects(account, client_address).await?;
        let now = now_unix();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let forgiven = lock_counters!(tx, &subjects, now).forgive();
            store_counters!(tx, &subjects, forgiven, now);
            tx.commit().await?;
        });
        Ok(())
    }

    async fn login_subjects(&self, account: &str, address: &str) -> Result<Subjects, StorageError> {
        let salt: String = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT value FROM instance_secret WHERE name = 'client_salt'",
        )
        .fetch_one(pool)
        .await)?;
        let hash = |text: String| to_hex(&Sha256::digest(text.as_bytes()));
        Ok(Subjects {
            account: hash(format!("{salt}|{account}")),
            client: hash(format!("{salt}|{address}")),
            pair: hash(format!("{salt}|{address}|{account}")),
        })
    }
}
