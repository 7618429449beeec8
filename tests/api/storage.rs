//! Storage: migrations and the one-time load of the CTG plan, on both backends.

use crate::support::{TestApp, TestDatabase};
use pouls::plan::PlanCounts;

on_both_backends!(
    plan_loads_once_across_restarts,
    security_headers_on_every_response,
    past_needs_and_boards_keep_the_time_they_happened,
);

async fn plan_loads_once_across_restarts(app: TestApp) {
    let expected = PlanCounts {
        ambitions: 4,
        orientations: 12,
        actions: 17,
        indicators: 83,
        communes: 23,
        themes: 7,
        publics: 11,
    };
    assert_eq!(
        app.storage
            .in_default_territory()
            .await
            .expect("territory")
            .plan_counts()
            .await
            .expect("counts"),
        expected
    );
    // A second start on the same database migrates nothing and loads nothing again.
    let again = pouls_server::prepare_storage(&app.db.url)
        .await
        .expect("second start");
    assert_eq!(
        again
            .in_default_territory()
            .await
            .expect("territory")
            .plan_counts()
            .await
            .expect("counts"),
        expected
    );
}

async fn security_headers_on_every_response(app: TestApp) {
    for path in ["/", "/plan/actions/99", "/healthz"] {
        let response = app.get(path).await;
        assert!(
            response
                .header("content-security-policy")
                .contains("default-src 'self'; object-src 'none'")
        );
        assert_eq!(response.header("x-content-type-options"), "nosniff");
        assert_eq!(response.header("referrer-policy"), "same-origin");
        assert!(!response.header("x-request-id").is_empty());
    }
}

#[tokio::test]
async fn an_unsupported_database_url_is_refused_with_a_clear_message() {
    let error = pouls::storage::Storage::connect("mysql://localhost/pouls")
        .await
        .err()
        .expect("refused");
    assert!(error.to_string().contains("sqlite:// or postgres://"));
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_foreign_keys() {
    let db = TestDatabase::sqlite();
    let storage = pouls_server::prepare_storage(&db.url).await.expect("opens");
    let settings = storage
        .sqlite_settings()
        .await
        .expect("pragmas readable")
        .expect("a SQLite database");
    assert_eq!(settings.journal_mode, "wal");
    assert!(settings.foreign_keys);
    assert!(settings.busy_timeout_ms >= 1000);
}

/// Data telling a past year (the demo's) keeps its dates: a need's history and a
/// meeting's frozen board are stamped with the time given, not the time written.
async fn past_needs_and_boards_keep_the_time_they_happened(app: TestApp) {
    use pouls::audit::Actor;
    use pouls::domain::paris;
    use pouls::needs::{Lists, MeetingDraft, MeetingInput, NeedDraft, NeedInput, NeedStatus};
    use time::macros::date;

    let lists = Lists {
        communes: &["sergines"],
        themes: &["enfance"],
        publics: &[],
    };
    let draft = NeedDraft::parse(
        &NeedInput {
            title: "Accueil de loisirs du mercredi".into(),
            description: "Des familles ne le connaissent pas.".into(),
            theme: "enfance".into(),
            communes: vec!["sergines".into()],
            publics: Vec::new(),
        },
        &lists,
    )
    .expect("need");
    let actor = Actor::CommandLine;
    let noted = paris::start_of_day(date!(2026 - 05 - 21)) + 10 * 3600;
    let qualified = paris::start_of_day(date!(2026 - 06 - 25)) + 17 * 3600;
    let id = app
        .territory
        .create_need_at(&draft, &[], &actor, noted)
        .await
        .expect("need");
    assert!(
        app.territory
            .set_need_status_at(
                id,
                NeedStatus::Qualifie,
                "en observatoire",
                &actor,
                qualified
            )
            .await
            .expect("status")
    );
    let (need, _, history) = app.territory.need(id).await.expect("load").expect("need");
    assert_eq!((need.created_at, need.updated_at), (noted, qualified));
    let times: Vec<i64> = history.iter().map(|h| h.changed_at).collect();
    assert_eq!(times, [noted, qualified]);
    let agent = app.staff(pouls::domain::Role::Agent).await;
    let page = app.get_as(&agent, &format!("/admin/besoins/{id}")).await;
    assert!(
        page.body.contains("25 juin 2026") || page.body.contains("25/06/2026"),
        "{}",
        page.body
    );

    let meeting = MeetingDraft::parse(
        &MeetingInput {
            kind: "observatoire".into(),
            title: "Observatoire enfance".into(),
            held_on: "2026-06-25".into(),
            invited: Default::default(),
            present: Default::default(),
            agenda: vec![id.to_string()],
            ..MeetingInput::default()
        },
        &["enfance"],
        &[id],
    )
    .expect("meeting");
    let meeting = app
        .territory
        .create_meeting(&meeting, &actor)
        .await
        .expect("meeting");
    let frozen = qualified + 30 * 60;
    assert!(
        app.territory
            .freeze_meeting_board_at(meeting, "{}", &actor, frozen)
            .await
            .expect("frozen")
    );
    let (stored, _) = app
        .territory
        .meeting(meeting)
        .await
        .expect("load")
        .expect("meeting");
    assert_eq!(stored.snapshot_at, Some(frozen));
}
