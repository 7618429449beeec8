//! The resident path: answering a survey from a QR code, on both backends.

use crate::support::{TestApp, valid_answers};
use axum::http::StatusCode;
use pouls::domain::Role;
use pouls::survey::SurveyStatus;

on_both_backends!(
    the_form_shows_every_question_accessibly_without_script,
    a_valid_response_is_stored_once_in_one_transaction,
    every_kind_is_refused_beyond_its_limits,
    an_invalid_response_comes_back_with_what_was_typed,
    the_same_token_twice_stores_one_response,
    a_conditional_answer_is_dropped_when_its_condition_does_not_hold,
    closed_and_not_yet_open_surveys_store_nothing,
    a_survey_closed_by_staff_stops_taking_answers_at_once,
    unknown_codes_get_a_404,
    responses_carry_no_address_and_only_the_hour,
    kiosks_return_to_an_empty_form,
    public_posts_are_rate_limited_per_address,
    the_home_page_lists_open_surveys,
    the_privacy_notice_is_linked_from_every_survey,
);

async fn the_form_shows_every_question_accessibly_without_script(app: TestApp) {
    let f = app.fixture().await;
    let page = app.get(&format!("/q/{}", f.online)).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains("<h1>Besoins des familles</h1>"));
    assert!(!body.contains("<script"), "no script");
    assert!(
        !body.contains("http://") && !body.contains("https://"),
        "no external resource"
    );
    assert!(body.contains("novalidate"));
    // Single, multiple, scale, yes/no, public and age; the commune is a labelled select.
    assert_eq!(
        body.matches("<fieldset").count(),
        6,
        "choice groups in fieldsets"
    );
    assert_eq!(body.matches("<legend").count(), 6);
    assert!(
        body.contains("<label for=\"champ-Q8\""),
        "the commune select is labelled"
    );
    assert!(body.contains("<option value=\"sergines\">Sergines</option>"));
    assert!(body.contains("<option value=\"hors-ccyn\">Hors du territoire</option>"));
    assert!(body.contains("Plusieurs réponses possibles, 2 au plus."));
    assert!(body.contains("1 : Pas du tout ; 5 : Tout à fait"));
    assert!(body.contains("À remplir seulement si vous avez répondu « Oui » à la question « Avez-vous un enfant de moins de 3 ans ? »."));
    assert!(body.contains("aria-describedby=\"champ-Q5-condition champ-Q5-aide\""));
    assert!(body.contains("href=\"/confidentialite\""));
    let token = crate::support::jeton(body).expect("a token");
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let code = pouls::survey::CollectionCode::parse(&f.online).expect("code");
    assert!(app.state.form_key.verify(&code, &token, now).is_ok());
    let again = app.get(&format!("/q/{}", f.online)).await;
    assert!(
        !again.body.contains(crate::support::nonce(&token)),
        "a fresh token for each form"
    );
}

async fn a_valid_response_is_stored_once_in_one_transaction(app: TestApp) {
    let f = app.fixture().await;
    let response = app.answer(&f.event, &valid_answers()).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(response.header("location"), format!("/q/{}/merci", f.event));
    let thanks = app.get(response.header("location")).await;
    assert!(thanks.body.contains("Merci pour vos réponses"));
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 1);
    // Q2 has two options ticked: 8 answers for 7 questions answered.
    assert_eq!(app.count("SELECT COUNT(*) FROM answer").await, 8);
    assert_eq!(app.count("SELECT response_count FROM survey").await, 1);
    assert_eq!(
        app.count(&format!(
            "SELECT response_count FROM collection_point WHERE code = '{}'",
            f.event
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answer WHERE value_text = 'Le mercredi après-midi'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answer WHERE value_number = 2")
            .await,
        1
    );
}

async fn every_kind_is_refused_beyond_its_limits(app: TestApp) {
    let f = app.fixture().await;
    let long = "é".repeat(281);
    let too_long = "a".repeat(2001);
    let cases: Vec<(&str, &str, &str)> = vec![
        ("Q1", "O9", "Choisissez une réponse dans la liste proposée."),
        ("Q2", "O4", "Choisissez au plus 2 réponses."),
        ("Q3", "6", "Choisissez une réponse dans la liste proposée."),
        (
            "Q4",
            "peut-être",
            "Choisissez une réponse dans la liste proposée.",
        ),
        (
            "Q5",
            &long,
            "Votre réponse est trop longue : 281 caractères pour 280 au plus.",
        ),
        ("Q6", "21", "Saisissez un nombre entre 0 et 20."),
        ("Q6", "deux", "Saisissez un nombre, par exemple 3 ou 2,5."),
        (
            "Q7",
            &too_long,
            "Votre réponse est trop longue : 2001 caractères pour 2000 au plus.",
        ),
        (
            "Q8",
            "paris",
            "Choisissez une réponse dans la liste proposée.",
        ),
        (
            "Q9",
            "martiens",
            "Choisissez une réponse dans la liste proposée.",
        ),
        (
            "Q10",
            "100-ans",
            "Choisissez une réponse dans la liste proposée.",
        ),
    ];
    for (question, value, message) in cases {
        let mut answers: Vec<(&str, &str)> = valid_answers()
            .into_iter()
            .filter(|(q, _)| *q != question)
            .collect();
        answers.push((question, value));
        if question == "Q2" {
            answers.extend([("Q2", "O1"), ("Q2", "O2")]);
        }
        let response = app.answer(&f.online, &answers).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{question}={value}"
        );
        assert!(response.body.contains(message), "{question}: {message}");
    }
    // At their limits, all accepted.
    let at_limit = "é".repeat(280);
    let long_at_limit = "a".repeat(2000);
    let mut answers = valid_answers();
    answers.retain(|(q, _)| *q != "Q5" && *q != "Q6");
    answers.extend([
        ("Q5", at_limit.as_str()),
        ("Q6", "20"),
        ("Q7", long_at_limit.as_str()),
        ("Q9", "familles"),
        ("Q10", "75-plus"),
        ("inconnu", "ignoré"),
    ]);
    let response = app.answer(&f.online, &answers).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM response").await,
        1,
        "only the valid one"
    );
}

