//! Storage: migrations and the one-time load of the CTG plan, on both backends.

use crate::support::{TestApp, TestDatabase};
use pouls::plan::PlanCounts;

on_both_backends!(
    plan_loads_once_across_restarts,
    security_headers_on_every_response
);

async fn plan_loads_once_across_restarts(app: TestApp) {
    let expected = PlanCounts {
        ambitions: 4,
        orientations: 12,
        actions: 17,
        indicators: 83,
        communes: 23,
        themes: 7,
        publics: 11,
    };
    assert_eq!(app.storage.plan_counts().await.expect("counts"), expected);
    // A second start on the same database migrates nothing and loads nothing again.
    let again = pouls_server::prepare_storage(&app.db.url)
        .await
        .expect("second start");
    assert_eq!(again.plan_counts().await.expect("counts"), expected);
}

async fn security_headers_on_every_response(app: TestApp) {
    for path in ["/", "/plan/actions/99", "/healthz"] {
        let response = app.get(path).await;
        assert!(
            response
                .header("content-security-policy")
                .contains("default-src 'self'; object-src 'none'")
        );
        assert_eq!(response.header("x-content-type-options"), "nosniff");
        assert_eq!(response.header("referrer-policy"), "same-origin");
        assert!(!response.header("x-request-id").is_empty());
    }
}

#[tokio::test]
async fn an_unsupported_database_url_is_refused_with_a_clear_message() {
    let error = pouls::storage::Storage::connect("mysql://localhost/pouls")
        .await
        .err()
        .expect("refused");
    assert!(error.to_string().contains("sqlite:// or postgres://"));
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_foreign_keys() {
    let db = TestDatabase::sqlite();
    let storage = pouls_server::prepare_storage(&db.url).await.expect("opens");
    let settings = storage
        .sqlite_settings()
        .await
        .expect("pragmas readable")
        .expect("a SQLite database");
    assert_eq!(settings.journal_mode, "wal");
    assert!(settings.foreign_keys);
    assert!(settings.busy_timeout_ms >= 1000);
}
