//! Login, its throttling, sessions and logout, on both backends.

use crate::support::{PASSWORD, Session, TestApp, TestDatabase, TestResponse};
use axum::http::StatusCode;
use pouls::domain::Role;

on_both_backends!(
    login_opens_a_session_and_returns_to_the_page_asked_for,
    login_only_returns_to_local_paths,
    a_failed_login_says_the_same_thing_whether_the_email_exists_or_not,
    a_deactivated_account_cannot_log_in,
    parallel_wrong_passwords_are_all_counted_and_the_excess_waits,
    wrong_passwords_from_one_address_slow_it_down_but_never_lock_the_owner_out,
    an_account_guessed_from_many_addresses_still_lets_a_clean_address_in,
    the_right_password_wipes_that_addresss_failures_on_the_account,
    an_address_trying_many_accounts_must_wait,
    sessions_expire_when_idle_and_after_twelve_hours,
    each_login_gets_a_new_token_stored_only_as_a_hash,
    logout_ends_the_session_on_the_server,
    an_admin_can_end_all_sessions_of_a_user,
    missing_or_wrong_csrf_tokens_change_nothing,
    forms_from_another_site_are_refused,
    https_turns_on_secure_cookies_and_hsts,
    internal_errors_show_a_request_id_and_nothing_internal,
);

