//! Public pages per territory: `/t/{slug}/...` for each one, the unprefixed addresses as
//! before while there is one territory, and a list and redirects once there are several.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use pouls::needs::{Attendance, DecisionDraft, DecisionStatus, MeetingDraft, MeetingKind};
use pouls::plan::PlanData;
use pouls::storage::{AddTerritory, TerritoryStorage};
use pouls::territory::TerritorySlug;
use pouls_app::{AppState, SiteConfig};
use time::macros::date;
use tower::ServiceExt;

use crate::support::TestApp;

on_both_backends!(
    one_territory_keeps_the_old_addresses,
    several_territories_are_listed_and_the_old_addresses_redirect,
    each_territory_shows_its_own_plan,
    each_territory_shows_its_own_decisions,
    the_default_territory_can_be_chosen,
);

async fn add_example(app: &TestApp) -> TerritoryStorage {
    let plan = PlanData::parse(include_str!("../../docs/plan-example.toml")).expect("plan");
    match app.storage.add_territory(&plan).await.expect("adds") {
        AddTerritory::Added(territory) => app.storage.in_territory(territory.id),
        AddTerritory::SlugTaken => panic!("the example's slug is free"),
    }
}

async fn one_territory_keeps_the_old_addresses(app: TestApp) {
    let f = app.fixture().await;
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains(&format!("href=\"/q/{}\"", f.online)));
    assert!(home.body.contains("href=\"/plan\""));
    assert!(!home.body.contains("/t/"));
    for path in ["/plan", "/plan?phase=1", "/plan/actions/14", "/resultats"] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.body.contains("href=\"/t/"), "{path}");
    }
    // The territory's own addresses work too, and keep their prefix.
    let own = app.get("/t/ccyn/plan").await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains("href=\"/t/ccyn/plan/actions/17\""));
    let home = app.get("/t/ccyn/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains(&format!("href=\"/q/{}\"", f.online)));
    assert!(home.body.contains("href=\"/t/ccyn/resultats\""));
}

async fn several_territories_are_listed_and_the_old_addresses_redirect(app: TestApp) {
    add_example(&app).await;
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("href=\"/t/ccyn/\""), "{}", home.body);
    assert!(home.body.contains("href=\"/t/val-d-exemple/\""));
    assert!(home.body.contains("Communauté de communes du Val d"));
    assert!(home.body.contains("Intercommunalité"));
    for (path, target) in [
        ("/plan", "/t/ccyn/plan"),
        ("/plan?phase=2", "/t/ccyn/plan?phase=2"),
        ("/plan/actions/4", "/t/ccyn/plan/actions/4"),
        ("/resultats", "/t/ccyn/resultats"),
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(page.header("location"), target);
    }
    let unknown = app.get("/t/nope/plan").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("lang=\"fr\""));
    assert!(unknown.body.contains("<h1>Page introuvable</h1>"));
    assert_eq!(app.get("/t/nope/").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/t/Nope!/resultats").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn each_territory_shows_its_own_plan(app: TestApp) {
    add_example(&app).await;
    let ccyn = app.get("/t/ccyn/plan").await;
    assert_eq!(ccyn.status, StatusCode::OK);
    assert_eq!(
        ccyn.body.matches("href=\"/t/ccyn/plan/actions/").count(),
        17
    );
    assert!(!ccyn.body.contains("observatoire partagé"));
    assert!(ccyn.body.contains("href=\"/t/ccyn/resultats\""));
    let example = app.get("/t/val-d-exemple/plan").await;
    assert_eq!(example.status, StatusCode::OK);
    assert_eq!(
        example
            .body
            .matches("href=\"/t/val-d-exemple/plan/actions/")
            .count(),
        3
    );
    assert!(
        example
            .body
            .contains("Créer un observatoire partagé des besoins")
    );
    assert!(!example.body.contains("/t/ccyn/"));
    assert!(!example.body.contains("href=\"/plan"));
    let action = app.get("/t/val-d-exemple/plan/actions/3").await;
    assert_eq!(action.status, StatusCode::OK);
    assert!(
        action
            .body
            .contains("href=\"/t/val-d-exemple/plan/actions/2\"")
    );
    assert!(!action.body.contains("actions/4\""));
    assert_eq!(
        app.get("/t/val-d-exemple/plan/actions/4").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/t/ccyn/plan/actions/4").await.status,
        StatusCode::OK
    );
    // Each territory's pages carry its own name, plan and partner, never the CCYN's.
    for path in [
        "/t/val-d-exemple/",
        "/t/val-d-exemple/plan",
        "/t/val-d-exemple/plan/actions/3",
        "/t/val-d-exemple/resultats",
    ] {
        let body = app.get(path).await.body;
        assert!(
            body.contains("<span class=\"brand-territory\">Communauté de communes du Val d"),
            "{path}"
        );
        assert!(!body.contains("Yonne Nord"), "{path}");
    }
    let home = app.get("/t/val-d-exemple/").await.body;
    assert!(home.contains("un plan de 3 actions"), "{home}");
    assert!(
        home.contains("<li>Mieux connaître les besoins des familles</li>"),
        "{home}"
    );
    let ccyn_home = app.get("/t/ccyn/").await.body;
    assert!(
        ccyn_home.contains("Avec Pouls, Communauté de Communes Yonne Nord écoute ses habitants")
    );
    assert!(ccyn_home.contains("un plan de 17 actions"));
}

