//! The departmental view (`/admin/departement`): each territory's figures side by side,
//! the needs board theme x territory, "< 5" in every cell from 1 to 4, and a 404 for
//! anyone outside its scope.

use axum::http::StatusCode;
use pouls::audit::Actor;
use pouls::domain::{Role, paris};
use pouls::needs::{
    Attendance, DecisionDraft, DecisionStatus, MeetingDraft, MeetingKind, NeedDraft, Organisation,
    ReportDraft,
};
use pouls::plan::PlanData;
use pouls::storage::{AddTerritory, TerritoryStorage};
use pouls::territory::{InstanceRole, Membership};

use crate::support::{PASSWORD, TestApp};

on_both_backends!(the_department_view_sets_territories_side_by_side);

const ACTIVITY: &str = "Activité par territoire en";
const BOARD: &str = "Besoins par thème et par territoire";

/// The cells of the row whose heading starts with `row`, in the table of `caption`, as
/// text (tags left out).
fn cells(body: &str, caption: &str, row: &str) -> Vec<String> {
    let table = body
        .split(&format!("<caption class=\"visually-hidden\">{caption}"))
        .nth(1)
        .and_then(|rest| rest.split("</tbody>").next())
        .unwrap_or_else(|| panic!("no table {caption}"));
    let line = table
        .split("<th scope=\"row\">")
        .skip(1)
        .find(|line| line.starts_with(row))
        .unwrap_or_else(|| panic!("no row {row} in {caption}"));
    let line = line.split("</tr>").next().unwrap_or_default();
    line.split("<td class=\"number\">")
        .skip(1)
        .map(|cell| {
            let inner = cell.split("</td>").next().unwrap_or_default();
            let mut text = String::new();
            let mut in_tag = false;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.replace("&lt;", "<")
        })
        .collect()
}

fn report(commune: Option<&str>, theme: &str) -> ReportDraft {
    ReportDraft {
        organisation: Organisation::FranceServices,
        commune: commune.map(str::to_owned),
        themes: vec![theme.into()],
        publics: vec![],
        observed: "Des familles sans mode de garde le mercredi.".into(),
        people_count: None,
        observed_on: paris::today(),
    }
}

async fn needs(territory: &TerritoryStorage, theme: &str, count: usize, actor: &Actor) {
    for n in 0..count {
        let need = NeedDraft {
            title: format!("Besoin {theme} {n}"),
            description: "Plusieurs familles le disent.".into(),
            theme: theme.into(),
            communes: vec![],
            publics: vec![],
        };
        territory
            .create_need(&need, &[], actor)
            .await
            .expect("need");
    }
}