async fn login_opens_a_session_and_returns_to_the_page_asked_for(app: TestApp) {
    app.create_user("marie@ccyn.fr", Role::Admin).await;
    let anonymous = app.get("/admin/comptes?tri=email").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(
        anonymous.header("location"),
        "/connexion?suite=%2Fadmin%2Fcomptes%3Ftri%3Demail"
    );
    let form = app.get(anonymous.header("location")).await;
    assert!(
        form.body
            .contains("name=\"suite\" value=\"/admin/comptes?tri=email\""),
        "{}",
        form.body
    );

    // The email is normalised: case and spaces do not matter.
    let response = app
        .post(
            "/connexion",
            None,
            &[
                ("email", "  Marie@CCYN.fr "),
                ("password", PASSWORD),
                ("suite", "/admin/comptes?tri=email"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.header("location"), "/admin/comptes?tri=email");
    let cookie = response.header("set-cookie");
    assert!(cookie.starts_with("pouls_session="));
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    assert!(!cookie.contains("Secure"), "http in tests");

    let session = app.login("marie@ccyn.fr", PASSWORD).await;
    let page = app.get_as(&session, "/admin").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("marie@ccyn.fr"));
    // Already logged in: the login page sends staff on.
    let again = app.get_as(&session, "/connexion").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
}

async fn login_only_returns_to_local_paths(app: TestApp) {
    app.create_user("marie@ccyn.fr", Role::Agent).await;
    for suite in [
        "//evil.example/x",
        "https://evil.example",
        "/\\evil.example",
    ] {
        let response = app
            .post(
                "/connexion",
                None,
                &[
                    ("email", "marie@ccyn.fr"),
                    ("password", PASSWORD),
                    ("suite", suite),
                ],
            )
            .await;
        assert_eq!(response.header("location"), "/admin", "{suite}");
    }
}

async fn a_failed_login_says_the_same_thing_whether_the_email_exists_or_not(app: TestApp) {
    app.create_user("marie@ccyn.fr", Role::Agent).await;
    let wrong_password = app
        .post(
            "/connexion",
            None,
            &[
                ("email", "marie@ccyn.fr"),
                ("password", "pas le bon mot de passe"),
            ],
        )
        .await;
    let unknown_email = app
        .post(
            "/connexion",
            None,
            &[
                ("email", "personne@ccyn.fr"),
                ("password", "pas le bon mot de passe"),
            ],
        )
        .await;
    for (response, email) in [
        (&wrong_password, "marie@ccyn.fr"),
        (&unknown_email, "personne@ccyn.fr"),
    ] {
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            response
                .body
                .contains("Adresse électronique ou mot de passe incorrect.")
        );
        assert!(
            response.body.contains(&format!("value=\"{email}\"")),
            "email kept"
        );
        assert!(
            !response.body.contains("pas le bon mot de passe"),
            "password never echoed"
        );
        assert!(response.header("set-cookie").is_empty());
    }
    // The two pages differ only by the email typed.
    assert_eq!(
        wrong_password.body.replace("marie@ccyn.fr", "X"),
        unknown_email.body.replace("personne@ccyn.fr", "X")
    );
    let empty = app
        .post("/connexion", None, &[("email", ""), ("password", "")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Saisissez votre adresse électronique."));
    assert!(empty.body.contains("Saisissez votre mot de passe."));
    // Without `novalidate`, the browser would stop the empty form with its own popup.
    assert!(
        empty
            .body
            .contains("<form method=\"post\" novalidate action=\"/connexion\"")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'login_failed'")
            .await,
        2
    );
}

async fn a_deactivated_account_cannot_log_in(app: TestApp) {
    let id = app.create_user("marie@ccyn.fr", Role::Agent).await;
    app.sql(&format!(
        "UPDATE staff_user SET active = FALSE WHERE id = {id}"
    ))
    .await;
    let response = app
        .post(
            "/connexion",
            None,
            &[("email", "marie@ccyn.fr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .body
            .contains("Adresse électronique ou mot de passe incorrect.")
    );
}

const WRONG: &str = "mauvais mot de passe";

async fn login_from(app: &TestApp, ip: [u8; 4], email: &str, password: &str) -> TestResponse {
    app.post_from(
        ip,
        "/connexion",
        None,
        &[("email", email), ("password", password)],
        &[],
    )
    .await
}

/// The largest stored throttle counter of a scope (0 when there is none).
async fn failures(app: &TestApp, scope: &str) -> i64 {
    app.count(&format!(
        "SELECT COALESCE(MAX(failures), 0) FROM login_throttle WHERE scope = '{scope}'"
    ))
    .await
}

/// A 429 login page that says, in French, until what time to wait.
fn assert_told_to_wait(response: &TestResponse) {
    assert_eq!(
        response.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        response.body
    );
    assert!(response.body.contains("Trop de tentatives de connexion"));
    let after = response
        .body
        .split("attendez jusqu'à ")
        .nth(1)
        .expect("says until when");
    let (hour, rest) = after.split_once(" h ").expect("a French time");
    assert!(
        hour.len() <= 2 && hour.chars().all(|c| c.is_ascii_digit()),
        "{after}"
    );
    assert!(rest[..2].chars().all(|c| c.is_ascii_digit()), "{after}");
    let retry: i64 = response.header("retry-after").parse().expect("Retry-After");
    assert!((1..=900).contains(&retry), "{retry}");
    assert!(response.header("set-cookie").is_empty());
}

async fn parallel_wrong_passwords_are_all_counted_and_the_excess_waits(app: TestApp) {
    app.create_user("marie@ccyn.fr", Role::Agent).await;
    let attacker = [198, 51, 100, 7];
    let guesses = (0..8).map(|_| login_from(&app, attacker, "marie@ccyn.fr", WRONG));
    let responses = futures_util::future::join_all(guesses).await;
    let statuses: Vec<StatusCode> = responses.iter().map(|r| r.status).collect();
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    let waiting = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((checked, waiting), (3, 5), "{statuses:?}");
    // Every guess is counted, on the account, the address and the pair.
    for scope in ["account", "client", "pair"] {
        assert_eq!(failures(&app, scope).await, 8, "{scope}");
    }
    // Only three passwords were checked at all.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'login_failed'")
            .await,
        3
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'login_locked'")
            .await,
        5
    );
    // The next attempt from there waits too, right password or not.
    assert_told_to_wait(&login_from(&app, attacker, "marie@ccyn.fr", PASSWORD).await);
    assert_eq!(failures(&app, "pair").await, 9);
}

async fn wrong_passwords_from_one_address_slow_it_down_but_never_lock_the_owner_out(app: TestApp) {
    app.create_user("marie@ccyn.fr", Role::Agent).await;
    let attacker = [198, 51, 100, 7];
    for attempt in 0..10 {
        let response = login_from(&app, attacker, "marie@ccyn.fr", WRONG).await;
        if attempt < 3 {
            assert_eq!(
                response.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{attempt}"
            );
        } else {
            assert_told_to_wait(&response);
        }
    }
    // The owner, from another address, gets in at once.
    let owner = login_from(&app, [203, 0, 113, 1], "marie@ccyn.fr", PASSWORD).await;
    assert_eq!(owner.status, StatusCode::SEE_OTHER, "{}", owner.body);
    // The attacker's address still waits, even with the right password.
    assert_told_to_wait(&login_from(&app, attacker, "marie@ccyn.fr", PASSWORD).await);
    // Neither the address nor the email is stored in clear.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM login_throttle WHERE subject LIKE '%198.51.100%' OR subject LIKE '%marie%'"
        )
        .await,
        0
    );
    assert!(app.count("SELECT COUNT(*) FROM login_throttle").await >= 3);
    // Once the wait is over, that address is checked again.
    app.sql("UPDATE login_throttle SET next_at = next_at - 900")
        .await;
    let later = login_from(&app, attacker, "marie@ccyn.fr", PASSWORD).await;
    assert_eq!(later.status, StatusCode::SEE_OTHER, "{}", later.body);
}

async fn an_account_guessed_from_many_addresses_still_lets_a_clean_address_in(app: TestApp) {
    app.create_user("marie@ccyn.fr", Role::Agent).await;
    for n in 0..12u8 {
        let response = login_from(&app, [198, 51, 100, n], "marie@ccyn.fr", WRONG).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{n}");
    }
    assert_eq!(failures(&app, "account").await, 12);
    let owner = login_from(&app, [203, 0, 113, 9], "marie@ccyn.fr", PASSWORD).await;
    assert_eq!(owner.status, StatusCode::SEE_OTHER, "{}", owner.body);
    // While the account is under attack, an address that fails on it waits after its
    // first failure instead of its third.
    let guesser = [203, 0, 113, 10];
    let first = login_from(&app, guesser, "marie@ccyn.fr", WRONG).await;
    assert_eq!(first.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_told_to_wait(&login_from(&app, guesser, "marie@ccyn.fr", WRONG).await);
    // An hour later everything is forgotten, and the stale counters are deleted.
    app.sql("UPDATE login_throttle SET last_at = last_at - 3600, next_at = next_at - 3600")
        .await;
    let response = login_from(&app, guesser, "marie@ccyn.fr", PASSWORD).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM login_throttle").await, 0);
}

async fn the_right_password_wipes_that_addresss_failures_on_the_account(app: TestApp) {
    app.create_user("marie@ccyn.fr", Role::Agent).await;
    let desk = [203, 0, 113, 5];
    for _ in 0..2 {
        login_from(&app, desk, "marie@ccyn.fr", WRONG).await;
    }
    let response = login_from(&app, desk, "marie@ccyn.fr", PASSWORD).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(failures(&app, "pair").await, 0);
    for attempt in 0..3 {
        let response = login_from(&app, desk, "marie@ccyn.fr", WRONG).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{attempt}"
        );
    }
    assert_told_to_wait(&login_from(&app, desk, "marie@ccyn.fr", WRONG).await);
}

async fn an_address_trying_many_accounts_must_wait(app: TestApp) {
    app.create_user("marie@ccyn.fr", Role::Agent).await;
    let attacker = [198, 51, 100, 7];
    for n in 0..10 {
        let email = format!("essai{n}@ccyn.fr");
        let response = login_from(&app, attacker, &email, WRONG).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{n}");
    }
    assert_told_to_wait(&login_from(&app, attacker, "marie@ccyn.fr", PASSWORD).await);
    let from_elsewhere = login_from(&app, [203, 0, 113, 1], "marie@ccyn.fr", PASSWORD).await;
    assert_eq!(from_elsewhere.status, StatusCode::SEE_OTHER);
}

async fn sessions_expire_when_idle_and_after_twelve_hours(app: TestApp) {
    app.create_user("marie@ccyn.fr", Role::Agent).await;
    let idle = app.login("marie@ccyn.fr", PASSWORD).await;
    app.sql("UPDATE staff_session SET last_seen_at = last_seen_at - 7201")
        .await;
    assert_eq!(
        app.get_as(&idle, "/admin").await.status,
        StatusCode::SEE_OTHER
    );

    let old = app.login("marie@ccyn.fr", PASSWORD).await;
    // Active a minute ago, but opened more than twelve hours ago.
    app.sql("UPDATE staff_session SET created_at = created_at - 43201, last_seen_at = last_seen_at - 60").await;
    assert_eq!(
        app.get_as(&old, "/admin").await.status,
        StatusCode::SEE_OTHER
    );

    let fresh = app.login("marie@ccyn.fr", PASSWORD).await;
    // Used an hour and a half ago: still valid, and the visit refreshes it.
    app.sql("UPDATE staff_session SET last_seen_at = last_seen_at - 5400")
        .await;
    assert_eq!(app.get_as(&fresh, "/admin").await.status, StatusCode::OK);
    app.sql("UPDATE staff_session SET last_seen_at = last_seen_at - 5400")
        .await;
    assert_eq!(app.get_as(&fresh, "/admin").await.status, StatusCode::OK);
}

async fn each_login_gets_a_new_token_stored_only_as_a_hash(app: TestApp) {
    app.create_user("marie@ccyn.fr", Role::Agent).await;
    // A token planted before login is ignored and replaced.
    let planted = format!("pouls_session={}", "ab".repeat(32));
    let response = app
        .post_raw(
            "/connexion",
            Some(&planted),
            &[("email", "marie@ccyn.fr"), ("password", PASSWORD)],
            &[],
        )
        .await;
    let first = response
        .header("set-cookie")
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned();
    assert_ne!(first, planted);
    let second = app.login("marie@ccyn.fr", PASSWORD).await;
    assert_ne!(first, second.cookie);
    let token = second.cookie.trim_start_matches("pouls_session=");
    assert_eq!(token.len(), 64, "256 bits");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM staff_session WHERE token_hash = '{token}'"
        ))
        .await,
        0,
        "the token itself is never stored"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_session").await, 2);
}

