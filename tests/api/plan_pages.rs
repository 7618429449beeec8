//! The public plan pages, as a visitor sees them.

use crate::support::TestApp;
use axum::http::StatusCode;

on_both_backends!(
    home_presents_the_platform_and_links_to_the_plan,
    plan_shows_the_four_ambitions_and_seventeen_actions,
    plan_filters_by_phase_with_plain_links,
    action_14_lists_its_five_indicators_in_the_fiche_wording,
    action_16_lists_its_two_indicators,
    action_page_shows_the_whole_fiche,
    unknown_actions_and_pages_get_a_french_404,
    accessibility_statement_is_linked_from_every_page,
    healthz_answers_ok,
    stylesheet_is_served_with_a_long_cache,
);

/// Every page is French, has exactly one `h1` and the landmarks.
fn assert_page_structure(body: &str) {
    assert!(body.starts_with("<!DOCTYPE html><html lang=\"fr\">"));
    assert_eq!(body.matches("<h1").count(), 1, "exactly one h1");
    for landmark in ["<header", "<main", "<footer", "<nav"] {
        assert!(body.contains(landmark), "missing {landmark}");
    }
    assert!(!body.contains("<script"), "pages need no script");
}

async fn home_presents_the_platform_and_links_to_the_plan(app: TestApp) {
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_page_structure(&page.body);
    assert!(page.body.contains("Communauté de Communes Yonne Nord"));
    assert!(page.body.contains("href=\"/plan\""));
}

async fn plan_shows_the_four_ambitions_and_seventeen_actions(app: TestApp) {
    let page = app.get("/plan").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_page_structure(&page.body);
    for ambition in [
        "Ambition 1 : Renforcer la cohésion sociale et l'animation de la vie locale",
        "Ambition 2 : Faciliter l'accès aux droits, aux services et à l'information",
        "Ambition 3 : Structurer la dynamique partenariale et renforcer la coopération territoriale",
        "Ambition 4 : Renforcer la connaissance des besoins du territoire",
    ] {
        assert!(page.body.contains(ambition), "missing {ambition}");
    }
    for number in 1..=17 {
        assert!(
            page.body
                .contains(&format!("href=\"/plan/actions/{number}\"")),
            "missing action {number}"
        );
    }
    assert!(
        page.body.contains("Renforcement du lien social"),
        "impacts shown"
    );
    assert!(page.body.contains("Phase 1 : fonder et structurer"));
    assert!(
        page.body
            .contains("Phase 3 : consolider, prévenir et sécuriser")
    );
    assert_eq!(page.body.matches("class=\"action-card\"").count(), 17);
    assert_eq!(page.body.matches("<h3>Orientation : ").count(), 12);
}

async fn plan_filters_by_phase_with_plain_links(app: TestApp) {
    let page = app.get("/plan?phase=1").await;
    assert_eq!(page.status, StatusCode::OK);
    let listed: Vec<u32> = (1..=17)
        .filter(|n| page.body.contains(&format!("href=\"/plan/actions/{n}\"")))
        .collect();
    assert_eq!(listed, [5, 8, 11, 14, 16, 17]);
    assert!(
        page.body
            .contains("<a href=\"/plan?phase=1\" aria-current=\"page\">")
    );

    let page = app.get("/plan?phase=3").await;
    let listed: Vec<u32> = (1..=17)
        .filter(|n| page.body.contains(&format!("href=\"/plan/actions/{n}\"")))
        .collect();
    assert_eq!(listed, [9, 10, 12, 13]);
    assert!(
        !page.body.contains("Ambition 1 :"),
        "ambition 1 has no phase 3 action"
    );

    assert_eq!(app.get("/plan?phase=7").await.status, StatusCode::NOT_FOUND);
}

