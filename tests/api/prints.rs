//! Pages made for a meeting's paper: the needs board's print version, the meeting report,
//! and the print view of a survey's results (a summary, charts and tables, reviewed
//! quotes only, no controls). The browser suite prints them to PDF.

use crate::review::{item, text_answers};
use crate::support::{Fixture, TestApp, valid_answers};
use axum::http::StatusCode;
use pouls::domain::Role;

on_both_backends!(
    the_results_print_view_has_a_summary_figures_and_reviewed_quotes_only,
    partenaires_print_small_counts_hidden,
    the_board_prints_every_theme_on_a_landscape_page,
);

const THEMES: [&str; 7] = [
    "Petite enfance",
    "Enfance",
    "Jeunesse",
    "Parentalité",
    "Accès aux droits",
    "Santé / handicap",
    "Animation de la vie sociale",
];

/// Reviews answer `n` ("Idée numéro {n}") with `action`, as an agent.
async fn review(app: &TestApp, f: &Fixture, n: usize, action: &str) {
    let agent = app.staff(Role::Agent).await;
    let item = item(app, n).await;
    let response = app
        .post(
            &format!("/admin/enquetes/{}/relecture", f.survey_id),
            Some(&agent),
            &[("choix", &item), ("action", action)],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
}

async fn the_results_print_view_has_a_summary_figures_and_reviewed_quotes_only(app: TestApp) {
    let f = app.fixture().await;
    text_answers(&app, &f, 12).await;
    // Ten reviewed, two of them publishable; two nobody has read.
    for n in 1..=8 {
        review(&app, &f, n, "relue").await;
    }
    for n in [9, 10] {
        review(&app, &f, n, "publiable").await;
    }
    let agent = app.staff(Role::Agent).await;
    let results = app
        .get_as(
            &agent,
            &format!("/admin/enquetes/{}/resultats?commune=sergines", f.survey_id),
        )
        .await;
    let print = format!(
        "/admin/enquetes/{}/resultats/imprimer?commune=sergines",
        f.survey_id
    );
    assert!(
        results
            .body
            .contains(&format!("href=\"{print}\">Version à imprimer</a>")),
        "the results page links its print view, filters kept"
    );
    let page = app.get_as(&agent, &print).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains("<h1>Résultats : Besoins des familles</h1>"));
    assert!(body.contains("<dt>Filtres</dt><dd>commune : Sergines</dd>"));
    assert!(body.contains("<dt>Réponses</dt><dd>12 réponses</dd>"));
    assert!(
        body.contains("toute l&#x27;enquête, du 1er janvier 2026 au 31 décembre 2030")
            || body.contains("toute l'enquête, du 1er janvier 2026 au 31 décembre 2030")
    );
    assert!(
        body.contains("Foire de printemps - stand RPE"),
        "the points"
    );
    let definition = app.definition(f.survey_id).await;
    for question in &definition.questions {
        assert!(
            body.contains(&format!("{} · ", question.code)),
            "{} is printed",
            question.code
        );
    }
    assert!(body.contains("class=\"chart\""));
    assert!(body.contains("<td>Crèche</td>") || body.contains("<td>RPE</td>"));
    // Eight quotes at most, the publishable first; the two unread never.
    let quotes: Vec<&str> = body
        .split("<li><blockquote>")
        .skip(1)
        .filter_map(|rest| rest.split("</blockquote>").next())
        .collect();
    assert_eq!(quotes.len(), 8, "{quotes:?}");
    assert_eq!(&quotes[..2], ["Idée numéro 10", "Idée numéro 9"]);
    assert!(!body.contains("Idée numéro 11<") && !body.contains("Idée numéro 12<"));
    assert!(body.contains("2 autres réponses relues non reproduites."));
    // Paper has no controls.
    for control in ["<form", "<button", "<input", "<select", "<nav"] {
        assert!(!body.contains(control), "no {control} on paper");
    }
    // Dates the wrong way round are said, not printed as zeros.
    let wrong = app
        .get_as(
            &agent,
            &format!(
                "/admin/enquetes/{}/resultats/imprimer?du=2026-06-19&au=2026-06-14",
                f.survey_id
            ),
        )
        .await;
    assert!(
        wrong
            .body
            .contains("La date de fin doit suivre la date de début.")
    );
}

