//! Login, lockout, sessions and logout, on both backends.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, Session, TestApp, TestDatabase};
use pouls::domain::Role;

on_both_backends!(
    login_opens_a_session_and_returns_to_the_page_asked_for,
    login_only_returns_to_local_paths,
    a_failed_login_says_the_same_thing_whether_the_email_exists_or_not,
    a_deactivated_account_cannot_log_in,
    ten_failures_lock_the_account_even_with_the_right_password,
    ten_failures_from_one_address_lock_that_address,
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
        "/connexion?suite=/admin/comptes%3Ftri%3Demail"
    );
    let form = app.get("/connexion?suite=/admin/comptes").await;
    assert!(
        form.body
            .contains("name=\"suite\" value=\"/admin/comptes\"")
    );

    // The email is normalised: case and spaces do not matter.
    let response = app
        .post(
            "/connexion",
            None,
            &[
                ("email", "  Marie@CCYN.fr "),
                ("password", PASSWORD),
                ("suite", "/admin/comptes"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.header("location"), "/admin/comptes");
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

async fn ten_failures_lock_the_account_even_with_the_right_password(app: TestApp) {
    app.create_user("marie@ccyn.fr", Role::Agent).await;
    for attempt in 0..10u8 {
        // From different addresses: the account limit alone must lock.
        let response = app
            .post_from(
                [198, 51, 100, attempt],
                "/connexion",
                None,
                &[
                    ("email", "marie@ccyn.fr"),
                    ("password", "mauvais mot de passe"),
                ],
                &[],
            )
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let locked = app
        .post_from(
            [203, 0, 113, 9],
            "/connexion",
            None,
            &[("email", "marie@ccyn.fr"), ("password", PASSWORD)],
            &[],
        )
        .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.body.contains("Trop de tentatives de connexion"));
    assert!(
        locked.body.contains("bloquée jusqu'à "),
        "says when to retry"
    );
    assert!(locked.header("set-cookie").is_empty());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'login_locked'")
            .await,
        1
    );

    // Fifteen minutes later the lock has expired.
    app.sql("UPDATE login_failure SET at = at - 901").await;
    let response = app
        .post(
            "/connexion",
            None,
            &[("email", "marie@ccyn.fr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
}

async fn ten_failures_from_one_address_lock_that_address(app: TestApp) {
    app.create_user("marie@ccyn.fr", Role::Agent).await;
    let attacker = [198, 51, 100, 7];
    for n in 0..10 {
        let email = format!("essai{n}@ccyn.fr");
        app.post_from(
            attacker,
            "/connexion",
            None,
            &[("email", &email), ("password", "mauvais mot de passe")],
            &[],
        )
        .await;
    }
    let from_attacker = app
        .post_from(
            attacker,
            "/connexion",
            None,
            &[("email", "marie@ccyn.fr"), ("password", PASSWORD)],
            &[],
        )
        .await;
    assert_eq!(from_attacker.status, StatusCode::TOO_MANY_REQUESTS);
    let from_elsewhere = app
        .post_from(
            [203, 0, 113, 1],
            "/connexion",
            None,
            &[("email", "marie@ccyn.fr"), ("password", PASSWORD)],
            &[],
        )
        .await;
    assert_eq!(from_elsewhere.status, StatusCode::SEE_OTHER);
    // Addresses are kept only as salted hashes.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM login_failure WHERE client LIKE '%198.51.100%'")
            .await,
        0
    );
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
            &[],
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
                ("origin", common::PUBLIC_URL),
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
