//! Indicators computed from answers, recorded values, periods, and their pages.

use crate::support::{Fixture, TestApp};
use axum::http::StatusCode;
use pouls::domain::Role;
use pouls::indicators::{Period, RecordDraft, RecordInput, RuleDraft};
use pouls::survey::{Answer, SurveyDefinition};
use time::macros::datetime;

on_both_backends!(
    each_rule_gives_the_exact_value_on_a_fixture,
    periods_split_at_midnight_paris_time,
    renamed_options_keep_counting,
    rules_must_fit_their_question_and_action,
    recorded_values_keep_their_history,
    staff_pages_show_value_n_source_and_period,
    the_public_page_hides_values_resting_on_fewer_than_five_answers,
    templates_create_surveys_with_their_rules,
);

/// The fixture's definition and the answers of one response: Q1 option, Q3 scale, Q6
/// number, Q8 commune.
async fn definition(app: &TestApp, f: &Fixture) -> SurveyDefinition {
    app.territory
        .survey_definition(f.survey_id)
        .await
        .expect("load")
        .expect("survey")
}

fn response(d: &SurveyDefinition, q1: &str, q3: &str, q6: f64, q8: &str) -> Vec<Answer> {
    let option = |index: usize, code: &str| Answer {
        question_id: d.questions[index].id,
        option_id: d.questions[index].option_by_code(code).map(|o| o.id),
        text: None,
        number: None,
    };
    vec![
        option(0, q1),
        option(2, q3),
        Answer {
            question_id: d.questions[5].id,
            option_id: None,
            text: None,
            number: Some(q6),
        },
        option(7, q8),
    ]
}

/// Stores responses at the given UTC times through the fixture's online point.
async fn store(app: &TestApp, f: &Fixture, rows: Vec<(time::OffsetDateTime, Vec<Answer>)>) {
    let point = app
        .territory
        .points(f.survey_id)
        .await
        .expect("points")
        .remove(0);
    let definition = definition(app, f).await;
    let rows: Vec<(String, i64, Vec<Answer>)> = rows
        .into_iter()
        .map(|(at, answers)| {
            (
                format!("{:032x}", rand::random::<u128>()),
                at.unix_timestamp(),
                answers,
            )
        })
        .collect();
    app.storage
        .insert_responses(&definition, &point, &rows)
        .await
        .expect("insert");
}

async fn add_rule(
    app: &TestApp,
    f: &Fixture,
    code: &str,
    question: usize,
    kind: &str,
    options: &[&str],
) {
    let d = definition(app, f).await;
    let action: i32 = code[1..]
        .split('.')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("action");
    let options: Vec<String> = options.iter().map(|o| (*o).to_owned()).collect();
    let draft = RuleDraft::parse(
        kind,
        &options,
        &d.questions[question],
        &d.survey.actions,
        action,
    )
    .expect("valid rule");
    app.territory
        .add_rule(code, &draft, &f.admin)
        .await
        .expect("add")
        .expect("same kind");
}

async fn value(app: &TestApp, code: &str, period: &str) -> (Option<f64>, i64) {
    let period = Period::parse(period).expect("period");
    let action: i32 = code[1..]
        .split('.')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("action");
    let reports = app
        .territory
        .indicator_reports(Some(action), Some(period))
        .await
        .expect("reports");
    let report = reports
        .into_iter()
        .find(|r| r.code == code)
        .expect("indicator");
    let computed = report.values[0].computed.clone().expect("computed");
    (computed.value, computed.n)
}

