//! What protects the public forms (README, "Public forms"): posts from other sites are
//! refused, the one-time token is the server's, and a collection point takes answers only
//! within its dates. On both backends; the form decoder has `tests/form_decoding.rs`.

use crate::support::{TestApp, jeton, nonce, valid_answers};
use axum::http::StatusCode;
use pouls::survey::CollectionCode;

on_both_backends!(
    a_post_from_another_site_is_refused_and_stores_nothing,
    a_form_round_trip_stores_one_response_under_its_nonce,
    a_made_up_token_is_refused_with_the_answers_kept,
    a_token_of_another_point_or_tampered_is_refused,
    an_expired_token_comes_back_with_the_answers_kept,
    a_point_outside_its_dates_takes_no_answers,
    the_form_key_is_made_once_and_shared_through_the_database,
);

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn code(text: &str) -> CollectionCode {
    CollectionCode::parse(text).expect("a valid code")
}

async fn responses(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM response").await
}

async fn a_post_from_another_site_is_refused_and_stores_nothing(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/q/{}", f.online);
    let online = &f.online;
    let send = |headers: &'static [(&'static str, &'static str)]| {
        let (app, path) = (&app, &path);
        async move {
            let token = app.form_token(online);
            let mut fields = valid_answers();
            fields.push(("jeton", &token));
            app.post_raw(path, None, &fields, headers).await
        }
    };
    for headers in [
        &[("sec-fetch-site", "cross-site")][..],
        &[("sec-fetch-site", "same-site")],
        &[("origin", "https://pouls-sondage.example")],
        &[("origin", "null")],
    ] {
        let refused = send(headers).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{headers:?}");
        let body = &refused.body;
        assert!(body.contains("<h1>Envoi refusé</h1>"), "{body}");
        assert!(body.contains("rien n'a été enregistré"));
        assert!(body.contains("ouvrez le questionnaire depuis son QR code"));
        assert!(body.contains(&format!(
            "<a href=\"http://pouls.test/q/{0}\">http://pouls.test/q/{0}</a>",
            f.online
        )));
    }
    assert_eq!(responses(&app).await, 0, "nothing stored");
    // From its own page, or from a client that says nothing (the token protects those).
    for headers in [
        &[
            ("sec-fetch-site", "same-origin"),
            ("origin", "http://pouls.test"),
        ][..],
        &[("origin", "http://pouls.test")],
        &[],
    ] {
        assert_eq!(
            send(headers).await.status,
            StatusCode::SEE_OTHER,
            "{headers:?}"
        );
    }
    assert_eq!(responses(&app).await, 3);
}

async fn a_form_round_trip_stores_one_response_under_its_nonce(app: TestApp) {
    let f = app.fixture().await;
    let token = app.form_page_token(&f.online).await;
    assert!(
        app.state
            .form_key
            .verify(&code(&f.online), &token, now())
            .is_ok(),
        "the page carries a token this server signed for this point: {token}"
    );
    let mut fields = valid_answers();
    fields.push(("jeton", &token));
    for _ in 0..2 {
        let sent = app
            .post_raw(&format!("/q/{}", f.online), None, &fields, &[])
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    }
    assert_eq!(responses(&app).await, 1, "a double submission counts once");
    // Only the random part is kept: nothing tells when the form was shown.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM response WHERE token = '{}'",
            nonce(&token)
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM response WHERE LENGTH(token) = 32")
            .await,
        1
    );
}

/// The re-rendered form: the message, a fresh token, and what was typed.
fn assert_expired_page_keeps(body: &str, app: &TestApp, point: &str) {
    assert!(body.contains("<title>Formulaire expiré : Besoins des familles – Pouls</title>"));
    assert!(body.contains("<h2>Ce formulaire a expiré</h2>"), "{body}");
    assert!(body.contains("Vos réponses n'ont pas encore été enregistrées"));
    assert!(body.contains("value=\"O2\" checked"));
    assert!(body.contains("value=\"O3\" checked"));
    assert!(body.contains("value=\"Le mercredi après-midi\""));
    assert!(body.contains("<option value=\"sergines\" selected>"));
    let fresh = jeton(body).expect("a fresh token");
    assert!(
        app.state
            .form_key
            .verify(&code(point), &fresh, now())
            .is_ok(),
        "{fresh}"
    );
}

