//! Field reports, needs, meetings, decisions and indicator values of one territory are
//! not found from another: every getter returns nothing, every change refuses.

use pouls::indicators::{Period, RecordDraft};
use pouls::needs::{
    Attendance, DecisionDraft, DecisionStatus, MeetingDraft, MeetingKind, NeedDraft, NeedStatus,
    Organisation, ReportDraft,
};
use pouls::plan::PlanData;
use pouls::storage::{AddTerritory, NewSource};
use time::macros::date;

use crate::support::TestApp;

on_both_backends!(observations_of_one_territory_stay_there);

async fn observations_of_one_territory_stay_there(app: TestApp) {
    let plan = PlanData::parse(include_str!("../../docs/plan-example.toml")).expect("plan");
    let AddTerritory::Added(added) = app.storage.add_territory(&plan).await.expect("adds") else {
        panic!("the example's slug is free");
    };
    let other = app.storage.in_territory(added.id);
    let ccyn = &app.territory;
    let f = app.fixture().await;
    let actor = &f.admin;

    let report = ReportDraft {
        organisation: Organisation::FranceServices,
        commune: Some("michery".into()),
        themes: vec!["petite-enfance".into()],
        publics: vec![],
        observed: "Des familles sans mode de garde le mercredi.".into(),
        people_count: Some(4),
        observed_on: date!(2026 - 03 - 02),
    };
    let report_id = ccyn.create_report(&report, actor).await.expect("report");
    let need = NeedDraft {
        title: "Garde le mercredi".into(),
        description: "Plusieurs familles le disent.".into(),
        theme: "petite-enfance".into(),
        communes: vec!["michery".into()],
        publics: vec![],
    };
    let sources = [NewSource::Report(report_id)];
    let need_id = ccyn
        .create_need(&need, &sources, actor)
        .await
        .expect("need");
    let meeting = MeetingDraft {
        kind: MeetingKind::Copil,
        title: "COPIL de printemps".into(),
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
        what: "Ouvrir un accueil le mercredi".into(),
        owner: "CCYN".into(),
        due_on: None,
        status: DecisionStatus::AFaire,
    };
    let decision_id = ccyn
        .add_decision(meeting_id, &decision, actor)
        .await
        .expect("runs")
        .expect("decision");
    let value = RecordDraft {
        period: Period::year(2026),
        value: Some(3.0),
        text: String::new(),
        source: "Rapport d'activité".into(),
        note: String::new(),
    };
    assert!(
        ccyn.record_value("A1.1", &value, actor)
            .await
            .expect("records")
    );

    // The example territory sees none of it...
    assert!(other.reports(None).await.expect("reads").is_empty());
    assert!(other.report(report_id).await.expect("reads").is_none());
    assert!(other.needs(None).await.expect("reads").is_empty());
    assert!(other.need(need_id).await.expect("reads").is_none());
    assert!(other.meetings().await.expect("reads").is_empty());
    assert!(other.meeting(meeting_id).await.expect("reads").is_none());
    assert!(other.public_decisions().await.expect("reads").is_empty());
    assert!(other.report_needs().await.expect("reads").is_empty());
    let links = other.need_links().await.expect("reads");
    assert!(links.surveys.is_empty() && links.quotes.is_empty());
    assert!(other.question_totals().await.expect("reads").is_empty());
    let voices = other.public_voices().await.expect("reads");
    assert!(voices.texts.is_empty());
    let board = other
        .needs_board(
            "2026",
            (date!(2026 - 01 - 01), date!(2027 - 01 - 01)),
            date!(2025 - 01 - 01),
            None,
        )
        .await
        .expect("board");
    assert!(
        board
            .cells
            .values()
            .flat_map(|row| row.values())
            .all(|c| c.reports == 0 && c.needs == 0)
    );
    let theirs = other.indicator_reports(Some(1), None).await.expect("reads");
    assert!(
        theirs
            .iter()
            .all(|r| r.values.iter().all(|v| v.recorded.is_none()))
    );
    // ...and changes none of it.
    assert!(
        !other
            .update_report(report_id, &report, None, actor)
            .await
            .expect("runs")
    );
    assert!(
        !other
            .update_need(need_id, &need, actor)
            .await
            .expect("runs")
    );
    let status = other
        .set_need_status(need_id, NeedStatus::Clos, "", actor)
        .await;
    assert!(!status.expect("runs"));
    let source = NewSource::Report(report_id);
    assert!(
        !other
            .add_need_source(need_id, &source, actor)
            .await
            .expect("runs")
    );
    assert!(
        !other
            .update_meeting(meeting_id, &meeting, actor)
            .await
            .expect("runs")
    );
    let frozen = other.freeze_meeting_board(meeting_id, "{}", actor).await;
    assert!(!frozen.expect("runs"));
    let added = other.add_decision(meeting_id, &decision, actor).await;
    assert!(added.expect("runs").is_none());
    let changed = other
        .set_decision_status(decision_id, DecisionStatus::Fait, actor)
        .await;
    assert!(changed.expect("runs").is_none());

    // The CCYN still has everything as it was.
    let (kept, _, _) = ccyn.need(need_id).await.expect("reads").expect("need");
    assert_eq!(
        (kept.title.as_str(), kept.status),
        ("Garde le mercredi", NeedStatus::Signale)
    );
    let (kept, decisions) = ccyn
        .meeting(meeting_id)
        .await
        .expect("reads")
        .expect("meeting");
    assert_eq!(kept.title, "COPIL de printemps");
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].status, DecisionStatus::AFaire);
    let ours = ccyn.indicator_reports(Some(1), None).await.expect("reads");
    assert!(
        ours.iter()
            .any(|r| r.values.iter().any(|v| v.recorded.is_some()))
    );

    // The audit log says whose each change was; logins and accounts are the instance's.
    let of = |action: &str, territory: &str| {
        format!(
            "SELECT COUNT(*) FROM audit_event WHERE action = '{action}' AND territory_id {territory}"
        )
    };
    let ccyn_id = format!("= {}", ccyn.id());
    assert_eq!(app.count(&of("need_created", &ccyn_id)).await, 1);
    assert_eq!(app.count(&of("decision_recorded", &ccyn_id)).await, 1);
    assert_eq!(app.count(&of("survey_created", &ccyn_id)).await, 1);
    assert_eq!(app.count(&of("user_created", "IS NULL")).await, 1);
    // Both plans have an indicator A1.1: each territory reads its own history of it.
    let history = |territory| pouls::audit::AuditFilter {
        object: Some(("indicator".to_owned(), "A1.1".to_owned())),
        limit: 50,
        territory: Some(territory),
        ..pouls::audit::AuditFilter::default()
    };
    let theirs = app.storage.audit_events(&history(other.id())).await;
    assert!(theirs.expect("reads").is_empty());
    let ours = app.storage.audit_events(&history(ccyn.id())).await;
    assert_eq!(ours.expect("reads").len(), 1);
}
