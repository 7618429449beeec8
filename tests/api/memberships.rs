//! Staff memberships: an account works in the territories it has a role in, one at a
//! time, chosen in the menu and checked on every request; staff of one territory get
//! nothing of another (a French 404 on every route, no row in any export); a territory's
//! admin manages its own accounts and an instance admin every account's access.

use axum::http::{Method, StatusCode};
use pouls::audit::Actor;
use pouls::domain::Role;
use pouls::needs::{
    Attendance, DecisionDraft, DecisionStatus, MeetingDraft, MeetingKind, NeedDraft, Organisation,
    ReportDraft,
};
use pouls::plan::PlanData;
use pouls::storage::{AddTerritory, NewSource, TerritoryStorage};
use pouls::territory::{InstanceRole, Membership};
use time::macros::date;

use crate::support::{PASSWORD, Session, TestApp};

on_both_backends!(
    the_territory_chosen_in_the_menu_is_checked_against_the_memberships,
    staff_of_one_territory_get_nothing_of_another,
    a_territory_admin_manages_its_own_accounts_only,
);

async fn add_example(app: &TestApp) -> TerritoryStorage {
    let plan = PlanData::parse(include_str!("../../docs/plan-example.toml")).expect("plan");
    let AddTerritory::Added(added) = app.storage.add_territory(&plan).await.expect("adds") else {
        panic!("the example's slug is free");
    };
    app.storage.in_territory(added.id)
}

async fn login_with(app: &TestApp, email: &str, memberships: &[Membership]) -> Session {
    app.create_account(email, memberships, None).await;
    app.login(email, PASSWORD).await
}