async fn each_rule_gives_the_exact_value_on_a_fixture(app: TestApp) {
    let f = app.fixture().await;
    let d = definition(&app, &f).await;
    let at = datetime!(2026-03-10 10:00 UTC);
    store(
        &app,
        &f,
        vec![
            (at, response(&d, "O1", "5", 2.0, "sergines")),
            (at, response(&d, "O1", "4", 1.0, "sergines")),
            (at, response(&d, "O2", "4", 3.0, "michery")),
            (at, response(&d, "O3", "2", 0.0, "hors-ccyn")),
            (at, response(&d, "O2", "5", 4.0, "vinneuf")),
        ],
    )
    .await;
    add_rule(&app, &f, "A14.1", 0, "responses", &[]).await;
    add_rule(&app, &f, "A15.4", 0, "responses", &["O2"]).await;
    add_rule(&app, &f, "A15.5", 2, "share", &["4", "5"]).await;
    add_rule(&app, &f, "A14.5", 2, "mean", &[]).await;
    add_rule(&app, &f, "A15.1", 7, "communes", &[]).await;
    add_rule(&app, &f, "A15.2", 7, "distribution", &[]).await;
    add_rule(&app, &f, "A15.3", 5, "mean", &[]).await;
    assert_eq!(value(&app, "A14.1", "2026").await, (Some(5.0), 5));
    assert_eq!(value(&app, "A15.4", "2026").await, (Some(2.0), 2));
    assert_eq!(
        value(&app, "A15.5", "2026").await,
        (Some(80.0), 5),
        "4 of 5 chose 4 or 5"
    );
    assert_eq!(
        value(&app, "A14.5", "2026").await,
        (Some(4.0), 5),
        "(5+4+4+2+5)/5"
    );
    assert_eq!(
        value(&app, "A15.1", "2026").await,
        (Some(3.0), 5),
        "Hors CCYN is not a commune"
    );
    assert_eq!(
        value(&app, "A15.3", "2026").await,
        (Some(2.0), 5),
        "(2+1+3+0+4)/5"
    );
    let reports = app
        .territory
        .indicator_reports(Some(15), Some(Period::year(2026)))
        .await
        .expect("reports");
    let distribution = reports
        .iter()
        .find(|r| r.code == "A15.2")
        .and_then(|r| r.values[0].computed.clone())
        .expect("distribution");
    assert_eq!(distribution.breakdown[0], ("Sergines".to_owned(), 2));
    assert_eq!(distribution.breakdown.len(), 4);
    // A period without answers: a zero count, no share, no mean.
    assert_eq!(value(&app, "A14.1", "2026-S2").await, (Some(0.0), 0));
    assert_eq!(value(&app, "A15.5", "2026-S2").await, (None, 0));
    assert_eq!(value(&app, "A14.5", "2026-S2").await, (None, 0));
    // A period that has not started has no value at all.
    let future = app
        .territory
        .indicator_reports(Some(14), Some(Period::year(2030)))
        .await
        .expect("reports");
    assert!(future.iter().all(|r| r.values[0].computed.is_none()));
    // Answers from the web form count too.
    assert_eq!(
        app.answer(&f.online, &crate::support::valid_answers())
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let current = Period::containing(
        pouls::domain::paris::today(),
        pouls::indicators::Periodicity::Year,
    )
    .expect("within the plan");
    let (count, _) = value(&app, "A14.1", &current.code()).await;
    assert!(count.is_some_and(|c| c >= 1.0));
}

async fn periods_split_at_midnight_paris_time(app: TestApp) {
    let f = app.fixture().await;
    let d = definition(&app, &f).await;
    store(
        &app,
        &f,
        vec![
            // 23:30 in Paris on 30 June (summer time): the first half.
            (
                datetime!(2026-06-30 21:30 UTC),
                response(&d, "O1", "5", 1.0, "sergines"),
            ),
            // 00:30 in Paris on 1 July: the second half.
            (
                datetime!(2026-06-30 22:30 UTC),
                response(&d, "O1", "5", 1.0, "sergines"),
            ),
            (
                datetime!(2026-12-31 22:59 UTC),
                response(&d, "O1", "5", 1.0, "sergines"),
            ),
            // 00:10 on 1 January 2027 in Paris (winter time).
            (
                datetime!(2026-12-31 23:10 UTC),
                response(&d, "O1", "5", 1.0, "sergines"),
            ),
        ],
    )
    .await;
    add_rule(&app, &f, "A14.1", 0, "responses", &[]).await;
    assert_eq!(value(&app, "A14.1", "2026-S1").await.0, Some(1.0));
    assert_eq!(value(&app, "A14.1", "2026-S2").await.0, Some(2.0));
    assert_eq!(value(&app, "A14.1", "2026").await.0, Some(3.0));
    assert_eq!(value(&app, "A14.1", "2027-S1").await.0, Some(1.0));
}

async fn renamed_options_keep_counting(app: TestApp) {
    let f = app.fixture().await;
    let d = definition(&app, &f).await;
    store(
        &app,
        &f,
        vec![(
            datetime!(2026-03-10 10:00 UTC),
            response(&d, "O2", "4", 1.0, "sergines"),
        )],
    )
    .await;
    add_rule(&app, &f, "A15.4", 0, "share", &["O2"]).await;
    app.sql("UPDATE question_option SET label = 'Relais Petite Enfance' WHERE code = 'O2'")
        .await;
    assert_eq!(value(&app, "A15.4", "2026").await, (Some(100.0), 1));
}

async fn rules_must_fit_their_question_and_action(app: TestApp) {
    let f = app.fixture().await;
    let d = definition(&app, &f).await;
    let no_options: Vec<String> = Vec::new();
    // The survey serves actions 14 and 15, not 2.
    let errors = RuleDraft::parse(
        "responses",
        &no_options,
        &d.questions[0],
        &d.survey.actions,
        2,
    )
    .expect_err("wrong action");
    assert!(
        errors
            .get("question")
            .is_some_and(|m| m.contains("ne sert pas l'action 2"))
    );
    // A mean needs a scale or a number.
    assert!(RuleDraft::parse("mean", &no_options, &d.questions[0], &d.survey.actions, 14).is_err());
    // Communes reached needs a commune question.
    assert!(
        RuleDraft::parse(
            "communes",
            &no_options,
            &d.questions[2],
            &d.survey.actions,
            14
        )
        .is_err()
    );
    // Rules of one indicator share their variant.
    add_rule(&app, &f, "A14.1", 0, "responses", &[]).await;
    let mean = RuleDraft::parse("mean", &no_options, &d.questions[2], &d.survey.actions, 14)
        .expect("valid");
    let refused = app
        .territory
        .add_rule("A14.1", &mean, &f.admin)
        .await
        .expect("add");
    assert!(refused.is_err());
    // Through the form: a French message, nothing added.
    let agent = app.staff(Role::Agent).await;
    let response = app
        .post(
            "/admin/indicateurs/A14.1/regles",
            Some(&agent),
            &[
                ("question", &d.questions[2].id.to_string()),
                ("rule_kind", "mean"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .body
            .contains("Cet indicateur est déjà calculé ainsi")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM indicator_rule").await, 1);
}

async fn recorded_values_keep_their_history(app: TestApp) {
    let f = app.fixture().await;
    let draft = |value: &str| {
        RecordDraft::parse(&RecordInput {
            period: "2026".into(),
            value: value.into(),
            source: "Imprimeur".into(),
            ..RecordInput::default()
        })
        .expect("valid")
    };
    assert!(
        app.territory
            .record_value("A5.1", &draft("2"), &f.admin)
            .await
            .expect("record")
    );
    assert!(
        app.territory
            .record_value("A5.1", &draft("3"), &f.admin)
            .await
            .expect("record")
    );
    assert!(
        !app.territory
            .record_value("A99.1", &draft("3"), &f.admin)
            .await
            .expect("record"),
        "unknown indicator"
    );
    let reports = app
        .territory
        .indicator_reports(Some(5), Some(Period::year(2026)))
        .await
        .expect("reports");
    let recorded = reports
        .iter()
        .find(|r| r.code == "A5.1")
        .and_then(|r| r.values[0].recorded.clone())
        .expect("recorded");
    assert_eq!(recorded.value, Some(3.0));
    assert_eq!(recorded.recorded_by, "fixture-admin@ccyn.fr");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'indicator_value_recorded' AND detail LIKE '2026 : 2 → 3%'").await, 1);
    // Through the form, bad input is explained and kept.
    let agent = app.staff(Role::Agent).await;
    let response = app
        .post(
            "/admin/indicateurs/A5.1/valeurs",
            Some(&agent),
            &[("period", "2026"), ("value", "beaucoup"), ("source", "")],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("Saisissez un nombre"));
    assert!(response.body.contains("Indiquez la source"));
    assert!(response.body.contains("value=\"beaucoup\""));
    let response = app
        .post(
            "/admin/indicateurs/A5.1/valeurs",
            Some(&agent),
            &[
                ("period", "2027"),
                ("value", "5"),
                ("source", "Service communication"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    let page = app.get_as(&agent, "/admin/indicateurs/A5.1").await;
    assert!(page.body.contains("2 → 3"), "the history shows the change");
}

async fn staff_pages_show_value_n_source_and_period(app: TestApp) {
    let f = app.fixture().await;
    let d = definition(&app, &f).await;
    let at = datetime!(2026-03-10 10:00 UTC);
    store(
        &app,
        &f,
        (0..6)
            .map(|i| {
                (
                    at,
                    response(&d, "O1", if i < 3 { "5" } else { "2" }, 1.0, "sergines"),
                )
            })
            .collect(),
    )
    .await;
    add_rule(&app, &f, "A15.5", 2, "share", &["4", "5"]).await;
    let agent = app.staff(Role::Agent).await;
    let page = app.get_as(&agent, "/admin/plan/actions/15").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("50,0 % en 2026, sur 6 réponses"),
        "value, period and n with its unit"
    );
    assert!(
        page.body.contains(
            "enquête « Besoins des familles », Q3 « Êtes-vous satisfait de l&#x27;offre ? »"
        ) || page
            .body
            .contains("enquête « Besoins des familles », Q3 « Êtes-vous satisfait de l'offre ? »")
    );
    assert!(page.body.contains("class=\"chart\""));
    assert!(
        page.body
            .contains("tabindex=\"0\" role=\"region\" aria-label=\"Valeurs de l"),
        "a table scrolling sideways is a named region the keyboard reaches"
    );
    // Settings: bad input comes back with a message.
    let bad = app
        .post(
            "/admin/indicateurs/A15.5/reglages",
            Some(&agent),
            &[
                ("kind", "rate"),
                ("periodicity", "year"),
                ("target_value", "quatre-vingts"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("value=\"quatre-vingts\""));
    let ok = app
        .post(
            "/admin/indicateurs/A15.5/reglages",
            Some(&agent),
            &[
                ("kind", "rate"),
                ("periodicity", "year"),
                ("target_value", "75"),
                ("baseline_value", "40"),
                ("baseline_label", "CTG 2022-2025"),
                ("published", "1"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let page = app.get_as(&agent, "/admin/plan/actions/15").await;
    assert!(page.body.contains("40 (CTG 2022-2025)"));
    let dashboard = app.get_as(&agent, "/admin/plan").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(
        dashboard
            .body
            .contains("Sans valeur pour la période en cours")
    );
    // Partenaires read the pages but cannot change them.
    let partenaire = app.staff(Role::Partenaire).await;
    assert_eq!(
        app.get_as(&partenaire, "/admin/plan/actions/15")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get_as(&partenaire, "/admin/indicateurs/A15.5")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

async fn the_public_page_hides_values_resting_on_fewer_than_five_answers(app: TestApp) {
    let f = app.fixture().await;
    let d = definition(&app, &f).await;
    let at = datetime!(2026-03-10 10:00 UTC);
    store(
        &app,
        &f,
        (0..4)
            .map(|_| (at, response(&d, "O1", "5", 1.0, "sergines")))
            .collect(),
    )
    .await;
    add_rule(&app, &f, "A15.5", 2, "share", &["5"]).await;
    let page = app.get("/plan/actions/15").await;
    assert!(page.body.contains("moins de 5 réponses"));
    assert!(!page.body.contains("100,0 %"));
    store(
        &app,
        &f,
        vec![(at, response(&d, "O1", "4", 1.0, "sergines"))],
    )
    .await;
    let page = app.get("/plan/actions/15").await;
    assert!(page.body.contains("80,0 %"), "{}", page.body);
    assert!(page.body.contains("2026, 5 réponses"));
    app.sql("UPDATE plan_indicator SET published = FALSE WHERE code = 'A15.5'")
        .await;
    assert!(
        !app.get("/plan/actions/15").await.body.contains("80,0 %"),
        "unpublished"
    );
}

async fn templates_create_surveys_with_their_rules(app: TestApp) {
    let agent = app.staff(Role::Agent).await;
    let list = app.get_as(&agent, "/admin/modeles").await;
    assert!(
        list.body.contains("Satisfaction d&#x27;un événement")
            || list.body.contains("Satisfaction d'un événement")
    );
    let created = app
        .post("/admin/modeles/satisfaction-evenement", Some(&agent), &[])
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let id: i64 = created
        .header("location")
        .trim_start_matches("/admin/enquetes/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("id");
    let survey = app
        .territory
        .survey_definition(id)
        .await
        .expect("load")
        .expect("survey");
    assert_eq!(survey.survey.actions, [1, 2]);
    assert!(survey.questions.len() <= 8);
    assert_eq!(
        survey.questions[3]
            .condition
            .as_ref()
            .map(|c| c.question_code.as_str()),
        Some("Q3")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM indicator_rule").await, 4);
    assert_eq!(
        app.post("/admin/modeles/inconnu", Some(&agent), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
