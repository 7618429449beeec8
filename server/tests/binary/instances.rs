//! Two `pouls` processes on one PostgreSQL database, as behind a load balancer: they start
//! together (migrations and the plan load run once), a staff session opened on one works
//! on the other, and answers sent through both are each counted once.

use std::collections::HashSet;

use crate::support::{Load, Server, TestDatabase, assert_consistent, open_survey, request, scalar};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs POULS_TEST_POSTGRES_URL"]
async fn two_instances_share_one_postgresql_database() {
    let db = TestDatabase::postgres().await;
    // Both start on an empty database at the same moment.
    let first = Server::spawn(&db.url, &[]);
    let second = Server::spawn(&db.url, &[]);
    first.wait_ready().await;
    second.wait_ready().await;
    assert_eq!(db.scalar("SELECT COUNT(*) FROM plan_action").await, 17);
    assert_eq!(db.scalar("SELECT COUNT(*) FROM plan_indicator").await, 83);
    assert_eq!(db.scalar("SELECT COUNT(*) FROM commune").await, 23);
    assert_eq!(db.scalar("SELECT COUNT(*) FROM plan_meta").await, 1);

    // A session opened on the first instance works on the second.
    let password = "une phrase de passe assez longue";
    let add = std::process::Command::new(env!("CARGO_BIN_EXE_pouls"))
        .args([
            "user",
            "add",
            "--email",
            "coordination@ccyn.fr",
            "--role",
            "admin",
        ])
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(format!("{password}\n").as_bytes())?;
            child.wait()
        })
        .expect("pouls user add runs");
    assert!(add.success());
    let login = request(
        first.addr,
        "POST",
        "/connexion",
        Some(&format!(
            "email=coordination%40ccyn.fr&password={}",
            password.replace(' ', "+")
        )),
        &[],
    )
    .await
    .expect("login");
    assert_eq!(login.status, 303, "{}", login.body);
    let cookie = login.headers["set-cookie"]
        .split(';')
        .next()
        .expect("a cookie")
        .to_owned();
    let dashboard = request(second.addr, "GET", "/admin", None, &[("Cookie", &cookie)])
        .await
        .expect("dashboard");
    assert_eq!(dashboard.status, 200);
    assert!(dashboard.body.contains("coordination@ccyn.fr"));
    let anonymous = request(second.addr, "GET", "/admin", None, &[])
        .await
        .expect("dashboard");
    assert_eq!(anonymous.status, 303);

    // Answers through both instances, and the same form sent to both: counted once each.
    let code = open_survey(&db.url).await;
    let load = Load::start(&[first.addr, second.addr], &code, 8);
    load.wait_for(200).await;
    let acknowledged = load.stop().await;
    // Neither instance has POULS_FORM_KEY: they share the key the database keeps.
    let twice = crate::support::form_token(first.addr, &code)
        .await
        .expect("form");
    for server in [&first, &second] {
        let response = request(
            server.addr,
            "POST",
            &format!("/q/{code}"),
            Some(&format!("jeton={twice}&Q1=oui")),
            &[],
        )
        .await
        .expect("submit");
        assert_eq!(response.status, 303);
    }
    let unique: HashSet<&String> = acknowledged.iter().collect();
    let stored = assert_consistent(&db.url).await;
    assert_eq!(
        stored,
        i64::try_from(unique.len() + 1).expect("small"),
        "every acknowledged answer once, and the double submission once"
    );
    assert_eq!(
        scalar(
            &db.url,
            &format!(
                "SELECT COUNT(*) FROM response WHERE token = '{}'",
                crate::support::nonce(&twice)
            )
        )
        .await,
        1
    );
}
