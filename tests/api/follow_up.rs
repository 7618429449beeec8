//! Partenaires (elected officials, partner organisations, front-line professionals such as
//! France Services agents) read needs, meetings and decisions without editing them, see
//! only what staff wrote or reviewed, and follow what became of their own reports.

use crate::support::{Fixture, Session, TestApp, valid_answers};
use axum::http::StatusCode;
use pouls::domain::{Role, paris};
use pouls::needs::NeedStatus;
use pouls::storage::NewSource;

on_both_backends!(
    partenaires_read_needs_meetings_and_decisions_without_editing,
    a_partenaire_follows_their_report_to_the_decision,
    decisions_name_their_need_everywhere,
);

/// A field report filed through the form as `session`; returns its id.
async fn file_report(app: &TestApp, session: &Session, observed: &str) -> i64 {
    let today = paris::today().to_string();
    let response = app
        .post(
            "/admin/remontees",
            Some(session),
            &[
                ("organisation", "france_services"),
                ("commune", "sergines"),
                ("themes", "acces-aux-droits"),
                ("observed", observed),
                ("observed_on", &today),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    app.count("SELECT MAX(id) FROM field_report").await
}

/// The story the tests read: a partenaire's report and an agent's, two residents' answers
/// (one reviewed), a need built on all four, a meeting that reviewed it and decided.
struct Story {
    fixture: Fixture,
    partenaire: Session,
    agent: Session,
    report: i64,
    need: i64,
    meeting: String,
}

async fn story(app: &TestApp) -> Story {
    let fixture = app.fixture().await;
    let partenaire = app.staff(Role::Partenaire).await;
    let agent = app.staff(Role::Agent).await;
    let report = file_report(app, &partenaire, "Mes usagers renoncent à la CAF de Sens.").await;
    let other = file_report(app, &agent, "Observation d'un collègue, non relue.").await;
    let question: i64 = app.count("SELECT id FROM question WHERE code = 'Q7'").await;
    let mut answer_ids = Vec::new();
    for text in [
        "Plus de bus vers Sens le samedi",
        "Texte jamais relu par personne",
    ] {
        let mut answers = valid_answers();
        answers.push(("Q7", text));
        app.answer(&fixture.online, &answers).await;
        answer_ids.push(app.count("SELECT MAX(id) FROM response").await);
    }
    app.territory
        .review_text(answer_ids[0], question, true, false, &fixture.admin)
        .await
        .expect("review");
    let draft = pouls::needs::NeedDraft {
        title: "Transport vers les services à Sens".into(),
        description: "Des familles renoncent à leurs rendez-vous faute de transport.".into(),
        theme: "acces-aux-droits".into(),
        communes: vec!["sergines".into()],
        publics: vec![],
    };
    let sources: Vec<NewSource> = [NewSource::Report(report), NewSource::Report(other)]
        .into_iter()
        .chain(answer_ids.iter().map(|id| NewSource::Answer {
            response_id: *id,
            question_id: question,
        }))
        .collect();
    let need = app
        .territory
        .create_need(&draft, &sources, &fixture.admin)
        .await
        .expect("need");
    app.territory
        .set_need_status(need, NeedStatus::PrisEnCompte, "", &fixture.admin)
        .await
        .expect("status");
    let today = paris::today().to_string();
    let created = app
        .post(
            "/admin/reunions",
            Some(&agent),
            &[
                ("kind", "cotech"),
                ("title", "COTECH accès aux droits"),
                ("held_on", &today),
                ("agenda", &need.to_string()),
                ("invited_elus", "4"),
                ("present_elus", "3"),
            ],
        )
        .await;
    let meeting = created.header("location").to_owned();
    let decided = app
        .post(
            &format!("{meeting}/decisions"),
            Some(&agent),
            &[
                ("action", "7"),
                ("need", &need.to_string()),
                ("what", "Une permanence itinérante à Sergines"),
                ("owner", "France Services"),
                ("status", "en_cours"),
            ],
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
    Story {
        fixture,
        partenaire,
        agent,
        report,
        need,
        meeting,
    }
}

/// Forms that post somewhere other than the logout.
fn forms(body: &str) -> Vec<String> {
    body.split("<form method=\"post\" ")
        .skip(1)
        .filter_map(|f| f.split("action=\"").nth(1))
        .filter_map(|a| a.split('"').next())
        .filter(|a| *a != "/deconnexion")
        .map(str::to_owned)
        .collect()
}

async fn partenaires_read_needs_meetings_and_decisions_without_editing(app: TestApp) {
    let s = story(&app).await;
    let need = app
        .get_as(&s.partenaire, &format!("/admin/besoins/{}", s.need))
        .await;
    assert_eq!(need.status, StatusCode::OK);
    let body = &need.body;
    assert!(body.contains("Transport vers les services à Sens"));
    assert!(
        body.contains("renoncent à leurs rendez-vous"),
        "staff-written"
    );
    assert!(body.contains("Une permanence itinérante à Sergines"));
    assert!(body.contains("<strong>En cours</strong>"));
    assert!(body.contains("Mes usagers renoncent"), "their own report");
    assert!(
        !body.contains("Observation d&#x27;un collègue")
            && !body.contains("Observation d'un collègue")
    );
    assert!(
        body.contains("Plus de bus vers Sens le samedi"),
        "a reviewed answer"
    );
    assert!(!body.contains("jamais relu"), "never an unreviewed answer");
    assert_eq!(forms(body), Vec::<String>::new(), "nothing to edit");
    // The agent sees everything, with the forms.
    let agent_view = app
        .get_as(&s.agent, &format!("/admin/besoins/{}", s.need))
        .await
        .body;
    assert!(agent_view.contains("jamais relu") && agent_view.contains("non relue"));
    assert!(!forms(&agent_view).is_empty());

    let list = app.get_as(&s.partenaire, "/admin/reunions").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("Nouvelle réunion"));
    let meeting = app.get_as(&s.partenaire, &s.meeting).await;
    assert_eq!(meeting.status, StatusCode::OK);
    let body = &meeting.body;
    assert!(body.contains(&format!(
        "href=\"/admin/besoins/{}\">Transport vers les services à Sens</a>",
        s.need
    )));
    assert!(body.contains(
        "<td>Transport vers les services à Sens</td><td>Une permanence itinérante à Sergines</td>"
    ));
    assert!(body.contains("3 présents sur 4 invités"));
    assert_eq!(forms(body), Vec::<String>::new(), "nothing to edit");
    assert!(
        !body.contains("compte-rendu"),
        "the report with its day-level board is for agents"
    );
    // The board counts whole months: from 1 January to the end of the meeting's month.
    let today = paris::today();
    let last = today
        .replace_day(today.month().length(today.year()))
        .expect("date");
    assert!(
        body.contains(&format!(
            "Par mois entiers, du 1er janvier {} au {}",
            today.year(),
            pouls_app::format::date(last)
        )),
        "whole months"
    );
    assert!(
        body.contains("&lt; 5"),
        "small counts hidden: 2 answers in Sergines"
    );

    // Every change stays an agent's.
    let decision = app.count("SELECT MAX(id) FROM decision").await;
    for path in [
        format!("{}/decisions", s.meeting),
        format!("{}/figer", s.meeting),
        s.meeting.clone(),
        format!("/admin/decisions/{decision}/etat"),
        format!("/admin/besoins/{}/statut", s.need),
    ] {
        let refused = app
            .post(&path, Some(&s.partenaire), &[("status", "fait")])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(
        app.get_as(&s.partenaire, &format!("{}/compte-rendu", s.meeting))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM decision WHERE status = 'fait'")
            .await,
        0
    );
    let _ = &s.fixture;
}

async fn a_partenaire_follows_their_report_to_the_decision(app: TestApp) {
    let s = story(&app).await;
    let page = app
        .get_as(&s.partenaire, &format!("/admin/remontees/{}", s.report))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let follow = page
        .body
        .split("Ce qu&#x27;est devenue cette remontée")
        .nth(1)
        .or_else(|| page.body.split("Ce qu'est devenue cette remontée").nth(1))
        .and_then(|rest| rest.split("Modifier la remontée").next())
        .expect("the follow-up");
    assert!(follow.contains("Besoin : Transport vers les services à Sens"));
    assert!(follow.contains("État : Pris en compte"));
    assert!(follow.contains("Une permanence itinérante à Sergines"));
    assert!(follow.contains("<strong>En cours</strong>"));
    let list = app.get_as(&s.partenaire, "/admin/remontees").await.body;
    assert!(list.contains("Suite donnée"));
    assert!(list.contains("(pris en compte, 1 décision)"));
    // A report attached to nothing says so.
    let lone = file_report(&app, &s.partenaire, "Une autre observation.").await;
    let page = app
        .get_as(&s.partenaire, &format!("/admin/remontees/{lone}"))
        .await;
    assert!(page.body.contains("pas encore rattachée à un besoin"));
}

async fn decisions_name_their_need_everywhere(app: TestApp) {
    let s = story(&app).await;
    let page = app.get_as(&s.agent, &s.meeting).await.body;
    assert!(
        page.contains(&format!(
            "<option value=\"{}\">Transport vers les services à Sens</option>",
            s.need
        )),
        "the decision form names the need"
    );
    assert!(!page.contains(&format!("Besoin {}", s.need)));
    assert!(page.contains(&format!(
        "<a href=\"/admin/besoins/{}\">Transport vers les services à Sens</a>",
        s.need
    )));
    let csv = app
        .get_as(&s.agent, "/admin/exports/decisions?dialecte=standard")
        .await
        .body;
    let row = csv.lines().nth(1).expect("a decision");
    assert!(
        row.contains(&format!(
            "COTECH accès aux droits,cotech,{},7,{},Transport vers les services à Sens,Une permanence itinérante à Sergines,",
            paris::today(),
            s.need
        )),
        "{row}"
    );
}
