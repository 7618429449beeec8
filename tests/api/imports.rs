//! Importing typed-in paper answers from a CSV file at `/admin/enquetes/{id}/import`: a
//! wrong file writes nothing and says where, and importing again stores only the
//! questionnaires not stored yet, on both backends.

use crate::support::{Session, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use pouls::domain::Role;

on_both_backends!(
    an_import_with_a_wrong_row_writes_nothing_and_says_where,
    importing_again_stores_only_questionnaires_not_stored_yet,
    unclosed_quotes_and_control_characters_refuse_the_file,
    imported_answers_are_dated_by_their_collection_day,
);

/// The collection day the tests' files are imported with, unless they say otherwise.
const COLLECTED: &str = "2026-06-13";

async fn upload(
    app: &TestApp,
    session: &Session,
    survey: i64,
    point: i64,
    file: &str,
) -> crate::support::TestResponse {
    upload_dated(app, session, survey, point, COLLECTED, file).await
}

/// Posts the import form: the paper point, the file's collection day and the file.
async fn upload_dated(
    app: &TestApp,
    session: &Session,
    survey: i64,
    point: i64,
    date: &str,
    file: &str,
) -> crate::support::TestResponse {
    let boundary = "----pouls-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"point\"\r\n\r\n{point}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"date_collecte\"\r\n\r\n{date}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"papier.csv\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n",
        session.csrf
    );
    let request = Request::post(format!("/admin/enquetes/{survey}/import"))
        .header(header::COOKIE, &session.cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request");
    app.request(request).await
}

async fn an_import_with_a_wrong_row_writes_nothing_and_says_where(app: TestApp) {
    let f = app.fixture().await;
    let (point, _) = app.paper_point(&f).await;
    let agent = app.staff(Role::Agent).await;
    let template = app
        .get_as(
            &agent,
            &format!(
                "/admin/enquetes/{}/modele-import?dialecte=standard",
                f.survey_id
            ),
        )
        .await;
    let header = template.body.lines().next().expect("header").to_owned();
    assert!(
        header.starts_with("date_collecte,Q1,Q2_O1,Q2_O2,Q2_O3,Q2_O4,Q3,Q4,Q5,Q6,Q7,Q8,Q9,Q10"),
        "{header}"
    );
    let good = ",O1,1,0,0,0,4,oui,Le mardi,2,,sergines,,";
    let bad = ",O1,1,0,0,0,4,oui,Le mardi,45,,sergines,,";
    let mut file = format!("{header}\n");
    for line in 0..20 {
        file.push_str(if line == 6 { bad } else { good });
        file.push('\n');
    }
    let refused = upload(&app, &agent, f.survey_id, point, &file).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("rien n&#x27;a été importé")
            || refused.body.contains("rien n'a été importé")
    );
    assert!(
        refused.body.contains("Ligne 8, colonne Q6"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("Saisissez un nombre entre 0 et 20."));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM response").await,
        0,
        "nothing written"
    );
    let fixed = file.replace(bad, good);
    let imported = upload(&app, &agent, f.survey_id, point, &fixed).await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    assert!(
        imported
            .body
            .contains("20 lignes lues : 20 réponses importées.")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM response WHERE channel = 'papier'")
            .await,
        20
    );
    let again = upload(&app, &agent, f.survey_id, point, &fixed).await;
    assert!(
        again
            .body
            .contains("0 réponse importée, 20 déjà importées auparavant.")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM response").await,
        20,
        "re-import adds nothing"
    );
    let results = app
        .get_as(
            &agent,
            &format!("/admin/enquetes/{}/resultats", f.survey_id),
        )
        .await;
    assert!(results.body.contains("<strong>20 réponses</strong>"));
    // Without the CSRF token, nothing is read.
    let forged = Request::post(format!("/admin/enquetes/{}/import", f.survey_id))
        .header(header::COOKIE, &agent.cookie)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
        .body(Body::from(
            "--x\r\nContent-Disposition: form-data; name=\"fichier\"\r\n\r\nQ1\r\n--x--\r\n",
        ))
        .expect("request");
    assert_eq!(app.request(forged).await.status, StatusCode::FORBIDDEN);
}