async fn an_invalid_response_comes_back_with_what_was_typed(app: TestApp) {
    let f = app.fixture().await;
    let response = app
        .answer(
            &f.online,
            &[
                ("Q1", "O3"),
                ("Q2", "O2"),
                ("Q4", "oui"),
                ("Q5", "Le <samedi> & \"dimanche\""),
                ("Q6", "vingt"),
                ("Q7", "Une idée\nsur deux lignes"),
                ("Q8", "vinneuf"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = &response.body;
    assert!(body.contains("<title>Erreur : Besoins des familles – Pouls</title>"));
    assert!(body.contains("Le formulaire contient 2 erreurs"));
    assert!(
        body.contains("<a href=\"#champ-Q3\">Choisissez une réponse.</a>"),
        "summary links to the field"
    );
    assert!(body.contains("<a href=\"#champ-Q6\">Saisissez un nombre, par exemple 3 ou 2,5.</a>"));
    assert!(body.contains("id=\"champ-Q3-erreur\""));
    assert!(body.contains("aria-invalid=\"true\""));
    // What was typed and chosen is all there, escaped.
    assert!(body.contains("value=\"vingt\""));
    assert!(body.contains("value=\"Le &lt;samedi&gt; &amp; &quot;dimanche&quot;\""));
    assert!(body.contains("Une idée\nsur deux lignes</textarea>"));
    assert!(body.contains("value=\"O3\" checked"));
    assert!(body.contains("value=\"O2\" checked"));
    assert!(body.contains("<option value=\"vinneuf\" selected>"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM response").await,
        0,
        "nothing stored"
    );
}

async fn the_same_token_twice_stores_one_response(app: TestApp) {
    let f = app.fixture().await;
    let mut answers = valid_answers();
    let token = app.form_token(&f.online);
    answers.push(("jeton", &token));
    for _ in 0..3 {
        let response = app.answer(&f.online, &answers).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER);
        assert_eq!(
            response.header("location"),
            format!("/q/{}/merci", f.online)
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 1);
    assert_eq!(app.count("SELECT response_count FROM survey").await, 1);
    // A token kept through a failed submit still counts once: the form comes back with
    // the same nonce (and a new expiry).
    let second = app.form_token(&f.online);
    let failed = app
        .answer(&f.online, &[("Q1", "O1"), ("jeton", &second)])
        .await;
    assert_eq!(failed.status, StatusCode::UNPROCESSABLE_ENTITY);
    let renewed = crate::support::jeton(&failed.body).expect("a token");
    assert_eq!(
        crate::support::nonce(&renewed),
        crate::support::nonce(&second)
    );
    let mut fixed = valid_answers();
    fixed.push(("jeton", &renewed));
    app.answer(&f.online, &fixed).await;
    let mut first_copy = valid_answers();
    first_copy.push(("jeton", &second));
    app.answer(&f.online, &first_copy).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 2);
}

async fn a_conditional_answer_is_dropped_when_its_condition_does_not_hold(app: TestApp) {
    let f = app.fixture().await;
    let mut answers: Vec<(&str, &str)> = valid_answers()
        .into_iter()
        .filter(|(q, _)| *q != "Q4")
        .collect();
    answers.push(("Q4", "non"));
    let response = app.answer(&f.online, &answers).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answer WHERE value_text IS NOT NULL")
            .await,
        0
    );
    // With "oui", the dependent question becomes required.
    let mut answers: Vec<(&str, &str)> = valid_answers()
        .into_iter()
        .filter(|(q, _)| *q != "Q5")
        .collect();
    answers.push(("Q5", "  "));
    let response = app.answer(&f.online, &answers).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("Écrivez votre réponse."));
}

async fn closed_and_not_yet_open_surveys_store_nothing(app: TestApp) {
    let f = app.fixture().await;
    app.territory
        .set_survey_status(f.survey_id, SurveyStatus::Closed, &f.admin)
        .await
        .expect("close");
    // Changes made outside this server instance reach it within the survey cache's two
    // seconds; the test does not wait for them.
    let sql = |statement: &'static str| {
        let app = &app;
        async move {
            app.sql(statement).await;
            app.state.surveys.clear();
        }
    };
    app.state.surveys.clear();
    let page = app.get(&format!("/q/{}", f.online)).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.body.contains("Ce questionnaire est terminé"));
    let response = app.answer(&f.online, &valid_answers()).await;
    assert_eq!(response.status, StatusCode::GONE);

    app.territory
        .set_survey_status(f.survey_id, SurveyStatus::Open, &f.admin)
        .await
        .expect("open");
    sql("UPDATE survey SET opens_on = '2099-01-01', closes_on = '2099-12-31'").await;
    let page = app.get(&format!("/q/{}", f.online)).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.body.contains("pas encore ouvert"));
    assert!(page.body.contains("1er janvier 2099"));
    assert_eq!(
        app.answer(&f.online, &valid_answers()).await.status,
        StatusCode::GONE
    );
    sql("UPDATE survey SET opens_on = '2020-01-01', closes_on = '2020-12-31'").await;
    assert_eq!(
        app.get(&format!("/q/{}", f.online)).await.status,
        StatusCode::GONE
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0);
}