async fn logout_ends_the_session_on_the_server(app: TestApp) {
    app.create_user("marie@ccyn.fr", Role::Agent).await;
    let session = app.login("marie@ccyn.fr", PASSWORD).await;
    let response = app.post("/deconnexion", Some(&session), &[]).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.header("location"), "/connexion?deconnecte=1");
    assert!(response.header("set-cookie").contains("Max-Age=0"));
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_session").await, 0);
    // Replaying the old cookie does not get back in.
    assert_eq!(
        app.get_as(&session, "/admin").await.status,
        StatusCode::SEE_OTHER
    );
    assert!(
        app.get("/connexion?deconnecte=1")
            .await
            .body
            .contains("Vous êtes déconnecté.")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'logout'")
            .await,
        1
    );
}

async fn an_admin_can_end_all_sessions_of_a_user(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    let agent_id = app.create_user("agent@ccyn.fr", Role::Agent).await;
    let phone = app.login("agent@ccyn.fr", PASSWORD).await;
    let laptop = app.login("agent@ccyn.fr", PASSWORD).await;
    let response = app
        .post(
            &format!("/admin/comptes/{agent_id}/sessions"),
            Some(&admin),
            &[("confirm_sessions", PASSWORD)],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    for session in [&phone, &laptop] {
        assert_eq!(
            app.get_as(session, "/admin").await.status,
            StatusCode::SEE_OTHER
        );
    }
    assert_eq!(
        app.get_as(&admin, "/admin").await.status,
        StatusCode::OK,
        "the admin stays in"
    );
}

async fn missing_or_wrong_csrf_tokens_change_nothing(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    let other = app.staff(Role::Admin).await;
    let before = app.count("SELECT COUNT(*) FROM staff_user").await;
    let fields = [
        ("email", "nouveau@ccyn.fr"),
        ("role", "agent"),
        ("password", PASSWORD),
    ];
    let missing = app
        .post_raw("/admin/comptes", Some(&admin.cookie), &fields, &[])
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(missing.body.contains("Rien n'a été modifié"));
    let mut wrong: Vec<(&str, &str)> = fields.to_vec();
    wrong.push(("csrf", "0000"));
    let wrong = app
        .post_raw("/admin/comptes", Some(&admin.cookie), &wrong, &[])
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    // Another session's token is wrong too.
    let mut foreign: Vec<(&str, &str)> = fields.to_vec();
    foreign.push(("csrf", &other.csrf));
    let foreign = app
        .post_raw("/admin/comptes", Some(&admin.cookie), &foreign, &[])
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_user").await, before);
    // Logout without the token does not log out.
    let logout = app
        .post_raw("/deconnexion", Some(&admin.cookie), &[], &[])
        .await;
    assert_eq!(logout.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get_as(&admin, "/admin").await.status, StatusCode::OK);
}

async fn forms_from_another_site_are_refused(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    let fields = [
        ("email", "nouveau@ccyn.fr"),
        ("role", "admin"),
        ("password", PASSWORD),
        ("csrf", admin.csrf.as_str()),
    ];
    for headers in [
        [("origin", "https://evil.example")],
        [("sec-fetch-site", "cross-site")],
        [("sec-fetch-site", "same-site")],
    ] {
        let response = app
            .post_raw("/admin/comptes", Some(&admin.cookie), &fields, &headers)
            .await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{headers:?}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM staff_user WHERE email = 'nouveau@ccyn.fr'")
            .await,
        0
    );
    // A login form posted from elsewhere is refused as well.
    let login = app
        .post_raw(
            "/connexion",
            None,
            &[("email", "x@ccyn.fr"), ("password", PASSWORD)],
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(login.status, StatusCode::FORBIDDEN);
    // The same form from our own pages goes through.
    let ok = app
        .post_raw(
            "/admin/comptes",
            Some(&admin.cookie),
            &fields,
            &[
                ("origin", crate::support::PUBLIC_URL),
                ("sec-fetch-site", "same-origin"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
}

async fn https_turns_on_secure_cookies_and_hsts(app: TestApp) {
    let secure = TestApp::start_at(TestDatabase::reuse(&app.db.url), "https://pouls.ccyn.fr").await;
    secure.create_user("marie@ccyn.fr", Role::Agent).await;
    let response = secure
        .post(
            "/connexion",
            None,
            &[("email", "marie@ccyn.fr"), ("password", PASSWORD)],
        )
        .await;
    let cookie = response.header("set-cookie");
    assert!(cookie.starts_with("__Host-pouls_session="), "{cookie}");
    assert!(cookie.contains("; Secure"));
    assert!(cookie.contains("Path=/"));
    assert!(!cookie.contains("Domain"));
    assert!(
        secure
            .get("/")
            .await
            .header("strict-transport-security")
            .contains("max-age=")
    );
    assert!(
        app.get("/")
            .await
            .header("strict-transport-security")
            .is_empty()
    );
    let session = Session {
        cookie: cookie.split(';').next().unwrap_or_default().to_owned(),
        csrf: String::new(),
    };
    assert_eq!(
        secure.get_as(&session, "/admin").await.status,
        StatusCode::OK
    );
}

async fn internal_errors_show_a_request_id_and_nothing_internal(app: TestApp) {
    app.storage.close().await;
    let response = app.get("/plan").await;
    assert_eq!(response.status, StatusCode::INTERNAL_SERVER_ERROR);
    let id = response.header("x-request-id").to_owned();
    assert_eq!(id.len(), 16);
    assert!(response.body.contains(&id), "the page shows the request id");
    assert!(response.body.contains("Une erreur est survenue"));
    for internal in ["sqlx", "pool", "database", "sqlite", "postgres", "Error"] {
        assert!(
            !response
                .body
                .to_lowercase()
                .contains(&internal.to_lowercase()),
            "{internal} leaked"
        );
    }
}