async fn partenaires_print_small_counts_hidden(app: TestApp) {
    let f = app.fixture().await;
    text_answers(&app, &f, 3).await;
    review(&app, &f, 1, "relue").await;
    let mut answers = valid_answers();
    answers.push((
        "Q7",
        "Ma voisine, Mme Martin, n'a plus de solution de garde.",
    ));
    app.answer(&f.online, &answers).await;
    let partenaire = app.staff(Role::Partenaire).await;
    let page = app
        .get_as(
            &partenaire,
            &format!("/admin/enquetes/{}/resultats/imprimer", f.survey_id),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("<dt>Réponses</dt><dd>Moins de 5 réponses</dd>")
    );
    assert!(page.body.contains("<td class=\"number\">&lt; 5</td>"));
    assert!(
        page.body.contains("Idée numéro 1<"),
        "reviewed text printed"
    );
    assert!(!page.body.contains("Mme Martin"), "never one nobody read");
    assert!(!page.body.contains("Idée numéro 2<"));
    assert!(
        page.body
            .contains("les nombres de réponses de 1 à 4 sont affichés")
    );
}

async fn the_board_prints_every_theme_on_a_landscape_page(app: TestApp) {
    let f = app.fixture().await;
    for _ in 0..3 {
        app.answer(&f.online, &valid_answers()).await;
    }
    let agent = app.staff(Role::Agent).await;
    let screen = app.get_as(&agent, "/admin/observatoire?vue=reponses").await;
    assert!(
        screen.body.contains(
            "<abbr title=\"Animation de la vie sociale\" class=\"screen-only\">Vie sociale</abbr>"
        ),
        "a short heading on screen, its full name at hand"
    );
    assert!(
        screen
            .body
            .contains("vue=reponses&amp;impression=1\">Version à imprimer"),
        "the print version keeps what is counted"
    );
    let print = app
        .get_as(&agent, "/admin/observatoire?vue=reponses&impression=1")
        .await;
    assert_eq!(print.status, StatusCode::OK);
    let body = &print.body;
    assert!(body.contains("class=\"landscape-sheet\""));
    assert!(
        body.contains("Compté : Réponses d&#x27;habitants")
            || body.contains("Compté : Réponses d'habitants")
    );
    for theme in THEMES {
        assert!(
            body.contains(&format!(">{theme}</")),
            "{theme} in full on paper"
        );
    }
    assert!(!body.contains("<nav"), "no menu on paper");
    assert!(!body.contains("<form"), "no filters on paper");
    assert!(body.contains(">&lt; 5"), "printed boards hide small counts");

    // The meeting report: the frozen board on its own landscape page.
    let today = pouls::domain::paris::today().to_string();
    let created = app
        .post(
            "/admin/reunions",
            Some(&agent),
            &[
                ("kind", "cotech"),
                ("title", "COTECH petite enfance"),
                ("held_on", &today),
                ("place", "Pont-sur-Yonne"),
            ],
        )
        .await;
    let path = created.header("location").to_owned();
    app.post(&format!("{path}/figer"), Some(&agent), &[]).await;
    let report = app
        .get_as(&agent, &format!("{path}/compte-rendu"))
        .await
        .body;
    let sheet = report
        .split("<section class=\"landscape-sheet\">")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("the board on a landscape sheet");
    assert!(sheet.contains("<table class=\"board\">"));
    for theme in THEMES {
        assert!(
            sheet.contains(&format!(">{theme}</")),
            "{theme} in the report"
        );
    }
}
