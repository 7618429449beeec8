//! Walks every staff route the router knows and checks who gets in. A route added without
//! the right role fails here.

use crate::support::TestApp;
use axum::http::{Method, StatusCode};
use pouls::domain::Role;

on_both_backends!(every_staff_route_refuses_who_it_must);

/// A concrete path for a route pattern: each `{param}` becomes an id that exists.
fn concrete(path: &str, id: i64) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                id.to_string()
            } else {
                segment.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn every_staff_route_refuses_who_it_must(app: TestApp) {
    let routes = pouls_app::staff::routes();
    let routes = routes.routes();
    assert!(routes.len() >= 10, "the walk sees the staff routes");
    assert!(
        routes
            .iter()
            .any(|r| r.path == "/admin/comptes" && r.role == Role::Admin),
        "accounts are admin-only"
    );
    // Lecteurs (and so partenaires) read needs, meetings and decisions; every change to
    // them is an agent's.
    let declared = |method: Method, path: &str| {
        routes
            .iter()
            .find(|r| r.method == method && r.path == path)
            .map(|r| r.role)
    };
    for path in [
        "/admin/besoins",
        "/admin/besoins/{id}",
        "/admin/reunions",
        "/admin/reunions/{id}",
        "/admin/exports",
    ] {
        assert_eq!(
            declared(Method::GET, path),
            Some(Role::Lecteur),
            "GET {path}"
        );
    }
    for path in [
        "/admin/besoins",
        "/admin/besoins/{id}",
        "/admin/besoins/{id}/statut",
        "/admin/reunions",
        "/admin/reunions/{id}",
        "/admin/reunions/{id}/decisions",
        "/admin/decisions/{id}/etat",
    ] {
        assert_eq!(
            declared(Method::POST, path),
            Some(Role::Agent),
            "POST {path}"
        );
    }
    for path in [
        "/admin/besoins/nouveau",
        "/admin/reunions/nouvelle",
        "/admin/reunions/{id}/compte-rendu",
    ] {
        assert_eq!(declared(Method::GET, path), Some(Role::Agent), "GET {path}");
    }
    let target = app.create_user("cible@ccyn.fr", Role::Agent).await;
    let sessions = [
        (Role::Lecteur, app.staff(Role::Lecteur).await),
        (Role::Partenaire, app.staff(Role::Partenaire).await),
        (Role::Agent, app.staff(Role::Agent).await),
        (Role::Admin, app.staff(Role::Admin).await),
    ];

    for route in routes {
        let path = concrete(route.path, target);
        let is_get = route.method == Method::GET;

        // Anonymous: GETs go to the login page and come back, the rest is 401.
        let anonymous = if is_get {
            app.get(&path).await
        } else {
            app.post(&path, None, &[]).await
        };
        if is_get {
            assert_eq!(
                anonymous.status,
                StatusCode::SEE_OTHER,
                "GET {path} anonymous"
            );
            assert!(
                anonymous
                    .header("location")
                    .starts_with("/connexion?suite="),
                "GET {path}"
            );
        } else {
            assert_eq!(
                anonymous.status,
                StatusCode::UNAUTHORIZED,
                "{} {path} anonymous",
                route.method
            );
        }

        for (role, session) in &sessions {
            if route.path == "/deconnexion" {
                continue; // would end the session the walk goes on with
            }
            let response = if is_get {
                app.get_as(session, &path).await
            } else {
                app.post(&path, Some(session), &[]).await
            };
            let refused = response.status == StatusCode::FORBIDDEN;
            assert_eq!(
                refused,
                !role.allows(route.role),
                "{} {path} as {role}: {}",
                route.method,
                response.status
            );
            if refused {
                assert!(response.body.contains("Accès refusé"), "French 403 page");
            } else {
                assert_ne!(
                    response.status,
                    StatusCode::UNAUTHORIZED,
                    "{} {path} as {role}",
                    route.method
                );
                // A POST without its fields may find nothing to act on; a GET must exist.
                // The departmental view decides its readers itself (instance roles, not
                // territory roles) and answers 404 to the others.
                let own_scope = route.path == "/admin/departement";
                assert!(
                    response.status != StatusCode::NOT_FOUND
                        || !is_get
                        || own_scope
                        || path.contains(&target.to_string()),
                    "{} {path} as {role} exists",
                    route.method
                );
            }
        }
    }

    // Paths under /admin that no route declares still need a login.
    assert_eq!(
        app.get("/admin/inconnu").await.status,
        StatusCode::SEE_OTHER
    );
}