async fn action_14_lists_its_five_indicators_in_the_fiche_wording(app: TestApp) {
    let page = app.get("/plan/actions/14").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_page_structure(&page.body);
    assert!(page.body.contains(
        "<h1>Action 14 : Mettre en place et animer un dispositif territorial partagé d'observation des besoins</h1>"
    ));
    for (code, label) in [
        ("A14.1", "Nombre d'outils de recueil déployés et utilisés."),
        (
            "A14.2",
            "Nombre de contributions issues des professionnels de première ligne.",
        ),
        (
            "A14.3",
            "Fréquence des temps de partage et d'analyse organisés.",
        ),
        (
            "A14.4",
            "Nombre d'actions ajustées à partir des constats partagés.",
        ),
        (
            "A14.5",
            "Niveau d'appropriation de la méthodologie par les acteurs (participation, usages).",
        ),
    ] {
        assert!(
            page.body
                .contains(&format!("<td>{code}</td><td>{label}</td>")),
            "missing {code}"
        );
    }
    assert!(!page.body.contains("A14.6"));
    // The table scrolls sideways on a phone: its box is a named region the keyboard reaches.
    assert!(
        page.body
            .contains("tabindex=\"0\" role=\"region\" aria-label=\"Indicateurs d"),
        "{}",
        page.body
    );
}

async fn action_16_lists_its_two_indicators(app: TestApp) {
    let page = app.get("/plan/actions/16").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<td>A16.1</td>"));
    assert!(page.body.contains("<td>A16.2</td>"));
    assert!(!page.body.contains("<td>A16.3</td>"));
    assert!(
        page.body
            .contains("Taux de participation des élus, partenaires et habitants")
    );
}

async fn action_page_shows_the_whole_fiche(app: TestApp) {
    let page = app.get("/plan/actions/3").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("aria-label=\"Fil d'Ariane\""));
    assert!(
        page.body
            .contains("<li aria-current=\"page\">Action 3</li>")
    );
    for heading in [
        "Indicateurs d'évaluation",
        "Finalité",
        "Diagnostic initial et enjeux",
        "Objectifs opérationnels",
        "Publics cibles",
        "Modalités de mise en œuvre",
        "Services mobilisés",
        "Partenaires",
        "Résultats attendus",
    ] {
        assert!(
            page.body.contains(&format!("<h2>{heading}</h2>")),
            "missing {heading}"
        );
    }
    assert!(page.body.contains("Phase 2 : déployer et aller vers"));
    assert!(page.body.contains("Ambition 1 : "));
    assert!(
        page.body
            .contains("Favoriser le pouvoir d'agir des habitants")
    );
}

async fn unknown_actions_and_pages_get_a_french_404(app: TestApp) {
    for path in [
        "/plan/actions/18",
        "/plan/actions/0",
        "/plan/actions/abc",
        "/plan/actions/-1",
        "/nulle-part",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.body.contains("<h1>Page introuvable</h1>"), "{path}");
        assert!(page.body.contains("href=\"/\""), "{path} links home");
        assert!(page.body.contains("lang=\"fr\""));
    }
}

async fn accessibility_statement_is_linked_from_every_page(app: TestApp) {
    let page = app.get("/accessibilite").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_page_structure(&page.body);
    assert!(page.body.contains("non conforme"));
    assert!(page.body.contains("Défenseur des droits"));
    for path in [
        "/",
        "/plan",
        "/plan/actions/1",
        "/accessibilite",
        "/inconnue",
    ] {
        let page = app.get(path).await;
        assert!(
            page.body
                .contains("<a href=\"/accessibilite\">Accessibilité : non conforme</a>"),
            "{path} footer"
        );
    }
}

async fn healthz_answers_ok(app: TestApp) {
    let response = app.get("/healthz").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.body, "ok");
    app.storage.close().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
}

async fn stylesheet_is_served_with_a_long_cache(app: TestApp) {
    let page = app.get("/").await;
    let href = page
        .body
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a stylesheet link");
    let css = app.get(href).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.header("content-type").starts_with("text/css"));
    assert!(css.header("cache-control").contains("immutable"));
    assert!(css.body.contains("@media print"));
    assert_eq!(
        app.get("/style/old.css").await.status,
        StatusCode::NOT_FOUND
    );
}