/// The fixture's import header, from the template staff download.
async fn import_header(app: &TestApp, agent: &Session, survey: i64) -> String {
    let template = app
        .get_as(
            agent,
            &format!("/admin/enquetes/{survey}/modele-import?dialecte=standard"),
        )
        .await;
    let header = template.body.lines().next().expect("header");
    header
        .strip_prefix("date_collecte,")
        .expect("the collection day first")
        .to_owned()
}

const A: &str = "O1,1,0,0,0,4,oui,Le mardi,2,,sergines,,";
const B: &str = "O2,0,1,0,0,3,oui,Le jeudi,5,,sergines,,";
const C: &str = "O1,0,0,1,0,2,oui,Le samedi,1,,sergines,,";

async fn importing_again_stores_only_questionnaires_not_stored_yet(app: TestApp) {
    let f = app.fixture().await;
    let (point, _) = app.paper_point(&f).await;
    let agent = app.staff(Role::Agent).await;
    let header = import_header(&app, &agent, f.survey_id).await;
    let import = |file: String| {
        let (app, agent) = (&app, &agent);
        async move {
            let response = upload(app, agent, f.survey_id, point, &file).await;
            assert_eq!(response.status, StatusCode::OK, "{}", response.body);
            response.body
        }
    };
    let stored = || app.count("SELECT COUNT(*) FROM response WHERE channel = 'papier'");

    // Two identical questionnaires are two responses.
    let body = import(format!("{header}\n{A}\n{A}\n{B}\n")).await;
    assert!(
        body.contains("3 lignes lues : 3 réponses importées."),
        "{body}"
    );
    // The same file again, with a blank line after the header and its rows reordered.
    let body = import(format!("{header}\n\n{B}\n{A}\n\n{A}\n")).await;
    assert!(
        body.contains("3 lignes lues : 0 réponse importée, 3 déjà importées auparavant."),
        "{body}"
    );
    assert_eq!(stored().await, 3);
    // Another file, whose line 2 holds another questionnaire.
    let body = import(format!("{header}\n{C}\n")).await;
    assert!(body.contains("1 ligne lue : 1 réponse importée."), "{body}");
    // The first file with two more questionnaires typed in: those two only.
    let body = import(format!("{header}\n{A}\n{A}\n{B}\n{A}\n{A}\n")).await;
    assert!(
        body.contains("5 lignes lues : 2 réponses importées"),
        "{body}"
    );
    assert_eq!(stored().await, 6);
    // Numbered questionnaires: the number decides, not the answers.
    let body = import(format!("id,{header}\n101,{A}\n102,{A}\n")).await;
    assert!(body.contains("2 réponses importées."), "{body}");
    let body = import(format!("identifiant,{header}\n102,{A}\n101,{A}\n")).await;
    assert!(body.contains("0 réponse importée"), "{body}");
    assert_eq!(stored().await, 8);
    let results = app
        .get_as(
            &agent,
            &format!("/admin/enquetes/{}/resultats", f.survey_id),
        )
        .await;
    assert!(results.body.contains("<strong>8 réponses</strong>"));
}

async fn unclosed_quotes_and_control_characters_refuse_the_file(app: TestApp) {
    let f = app.fixture().await;
    let (point, _) = app.paper_point(&f).await;
    let agent = app.staff(Role::Agent).await;
    let header = import_header(&app, &agent, f.survey_id).await;
    for (row, expected) in [
        (
            "O1,1,0,0,0,4,oui,\"Le mardi,2,,sergines,,",
            "Ligne 3, colonne Q5 : Guillemet non fermé",
        ),
        (
            "O1,1,0,0,0,4,oui,Le\0mardi,2,,sergines,,",
            "Ligne 3, colonne Q5 : Caractère de contrôle interdit (U+0000)",
        ),
        (
            "O1,1,0,0,0,4,oui,Le mardi,2,\u{1}ok,sergines,,",
            "Ligne 3, colonne Q7 : Caractère de contrôle interdit (U+0001)",
        ),
    ] {
        let file = format!("{header}\n{A}\n{row}\n{B}\n");
        let refused = upload(&app, &agent, f.survey_id, point, &file).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains(expected),
            "{expected}: {}",
            refused.body
        );
        assert!(refused.body.contains("1 problème : rien n"));
        assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0);
    }
}

