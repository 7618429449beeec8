//! A burst of logins: password checks run one per core at most, and a login that gets no
//! turn within two seconds is turned away with a French 503, counted nowhere.

use crate::support::{PASSWORD, TestApp};
use axum::http::StatusCode;
use pouls::domain::Role;

on_both_backends!(a_login_that_gets_no_turn_to_check_its_password_gets_a_french_503);

async fn a_login_that_gets_no_turn_to_check_its_password_gets_a_french_503(app: TestApp) {
    app.create_user("marie@ccyn.fr", Role::Agent).await;
    // Take every turn, as a burst of logins would.
    let mut held = Vec::new();
    while let Ok(turn) = app.state.password_checks.permit().await {
        held.push(turn);
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    assert_eq!(held.len(), cores, "one turn per core");

    let started = std::time::Instant::now();
    let busy = app
        .post(
            "/connexion",
            None,
            &[("email", "marie@ccyn.fr"), ("password", PASSWORD)],
        )
        .await;
    assert!(started.elapsed().as_millis() >= 1900, "waits briefly first");
    assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        busy.body
            .contains("Trop de connexions en cours, réessayez dans quelques secondes"),
        "{}",
        busy.body
    );
    assert!(busy.body.contains("value=\"marie@ccyn.fr\""), "email kept");
    assert!(busy.header("set-cookie").is_empty());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM login_throttle").await,
        0,
        "not counted as an attempt"
    );

    drop(held);
    let response = app
        .post(
            "/connexion",
            None,
            &[("email", "marie@ccyn.fr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
}