async fn each_territory_shows_its_own_decisions(app: TestApp) {
    let example = add_example(&app).await;
    let f = app.fixture().await;
    let meeting = |title: &str| MeetingDraft {
        kind: MeetingKind::Copil,
        title: title.into(),
        theme: None,
        held_on: date!(2026 - 04 - 02),
        place: String::new(),
        notes: String::new(),
        attendance: Attendance {
            invited: [4, 2, 2, 0],
            present: [3, 2, 1, 0],
        },
        agenda: vec![],
    };
    let decision = |what: &str| DecisionDraft {
        action_number: 1,
        need_id: None,
        what: what.into(),
        owner: "Le territoire".into(),
        due_on: None,
        status: DecisionStatus::EnCours,
    };
    for (territory, what) in [
        (&app.territory, "Ouvrir un relais petite enfance"),
        (&example, "Tenir une permanence au marché"),
    ] {
        let id = territory
            .create_meeting(&meeting("COPIL"), &f.admin)
            .await
            .expect("meeting");
        territory
            .add_decision(id, &decision(what), &f.admin)
            .await
            .expect("runs")
            .expect("decision");
    }
    let ccyn = app.get("/t/ccyn/resultats").await;
    assert_eq!(ccyn.status, StatusCode::OK);
    assert!(ccyn.body.contains("Ouvrir un relais petite enfance"));
    assert!(!ccyn.body.contains("Tenir une permanence au marché"));
    let other = app.get("/t/val-d-exemple/resultats").await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(other.body.contains("Tenir une permanence au marché"));
    assert!(!other.body.contains("Ouvrir un relais petite enfance"));
    assert!(
        other
            .body
            .contains("href=\"/t/val-d-exemple/plan/actions/1\"")
    );
}

async fn the_default_territory_can_be_chosen(app: TestApp) {
    let nope = TerritorySlug::parse("nope").expect("slug");
    let refused = pouls_server::check_default_territory(&app.storage, Some(&nope)).await;
    let message = format!("{:#}", refused.expect_err("no such territory"));
    assert!(message.contains("POULS_DEFAULT_TERRITORY"), "{message}");
    assert!(message.contains("ccyn"), "{message}");
    pouls_server::check_default_territory(&app.storage, None)
        .await
        .expect("unset is fine");

    add_example(&app).await;
    let slug = TerritorySlug::parse("val-d-exemple").expect("slug");
    pouls_server::check_default_territory(&app.storage, Some(&slug))
        .await
        .expect("the example exists");
    let site = SiteConfig::new("http://127.0.0.1:3000").with_default_territory(Some(slug));
    let router = pouls_server::build_router(AppState::new(app.storage.clone(), site));
    let request = Request::get("/resultats?x=1")
        .body(Body::empty())
        .expect("valid request");
    let response = router.oneshot(request).await.expect("answers");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/t/val-d-exemple/resultats?x=1")
    );
}
