//! `/resultats` closes the loop: what was said (the main shares of each question, nothing
//! under 5 shown or deducible), the need that came out of it, and the decision next to
//! the need and the words it answers; the action page links to both.

use crate::support::{Fixture, TestApp, valid_answers};
use axum::http::StatusCode;
use pouls::domain::{Role, paris};
use pouls::storage::NewSource;

on_both_backends!(
    the_loop_shows_what_was_said_the_need_and_its_decision,
    small_choices_are_never_detailed_nor_deducible,
    the_action_page_links_its_surveys_and_decisions,
);

/// Twelve answers to Q1: Crèche ×7, RPE ×5 (two of them with a free text, one published);
/// a need built on the free texts, decided on at a COTECH (action 15).
async fn the_loop(app: &TestApp) -> (Fixture, i64) {
    let f = app.fixture().await;
    for (option, times) in [("O1", 7), ("O2", 3)] {
        for _ in 0..times {
            let answers: Vec<(&str, &str)> = valid_answers()
                .into_iter()
                .map(|(q, v)| if q == "Q1" { (q, option) } else { (q, v) })
                .collect();
            assert_eq!(
                app.answer(&f.online, &answers).await.status,
                StatusCode::SEE_OTHER
            );
        }
    }
    let question: i64 = app.count("SELECT id FROM question WHERE code = 'Q7'").await;
    let mut texts = Vec::new();
    for text in [
        "Plus de places en crèche à Sergines",
        "Un secret à ne pas publier",
    ] {
        let mut answers = valid_answers();
        answers.push(("Q7", text));
        app.answer(&f.online, &answers).await;
        texts.push(app.count("SELECT MAX(id) FROM response").await);
    }
    app.territory
        .review_text(texts[0], question, true, true, &f.admin)
        .await
        .expect("review");
    let draft = pouls::needs::NeedDraft {
        title: "Places d'accueil du jeune enfant".into(),
        description: "Des familles de Sergines sans solution de garde.".into(),
        theme: "petite-enfance".into(),
        communes: vec!["sergines".into()],
        publics: vec![],
    };
    let need = app
        .territory
        .create_need(
            &draft,
            &[
                NewSource::Answer {
                    response_id: texts[0],
                    question_id: question,
                },
                NewSource::Answer {
                    response_id: texts[1],
                    question_id: question,
                },
            ],
            &f.admin,
        )
        .await
        .expect("need");
    let agent = app.staff(Role::Agent).await;
    let today = paris::today().to_string();
    let meeting = app
        .post(
            "/admin/reunions",
            Some(&agent),
            &[
                ("kind", "cotech"),
                ("title", "COTECH petite enfance"),
                ("held_on", &today),
                ("agenda", &need.to_string()),
            ],
        )
        .await;
    let decided = app
        .post(
            &format!("{}/decisions", meeting.header("location")),
            Some(&agent),
            &[
                ("action", "15"),
                ("need", &need.to_string()),
                ("what", "Étudier une micro-crèche à Sergines"),
                ("owner", "Service petite enfance"),
                ("status", "en_cours"),
            ],
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
    (f, need)
}

fn section<'a>(body: &'a str, id: &str) -> &'a str {
    body.split(&format!("id=\"{id}\""))
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .unwrap_or_else(|| panic!("no section {id}"))
}

/// The block of a question in a survey's section.
fn question<'a>(survey: &'a str, label: &str) -> &'a str {
    survey
        .split(&format!("<h4>{label}</h4>"))
        .nth(1)
        .and_then(|rest| rest.split("<div class=\"heard\">").next())
        .unwrap_or_else(|| panic!("no question {label}"))
}

