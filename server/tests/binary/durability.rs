//! Durability of residents' answers with the real binary: a crash (SIGKILL) under load
//! loses no acknowledged answer and leaves nothing half-written; SIGTERM finishes what is
//! in flight and exits 0; a backup taken under load holds every answer acknowledged
//! before it started. Each runs on SQLite and on PostgreSQL.

use std::collections::HashSet;

use crate::support::{
    Load, Server, TestDatabase, assert_consistent, open_survey, request, stored_tokens,
};

/// Residents submitting at once: enough to fill group-commit batches.
const CLIENTS: usize = 16;

async fn crash_under_load_keeps_every_acknowledged_answer(db: TestDatabase) {
    let code = open_survey(&db.url).await;
    let mut server = Server::start(&db.url).await;
    let load = Load::start(&[server.addr], &code, CLIENTS);
    load.wait_for(300).await;
    server.kill();
    let acknowledged = load.stop().await;

    // Restarted on the same database, it serves and takes answers again.
    let server = Server::start(&db.url).await;
    let token = crate::support::form_token(server.addr, &code)
        .await
        .expect("the restarted server shows the form");
    let after = request(
        server.addr,
        "POST",
        &format!("/q/{code}"),
        Some(&format!("jeton={token}&Q1=non")),
        &[],
    )
    .await
    .expect("the restarted server answers");
    assert_eq!(after.status, 303);

    let stored: HashSet<String> = stored_tokens(&db.url).await.into_iter().collect();
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|t| !stored.contains(*t))
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged answers were lost",
        lost.len(),
        acknowledged.len()
    );
    let responses = assert_consistent(&db.url).await;
    assert!(responses > i64::try_from(acknowledged.len()).expect("small"));
}

async fn sigterm_finishes_in_flight_requests_and_exits_zero(db: TestDatabase) {
    let code = open_survey(&db.url).await;
    let mut server = Server::start(&db.url).await;
    let load = Load::start(&[server.addr], &code, CLIENTS);
    load.wait_for(200).await;
    let status = server.terminate();
    let acknowledged = load.stop().await;
    assert!(status.success(), "exit status {status}");
    let stored: HashSet<String> = stored_tokens(&db.url).await.into_iter().collect();
    assert!(acknowledged.iter().all(|t| stored.contains(t)));
    assert_consistent(&db.url).await;
}

mod sqlite {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn crash_under_load_keeps_every_acknowledged_answer() {
        super::crash_under_load_keeps_every_acknowledged_answer(TestDatabase::sqlite()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sigterm_finishes_in_flight_requests_and_exits_zero() {
        super::sigterm_finishes_in_flight_requests_and_exits_zero(TestDatabase::sqlite()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_backup_taken_under_load_restores_every_answer_acknowledged_before_it() {
        let db = TestDatabase::sqlite();
        let code = open_survey(&db.url).await;
        let server = Server::start(&db.url).await;
        let load = Load::start(&[server.addr], &code, CLIENTS);
        load.wait_for(200).await;
        let before: Vec<String> = load.acknowledged.lock().expect("lock").clone();
        let dir = tempfile::tempdir().expect("temporary directory");
        let backup = dir.path().join("sauvegarde.db");
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_pouls"))
            .args(["backup", backup.to_str().expect("UTF-8 path")])
            .env("DATABASE_URL", &db.url)
            .env("RUST_LOG", "warn")
            .output()
            .expect("pouls backup runs");
        assert!(output.status.success(), "{output:?}");
        load.wait_for(before.len() + 50).await;
        load.stop().await;

        // Restoring is copying the file back in place of the database.
        let restored = dir.path().join("restored.db");
        std::fs::copy(&backup, &restored).expect("copy");
        let url = format!("sqlite://{}", restored.display());
        let server = Server::start(&url).await;
        let home = request(server.addr, "GET", "/", None, &[])
            .await
            .expect("home");
        assert_eq!(home.status, 200);
        let stored: HashSet<String> = stored_tokens(&url).await.into_iter().collect();
        assert!(before.iter().all(|t| stored.contains(t)));
        assert_consistent(&url).await;
        assert_eq!(
            crate::support::scalar(
                &url,
                "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"
            )
            .await,
            0
        );
        // Never over an existing file.
        let again = std::process::Command::new(env!("CARGO_BIN_EXE_pouls"))
            .args(["backup", backup.to_str().expect("UTF-8 path")])
            .env("DATABASE_URL", &db.url)
            .output()
            .expect("pouls backup runs");
        assert!(!again.status.success());
        assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    }
}

mod postgres {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "needs POULS_TEST_POSTGRES_URL"]
    async fn crash_under_load_keeps_every_acknowledged_answer() {
        let db = TestDatabase::postgres().await;
        super::crash_under_load_keeps_every_acknowledged_answer(db).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "needs POULS_TEST_POSTGRES_URL"]
    async fn sigterm_finishes_in_flight_requests_and_exits_zero() {
        let db = TestDatabase::postgres().await;
        super::sigterm_finishes_in_flight_requests_and_exits_zero(db).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "needs POULS_TEST_POSTGRES_URL"]
    async fn backup_points_to_pg_dump() {
        let db = TestDatabase::postgres().await;
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_pouls"))
            .args(["backup", "/tmp/never-written.db"])
            .env("DATABASE_URL", &db.url)
            .output()
            .expect("pouls backup runs");
        assert!(!output.status.success());
        assert!(String::from_utf8_lossy(&output.stderr).contains("pg_dump"));
    }
}
