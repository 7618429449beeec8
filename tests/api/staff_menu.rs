//! The staff menu shows each role what it may open, and only that; each list page links
//! its own export.

use crate::support::{Session, TestApp};
use axum::http::StatusCode;
use pouls::domain::Role;

on_both_backends!(
    the_menu_shows_each_role_what_it_may_open,
    the_menu_marks_the_section_of_the_page,
    list_pages_link_their_export,
);

/// The links of the staff menu on a page.
fn menu(body: &str) -> Vec<String> {
    let nav = body
        .split("class=\"staff-nav\"")
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .expect("a staff menu");
    nav.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

async fn the_menu_shows_each_role_what_it_may_open(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    let every = menu(&app.get_as(&admin, "/admin").await.body);
    for section in [
        "/admin",
        "/admin/enquetes",
        "/admin/plan",
        "/admin/observatoire",
        "/admin/besoins",
        "/admin/remontees",
        "/admin/reunions",
        "/admin/exports",
        "/admin/comptes",
        "/admin/journal",
        "/admin/mon-compte",
    ] {
        assert!(every.iter().any(|l| l == section), "{section} in the menu");
    }
    for role in [Role::Partenaire, Role::Agent, Role::Admin] {
        let session = app.staff(role).await;
        let shown = menu(&app.get_as(&session, "/admin").await.body);
        for link in &every {
            let status = app.get_as(&session, link).await.status;
            if shown.contains(link) {
                assert_eq!(status, StatusCode::OK, "{link} shown to {role}");
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{link} hidden from {role}");
            }
        }
        let admin_only = ["/admin/comptes", "/admin/journal"];
        assert_eq!(
            admin_only.iter().all(|l| shown.iter().any(|s| s == l)),
            role == Role::Admin,
            "{role}"
        );
        assert_eq!(shown.len(), if role == Role::Admin { 11 } else { 9 });
    }
}

/// The links of the menu marked as the current section.
fn current(body: &str) -> Vec<String> {
    let nav = body
        .split("class=\"staff-nav\"")
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .expect("a staff menu");
    nav.split("<a href=\"")
        .skip(1)
        .filter(|a| {
            a.split('>')
                .next()
                .unwrap_or_default()
                .contains("aria-current=\"page\"")
        })
        .filter_map(|a| a.split('"').next())
        .map(str::to_owned)
        .collect()
}

async fn the_menu_marks_the_section_of_the_page(app: TestApp) {
    let f = app.fixture().await;
    let agent = app.staff(Role::Agent).await;
    for (page, section) in [
        ("/admin".to_owned(), "/admin"),
        ("/admin/besoins".to_owned(), "/admin/besoins"),
        (
            format!("/admin/enquetes/{}/resultats", f.survey_id),
            "/admin/enquetes",
        ),
        ("/admin/plan/actions/14".to_owned(), "/admin/plan"),
        ("/admin/indicateurs/A14.1".to_owned(), "/admin/plan"),
        ("/admin/reunions/nouvelle".to_owned(), "/admin/reunions"),
        ("/admin/mon-compte".to_owned(), "/admin/mon-compte"),
    ] {
        let body = app.get_as(&agent, &page).await.body;
        assert_eq!(current(&body), [section], "{page}");
    }
}

/// The links to exports in the page's main content.
async fn exports_of(app: &TestApp, session: &Session, page: &str) -> Vec<String> {
    let body = app.get_as(session, page).await.body;
    // The page's own links, not the menu's.
    body.split("<main")
        .nth(1)
        .unwrap_or_default()
        .split("href=\"/admin/exports")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|rest| format!("/admin/exports{rest}"))
        .collect()
}

async fn list_pages_link_their_export(app: TestApp) {
    app.fixture().await;
    let agent = app.staff(Role::Agent).await;
    let partenaire = app.staff(Role::Partenaire).await;
    for (page, export) in [
        ("/admin/besoins", "/admin/exports/besoins?dialecte=excel"),
        (
            "/admin/remontees",
            "/admin/exports/remontees?dialecte=excel",
        ),
        ("/admin/reunions", "/admin/exports/decisions?dialecte=excel"),
        ("/admin/plan", "/admin/exports/indicateurs?dialecte=excel"),
        ("/admin/enquetes", "/admin/exports#reponses"),
    ] {
        let links = exports_of(&app, &agent, page).await;
        assert!(
            links.iter().any(|l| l == export),
            "{page} links {export}: {links:?}"
        );
        for link in links.iter().filter(|l| !l.contains('#')) {
            let download = app.get_as(&agent, link).await;
            assert_eq!(download.status, StatusCode::OK, "{link}");
            assert!(download.header("content-type").starts_with("text/csv"));
        }
    }
    // A partenaire is offered only what they may download.
    for page in [
        "/admin/besoins",
        "/admin/remontees",
        "/admin/reunions",
        "/admin/plan",
    ] {
        for link in exports_of(&app, &partenaire, page).await {
            let status = app
                .get_as(&partenaire, link.split('#').next().unwrap_or_default())
                .await
                .status;
            assert_eq!(status, StatusCode::OK, "{page} offers {link}");
        }
    }
    assert!(
        exports_of(&app, &partenaire, "/admin/remontees")
            .await
            .is_empty(),
        "others' field reports are not exported for partenaires"
    );
}