async fn a_survey_closed_by_staff_stops_taking_answers_at_once(app: TestApp) {
    let f = app.fixture().await;
    // Residents have the form: the server holds a copy of the survey.
    assert_eq!(
        app.get(&format!("/q/{}", f.online)).await.status,
        StatusCode::OK
    );
    let agent = app.staff(Role::Agent).await;
    let closed = app
        .post(
            &format!("/admin/enquetes/{}/fermer", f.survey_id),
            Some(&agent),
            &[],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("/q/{}", f.online)).await.status,
        StatusCode::GONE
    );
    assert_eq!(
        app.answer(&f.online, &valid_answers()).await.status,
        StatusCode::GONE
    );
}

async fn unknown_codes_get_a_404(app: TestApp) {
    app.fixture().await;
    for path in [
        "/q/zzzzzz",
        "/q/abc",
        "/q/0o1il2",
        "/q/zzzzzz/affiche",
        "/q/zzzzzz/qr.png",
        "/q/zzzzzz/merci",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            page.body.contains("Page introuvable") || path.ends_with(".png"),
            "{path}"
        );
    }
    let response = app.answer("zzzzzz", &valid_answers()).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
}

async fn responses_carry_no_address_and_only_the_hour(app: TestApp) {
    let f = app.fixture().await;
    // Codes are matched whatever their case.
    let response = app.answer(&f.online.to_uppercase(), &valid_answers()).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM response WHERE submitted_hour % 3600 = 0")
            .await,
        1
    );
    let columns = if app.db.url.starts_with("sqlite:") {
        app.count("SELECT COUNT(*) FROM pragma_table_info('response') WHERE name NOT IN ('id', 'survey_id', 'point_id', 'channel', 'submitted_hour', 'token', 'commune_code', 'public_code', 'answers_json')").await
    } else {
        app.count("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'response' AND column_name NOT IN ('id', 'survey_id', 'point_id', 'channel', 'submitted_hour', 'token', 'commune_code', 'public_code', 'answers_json')").await
    };
    // commune_code and public_code copy two of the answers, for the needs board.
    assert_eq!(columns, 0, "nothing about the person beyond the answers");
    assert!(response.header("set-cookie").is_empty(), "no cookie");
}