/// Unix time of noon, Paris time, on an ISO day: when paper answers of that day are stored.
fn noon(day: &str) -> i64 {
    let day = pouls::survey::parse_french_date(day).expect("a day");
    pouls::domain::paris::noon(day)
}

async fn imported_answers_are_dated_by_their_collection_day(app: TestApp) {
    let f = app.fixture().await;
    let (point, _) = app.paper_point(&f).await;
    let agent = app.staff(Role::Agent).await;
    let header = import_header(&app, &agent, f.survey_id).await;
    let stored = || app.count("SELECT COUNT(*) FROM response WHERE channel = 'papier'");
    let file = format!("{header}\n{A}\n{B}\n");

    // No day for the file and no column: said next to the field, nothing stored.
    let undated = upload_dated(&app, &agent, f.survey_id, point, "", &file).await;
    assert_eq!(undated.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        undated
            .body
            .contains("aria-describedby=\"champ-date_collecte-aide champ-date_collecte-erreur\""),
        "{}",
        undated.body
    );
    assert!(
        undated
            .body
            .contains("Indiquez le jour où les questionnaires ont été remplis")
    );
    // A day in the future, or before the survey opened: refused next to the field, kept.
    for (day, message) in [
        (
            "2099-06-13",
            "La date de collecte ne peut pas être dans le futur.",
        ),
        (
            "31/12/2025",
            "L&#x27;enquête ouvre le 1er janvier 2026 : la date de collecte ne peut pas être antérieure.",
        ),
    ] {
        let refused = upload_dated(&app, &agent, f.survey_id, point, day, &file).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{day}");
        let body = refused.body.replace("&#39;", "&#x27;");
        assert!(
            body.contains(message) || body.contains(&message.replace("&#x27;", "'")),
            "{day}: {body}"
        );
        assert!(
            body.contains(&format!("value=\"{day}\"")),
            "the day typed is kept"
        );
    }
    assert_eq!(stored().await, 0);

    // The form's day dates every row: noon, Paris time, on 13 June.
    let imported = upload_dated(&app, &agent, f.survey_id, point, "13/06/2026", &file).await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    assert_eq!(
        app.count("SELECT MIN(submitted_hour) FROM response").await,
        noon("2026-06-13")
    );
    assert_eq!(
        app.count("SELECT MAX(submitted_hour) FROM response").await,
        noon("2026-06-13")
    );
    // The same questionnaires collected another day are other responses.
    let october = upload_dated(&app, &agent, f.survey_id, point, "2026-10-03", &file).await;
    assert!(
        october.body.contains("2 réponses importées."),
        "{}",
        october.body
    );
    assert_eq!(stored().await, 4);

    // The column wins where it has a day; the form's day fills the others; without the
    // form's day, every row needs one.
    let dated = format!("date_collecte,{header}\n12/04/2026,{C}\n,{C}\n");
    let undated = upload_dated(&app, &agent, f.survey_id, point, "", &dated).await;
    assert_eq!(undated.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        undated
            .body
            .contains("Ligne 3, colonne date_collecte : Date de collecte manquante")
    );
    let body = upload_dated(&app, &agent, f.survey_id, point, "2026-06-13", &dated)
        .await
        .body;
    assert!(body.contains("2 réponses importées."), "{body}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM response WHERE submitted_hour = {}",
            noon("2026-04-12")
        ))
        .await,
        1
    );
    let future = format!("date_collecte,{header}\n2099-01-01,{C}\n");
    let refused = upload(&app, &agent, f.survey_id, point, &future).await;
    assert!(refused.body.contains(
        "Ligne 2, colonne date_collecte : La date de collecte ne peut pas être dans le futur."
    ));
    assert_eq!(stored().await, 6);

    // A June fair counts in June.
    let june = app
        .get_as(
            &agent,
            &format!(
                "/admin/enquetes/{}/resultats?du=2026-06-01&au=2026-06-30",
                f.survey_id
            ),
        )
        .await;
    assert!(
        june.body.contains("<strong>3 réponses</strong>"),
        "{}",
        june.body
    );
}
