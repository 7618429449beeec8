//! Words on the screen: drafts that promise no opening day, counts that agree with their
//! words ("1 compte", "2 comptes"), on both backends.

use crate::support::TestApp;
use axum::http::StatusCode;
use pouls::domain::Role;
use pouls::survey::{SurveyDraft, SurveyInput};

on_both_backends!(
    a_draft_never_promises_to_open_by_itself,
    counts_agree_with_their_words,
);

async fn a_draft_never_promises_to_open_by_itself(app: TestApp) {
    let f = app.fixture().await;
    let draft = SurveyDraft::parse(
        &SurveyInput {
            title: "Fête de la famille".into(),
            intro: "Votre avis.".into(),
            actions: vec!["2".into()],
            opens_on: "2099-12-01".into(),
            closes_on: "2099-12-31".into(),
            ..SurveyInput::default()
        },
        &[],
    )
    .expect("valid");
    let id = app
        .territory
        .create_survey(&draft, &f.admin)
        .await
        .expect("draft");
    let online = app.territory.points(id).await.expect("points")[0]
        .code
        .to_string();
    let page = app.get(&format!("/q/{online}")).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(
        page.body.contains("Brouillon : ouvrez-le depuis l&#x27;espace agents quand il est prêt ; ouverture prévue le 1er décembre 2099.")
            || page.body.contains("Brouillon : ouvrez-le depuis l'espace agents quand il est prêt ; ouverture prévue le 1er décembre 2099."),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Il le sera à partir du"));
    let agent = app.staff(Role::Agent).await;
    let detail = app.get_as(&agent, &format!("/admin/enquetes/{id}")).await;
    assert!(
        detail.body.contains(
            "Brouillon : ouvrez-le quand il est prêt ; ouverture prévue le 1er décembre 2099."
        ),
        "{}",
        detail.body
    );
    // An open survey says nothing of the kind.
    let open = app
        .get_as(&agent, &format!("/admin/enquetes/{}", f.survey_id))
        .await;
    assert!(!open.body.contains("Brouillon :"));
}

async fn counts_agree_with_their_words(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    let accounts = app.get_as(&admin, "/admin/comptes").await;
    assert!(
        accounts.body.contains("<caption>1 compte</caption>"),
        "{}",
        accounts.body
    );
    app.staff(Role::Agent).await;
    let accounts = app.get_as(&admin, "/admin/comptes").await;
    assert!(accounts.body.contains("<caption>2 comptes</caption>"));
    let today = pouls::domain::paris::today().to_string();
    for people in ["1", "1200"] {
        let filed = app
            .post(
                "/admin/remontees",
                Some(&admin),
                &[
                    ("organisation", "france_services"),
                    ("commune", "sergines"),
                    ("themes", "acces-aux-droits"),
                    (
                        "observed",
                        "Des familles sans transport vers la CAF de Sens.",
                    ),
                    ("people_count", people),
                    ("observed_on", &today),
                ],
            )
            .await;
        assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    }
    let reports = app.get_as(&admin, "/admin/remontees").await;
    assert!(
        reports.body.contains(" · 1 personne concernée"),
        "{}",
        reports.body
    );
    assert!(
        reports
            .body
            .contains(" · 1\u{202f}200 personnes concernées")
    );
    assert!(!reports.body.contains("(s)"));
}