async fn the_department_view_sets_territories_side_by_side(app: TestApp) {
    let plan = PlanData::parse(include_str!("../../docs/plan-example.toml")).expect("plan");
    let AddTerritory::Added(added) = app.storage.add_territory(&plan).await.expect("adds") else {
        panic!("the example's slug is free");
    };
    let example = app.storage.in_territory(added.id);
    let ccyn = &app.territory;
    let f = app.fixture().await;
    let actor = &f.admin;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();

    // The CCYN: 1 open survey, 7 responses, 6 field reports, 5 needs on one theme, one
    // meeting with 5 decisions.
    app.store_valid_answers(f.survey_id, &[(&f.online, now, 7)])
        .await;
    for _ in 0..6 {
        ccyn.create_report(&report(Some("michery"), "petite-enfance"), actor)
            .await
            .expect("report");
    }
    needs(ccyn, "petite-enfance", 5, actor).await;
    let meeting = MeetingDraft {
        kind: MeetingKind::Copil,
        title: "COPIL".into(),
        theme: None,
        held_on: paris::today(),
        place: String::new(),
        notes: String::new(),
        attendance: Attendance {
            invited: [4, 2, 2, 0],
            present: [3, 2, 1, 0],
        },
        agenda: vec![],
    };
    let meeting_id = ccyn.create_meeting(&meeting, actor).await.expect("meeting");
    for n in 0..5 {
        let decision = DecisionDraft {
            action_number: 14,
            need_id: None,
            what: format!("Décision {n}"),
            owner: "CCYN".into(),
            due_on: None,
            status: DecisionStatus::AFaire,
        };
        ccyn.add_decision(meeting_id, &decision, actor)
            .await
            .expect("runs")
            .expect("decision");
    }
    // The example: 2 field reports and 2 needs, both "< 5".
    for _ in 0..2 {
        example
            .create_report(&report(None, "jeunesse"), actor)
            .await
            .expect("report");
    }
    needs(&example, "jeunesse", 2, actor).await;

    // The instance admin reads every territory.
    app.create_account("instance@caf89.fr", &[], Some(InstanceRole::Admin))
        .await;
    let admin = app.login("instance@caf89.fr", PASSWORD).await;
    let page = app.get_as(&admin, "/admin/departement").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;
    assert!(body.contains("<h1>Vue départementale</h1>"));
    // Open surveys, responses, reports, needs and the same by status, meetings,
    // decisions: the CCYN's own, none of the example's 2 reports added to its 6.
    assert_eq!(
        cells(body, ACTIVITY, "Communauté de Communes Yonne Nord"),
        ["< 5", "7", "6", "5", "5", "0", "0", "0", "< 5", "5"]
    );
    // Under 5 needs, even which statuses are empty is not told.
    assert_eq!(
        cells(body, ACTIVITY, "Communauté de communes du Val d"),
        ["0", "0", "< 5", "< 5", "< 5", "< 5", "< 5", "< 5", "0", "0"]
    );
    // Rows are the union of both plans' theme labels, columns the territories in order.
    assert_eq!(cells(body, BOARD, "Petite enfance"), ["5", "< 5"]);
    assert_eq!(cells(body, BOARD, "Jeunesse"), ["0", "< 5"]);
    assert_eq!(
        cells(body, BOARD, "Enfance"),
        ["0", "—thème absent de ce plan"],
        "the example's plan has no Enfance theme"
    );
    assert!(body.contains("scope=\"col\""));
    assert!(!body.contains("Total"), "no total to subtract from");

    // A small status beside an exact theme total would be a subtraction away.
    needs(ccyn, "petite-enfance", 3, actor).await;
    let closed = ccyn.needs(None).await.expect("needs");
    for need in closed.iter().take(3) {
        ccyn.set_need_status(need.id, pouls::needs::NeedStatus::Clos, "", actor)
            .await
            .expect("status");
    }
    let body = app.get_as(&admin, "/admin/departement").await.body;
    let statuses = cells(&body, ACTIVITY, "Communauté de Communes Yonne Nord");
    let themes = cells(&body, BOARD, "Petite enfance");
    // 5 open and 3 closed, all on one theme: the theme's 8 would give the 3 away from
    // the 5, and the 5 alone would leave 3 to find, so nothing of them is shown.
    assert_eq!(statuses[3..8], ["s"; 5], "{statuses:?}");
    assert_eq!(themes, ["s", "< 5"]);
    assert!(body.contains("« s » : secret"));

    // A lecteur départemental given the example only reads the example.
    let follows = [Membership {
        territory: example.id(),
        role: Role::Lecteur,
    }];
    app.create_account("conseil@caf89.fr", &follows, Some(InstanceRole::Lecteur))
        .await;
    let lecteur = app.login("conseil@caf89.fr", PASSWORD).await;
    let body = app.get_as(&lecteur, "/admin/departement").await.body;
    assert!(body.contains("Communauté de communes du Val d"));
    assert!(
        !body.contains("<th scope=\"row\">Communauté de Communes Yonne Nord</th>"),
        "not given the CCYN"
    );
    assert_eq!(cells(&body, BOARD, "Jeunesse"), ["< 5"]);

    // Anyone else, a territory's admin included: a French 404, as if the page did not
    // exist.
    for role in [Role::Admin, Role::Agent, Role::Partenaire, Role::Lecteur] {
        let session = app.staff(role).await;
        let refused = app.get_as(&session, "/admin/departement").await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{role}");
        assert!(refused.body.contains("lang=\"fr\""), "{role}");
    }
}
