//! The review of free-text answers on the results page: 50 a page by review state, those
//! to review first, each answer's own buttons, and what partenaires may list. Bulk changes
//! and attaching to a need are in `review_changes`.

use crate::support::{Fixture, Session, TestApp, valid_answers};
use axum::http::StatusCode;
use pouls::domain::Role;

on_both_backends!(
    free_text_is_listed_fifty_a_page_those_to_review_first,
    one_answer_is_reviewed_by_its_own_button,
    partenaires_list_only_reviewed_answers_and_cannot_review,
);

/// `count` responses at the fixture's online point, each with one free text,
/// "Idée numéro {n}" (n from 1), stored straight through the storage as an import does.
pub async fn text_answers(app: &TestApp, f: &Fixture, count: usize) {
    let definition = app.definition(f.survey_id).await;
    let code = pouls::survey::CollectionCode::parse(&f.online).expect("code");
    let point = app
        .storage
        .point_by_code(&code)
        .await
        .expect("load")
        .expect("point");
    let at = time::OffsetDateTime::now_utc().unix_timestamp() - 3600;
    let batch: Vec<_> = (1..=count)
        .map(|n| {
            let values = pouls::survey::FormValues::from_pairs(
                valid_answers()
                    .into_iter()
                    .filter(|(k, _)| *k != "Q5")
                    .map(|(k, v)| (k.to_owned(), if k == "Q4" { "non" } else { v }.to_owned()))
                    .chain([("Q7".to_owned(), format!("Idée numéro {n}"))]),
            );
            let answers =
                pouls::survey::validate_submission(&definition, &values).expect("valid answers");
            (format!("texte-{n}"), at + n as i64, answers)
        })
        .collect();
    app.storage
        .insert_responses(&definition, &point, &batch)
        .await
        .expect("stored");
}

/// The "response:question" of the answer "Idée numéro {n}".
pub async fn item(app: &TestApp, n: usize) -> String {
    let response = app
        .count(&format!(
            "SELECT response_id FROM answer WHERE value_text = 'Idée numéro {n}'"
        ))
        .await;
    let question = app
        .count(&format!(
            "SELECT question_id FROM answer WHERE value_text = 'Idée numéro {n}'"
        ))
        .await;
    format!("{response}:{question}")
}

pub fn items_on(body: &str) -> usize {
    body.matches("class=\"text-answer\"").count()
}

/// Posts the review form of the results page with these fields.
pub async fn post_review(
    app: &TestApp,
    agent: &Session,
    f: &Fixture,
    fields: &[(&str, &str)],
) -> crate::support::TestResponse {
    app.post(
        &format!("/admin/enquetes/{}/relecture", f.survey_id),
        Some(agent),
        fields,
    )
    .await
}

