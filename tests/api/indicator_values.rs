//! Indicator figures as each audience reads them: every figure names its unit, counts
//! that are not residents' answers are shown as they are, and distributions show each
//! category with "< 5" and "≥ 5" where the disclosure rule wants them.

use crate::support::{Fixture, TestApp, valid_answers};
use axum::http::StatusCode;
use pouls::domain::{Role, paris};
use pouls::indicators::{Period, Periodicity, RuleDraft, RuleKind};
use pouls::needs::{Attendance, MeetingDraft, MeetingKind, Organisation, ReportDraft};

on_both_backends!(
    activity_figures_name_their_unit_and_are_never_hidden,
    few_answers_stay_hidden_outside_staff_views,
    distributions_show_each_category_as_each_audience_may_see_it,
);

fn this_year() -> Period {
    Period::containing(paris::today(), Periodicity::Year).expect("within the plan")
}

/// The row of an indicator in the public table, up to the end of the row.
fn row<'a>(body: &'a str, code: &str) -> &'a str {
    body.split(&format!("<td>{code}</td>"))
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap_or_else(|| panic!("no row {code}"))
}

/// Three meetings today (88 people invited, 60 present) and two field reports.
async fn activity(app: &TestApp, f: &Fixture) {
    for (title, invited) in [("COPIL", 40), ("COTECH", 28), ("Observatoire", 20)] {
        let draft = MeetingDraft {
            kind: MeetingKind::Copil,
            title: title.into(),
            theme: None,
            held_on: paris::today(),
            place: String::new(),
            notes: String::new(),
            attendance: Attendance {
                invited: [invited, 0, 0, 0],
                present: [invited * 60 / 88, 0, 0, 0],
            },
            agenda: Vec::new(),
        };
        app.territory
            .create_meeting(&draft, &f.admin)
            .await
            .expect("meeting");
    }
    for _ in 0..2 {
        let draft = ReportDraft {
            organisation: Organisation::FranceServices,
            commune: None,
            themes: vec!["acces-aux-droits".into()],
            publics: Vec::new(),
            observed: "Des démarches en ligne impossibles sans aide.".into(),
            people_count: None,
            observed_on: paris::today(),
        };
        app.territory
            .create_report(&draft, &f.admin)
            .await
            .expect("report");
    }
}

async fn activity_figures_name_their_unit_and_are_never_hidden(app: TestApp) {
    let f = app.fixture().await;
    activity(&app, &f).await;
    let page = app.get("/plan/actions/14").await;
    assert_eq!(page.status, StatusCode::OK);
    let meetings = row(&page.body, "A14.3");
    assert!(meetings.contains("3 réunions"), "{meetings}");
    assert!(!meetings.contains("moins de 5"), "meetings are not answers");
    let reports = row(&page.body, "A14.2");
    assert!(reports.contains("2 remontées de terrain"), "{reports}");
    assert!(!reports.contains("réponses"));
    let page = app.get("/plan/actions/16").await;
    let attendance = row(&page.body, "A16.2");
    assert!(attendance.contains("88 personnes invitées"), "{attendance}");
    assert!(!attendance.contains("88 réponses"));

    let partenaire = app.staff(Role::Partenaire).await;
    let staff_page = app.get_as(&partenaire, "/admin/plan/actions/14").await;
    assert!(staff_page.body.contains("3 réunions en "));
    let csv = app
        .get_as(
            &partenaire,
            &format!(
                "/admin/exports/indicateurs?dialecte=standard&periode={}",
                this_year().code()
            ),
        )
        .await
        .body;
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("code,action,libelle,periode,categorie,valeur,unite,n,unite_n,source")
    );
    let meetings = csv
        .lines()
        .find(|l| l.starts_with("A14.3,"))
        .expect("A14.3");
    assert!(
        meetings.contains(&format!(",{},,3,réunions,3,réunions,", this_year().code())),
        "{meetings}"
    );
    let attendance = csv
        .lines()
        .find(|l| l.starts_with("A16.2,"))
        .expect("A16.2");
    assert!(
        attendance.contains(",%,88,personnes invitées,"),
        "{attendance}"
    );
}

/// Three answers feeding a count on A14.1.
async fn three_answers_on_a14_1(app: &TestApp, f: &Fixture) {
    let definition = app.definition(f.survey_id).await;
    let question = definition
        .questions
        .iter()
        .find(|q| q.code == "Q1")
        .expect("Q1");
    let draft = RuleDraft::parse("responses", &[], question, &[14, 15], 14).expect("rule");
    app.territory
        .add_rule("A14.1", &draft, &f.admin)
        .await
        .expect("stored")
        .expect("added");
    for _ in 0..3 {
        assert_eq!(
            app.answer(&f.online, &valid_answers()).await.status,
            StatusCode::SEE_OTHER
        );
    }
}

