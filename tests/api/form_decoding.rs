//! The url-encoded form decoder of every handler (README, "Public forms"): control
//! characters never reach the database nor a page, and what the framework refuses (a
//! wrong method, a body too large, of another type or unreadable) gets a French page. On
//! both backends.

use crate::support::{TestApp, valid_answers};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use pouls::domain::{Role, paris};

on_both_backends!(
    nul_bytes_in_answers_are_dropped_never_a_server_error,
    nul_bytes_in_a_login_and_a_staff_form_are_dropped,
    the_framework_refusals_are_french_pages,
);

async fn responses(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM response").await
}

async fn nul_bytes_in_answers_are_dropped_never_a_server_error(app: TestApp) {
    let f = app.fixture().await;
    let mut fields: Vec<(&str, &str)> = valid_answers()
        .into_iter()
        .filter(|(q, _)| *q != "Q5")
        .collect();
    fields.extend([
        ("Q5", "Le mer\0credi\u{1}"),
        ("Q7", "Une idée\r\nsur\tdeux lignes\0"),
    ]);
    let stored = app.answer(&f.online, &fields).await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answer WHERE value_text = 'Le mercredi'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answer WHERE value_text = 'Une idée\r\nsur\tdeux lignes'")
            .await,
        1,
        "tabs and line breaks stay"
    );
    // A required text of nothing but control characters is a missing answer.
    let mut fields: Vec<(&str, &str)> = valid_answers()
        .into_iter()
        .filter(|(q, _)| *q != "Q5")
        .collect();
    fields.push(("Q5", "\0\0"));
    let refused = app.answer(&f.online, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Écrivez votre réponse."));
    assert_eq!(responses(&app).await, 1);
}

async fn nul_bytes_in_a_login_and_a_staff_form_are_dropped(app: TestApp) {
    app.create_user("agent@ccyn.fr", Role::Agent).await;
    let wrong = app
        .post(
            "/connexion",
            None,
            &[("email", "agent@ccyn.fr\0"), ("password", "pas le bon\0")],
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(!wrong.body.contains('\0'));
    let right = app
        .post(
            "/connexion",
            None,
            &[
                ("email", "ag\0ent@ccyn.fr"),
                ("password", crate::support::PASSWORD),
            ],
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);

    let partenaire = app.staff(Role::Partenaire).await;
    let today = paris::today().to_string();
    let filed = app
        .post(
            "/admin/remontees",
            Some(&partenaire),
            &[
                ("organisation", "france_services"),
                ("commune", "sergines"),
                ("themes", "acces-aux-droits"),
                ("publics", "familles"),
                ("observed", "Des familles\0 sans transport."),
                ("people_count", "6"),
                ("observed_on", &today),
            ],
        )
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM field_report WHERE observed = 'Des familles sans transport.'"
        )
        .await,
        1
    );
}

async fn the_framework_refusals_are_french_pages(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/q/{}", f.online);
    let send = |method: &str, content_type: &str, body: Vec<u8>| {
        let request = Request::builder()
            .method(method)
            .uri(&path)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .expect("valid request");
        app.request(request)
    };
    let french = |response: &crate::support::TestResponse, title: &str| {
        assert!(
            response.header("content-type").starts_with("text/html"),
            "{title}"
        );
        assert!(
            response.body.contains(&format!("<h1>{title}</h1>")),
            "{}",
            response.body
        );
        assert!(response.body.contains("rien n'a été enregistré"));
        assert!(
            response
                .body
                .contains("<a href=\"/\">Retour à l'accueil</a>")
        );
    };
    let form = "application/x-www-form-urlencoded";
    let wrong_method = send("PUT", form, b"Q1=O1".to_vec()).await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    french(&wrong_method, "Action impossible à cette adresse");
    assert!(wrong_method.header("allow").contains("POST"));
    let json = send("POST", "application/json", b"{\"Q1\":\"O1\"}".to_vec()).await;
    assert_eq!(json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    french(&json, "Envoi dans un format non pris en charge");
    let mut huge = b"Q7=".to_vec();
    huge.resize(3 * 1024 * 1024, b'a');
    let too_large = send("POST", form, huge).await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    french(&too_large, "Envoi trop volumineux");
    // A form its handler cannot read: a field sent twice where one is expected.
    let unreadable = app
        .post_raw(
            "/connexion",
            None,
            &[
                ("email", "a@ccyn.fr"),
                ("email", "b@ccyn.fr"),
                ("password", "x"),
            ],
            &[],
        )
        .await;
    assert_eq!(unreadable.status, StatusCode::BAD_REQUEST);
    french(&unreadable, "Demande illisible");
    assert_eq!(responses(&app).await, 0);
}