async fn free_text_is_listed_fifty_a_page_those_to_review_first(app: TestApp) {
    let f = app.fixture().await;
    text_answers(&app, &f, 120).await;
    let agent = app.staff(Role::Agent).await;
    let results = format!("/admin/enquetes/{}/resultats", f.survey_id);
    // Two answers are reviewed already: they come after the 118 to review.
    for n in [119, 120] {
        let item = item(&app, n).await;
        let une = format!("relue:{item}");
        post_review(&app, &agent, &f, &[("une", &une)]).await;
    }

    let page = app
        .get_as(&agent, &format!("{results}?commune=sergines"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(items_on(&page.body), 50, "50 a page");
    assert!(page.body.contains("Page 1 sur 3"));
    assert!(
        page.body
            .contains("aria-current=\"page\">À relire (118)</a>")
    );
    assert!(page.body.contains(">Relues (2)</a>"));
    assert!(page.body.contains(">Toutes (120)</a>"));
    assert!(page.body.contains("Idée numéro 118<"), "newest first");
    assert!(
        !page.body.contains("Idée numéro 120<"),
        "reviewed ones not listed"
    );
    assert!(
        page.body.contains(&format!(
            "href=\"{results}?commune=sergines&amp;relecture=a-relire&amp;page=2#reponses-libres\" rel=\"next\">Page suivante</a>"
        )),
        "the next page keeps the filters"
    );

    let last = app
        .get_as(
            &agent,
            &format!("{results}?commune=sergines&relecture=a-relire&page=3"),
        )
        .await;
    assert!(last.body.contains("Page 3 sur 3"));
    assert_eq!(items_on(&last.body), 18);
    assert!(last.body.contains("Idée numéro 1<"));
    assert!(last.body.contains("rel=\"prev\">Page précédente</a>"));
    assert!(!last.body.contains("Page suivante"));
    // Past the end: the last page.
    let beyond = app
        .get_as(&agent, &format!("{results}?relecture=a-relire&page=99"))
        .await;
    assert!(beyond.body.contains("Page 3 sur 3"));

    let all = app
        .get_as(&agent, &format!("{results}?relecture=toutes&page=3"))
        .await;
    assert_eq!(items_on(&all.body), 20);
    assert!(
        all.body.contains("Idée numéro 120<") && all.body.contains("Idée numéro 119<"),
        "with every answer, the reviewed ones come last"
    );
    let reviewed = app
        .get_as(&agent, &format!("{results}?relecture=relues"))
        .await;
    assert_eq!(items_on(&reviewed.body), 2);
    assert!(!reviewed.body.contains("Page 1 sur"), "one page, no pager");
    // Another commune has none of these answers.
    let none = app
        .get_as(&agent, &format!("{results}?commune=michery"))
        .await;
    assert!(none.body.contains("Aucune réponse libre à afficher."));
}

async fn one_answer_is_reviewed_by_its_own_button(app: TestApp) {
    let f = app.fixture().await;
    let mut answers = valid_answers();
    answers.push(("Q7", "Plus d'animations <b>pour les ados</b> le samedi"));
    app.answer(&f.online, &answers).await;
    let agent = app.staff(Role::Agent).await;
    let results = format!("/admin/enquetes/{}/resultats", f.survey_id);
    let page = app.get_as(&agent, &results).await;
    assert!(
        page.body
            .contains("Plus d'animations &lt;b&gt;pour les ados&lt;/b&gt; le samedi")
            || page
                .body
                .contains("Plus d&#x27;animations &lt;b&gt;pour les ados&lt;/b&gt; le samedi"),
        "escaped"
    );
    let response = app.count("SELECT id FROM response").await;
    let question = app
        .count("SELECT question_id FROM answer WHERE value_text LIKE 'Plus%'")
        .await;
    let une = format!("publiable:{response}:{question}");
    assert!(
        page.body.contains(&format!(
            "name=\"une\" value=\"{une}\" class=\"secondary\">Publier"
        )),
        "each answer has its own buttons"
    );
    let back = format!("{results}?relecture=toutes");
    let reviewed = post_review(&app, &agent, &f, &[("une", &une), ("retour", &back)]).await;
    assert_eq!(reviewed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reviewed.header("location"),
        format!("{back}#reponses-libres")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM text_review WHERE reviewed AND publishable")
            .await,
        1
    );
    assert!(
        app.get_as(&agent, &back)
            .await
            .body
            .contains("Relue, publiable")
    );
    // A return address elsewhere is not followed.
    let elsewhere = post_review(
        &app,
        &agent,
        &f,
        &[
            ("une", &format!("relue:{response}:{question}")),
            ("retour", "https://evil.example/"),
        ],
    )
    .await;
    assert_eq!(
        elsewhere.header("location"),
        format!("{results}#reponses-libres")
    );
    // An answer to another survey's question, or a made-up action: not found.
    let refused = app
        .post(
            "/admin/enquetes/999999/relecture",
            Some(&agent),
            &[("une", &une)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let made_up = format!("effacer:{response}:{question}");
    assert_eq!(
        post_review(&app, &agent, &f, &[("une", &made_up)])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn partenaires_list_only_reviewed_answers_and_cannot_review(app: TestApp) {
    let f = app.fixture().await;
    text_answers(&app, &f, 7).await;
    let agent = app.staff(Role::Agent).await;
    let (one, two) = (item(&app, 1).await, item(&app, 2).await);
    post_review(
        &app,
        &agent,
        &f,
        &[("choix", &one), ("action", "publiable")],
    )
    .await;
    post_review(&app, &agent, &f, &[("choix", &two), ("action", "relue")]).await;
    let partenaire = app.staff(Role::Partenaire).await;
    let results = format!("/admin/enquetes/{}/resultats", f.survey_id);
    for path in [
        results.clone(),
        format!("{results}?relecture=a-relire"),
        format!("{results}?relecture=toutes"),
    ] {
        let page = app.get_as(&partenaire, &path).await;
        assert_eq!(items_on(&page.body), 2, "{path}");
        assert!(page.body.contains("Idée numéro 1<") && page.body.contains("Idée numéro 2<"));
        assert!(
            !page.body.contains("Idée numéro 3<"),
            "never one nobody read"
        );
        assert!(
            !page.body.contains("À relire ("),
            "no list of answers to review"
        );
        assert!(!page.body.contains("name=\"choix\""));
        assert!(!page.body.contains("/relecture\""), "no review form");
    }
    let publishable = app
        .get_as(&partenaire, &format!("{results}?relecture=publiables"))
        .await;
    assert_eq!(items_on(&publishable.body), 1);
    let refused = app
        .post(
            &format!("/admin/enquetes/{}/relecture", f.survey_id),
            Some(&partenaire),
            &[("choix", &item(&app, 3).await), ("action", "publiable")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM text_review").await, 2);
}