async fn the_territory_chosen_in_the_menu_is_checked_against_the_memberships(app: TestApp) {
    let example = add_example(&app).await;
    let ccyn = app.territory.id();
    let both = [
        Membership {
            territory: ccyn,
            role: Role::Agent,
        },
        Membership {
            territory: example.id(),
            role: Role::Admin,
        },
    ];
    let session = login_with(&app, "deux@exemple.fr", &both).await;
    // The default territory first, and a menu to change it.
    let home = app.get_as(&session, "/admin").await.body;
    assert!(home.contains("(Agent)"), "agent in the CCYN");
    assert!(home.contains("<label for=\"territoire-choisi\">Territoire</label>"));
    assert!(
        home.contains("Communauté de communes du Val d&#39;Exemple")
            || home.contains("Communauté de communes du Val d'Exemple")
    );
    assert_eq!(
        app.get_as(&session, "/admin/comptes").await.status,
        StatusCode::FORBIDDEN
    );

    let moved = app
        .post(
            "/admin/territoire",
            Some(&session),
            &[("territoire", &example.id().to_string())],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    assert_eq!(moved.header("location"), "/admin");
    let home = app.get_as(&session, "/admin").await.body;
    assert!(home.contains("(Administrateur)"), "admin in the example");
    let accounts = app.get_as(&session, "/admin/comptes").await;
    assert_eq!(accounts.status, StatusCode::OK);

    // A territory it has no role in, or one that does not exist: 404, nothing changes.
    let third = add_third(&app).await;
    for id in [third.to_string(), "999".to_owned(), "x".to_owned()] {
        let refused = app
            .post("/admin/territoire", Some(&session), &[("territoire", &id)])
            .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{id}");
    }
    assert!(
        app.get_as(&session, "/admin")
            .await
            .body
            .contains("(Administrateur)")
    );
    // Without the CSRF token: refused.
    let forged = app
        .post_raw(
            "/admin/territoire",
            Some(&session.cookie),
            &[("territoire", &ccyn.to_string())],
            &[],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // A membership taken away moves the session back to a territory it still has.
    app.sql(&format!(
        "DELETE FROM staff_membership WHERE territory_id = {}",
        example.id()
    ))
    .await;
    let home = app.get_as(&session, "/admin").await.body;
    assert!(home.contains("(Agent)"), "back in the CCYN");
    // With no territory left, the session ends and a new login is refused with a reason.
    app.sql("DELETE FROM staff_membership WHERE role = 'agent'")
        .await;
    assert_eq!(
        app.get_as(&session, "/admin").await.status,
        StatusCode::SEE_OTHER
    );
    let login = app
        .post(
            "/connexion",
            None,
            &[("email", "deux@exemple.fr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(login.status, StatusCode::FORBIDDEN);
    assert!(login.body.contains("aucun territoire"));
}

/// A third territory: the example plan under another slug.
async fn add_third(app: &TestApp) -> i64 {
    let text = include_str!("../../docs/plan-example.toml").replacen(
        "slug = \"val-d-exemple\"",
        "slug = \"troisieme\"",
        1,
    );
    let plan = PlanData::parse(&text).expect("plan");
    match app.storage.add_territory(&plan).await.expect("adds") {
        AddTerritory::Added(added) => added.id.get(),
        AddTerritory::SlugTaken => panic!("slug taken"),
    }
}

/// The CCYN objects the walk asks for from the example territory.
struct CcynObjects {
    survey: i64,
    question: i64,
    point: i64,
    report: i64,
    need: i64,
    meeting: i64,
    decision: i64,
    account: i64,
}

async fn ccyn_objects(app: &TestApp, actor: &Actor, survey: i64) -> CcynObjects {
    let ccyn = &app.territory;
    let report = ReportDraft {
        organisation: Organisation::FranceServices,
        commune: Some("michery".into()),
        themes: vec!["petite-enfance".into()],
        publics: vec![],
        observed: "Secret de la CCYN : garde du mercredi.".into(),
        people_count: Some(4),
        observed_on: date!(2026 - 03 - 02),
    };
    let report_id = ccyn.create_report(&report, actor).await.expect("report");
    let need = NeedDraft {
        title: "Besoin secret de la CCYN".into(),
        description: "Plusieurs familles le disent.".into(),
        theme: "petite-enfance".into(),
        communes: vec!["michery".into()],
        publics: vec![],
    };
    let need_id = ccyn
        .create_need(&need, &[NewSource::Report(report_id)], actor)
        .await
        .expect("need");
    let meeting = MeetingDraft {
        kind: MeetingKind::Copil,
        title: "COPIL secret de la CCYN".into(),
        theme: None,
        held_on: date!(2026 - 04 - 02),
        place: String::new(),
        notes: String::new(),
        attendance: Attendance {
            invited: [4, 2, 2, 0],
            present: [3, 2, 1, 0],
        },
        agenda: vec![need_id],
    };
    let meeting_id = ccyn.create_meeting(&meeting, actor).await.expect("meeting");
    let decision = DecisionDraft {
        action_number: 14,
        need_id: Some(need_id),
        what: "Décision secrète de la CCYN".into(),
        owner: "CCYN".into(),
        due_on: None,
        status: DecisionStatus::AFaire,
    };
    let decision_id = ccyn
        .add_decision(meeting_id, &decision, actor)
        .await
        .expect("runs")
        .expect("decision");
    CcynObjects {
        survey,
        question: app
            .count(&format!(
                "SELECT MIN(id) FROM question WHERE survey_id = {survey}"
            ))
            .await,
        point: app
            .count(&format!(
                "SELECT MIN(id) FROM collection_point WHERE survey_id = {survey}"
            ))
            .await,
        report: report_id,
        need: need_id,
        meeting: meeting_id,
        decision: decision_id,
        account: app.create_user("seulement-ccyn@ccyn.fr", Role::Agent).await,
    }
}

/// The path asked for from the other territory: each parameter an object of the CCYN.
/// `None` for parameters that name no object (an export's kind, a template).
fn ccyn_path(pattern: &str, objects: &CcynObjects) -> Option<String> {
    let mut segments = Vec::new();
    let mut previous = "";
    for segment in pattern.split('/') {
        let value = match (previous, segment) {
            (_, s) if !s.starts_with('{') => s.to_owned(),
            ("enquetes", _) => objects.survey.to_string(),
            ("questions", _) => objects.question.to_string(),
            ("points", _) => objects.point.to_string(),
            ("remontees", _) => objects.report.to_string(),
            ("besoins", _) => objects.need.to_string(),
            ("reunions", _) => objects.meeting.to_string(),
            ("decisions", _) => objects.decision.to_string(),
            ("comptes", _) => objects.account.to_string(),
            // The example's plan has 3 actions and no A14.1.
            ("actions", _) => "14".to_owned(),
            ("indicateurs", _) => "A14.1".to_owned(),
            ("regles", _) => "1".to_owned(),
            _ => return None,
        };
        previous = segment;
        segments.push(value);
    }
    Some(segments.join("/"))
}

async fn staff_of_one_territory_get_nothing_of_another(app: TestApp) {
    let f = app.fixture().await;
    let objects = ccyn_objects(&app, &f.admin, f.survey_id).await;
    app.store_valid_answers(f.survey_id, &[(&f.online, 1_780_000_000, 6)])
        .await;
    let example = add_example(&app).await;
    let mut sessions = Vec::new();
    for role in [Role::Lecteur, Role::Partenaire, Role::Agent, Role::Admin] {
        let email = format!("{}@val-d-exemple.fr", role.as_str());
        let member = [Membership {
            territory: example.id(),
            role,
        }];
        sessions.push((role, login_with(&app, &email, &member).await));
    }

    let routes = pouls_app::staff::routes();
    let mut walked = 0;
    let mut wrong = Vec::new();
    for route in routes.routes() {
        if !route.path.contains('{') {
            continue;
        }
        let Some(path) = ccyn_path(route.path, &objects) else {
            continue;
        };
        walked += 1;
        for (role, session) in &sessions {
            let response = if route.method == Method::GET {
                app.get_as(session, &path).await
            } else {
                app.post(&path, Some(session), &[]).await
            };
            let expected = if role.allows(route.role) {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::FORBIDDEN
            };
            // The import reads its multipart body before the survey: whatever the id, a
            // body that is not multipart gets the same 400, which confirms nothing.
            let unread_body =
                route.path.ends_with("/import") && response.status == StatusCode::BAD_REQUEST;
            if response.status != expected && !unread_body {
                wrong.push(format!(
                    "{} {path} as {role}: {}",
                    route.method, response.status
                ));
            }
            assert!(
                !response.body.contains("CCYN"),
                "{} {path}: {}",
                route.method,
                response.body
            );
        }
    }
    assert!(wrong.is_empty(), "not a 404 (or 403): {wrong:#?}");
    assert!(walked >= 40, "the walk covers the object routes ({walked})");

    // Lists and exports of the example hold no row of the CCYN.
    let (_, admin) = sessions.last().expect("admin");
    for path in [
        "/admin/enquetes",
        "/admin/besoins",
        "/admin/remontees",
        "/admin/reunions",
        "/admin/observatoire",
        "/admin/comptes",
        "/admin/journal",
        "/admin/exports/indicateurs",
        "/admin/exports/besoins",
        "/admin/exports/decisions",
        "/admin/exports/remontees",
        "/admin/exports/reponses",
    ] {
        let page = app.get_as(admin, path).await;
        // 403: a partenaire's export; 404: the answers of no survey chosen.
        assert!(
            [StatusCode::OK, StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&page.status),
            "{path}: {}",
            page.status
        );
        for secret in [
            "secret",
            "seulement-ccyn",
            "fixture-admin",
            "Le mercredi après-midi",
        ] {
            assert!(!page.body.contains(secret), "{path} shows {secret}");
        }
    }
    // The CCYN's own staff still see their objects.
    let ccyn_agent = app.staff(Role::Agent).await;
    let need = app
        .get_as(&ccyn_agent, &format!("/admin/besoins/{}", objects.need))
        .await;
    assert_eq!(need.status, StatusCode::OK);
    assert!(need.body.contains("Besoin secret de la CCYN"));
}

async fn a_territory_admin_manages_its_own_accounts_only(app: TestApp) {
    let example = add_example(&app).await;
    let ccyn = app.territory.id();
    let admin = app.staff(Role::Admin).await;
    let theirs = app.create_user("agent@ccyn.fr", Role::Agent).await;
    let elsewhere = app
        .create_account(
            "ailleurs@exemple.fr",
            &[Membership {
                territory: example.id(),
                role: Role::Agent,
            }],
            None,
        )
        .await;
    let shared = app
        .create_account(
            "partage@exemple.fr",
            &[
                Membership {
                    territory: ccyn,
                    role: Role::Partenaire,
                },
                Membership {
                    territory: example.id(),
                    role: Role::Agent,
                },
            ],
            None,
        )
        .await;

    let list = app.get_as(&admin, "/admin/comptes").await.body;
    assert!(list.contains("agent@ccyn.fr") && list.contains("partage@exemple.fr"));
    assert!(
        !list.contains("ailleurs@exemple.fr"),
        "an account of another territory"
    );
    let page = app
        .get_as(&admin, &format!("/admin/comptes/{elsewhere}"))
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains("ailleurs"));
    // No access form for a territory's admin, and its POST is not found.
    assert!(
        !app.get_as(&admin, &format!("/admin/comptes/{theirs}"))
            .await
            .body
            .contains("Accès par territoire")
    );
    let forged = app
        .post(
            &format!("/admin/comptes/{theirs}/acces"),
            Some(&admin),
            &[("instance", "admin"), ("confirm_access", PASSWORD)],
        )
        .await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM staff_user WHERE instance_role IS NOT NULL")
            .await,
        0
    );

    // The role here changes; an account that works elsewhere too keeps its state.
    let moved = app
        .post(
            &format!("/admin/comptes/{shared}/role"),
            Some(&admin),
            &[("role", "agent"), ("confirm_role", PASSWORD)],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM staff_membership WHERE user_id = {shared} AND role = 'agent'"
        ))
        .await,
        2
    );
    let refused = app
        .post(
            &format!("/admin/comptes/{shared}/etat"),
            Some(&admin),
            &[("active", "0"), ("confirm_state", PASSWORD)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("seul un administrateur de l&#39;instance")
            || refused
                .body
                .contains("seul un administrateur de l'instance")
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM staff_user WHERE id = {shared} AND active"
        ))
        .await,
        1
    );
    // Creating an account here gives it a role here only.
    let created = app
        .post(
            "/admin/comptes",
            Some(&admin),
            &[
                ("email", "nouveau@ccyn.fr"),
                ("role", "lecteur"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM staff_membership m JOIN staff_user u ON u.id = m.user_id WHERE u.email = 'nouveau@ccyn.fr' AND m.territory_id = {ccyn} AND m.role = 'lecteur'")).await,
        1
    );

    // An instance admin sees every account and sets its access to every territory.
    app.create_account("instance@caf89.fr", &[], Some(InstanceRole::Admin))
        .await;
    let instance = app.login("instance@caf89.fr", PASSWORD).await;
    assert!(
        app.get_as(&instance, "/admin/comptes")
            .await
            .body
            .contains("ailleurs@exemple.fr")
    );
    let form = app
        .get_as(&instance, &format!("/admin/comptes/{elsewhere}"))
        .await
        .body;
    assert!(form.contains("Accès par territoire"));
    let t_ccyn = format!("t{ccyn}");
    let t_example = format!("t{}", example.id());
    let set = app
        .post(
            &format!("/admin/comptes/{elsewhere}/acces"),
            Some(&instance),
            &[
                (&t_ccyn, "lecteur"),
                (&t_example, "lecteur"),
                ("instance", "lecteur"),
                ("confirm_access", PASSWORD),
            ],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM staff_membership WHERE user_id = {elsewhere} AND role = 'lecteur'"
        ))
        .await,
        2
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM staff_user WHERE id = {elsewhere} AND instance_role = 'lecteur'"
        ))
        .await,
        1
    );
    // A bad role is refused next to its territory, with nothing written.
    let bad = app
        .post(
            &format!("/admin/comptes/{elsewhere}/acces"),
            Some(&instance),
            &[(&t_ccyn, "chef"), ("confirm_access", PASSWORD)],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains(&format!("id=\"champ-{t_ccyn}-erreur\"")));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM staff_membership WHERE user_id = {elsewhere}"
        ))
        .await,
        2
    );
}