async fn the_loop_shows_what_was_said_the_need_and_its_decision(app: TestApp) {
    let (f, _) = the_loop(&app).await;
    let page = app.get("/resultats").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("<li><a href=\"/resultats\">Résultats</a></li>"),
        "in the public menu"
    );
    let survey = section(&page.body, &format!("enquete-{}", f.survey_id));
    assert!(survey.contains("12 réponses"));
    let q1 = question(survey, "Quel service utilisez-vous le plus ?");
    assert!(q1.contains("12 réponses à cette question"), "{q1}");
    assert!(q1.contains("Crèche : <strong>58 %</strong>"), "{q1}");
    assert!(q1.contains("RPE : <strong>42 %</strong>"), "{q1}");
    assert!(!q1.contains("Accueil de loisirs"), "nobody chose it");
    assert!(survey.contains("Plus de places en crèche à Sergines"));
    assert!(!page.body.contains("secret"), "never unpublished text");
    assert!(
        survey
            .contains("<a href=\"#action-15\">Places d&#x27;accueil du jeune enfant</a> (signalé)")
            || survey
                .contains("<a href=\"#action-15\">Places d'accueil du jeune enfant</a> (signalé)"),
        "the need that came out of it: {survey}"
    );

    let action = section(&page.body, "action-15");
    let need = action
        .split("<div class=\"loop\">")
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .expect("the need and its decision");
    assert!(need.contains("Places d"), "{need}");
    assert!(
        need.contains("Plus de places en crèche à Sergines"),
        "the words it answers"
    );
    assert!(
        need.contains("Étudier une micro-crèche à Sergines : <strong>En cours</strong>"),
        "{need}"
    );
    assert!(action.contains(&format!("href=\"#enquete-{}\"", f.survey_id)));
    assert!(action.contains("href=\"/plan/actions/15\""));
    let sergines = section(&page.body, "commune-sergines");
    assert!(sergines.contains("Étudier une micro-crèche à Sergines"));
}

async fn small_choices_are_never_detailed_nor_deducible(app: TestApp) {
    let f = app.fixture().await;
    // 3 Crèche, 12 RPE, 30 Accueil de loisirs: listing RPE and Accueil would leave 3.
    for (option, times) in [("O1", 3), ("O2", 12), ("O3", 30)] {
        let batch: Vec<(&str, &str)> = valid_answers()
            .into_iter()
            .map(|(q, v)| if q == "Q1" { (q, option) } else { (q, v) })
            .collect();
        for _ in 0..times {
            app.answer(&f.online, &batch).await;
        }
    }
    let page = app.get("/resultats").await;
    let q1 = question(
        section(&page.body, &format!("enquete-{}", f.survey_id)),
        "Quel service utilisez-vous le plus ?",
    );
    assert!(
        q1.contains("Accueil de loisirs : <strong>67 %</strong>"),
        "{q1}"
    );
    assert!(
        !q1.contains("RPE"),
        "RPE joins the 3 others so that they are 15: {q1}"
    );
    assert!(
        q1.contains("Autres réponses : <strong>33 %</strong>"),
        "{q1}"
    );
    assert!(!q1.contains("Crèche"));
    // A multiple choice: each option on its own, the small ones left out.
    let q2 = question(
        section(&page.body, &format!("enquete-{}", f.survey_id)),
        "Qu'est-ce qui vous manque ?",
    );
    assert!(q2.contains("Plusieurs réponses possibles"), "{q2}");
}

async fn the_action_page_links_its_surveys_and_decisions(app: TestApp) {
    let (f, _) = the_loop(&app).await;
    let page = app.get("/plan/actions/15").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!(
        "<a href=\"/resultats#enquete-{}\">Besoins des familles</a> : 12 réponses",
        f.survey_id
    )));
    let decisions = page
        .body
        .split("id=\"decisions\"")
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .expect("decisions");
    assert!(decisions.contains("Étudier une micro-crèche à Sergines : <strong>En cours</strong>"));
    assert!(
        decisions.contains("En réponse au besoin « Places d"),
        "{decisions}"
    );
    assert!(page.body.contains("href=\"/resultats#action-15\""));
}
