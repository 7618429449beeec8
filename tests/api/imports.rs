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
);

async fn upload(
    app: &TestApp,
    session: &Session,
    survey: i64,
    point: i64,
    file: &str,
) -> crate::support::TestResponse {
    let boundary = "----pouls-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"point\"\r\n\r\n{point}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"papier.csv\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n",
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
        header.starts_with("Q1,Q2_O1,Q2_O2,Q2_O3,Q2_O4,Q3,Q4,Q5,Q6,Q7,Q8,Q9,Q10"),
        "{header}"
    );
    let good = "O1,1,0,0,0,4,oui,Le mardi,2,,sergines,,";
    let bad = "O1,1,0,0,0,4,oui,Le mardi,45,,sergines,,";
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
            .contains("20 ligne(s) lue(s) : 20 réponse(s) importée(s)")
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
            .contains("0 réponse(s) importée(s), 20 déjà importée(s)")
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
    template.body.lines().next().expect("header").to_owned()
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
        body.contains("3 ligne(s) lue(s) : 3 réponse(s) importée(s)."),
        "{body}"
    );
    // The same file again, with a blank line after the header and its rows reordered.
    let body = import(format!("{header}\n\n{B}\n{A}\n\n{A}\n")).await;
    assert!(
        body.contains(
            "3 ligne(s) lue(s) : 0 réponse(s) importée(s), 3 déjà importée(s) auparavant."
        ),
        "{body}"
    );
    assert_eq!(stored().await, 3);
    // Another file, whose line 2 holds another questionnaire.
    let body = import(format!("{header}\n{C}\n")).await;
    assert!(
        body.contains("1 ligne(s) lue(s) : 1 réponse(s) importée(s)."),
        "{body}"
    );
    // The first file with two more questionnaires typed in: those two only.
    let body = import(format!("{header}\n{A}\n{A}\n{B}\n{A}\n{A}\n")).await;
    assert!(
        body.contains("5 ligne(s) lue(s) : 2 réponse(s) importée(s)"),
        "{body}"
    );
    assert_eq!(stored().await, 6);
    // Numbered questionnaires: the number decides, not the answers.
    let body = import(format!("id,{header}\n101,{A}\n102,{A}\n")).await;
    assert!(body.contains("2 réponse(s) importée(s)."), "{body}");
    let body = import(format!("identifiant,{header}\n102,{A}\n101,{A}\n")).await;
    assert!(body.contains("0 réponse(s) importée(s)"), "{body}");
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
        assert!(refused.body.contains("problème(s) : rien n"));
        assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0);
    }
}
