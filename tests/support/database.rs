//! A fresh database per test, shared by both test binaries (`tests/api` in-process and
//! `server/tests/binary` with the real binary): a temporary SQLite file, or a new schema in
//! the PostgreSQL database named by `POULS_TEST_POSTGRES_URL`, dropped when the test ends.

use tempfile::TempDir;

/// An empty database of its own, removed when dropped (the SQLite file, or the
/// PostgreSQL schema and everything in it).
pub struct TestDatabase {
    pub url: String,
    dir: Option<TempDir>,
    /// The PostgreSQL schema this handle owns, with the URL to drop it through.
    schema: Option<(String, String)>,
}

impl TestDatabase {
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("pouls.db").display());
        Self {
            url,
            dir: Some(dir),
            schema: None,
        }
    }

    /// Another handle on an existing test database (which the first handle cleans up).
    pub fn reuse(url: &str) -> Self {
        Self {
            url: url.to_owned(),
            dir: None,
            schema: None,
        }
    }

    /// A new schema in the database named by `POULS_TEST_POSTGRES_URL`. PostgreSQL tests
    /// are marked `#[ignore]`, so they only run when asked for, and then the variable must
    /// be set: a run that asked for them never passes without running them.
    pub async fn postgres() -> Self {
        let base = std::env::var("POULS_TEST_POSTGRES_URL").unwrap_or_else(|_| {
            panic!("PostgreSQL tests need POULS_TEST_POSTGRES_URL (see the README)")
        });
        let schema = format!("pouls_t_{:016x}", rand::random::<u64>());
        let pool = sqlx::PgPool::connect(&base)
            .await
            .expect("POULS_TEST_POSTGRES_URL names a reachable PostgreSQL");
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&pool)
            .await
            .expect("create a test schema");
        pool.close().await;
        let separator = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{separator}options=-c%20search_path%3D{schema}");
        Self {
            url,
            dir: None,
            schema: Some((schema, base)),
        }
    }

    /// The PostgreSQL schema and the URL of its database (without the search path), for
    /// tests that reach across schemas.
    pub fn postgres_schema(&self) -> Option<(&str, &str)> {
        self.schema
            .as_ref()
            .map(|(schema, base)| (schema.as_str(), base.as_str()))
    }

    /// The SQLite file, for tests that look at it.
    pub fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        self.dir.as_ref().map(|dir| dir.path().join("pouls.db"))
    }

    pub fn is_sqlite(&self) -> bool {
        self.url.starts_with("sqlite:")
    }

    /// One integer from the database.
    pub async fn scalar(&self, query: &str) -> i64 {
        scalar(&self.url, query).await
    }

    /// Runs one statement on the database.
    pub async fn execute(&self, statement: &str) {
        if self.is_sqlite() {
            let pool = sqlx::SqlitePool::connect(&self.url).await.expect("connect");
            sqlx::query(statement)
                .execute(&pool)
                .await
                .expect("statement");
            pool.close().await;
        } else {
            let pool = sqlx::PgPool::connect(&self.url).await.expect("connect");
            sqlx::query(statement)
                .execute(&pool)
                .await
                .expect("statement");
            pool.close().await;
        }
    }
}

/// One integer from the database at `url`.
pub async fn scalar(url: &str, query: &str) -> i64 {
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.expect("connect");
        let n = sqlx::query_scalar(query)
            .fetch_one(&pool)
            .await
            .expect("query");
        pool.close().await;
        n
    } else {
        let pool = sqlx::PgPool::connect(url).await.expect("connect");
        let n = sqlx::query_scalar(query)
            .fetch_one(&pool)
            .await
            .expect("query");
        pool.close().await;
        n
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((schema, base)) = self.schema.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot be blocked on: a thread of its
        // own, with a runtime of its own, drops the schema before the test is reported.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async {
                let pool = sqlx::PgPool::connect(&base).await?;
                sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                    .execute(&pool)
                    .await?;
                pool.close().await;
                Ok::<(), sqlx::Error>(())
            })
        })
        .join();
        if let Ok(Err(error)) = dropped {
            eprintln!("could not drop a test schema: {error}");
        }
    }
}
