//! Test support: a fresh database per test on SQLite (a temporary file) or PostgreSQL (a
//! new schema in the database named by `POULS_TEST_POSTGRES_URL`), and the whole router
//! driven in-process.

#![allow(
    dead_code,
    reason = "each test file uses a different part of this module"
)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use pouls::storage::Storage;
use pouls_app::{AppState, SiteConfig};
use tempfile::TempDir;
use tower::ServiceExt;

pub const PUBLIC_URL: &str = "http://pouls.test";

/// Declares each listed `async fn name(app: TestApp)` as two tests, `sqlite::name` and
/// `postgres::name`. The PostgreSQL one is skipped (with a message) only when
/// `POULS_TEST_POSTGRES_URL` is unset; `.ci/run` always sets it.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = $crate::common::TestDatabase::sqlite();
                    super::$name($crate::common::TestApp::start(db).await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(db) = $crate::common::TestDatabase::postgres().await else {
                        return;
                    };
                    super::$name($crate::common::TestApp::start(db).await).await;
                }
            )*
        }
    };
}

/// An empty database of its own, removed (SQLite) when dropped.
pub struct TestDatabase {
    pub url: String,
    _dir: Option<TempDir>,
}

impl TestDatabase {
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("pouls.db").display());
        Self {
            url,
            _dir: Some(dir),
        }
    }

    /// A new schema in the test PostgreSQL database, or `None` when none is configured.
    pub async fn postgres() -> Option<Self> {
        let Ok(base) = std::env::var("POULS_TEST_POSTGRES_URL") else {
            eprintln!("POULS_TEST_POSTGRES_URL is not set: PostgreSQL test skipped");
            return None;
        };
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
        Some(Self { url, _dir: None })
    }
}

/// The application on a fresh, migrated database holding the CTG plan.
pub struct TestApp {
    pub router: Router,
    pub storage: Storage,
    pub db: TestDatabase,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

impl TestApp {
    pub async fn start(db: TestDatabase) -> Self {
        let storage = pouls_server::prepare_storage(&db.url)
            .await
            .expect("the test database opens and migrates");
        let state = AppState::new(storage.clone(), SiteConfig::new(PUBLIC_URL));
        Self {
            router: pouls_server::build_router(state),
            storage,
            db,
        }
    }

    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router always answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("a readable body")
            .to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        let request = Request::get(path)
            .body(Body::empty())
            .expect("valid request");
        self.request(request).await
    }
}
