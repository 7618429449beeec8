//! Needs observation: field reports, needs, the board, meetings, decisions, activity
//! indicators and the public "vous avez dit, nous avons fait", on both backends.

use crate::support::{Fixture, TestApp, valid_answers};
use axum::http::StatusCode;
use pouls::domain::{Role, paris};
use pouls::indicators::{Period, Periodicity};
use pouls::needs::NeedStatus;
use pouls::storage::NewSource;

on_both_backends!(
    field_reports_are_validated_and_partenaires_see_only_theirs,
    needs_keep_a_dated_status_history_with_their_sources,
    the_board_counts_exactly_and_hides_small_counts_from_partenaires,
    the_board_adds_whole_months_and_single_days_alike,
    the_meeting_report_keeps_the_board_as_frozen,
    activity_indicators_compute_exactly,
    the_public_results_show_decisions_and_only_publishable_text,
);

/// A field report through the form, as `session`; returns its id.
async fn file_report(
    app: &TestApp,
    session: &crate::support::Session,
    commune: &str,
    theme: &str,
) -> i64 {
    let today = paris::today().to_string();
    let response = app
        .post(
            "/admin/remontees",
            Some(session),
            &[
                ("organisation", "france_services"),
                ("commune", commune),
                ("themes", theme),
                ("publics", "familles"),
                (
                    "observed",
                    "Des familles sans transport vers la CAF de Sens.",
                ),
                ("people_count", "6"),
                ("observed_on", &today),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    app.count("SELECT MAX(id) FROM field_report").await
}

async fn field_reports_are_validated_and_partenaires_see_only_theirs(app: TestApp) {
    let partenaire = app.staff(Role::Partenaire).await;
    let other = app.staff(Role::Partenaire).await;
    let agent = app.staff(Role::Agent).await;
    let bad = app
        .post(
            "/admin/remontees",
            Some(&partenaire),
            &[
                ("organisation", "ovni"),
                ("observed", "  "),
                ("people_count", "beaucoup"),
                ("observed_on", "2099-01-01"),
                ("commune", "sergines"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Choisissez le type de structure",
        "Cochez au moins un thème",
        "Décrivez ce qui a été observé",
        "Saisissez un nombre entier",
        "ne peut pas être dans le futur",
    ] {
        assert!(bad.body.contains(message), "{message}");
    }
    assert!(bad.body.contains("value=\"beaucoup\""));
    assert!(bad.body.contains("<option value=\"sergines\" selected>"));
    let id = file_report(&app, &partenaire, "sergines", "acces-aux-droits").await;
    assert!(
        app.get_as(&partenaire, "/admin/remontees")
            .await
            .body
            .contains("sans transport")
    );
    assert!(
        !app.get_as(&other, "/admin/remontees")
            .await
            .body
            .contains("sans transport"),
        "not someone else's"
    );
    assert_eq!(
        app.get_as(&other, &format!("/admin/remontees/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let forged = app
        .post(
            &format!("/admin/remontees/{id}"),
            Some(&other),
            &[
                ("organisation", "autre"),
                ("commune", "territoire"),
                ("themes", "jeunesse"),
                ("observed", "changé"),
                ("observed_on", "2026-01-02"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM field_report WHERE observed = 'changé'")
            .await,
        0
    );
    assert!(
        app.get_as(&agent, "/admin/remontees")
            .await
            .body
            .contains("sans transport"),
        "agents see all"
    );
    let edited = app
        .post(
            &format!("/admin/remontees/{id}"),
            Some(&partenaire),
            &[
                ("organisation", "france_services"),
                ("commune", "sergines"),
                ("themes", "acces-aux-droits"),
                ("observed", "Mis à jour"),
                ("observed_on", "2026-01-02"),
            ],
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER);
    let needs = app.get_as(&partenaire, "/admin/besoins").await;
    assert_eq!(needs.status, StatusCode::OK, "partenaires read the needs");
    assert!(!needs.body.contains("Nouveau besoin"), "but qualify none");
    assert_eq!(
        app.post(
            "/admin/besoins",
            Some(&partenaire),
            &[("title", "Un besoin")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

async fn needs_keep_a_dated_status_history_with_their_sources(app: TestApp) {
    let agent = app.staff(Role::Agent).await;
    let report = file_report(&app, &agent, "sergines", "acces-aux-droits").await;
    let form = app
        .get_as(&agent, &format!("/admin/besoins/nouveau?remontee={report}"))
        .await;
    assert!(
        form.body
            .contains(&format!("name=\"source\" value=\"r:{report}\""))
    );
    assert!(
        form.body.contains("value=\"sergines\" checked"),
        "prefilled from the report"
    );
    let refused = app
        .post(
            "/admin/besoins",
            Some(&agent),
            &[("title", ""), ("source", &format!("r:{report}"))],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains(&format!("name=\"source\" value=\"r:{report}\"")),
        "the source is kept"
    );
    let created = app
        .post(
            "/admin/besoins",
            Some(&agent),
            &[
                ("title", "Transport vers les services"),
                ("description", "Des familles renoncent à des rendez-vous."),
                ("theme", "acces-aux-droits"),
                ("communes", "sergines"),
                ("source", &format!("r:{report}")),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let id: i64 = created
        .header("location")
        .trim_start_matches("/admin/besoins/")
        .parse()
        .expect("id");
    for status in ["qualifie", "pris_en_compte"] {
        app.post(
            &format!("/admin/besoins/{id}/statut"),
            Some(&agent),
            &[("status", status), ("note", "vu en COTECH")],
        )
        .await;
    }
    let (need, sources, history) = app.territory.need(id).await.expect("load").expect("need");
    assert_eq!(need.status, NeedStatus::PrisEnCompte);
    assert_eq!(sources.len(), 1);
    let steps: Vec<NeedStatus> = history.iter().map(|h| h.status).collect();
    assert_eq!(
        steps,
        [
            NeedStatus::Signale,
            NeedStatus::Qualifie,
            NeedStatus::PrisEnCompte
        ]
    );
    assert!(history.iter().all(|h| h.changed_by.ends_with("@ccyn.fr")));
    assert!(
        history
            .windows(2)
            .all(|w| w[0].changed_at <= w[1].changed_at)
    );
    let page = app.get_as(&agent, &format!("/admin/besoins/{id}")).await;
    assert!(page.body.contains("Pris en compte · par"));
    assert!(page.body.contains("vu en COTECH"));
    // A source attached twice is refused, with a message.
    let twice = app
        .post(
            &format!("/admin/besoins/{id}/sources"),
            Some(&agent),
            &[("source", &format!("r:{report}"))],
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Five responses from Sergines touching the fixture's "petite enfance" question, two
/// from Michery, one field report in Sergines, one need.
async fn board_fixture(app: &TestApp) -> Fixture {
    let f = app.fixture().await;
    for commune in [
        "sergines", "sergines", "sergines", "sergines", "sergines", "michery", "michery",
    ] {
        let answers: Vec<(&str, &str)> = valid_answers()
            .into_iter()
            .map(|(q, v)| if q == "Q8" { (q, commune) } else { (q, v) })
            .collect();
        assert_eq!(
            app.answer(&f.online, &answers).await.status,
            StatusCode::SEE_OTHER
        );
    }
    let agent = app.staff(Role::Agent).await;
    file_report(app, &agent, "sergines", "petite-enfance").await;
    let draft = pouls::needs::NeedDraft {
        title: "Places en crèche".into(),
        description: "Manque de places.".into(),
        theme: "petite-enfance".into(),
        communes: vec!["sergines".into()],
        publics: vec![],
    };
    app.territory
        .create_need(&draft, &[], &f.admin)
        .await
        .expect("need");
    f
}

async fn the_board_counts_exactly_and_hides_small_counts_from_partenaires(app: TestApp) {
    board_fixture(&app).await;
    let period = Period::containing(paris::today(), Periodicity::Year).expect("within the plan");
    let (start, end) = period.bounds();
    let board = app
        .territory
        .needs_board(
            "test",
            (start, end),
            start.replace_year(start.year() - 1).expect("date"),
            None,
        )
        .await
        .expect("board");
    let sergines = board.cell("sergines", "petite-enfance");
    assert_eq!(
        (sergines.responses, sergines.reports, sergines.needs),
        (5, 1, 1)
    );
    assert_eq!(board.cell("michery", "petite-enfance").responses, 2);
    assert_eq!(board.previous_cell("sergines", "petite-enfance").total(), 0);
    let agent = app.staff(Role::Agent).await;
    let page = app.get_as(&agent, "/admin/observatoire").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(">7 (+7)</a>"),
        "staff see exact counts and the change"
    );
    assert!(page.body.contains(">2 (+2)</a>"));
    let partenaire = app.staff(Role::Partenaire).await;
    let page = app.get_as(&partenaire, "/admin/observatoire").await;
    assert!(page.body.contains(">&lt; 5</a>"), "Michery's 2 are hidden");
    assert!(!page.body.contains(">2 (+2)"));
    assert!(
        page.body.contains(">7 (+7)</a>"),
        "Sergines' 7 shown, with its change from 0"
    );
    let printed = app.get_as(&agent, "/admin/observatoire?impression=1").await;
    assert!(
        printed.body.contains(">&lt; 5</a>"),
        "printed boards hide small counts too"
    );
    let sources = app
        .get_as(
            &agent,
            &format!(
                "/admin/observatoire/sources?periode={}&ligne=sergines&theme=petite-enfance",
                period.code()
            ),
        )
        .await;
    assert!(sources.body.contains("Places en crèche"));
    assert!(sources.body.contains("sans transport"));
}

/// Whole months come from the monthly tallies, the ends of a span from the daily ones:
/// either way each response counts once, on its Paris day.
async fn the_board_adds_whole_months_and_single_days_alike(app: TestApp) {
    use time::macros::date;
    let f = app.fixture().await;
    // Noon in Paris on each day, and one at 23:30 on 31 January (22:30 UTC).
    let noon = |d: time::Date| paris::start_of_day(d) + 12 * 3600;
    let late = paris::start_of_day(date!(2026 - 01 - 31)) + 23 * 3600 + 1800;
    let online = f.online.as_str();
    app.store_valid_answers(
        f.survey_id,
        &[
            (online, noon(date!(2026 - 01 - 15)), 3),
            (online, noon(date!(2026 - 03 - 10)), 2),
            (online, noon(date!(2026 - 03 - 20)), 4),
            (online, late, 1),
        ],
    )
    .await;
    let count = |start: time::Date, end: time::Date| {
        let storage = app.territory.clone();
        async move {
            storage
                .needs_board("test", (start, end), start, None)
                .await
                .expect("board")
                .cell("sergines", "petite-enfance")
                .responses
        }
    };
    assert_eq!(
        count(date!(2026 - 01 - 01), date!(2027 - 01 - 01)).await,
        10
    );
    assert_eq!(count(date!(2026 - 01 - 01), date!(2026 - 03 - 16)).await, 6);
    assert_eq!(count(date!(2026 - 01 - 31), date!(2026 - 02 - 01)).await, 1);
    assert_eq!(count(date!(2026 - 02 - 01), date!(2026 - 03 - 01)).await, 0);
    assert_eq!(count(date!(2026 - 01 - 16), date!(2026 - 03 - 25)).await, 7);
    assert_eq!(count(date!(2026 - 03 - 11), date!(2026 - 03 - 25)).await, 4);
}

async fn the_meeting_report_keeps_the_board_as_frozen(app: TestApp) {
    let f = board_fixture(&app).await;
    let agent = app.staff(Role::Agent).await;
    let today = paris::today().to_string();
    let created = app
        .post(
            "/admin/reunions",
            Some(&agent),
            &[
                ("kind", "cotech"),
                ("title", "COTECH petite enfance"),
                ("held_on", &today),
                ("place", "Pont-sur-Yonne"),
                ("invited_elus", "4"),
                ("present_elus", "3"),
                ("invited_partenaires", "10"),
                ("present_partenaires", "5"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let path = created.header("location").to_owned();
    assert!(
        app.get_as(&agent, &format!("{path}/compte-rendu"))
            .await
            .body
            .contains("n'a pas été figé")
    );
    assert_eq!(
        app.post(&format!("{path}/figer"), Some(&agent), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let before = app
        .get_as(&agent, &format!("{path}/compte-rendu"))
        .await
        .body;
    assert!(before.contains("8 présents sur 14 invités (57 %)"));
    // Later answers change the live board, not the report.
    for _ in 0..5 {
        app.answer(&f.online, &valid_answers()).await;
    }
    let after = app
        .get_as(&agent, &format!("{path}/compte-rendu"))
        .await
        .body;
    let board_of = |page: &str| {
        page.split("Tableau de bord des besoins")
            .nth(1)
            .and_then(|rest| rest.split("<h2>Décisions").next())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(board_of(&before), board_of(&after));
    assert!(
        board_of(&after).contains("&lt; 5"),
        "a printed report hides small counts"
    );
}

async fn activity_indicators_compute_exactly(app: TestApp) {
    let f = board_fixture(&app).await;
    let agent = app.staff(Role::Agent).await;
    file_report(&app, &agent, "michery", "jeunesse").await;
    let today = paris::today().to_string();
    let meeting = app
        .post(
            "/admin/reunions",
            Some(&agent),
            &[
                ("kind", "copil"),
                ("title", "COPIL"),
                ("held_on", &today),
                ("invited_elus", "10"),
                ("present_elus", "8"),
                ("invited_partenaires", "10"),
                ("present_partenaires", "4"),
                ("agenda", "1"),
            ],
        )
        .await;
    let path = meeting.header("location").to_owned();
    for (action, status) in [
        ("7", "a_faire"),
        ("7", "en_cours"),
        ("14", "fait"),
        ("2", "abandonne"),
    ] {
        let added = app
            .post(
                &format!("{path}/decisions"),
                Some(&agent),
                &[
                    ("action", action),
                    ("what", "Ajuster"),
                    ("owner", "CCYN"),
                    ("status", status),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    }
    // A resident's answer attached to a need taken into account is an integrated contribution.
    let response: i64 = app.count("SELECT MIN(id) FROM response").await;
    let question: i64 = app
        .count(&format!(
            "SELECT MIN(question_id) FROM answer WHERE response_id = {response}"
        ))
        .await;
    app.territory
        .add_need_source(
            1,
            &NewSource::Answer {
                response_id: response,
                question_id: question,
            },
            &f.admin,
        )
        .await
        .expect("source");
    app.territory
        .set_need_status(1, NeedStatus::PrisEnCompte, "", &f.admin)
        .await
        .expect("status");
    let period = Period::containing(paris::today(), Periodicity::Year).expect("within the plan");
    let value = |code: &'static str| {
        let storage = app.territory.clone();
        async move {
            let action: i32 = code[1..]
                .split('.')
                .next()
                .and_then(|n| n.parse().ok())
                .expect("action");
            let reports = storage
                .indicator_reports(Some(action), Some(period))
                .await
                .expect("reports");
            reports
                .into_iter()
                .find(|r| r.code == code)
                .and_then(|r| r.values[0].computed.clone())
                .and_then(|c| c.value)
        }
    };
    assert_eq!(value("A14.2").await, Some(2.0), "two field reports");
    assert_eq!(value("A14.3").await, Some(1.0), "one meeting");
    assert_eq!(value("A16.1").await, Some(1.0));
    assert_eq!(value("A16.2").await, Some(60.0), "12 present of 20 invited");
    assert_eq!(value("A17.2").await, Some(40.0), "4 partners of 10");
    assert_eq!(
        value("A14.4").await,
        Some(2.0),
        "actions 7 and 14; the abandoned one does not count"
    );
    assert_eq!(value("A3.3").await, Some(1.0));
    let page = app.get_as(&agent, "/admin/plan/actions/16").await;
    assert!(page.body.contains("60,0 %"));
    assert!(page.body.contains("Calculé par la plateforme"));
}

async fn the_public_results_show_decisions_and_only_publishable_text(app: TestApp) {
    let f = app.fixture().await;
    let agent = app.staff(Role::Agent).await;
    let mut answers = valid_answers();
    answers.push(("Q7", "Un secret de famille à ne pas publier"));
    app.answer(&f.online, &answers).await;
    let mut answers = valid_answers();
    answers.push(("Q7", "Plus de places en crèche à Sergines"));
    app.answer(&f.online, &answers).await;
    let report = file_report(&app, &agent, "sergines", "acces-aux-droits").await;
    let draft = pouls::needs::NeedDraft {
        title: "Transport".into(),
        description: "Transport vers Sens.".into(),
        theme: "acces-aux-droits".into(),
        communes: vec!["sergines".into()],
        publics: vec![],
    };
    let need = app
        .territory
        .create_need(&draft, &[NewSource::Report(report)], &f.admin)
        .await
        .expect("need");
    let today = paris::today().to_string();
    let meeting = app
        .post(
            "/admin/reunions",
            Some(&agent),
            &[
                ("kind", "cotech"),
                ("title", "COTECH accès aux droits"),
                ("held_on", &today),
                ("agenda", &need.to_string()),
            ],
        )
        .await;
    let path = meeting.header("location").to_owned();
    let added = app
        .post(
            &format!("{path}/decisions"),
            Some(&agent),
            &[
                ("action", "7"),
                ("need", &need.to_string()),
                (
                    "what",
                    "Une permanence France Services itinérante à Sergines",
                ),
                ("owner", "France Services"),
                ("status", "en_cours"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let question: i64 = app.count("SELECT id FROM question WHERE code = 'Q7'").await;
    let publishable: i64 = app.count("SELECT response_id FROM answer WHERE value_text = 'Plus de places en crèche à Sergines'").await;
    app.territory
        .review_text(publishable, question, true, true, &f.admin)
        .await
        .expect("review");
    let secret: i64 = app
        .count("SELECT response_id FROM answer WHERE value_text LIKE 'Un secret%'")
        .await;
    app.territory
        .review_text(secret, question, true, false, &f.admin)
        .await
        .expect("review");

    let page = app.get("/resultats").await;
    assert_eq!(page.status, StatusCode::OK);
    let action_7 = page
        .body
        .split("id=\"action-7\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .expect("action 7");
    assert!(action_7.contains("Une permanence France Services itinérante à Sergines"));
    assert!(action_7.contains("En cours"));
    let sergines = page
        .body
        .split("id=\"commune-sergines\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .expect("Sergines");
    assert!(sergines.contains("Une permanence France Services itinérante à Sergines"));
    assert!(
        !sergines.contains("réponses"),
        "no count per commune: added up across surveys, it would give a hidden one away"
    );
    let survey = page
        .body
        .split(&format!("id=\"enquete-{}\"", f.survey_id))
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .expect("the survey");
    assert!(
        survey.contains("Détail non publié : moins de 5 réponses à cette question."),
        "2 answers: no share"
    );
    assert!(
        page.body.contains("Plus de places en crèche à Sergines"),
        "publishable text shown"
    );
    assert!(
        !page.body.contains("secret"),
        "reviewed but not publishable: never shown"
    );
}