async fn few_answers_stay_hidden_outside_staff_views(app: TestApp) {
    let f = app.fixture().await;
    three_answers_on_a14_1(&app, &f).await;
    let public = app.get("/plan/actions/14").await;
    assert!(row(&public.body, "A14.1").contains("moins de 5 réponses"));
    let agent = app.staff(Role::Agent).await;
    let page = app.get_as(&agent, "/admin/plan/actions/14").await;
    assert!(
        page.body.contains("3 réponses en "),
        "staff see exact counts"
    );
    let partenaire = app.staff(Role::Partenaire).await;
    let page = app.get_as(&partenaire, "/admin/plan/actions/14").await;
    assert!(!page.body.contains("3 réponses"), "partenaires do not");
    assert!(page.body.contains("moins de 5 réponses en "));
    let csv = app
        .get_as(&partenaire, "/admin/exports/indicateurs?dialecte=standard")
        .await
        .body;
    let year = this_year().code();
    let line = csv
        .lines()
        .find(|l| l.starts_with("A14.1,") && l.contains(&format!(",{year},")))
        .expect("A14.1 this year");
    assert!(line.contains(",,,< 5,réponses,"), "{line}");
    let csv = app
        .get_as(&agent, "/admin/exports/indicateurs?dialecte=standard")
        .await
        .body;
    let line = csv
        .lines()
        .find(|l| l.starts_with("A14.1,") && l.contains(&format!(",{year},")))
        .expect("A14.1 this year");
    assert!(line.contains(",3,réponses,3,réponses,"), "{line}");
}

/// Sergines 12, Michery 6, Pont-sur-Yonne 2: a distribution rule on the commune question
/// feeds A15.2.
async fn twenty_answers_by_commune(app: &TestApp, f: &Fixture) {
    let definition = app.definition(f.survey_id).await;
    let question = definition
        .questions
        .iter()
        .find(|q| q.code == "Q8")
        .expect("Q8");
    let draft = RuleDraft::parse("distribution", &[], question, &[14, 15], 15).expect("rule");
    assert_eq!(draft.kind, RuleKind::Distribution);
    app.territory
        .add_rule("A15.2", &draft, &f.admin)
        .await
        .expect("stored")
        .expect("added");
    for (commune, times) in [("sergines", 12), ("michery", 6), ("pont-sur-yonne", 2)] {
        let answers: Vec<(&str, &str)> = valid_answers()
            .into_iter()
            .map(|(q, v)| if q == "Q8" { (q, commune) } else { (q, v) })
            .collect();
        for _ in 0..times {
            assert_eq!(
                app.answer(&f.online, &answers).await.status,
                StatusCode::SEE_OTHER
            );
        }
    }
}

/// The cells of the distribution table whose caption starts with `caption`.
fn cells(body: &str, caption: &str) -> Vec<(String, String)> {
    let table = body
        .split(&format!("<caption class=\"visually-hidden\">{caption}"))
        .nth(1)
        .and_then(|rest| rest.split("</tbody>").next())
        .unwrap_or_else(|| panic!("no table {caption}"));
    table
        .split("<th scope=\"row\">")
        .skip(1)
        .map(|row| {
            let label = row.split('<').next().unwrap_or_default().to_owned();
            let count = row
                .split("<td class=\"number\">")
                .nth(1)
                .and_then(|c| c.split('<').next())
                .unwrap_or_default()
                .to_owned();
            (label, count)
        })
        .collect()
}

async fn distributions_show_each_category_as_each_audience_may_see_it(app: TestApp) {
    let f = app.fixture().await;
    twenty_answers_by_commune(&app, &f).await;
    let caption = format!("A15.2 : répartition, {}", this_year().label());
    let pair = |label: &str, count: &str| (label.to_owned(), count.to_owned());

    let public = app.get("/plan/actions/15").await;
    assert!(row(&public.body, "A15.2").contains("20 réponses"));
    // 20 - 12 - 6 would give the 2 away: Michery's 6 is held back with it.
    assert_eq!(
        cells(&public.body, &caption),
        [
            pair("Sergines", "12"),
            pair("Michery", "≥ 5"),
            pair("Pont-sur-Yonne", "&lt; 5")
        ]
    );
    assert!(public.body.contains("class=\"chart\""), "a chart beside it");
    assert!(
        public
            .body
            .contains("au moins 5 réponses, dont le nombre exact est retiré")
    );

    let agent = app.staff(Role::Agent).await;
    let staff = app.get_as(&agent, "/admin/plan/actions/15").await;
    assert_eq!(
        cells(&staff.body, &caption),
        [
            pair("Sergines", "12"),
            pair("Michery", "6"),
            pair("Pont-sur-Yonne", "2")
        ]
    );
    let partenaire = app.staff(Role::Partenaire).await;
    let partner = app.get_as(&partenaire, "/admin/plan/actions/15").await;
    assert_eq!(
        cells(&partner.body, &caption),
        cells(&public.body, &caption)
    );

    let url = format!(
        "/admin/exports/indicateurs?dialecte=standard&periode={}",
        this_year().code()
    );
    let rows = |body: &str| -> Vec<String> {
        body.lines()
            .filter(|l| l.starts_with("A15.2,"))
            .map(|l| l.split(',').skip(4).take(4).collect::<Vec<_>>().join(","))
            .collect()
    };
    assert_eq!(
        rows(&app.get_as(&agent, &url).await.body),
        [
            ",20,réponses,20",
            "Sergines,12,réponses,20",
            "Michery,6,réponses,20",
            "Pont-sur-Yonne,2,réponses,20"
        ]
    );
    assert_eq!(
        rows(&app.get_as(&partenaire, &url).await.body),
        [
            ",20,réponses,20",
            "Sergines,12,réponses,20",
            "Michery,≥ 5,réponses,20",
            "Pont-sur-Yonne,< 5,réponses,20"
        ]
    );
}