async fn a_made_up_token_is_refused_with_the_answers_kept(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/q/{}", f.online);
    let mut fields = valid_answers();
    fields.push(("jeton", "0123456789abcdef0123456789abcdef"));
    let refused = app.post_raw(&path, None, &fields, &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_expired_page_keeps(&refused.body, &app, &f.online);
    // No token at all: the same.
    let without = app.post_raw(&path, None, &valid_answers(), &[]).await;
    assert_eq!(without.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_expired_page_keeps(&without.body, &app, &f.online);
    assert_eq!(responses(&app).await, 0, "nothing stored");
    // Sent again from the page that came back, the answers are stored.
    let fresh = jeton(&refused.body).expect("token");
    let mut again = valid_answers();
    again.push(("jeton", &fresh));
    assert_eq!(
        app.post_raw(&path, None, &again, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(responses(&app).await, 1);
}

async fn a_token_of_another_point_or_tampered_is_refused(app: TestApp) {
    let f = app.fixture().await;
    let other_point = app.form_token(&f.event);
    let mine = app.form_token(&f.online);
    let (nonce, rest) = mine.split_once('.').expect("nonce.expiry.mac");
    let (_, mac) = rest.split_once('.').expect("expiry.mac");
    let longer = format!("{nonce}.{}.{mac}", now() + 100 * 86_400);
    for token in [other_point, longer] {
        let mut fields = valid_answers();
        fields.push(("jeton", &token));
        let refused = app
            .post_raw(&format!("/q/{}", f.online), None, &fields, &[])
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{token}");
        assert_expired_page_keeps(&refused.body, &app, &f.online);
    }
    assert_eq!(responses(&app).await, 0);
}

async fn an_expired_token_comes_back_with_the_answers_kept(app: TestApp) {
    let f = app.fixture().await;
    let expired = app.state.form_key.sign(
        &code(&f.online),
        "00112233445566778899aabbccddeeff",
        now() - 1,
    );
    // Expired, and one answer wrong as well: both said at once.
    let mut fields: Vec<(&str, &str)> = valid_answers()
        .into_iter()
        .filter(|(q, _)| *q != "Q6")
        .collect();
    fields.extend([("Q6", "vingt"), ("jeton", &expired)]);
    let refused = app
        .post_raw(&format!("/q/{}", f.online), None, &fields, &[])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_expired_page_keeps(&refused.body, &app, &f.online);
    assert!(refused.body.contains("value=\"vingt\""));
    assert!(
        refused
            .body
            .contains("<a href=\"#champ-Q6\">Saisissez un nombre, par exemple 3 ou 2,5.</a>")
    );
    assert_eq!(responses(&app).await, 0);
    assert_ne!(
        nonce(&jeton(&refused.body).expect("token")),
        "00112233445566778899aabbccddeeff",
        "a new form"
    );
}

async fn a_point_outside_its_dates_takes_no_answers(app: TestApp) {
    let f = app.fixture().await;
    let set_dates = |starts_on: &str, ends_on: &str, point: &str| {
        let app = &app;
        let statement = format!(
            "UPDATE collection_point SET starts_on = {starts_on}, ends_on = {ends_on} WHERE code = '{point}'"
        );
        async move {
            app.sql(&statement).await;
            app.state.surveys.clear();
        }
    };
    set_dates("'2020-01-01'", "'2020-01-31'", &f.event).await;
    let page = app.get(&format!("/q/{}", f.event)).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(
        page.body.contains(
            "La collecte « Foire de printemps - stand RPE » a pris fin le 31 janvier 2020"
        ),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("<a href=\"/\">Voir les questionnaires ouverts</a>")
    );
    let sent = app.answer(&f.event, &valid_answers()).await;
    assert_eq!(sent.status, StatusCode::GONE);
    assert!(sent.body.contains("a pris fin le 31 janvier 2020"));

    set_dates("'2099-06-13'", "NULL", &f.event).await;
    let page = app.get(&format!("/q/{}", f.event)).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.body.contains("il en recevra à partir du 13 juin 2099"));
    assert_eq!(
        app.answer(&f.event, &valid_answers()).await.status,
        StatusCode::GONE
    );
    assert_eq!(responses(&app).await, 0);

    // The other points of the survey go on; an online point past its dates leaves the
    // home page.
    assert_eq!(
        app.answer(&f.kiosk, &valid_answers()).await.status,
        StatusCode::SEE_OTHER
    );
    let link = format!("<a href=\"/q/{}\">Besoins des familles</a>", f.online);
    assert!(app.get("/").await.body.contains(&link));
    set_dates("NULL", "'2020-01-31'", &f.online).await;
    assert!(!app.get("/").await.body.contains(&link));
    assert_eq!(
        app.get(&format!("/q/{}", f.online)).await.status,
        StatusCode::GONE
    );
}

async fn the_form_key_is_made_once_and_shared_through_the_database(app: TestApp) {
    let key = app.storage.form_key().await.expect("a stored key");
    assert_eq!(key.as_stored().len(), 64, "256 random bits");
    // Another instance starting on the same database signs with the same key.
    let other = pouls_server::prepare_storage(&app.db.url)
        .await
        .expect("second start");
    assert_eq!(other.form_key().await.expect("a stored key"), key);
    let token = key.issue(&code("7kq3mz"), now());
    assert!(
        other
            .form_key()
            .await
            .expect("key")
            .verify(&code("7kq3mz"), &token, now())
            .is_ok()
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM instance_secret WHERE name = 'form_key'")
            .await,
        1
    );
}
