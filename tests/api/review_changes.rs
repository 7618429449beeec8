//! Changes made from the review list: bulk publishing, marking and hiding in one
//! transaction, and attaching an answer to a need only once one is chosen.

use crate::review::{item, post_review, text_answers};
use crate::support::TestApp;
use axum::http::StatusCode;
use pouls::domain::Role;

on_both_backends!(
    bulk_changes_apply_to_every_checked_answer_at_once,
    an_answer_is_attached_only_to_a_need_chosen,
);

async fn bulk_changes_apply_to_every_checked_answer_at_once(app: TestApp) {
    let f = app.fixture().await;
    text_answers(&app, &f, 6).await;
    let agent = app.staff(Role::Agent).await;
    let results = format!("/admin/enquetes/{}/resultats", f.survey_id);
    let page = app.get_as(&agent, &results).await;
    assert_eq!(
        page.body.matches("<form method=\"post\"").count(),
        2,
        "one form around the list, besides the logout: {}",
        page.body
    );
    assert!(page.body.contains("name=\"choix\""));
    for label in [
        "Marquer relues",
        "Publier",
        "Masquer du public",
        "Remettre à relire",
    ] {
        assert!(
            page.body.contains(&format!(
                "name=\"action\" value=\"{}\" class=\"secondary\">{label}</button>",
                match label {
                    "Marquer relues" => "relue",
                    "Publier" => "publiable",
                    "Masquer du public" => "masquee",
                    _ => "a-relire",
                }
            )),
            "{label}"
        );
    }
    let (one, two, three) = (
        item(&app, 1).await,
        item(&app, 2).await,
        item(&app, 3).await,
    );
    let back = format!("{results}?relecture=a-relire");
    let published = post_review(
        &app,
        &agent,
        &f,
        &[
            ("choix", &one),
            ("choix", &two),
            ("choix", &three),
            ("action", "publiable"),
            ("retour", &back),
        ],
    )
    .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    assert_eq!(
        published.header("location"),
        format!("{back}#reponses-libres")
    );
    let state = |n: usize| {
        let app = &app;
        async move {
            let reviewed = app
                .count(&format!("SELECT COUNT(*) FROM text_review t JOIN answer a ON a.response_id = t.response_id AND a.question_id = t.question_id WHERE t.reviewed AND a.value_text = 'Idée numéro {n}'"))
                .await;
            let publishable = app
                .count(&format!("SELECT COUNT(*) FROM text_review t JOIN answer a ON a.response_id = t.response_id AND a.question_id = t.question_id WHERE t.publishable AND a.value_text = 'Idée numéro {n}'"))
                .await;
            (reviewed == 1, publishable == 1)
        }
    };
    for n in 1..=3 {
        assert_eq!(state(n).await, (true, true), "answer {n} published");
    }
    assert_eq!(
        state(4).await,
        (false, false),
        "unchecked answers untouched"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'text_reviewed' AND detail = 'relue, publiable'")
            .await,
        3,
        "each change in the audit log"
    );
    let page = app.get_as(&agent, &results).await;
    assert!(page.body.contains(">Publiables (3)</a>"));
    assert!(page.body.contains("aria-current=\"page\">À relire (3)</a>"));

    // Marking reviewed keeps the publishable ones publishable; hiding takes them out.
    let four = item(&app, 4).await;
    post_review(
        &app,
        &agent,
        &f,
        &[("choix", &one), ("choix", &four), ("action", "relue")],
    )
    .await;
    assert_eq!(state(1).await, (true, true));
    assert_eq!(state(4).await, (true, false));
    post_review(
        &app,
        &agent,
        &f,
        &[("choix", &one), ("choix", &two), ("action", "masquee")],
    )
    .await;
    assert_eq!(
        (state(1).await, state(2).await),
        ((true, false), (true, false))
    );
    assert_eq!(state(3).await, (true, true));
    post_review(
        &app,
        &agent,
        &f,
        &[("choix", &three), ("action", "a-relire")],
    )
    .await;
    assert_eq!(state(3).await, (false, false));

    // One answer of another survey in the selection: nothing changes at all.
    let other = app
        .count("SELECT a.response_id FROM answer a WHERE a.value_text IS NULL LIMIT 1")
        .await;
    let foreign = format!("{other}:999999");
    let refused = post_review(
        &app,
        &agent,
        &f,
        &[
            ("choix", &four),
            ("choix", &foreign),
            ("action", "publiable"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(state(4).await, (true, false), "rolled back");

    // Nothing checked, or no action: the page again, with a French message.
    let empty = post_review(
        &app,
        &agent,
        &f,
        &[("action", "publiable"), ("retour", &back)],
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Cochez au moins une réponse."));
    assert!(
        empty.body.contains("href=\"#champ-choix\""),
        "the summary links to the list"
    );
    assert!(empty.body.contains("aria-describedby=\"choix-erreur\""));
    assert!(
        empty.body.contains("Idée numéro 6<"),
        "the list is still there"
    );
    let no_action = post_review(&app, &agent, &f, &[("choix", &four)]).await;
    assert_eq!(no_action.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_action
            .body
            .contains("Choisissez ce qu&#x27;il faut faire des réponses cochées.")
            || no_action
                .body
                .contains("Choisissez ce qu'il faut faire des réponses cochées.")
    );
}

async fn an_answer_is_attached_only_to_a_need_chosen(app: TestApp) {
    let f = app.fixture().await;
    text_answers(&app, &f, 2).await;
    for title in ["Places en crèche", "Transport le samedi"] {
        let draft = pouls::needs::NeedDraft {
            title: title.into(),
            description: "Constat.".into(),
            theme: "petite-enfance".into(),
            communes: vec!["sergines".into()],
            publics: vec![],
        };
        app.territory
            .create_need(&draft, &[], &f.admin)
            .await
            .expect("need");
    }
    let agent = app.staff(Role::Agent).await;
    let results = format!("/admin/enquetes/{}/resultats", f.survey_id);
    let page = app.get_as(&agent, &results).await;
    let item = item(&app, 1).await;
    let field = format!("besoin-{}", item.replace(':', "-"));
    let select = page
        .body
        .split(&format!("name=\"{field}\""))
        .nth(1)
        .and_then(|rest| rest.split("</select>").next())
        .expect("a need list beside the answer")
        .to_owned();
    assert!(
        select.contains("><option value=\"\">Choisissez un besoin</option>"),
        "an empty choice first: {select}"
    );
    assert!(!select.contains("selected"), "no need chosen in advance");
    assert!(select.contains(">Places en crèche</option>"));

    let attach = format!("/admin/enquetes/{}/rattacher", f.survey_id);
    let back = format!("{results}?relecture=a-relire");
    let empty = app
        .post(
            &attach,
            Some(&agent),
            &[("source", &item), (field.as_str(), ""), ("retour", &back)],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty
            .body
            .contains("Choisissez le besoin auquel rattacher cette réponse.")
    );
    let id = format!("champ-{field}");
    assert!(
        empty
            .body
            .contains(&format!("<p id=\"{id}-erreur\" class=\"error-message\">")),
        "the message next to the list"
    );
    assert!(
        empty
            .body
            .contains(&format!("aria-describedby=\"{id}-erreur\""))
    );
    assert!(empty.body.contains(&format!("href=\"#{id}\"")));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM need_source").await,
        0,
        "nothing attached"
    );

    let need = app
        .count("SELECT id FROM need WHERE title = 'Transport le samedi'")
        .await
        .to_string();
    let attached = app
        .post(
            &attach,
            Some(&agent),
            &[
                ("source", &item),
                (field.as_str(), &need),
                ("retour", &back),
            ],
        )
        .await;
    assert_eq!(attached.status, StatusCode::SEE_OTHER);
    assert!(attached.header("location").starts_with(&back));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM need_source WHERE need_id = {need} AND response_id IS NOT NULL"
        ))
        .await,
        1
    );
    let twice = app
        .post(
            &attach,
            Some(&agent),
            &[("source", &item), (field.as_str(), &need)],
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        twice
            .body
            .contains("Cette réponse est déjà rattachée à ce besoin.")
    );
    let unknown = app
        .post(
            &attach,
            Some(&agent),
            &[("source", &item), (field.as_str(), "999999")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("SELECT COUNT(*) FROM need_source").await, 1);
}