async fn kiosks_return_to_an_empty_form(app: TestApp) {
    let f = app.fixture().await;
    let first = app.get(&format!("/q/{}", f.kiosk)).await;
    assert!(
        !first.body.contains("role=\"status\""),
        "no thanks before an answer"
    );
    // A tablet left for the public: no menu, no footer link out of the form but the
    // privacy and accessibility notices.
    assert!(!first.body.contains("Espace agents"), "{}", first.body);
    assert!(!first.body.contains("href=\"/admin\""));
    assert!(!first.body.contains("href=\"/plan\""));
    assert!(!first.body.contains("href=\"/\""), "no link home");
    assert!(!first.body.contains("Menu principal"));
    assert!(first.body.contains("href=\"/confidentialite\""));
    let response = app.answer(&f.kiosk, &valid_answers()).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    // The thanks on their own screen, until someone asks for a new form; no timer
    // (RGAA 13.1.2).
    let location = response.header("location");
    assert_eq!(location, format!("/q/{}/merci", f.kiosk));
    let thanks = app.get(location).await;
    assert_eq!(thanks.status, StatusCode::OK);
    assert!(thanks.body.contains("<h1>Merci pour vos réponses !</h1>"));
    assert!(!thanks.body.contains("http-equiv=\"refresh\""));
    assert!(
        thanks.body.contains(&format!(
            "<a href=\"/q/{}\" class=\"button\">Nouvelle réponse</a>",
            f.kiosk
        )),
        "{}",
        thanks.body
    );
    assert!(!thanks.body.contains("Espace agents"));
    assert!(!thanks.body.contains("href=\"/resultats\""));
    assert!(!thanks.body.contains("href=\"/\""));
    // "Nouvelle réponse": an empty form that thanks nobody, with a new token.
    let form = app.get(&format!("/q/{}", f.kiosk)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        !form.body.contains("Merci pour vos réponses"),
        "{}",
        form.body
    );
    assert!(!form.body.contains("role=\"status\""));
    assert!(!form.body.contains("checked"), "an empty form");
    assert!(form.body.contains("autocomplete=\"off\""));
    assert_eq!(form.header("cache-control"), "no-store");
    let token = |body: &str| {
        let after = body
            .split("name=\"jeton\" value=\"")
            .nth(1)
            .expect("a token");
        after[..32].to_owned()
    };
    assert_ne!(token(&form.body), token(&first.body), "a new form token");
    // The address kiosks used to come back to is an empty form too.
    let old = app.get(&format!("/q/{}?merci=1", f.kiosk)).await;
    assert_eq!(old.status, StatusCode::OK);
    assert!(!old.body.contains("Merci pour vos réponses"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM response WHERE channel = 'kiosque'")
            .await,
        1
    );
    // Other points keep the site's menu and their thank-you page with its links.
    let online = app.answer(&f.online, &valid_answers()).await;
    assert_eq!(online.header("location"), format!("/q/{}/merci", f.online));
    let online = app.get(&format!("/q/{}/merci", f.online)).await;
    assert!(!online.body.contains("http-equiv=\"refresh\""));
    assert!(online.body.contains("href=\"/resultats\""));
    assert!(online.body.contains("Espace agents"));
    let form = app.get(&format!("/q/{}", f.online)).await;
    assert!(form.body.contains("Espace agents"));
    assert!(form.body.contains("Menu principal"));
}

async fn public_posts_are_rate_limited_per_address(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/q/{}", f.online);
    let started = std::time::Instant::now();
    for _ in 0..60 {
        let response = app
            .post_from([198, 51, 100, 20], &path, None, &[("Q1", "O1")], &[])
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Past the burst, one more is allowed each second: a slow machine may see those.
    let grace = started.elapsed().as_secs() + 1;
    let mut limited = None;
    for _ in 0..=grace {
        let response = app
            .post_from([198, 51, 100, 20], &path, None, &[("Q1", "O1")], &[])
            .await;
        if response.status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(response);
            break;
        }
    }
    let limited = limited.expect("refused past the limit");
    assert!(limited.body.contains("Patientez une minute"));
    let other = app
        .post_from([198, 51, 100, 21], &path, None, &[("Q1", "O1")], &[])
        .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_home_page_lists_open_surveys(app: TestApp) {
    assert!(
        app.get("/")
            .await
            .body
            .contains("Aucun questionnaire n'est ouvert")
    );
    let f = app.fixture().await;
    let home = app.get("/").await;
    assert!(home.body.contains(&format!(
        "<a href=\"/q/{}\">Besoins des familles</a>",
        f.online
    )));
    app.territory
        .set_survey_status(f.survey_id, SurveyStatus::Closed, &f.admin)
        .await
        .expect("close");
    assert!(!app.get("/").await.body.contains("Besoins des familles"));
}

async fn the_privacy_notice_is_linked_from_every_survey(app: TestApp) {
    let page = app.get("/confidentialite").await;
    assert_eq!(page.status, StatusCode::OK);
    for part in [
        "Ce qui est recueilli",
        "Ce qui n'est pas recueilli",
        "À quoi servent vos réponses",
        "Sur quelle base",
        "Qui y a accès",
        "Combien de temps",
        "Vos droits",
        "CNIL",
    ] {
        assert!(page.body.contains(part), "{part}");
    }
}
