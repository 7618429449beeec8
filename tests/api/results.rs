//! Survey results computed exactly on a known fixture, and the retention purge (the review
//! of free text is in `review`).

use crate::support::{Fixture, TestApp, valid_answers};
use axum::http::StatusCode;
use pouls::audit::Actor;
use pouls::domain::Role;
use pouls::survey::ResultsFilter;
use time::macros::date;

on_both_backends!(
    results_count_each_option_exactly,
    results_filter_by_point_commune_and_public,
    partenaires_see_small_counts_hidden_and_only_reviewed_text,
    partenaires_cannot_difference_two_periods,
    an_inverted_date_range_is_an_error,
    responses_past_their_retention_date_are_purged,
);

/// Six responses: Q1 = O1 ×3, O2 ×2, O3 ×1; Q3 scale 5,4,4,3,2,5 (mean 23/6);
/// the first two at the event point, the rest online; communes sergines ×4, michery ×2.
async fn known_responses(app: &TestApp, f: &Fixture) {
    let rows: [(&str, &str, &str, &str); 6] = [
        ("O1", "5", "sergines", "event"),
        ("O1", "4", "sergines", "event"),
        ("O1", "4", "sergines", "online"),
        ("O2", "3", "michery", "online"),
        ("O2", "2", "michery", "online"),
        ("O3", "5", "sergines", "online"),
    ];
    for (q1, q3, commune, point) in rows {
        let answers: Vec<(&str, &str)> = valid_answers()
            .into_iter()
            .map(|(q, v)| match q {
                "Q1" => (q, q1),
                "Q3" => (q, q3),
                "Q8" => (q, commune),
                _ => (q, v),
            })
            .chain([(
                "Q9",
                if commune == "michery" {
                    "seniors"
                } else {
                    "familles"
                },
            )])
            .collect();
        let code = if point == "event" {
            &f.event
        } else {
            &f.online
        };
        assert_eq!(
            app.answer(code, &answers).await.status,
            StatusCode::SEE_OTHER
        );
    }
}

async fn results_count_each_option_exactly(app: TestApp) {
    let f = app.fixture().await;
    known_responses(&app, &f).await;
    let definition = app
        .territory
        .survey_definition(f.survey_id)
        .await
        .expect("load")
        .expect("survey");
    let (total, results) = app
        .territory
        .survey_results(&definition, &ResultsFilter::default())
        .await
        .expect("results");
    assert_eq!(total, 6);
    let q1: Vec<i64> = results[0].options.iter().map(|o| o.count).collect();
    assert_eq!(q1, [3, 2, 1]);
    assert_eq!(results[0].answered, 6);
    let mean = results[2].mean.expect("a mean");
    assert!((mean - 23.0 / 6.0).abs() < 1e-9, "{mean}");
    assert_eq!(results[5].mean, Some(2.0), "numbers averaged");
    // Q2: every response ticked O1 and O3.
    let q2: Vec<i64> = results[1].options.iter().map(|o| o.count).collect();
    assert_eq!(q2, [6, 0, 6, 0]);

    let agent = app.staff(Role::Agent).await;
    let page = app
        .get_as(
            &agent,
            &format!("/admin/enquetes/{}/resultats", f.survey_id),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<strong>6 réponses</strong>"));
    assert!(page.body.contains(
        "<tr><td>Crèche</td><td class=\"number\">3</td><td class=\"number\">50,0 %</td></tr>"
    ));
    assert!(page.body.contains("<tr><td>Accueil de loisirs</td><td class=\"number\">1</td><td class=\"number\">16,7 %</td></tr>"));
    assert!(page.body.contains("Moyenne : 3,8 sur 5"));
    assert!(
        page.body.contains("class=\"chart\""),
        "an SVG chart beside the table"
    );
    assert!(page.body.contains("role=\"img\""));
}

async fn results_filter_by_point_commune_and_public(app: TestApp) {
    let f = app.fixture().await;
    known_responses(&app, &f).await;
    let definition = app
        .territory
        .survey_definition(f.survey_id)
        .await
        .expect("load")
        .expect("survey");
    let points = app.territory.points(f.survey_id).await.expect("points");
    let event = points
        .iter()
        .find(|p| p.code.to_string() == f.event)
        .expect("event point");
    let by = |filter: ResultsFilter| {
        let storage = app.territory.clone();
        let definition = definition.clone();
        async move {
            storage
                .survey_results(&definition, &filter)
                .await
                .expect("results")
        }
    };
    let (total, results) = by(ResultsFilter {
        point_id: Some(event.id),
        ..ResultsFilter::default()
    })
    .await;
    assert_eq!(total, 2);
    assert_eq!(results[0].options[0].count, 2);
    let (total, results) = by(ResultsFilter {
        commune: Some("michery".into()),
        ..ResultsFilter::default()
    })
    .await;
    assert_eq!(total, 2);
    assert_eq!(
        results[0]
            .options
            .iter()
            .map(|o| o.count)
            .collect::<Vec<_>>(),
        [0, 2, 0]
    );
    let (total, _) = by(ResultsFilter {
        public: Some("familles".into()),
        ..ResultsFilter::default()
    })
    .await;
    assert_eq!(total, 4);
    let (total, _) = by(ResultsFilter {
        from: Some(date!(2099 - 01 - 01)),
        ..ResultsFilter::default()
    })
    .await;
    assert_eq!(total, 0);
    let (total, _) = by(ResultsFilter {
        from: Some(date!(2026 - 01 - 01)),
        to: Some(pouls::domain::paris::today()),
        ..ResultsFilter::default()
    })
    .await;
    assert_eq!(total, 6, "today is included");

    let agent = app.staff(Role::Agent).await;
    let page = app
        .get_as(
            &agent,
            &format!("/admin/enquetes/{}/resultats?commune=michery", f.survey_id),
        )
        .await;
    assert!(page.body.contains("<strong>2 réponses</strong>"));
    assert!(
        page.body.contains("<option value=\"michery\" selected>"),
        "the filter stays chosen"
    );
}

async fn partenaires_see_small_counts_hidden_and_only_reviewed_text(app: TestApp) {
    let f = app.fixture().await;
    known_responses(&app, &f).await;
    let mut answers = valid_answers();
    answers.push((
        "Q7",
        "Ma voisine, Mme Martin, n'a plus de solution de garde.",
    ));
    app.answer(&f.online, &answers).await;
    let partenaire = app.staff(Role::Partenaire).await;
    let page = app
        .get_as(
            &partenaire,
            &format!("/admin/enquetes/{}/resultats", f.survey_id),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(
        "<tr><td>Crèche</td><td class=\"number\">&lt; 5</td><td class=\"number\">–</td></tr>"
    ));
    assert!(page.body.contains("<strong>7 réponses</strong>"));
    assert!(!page.body.contains("Mme Martin"), "unreviewed text hidden");
    assert!(!page.body.contains("Marquer relue"));
    // Partenaires cannot review or edit.
    assert_eq!(
        app.get_as(&partenaire, &format!("/admin/enquetes/{}", f.survey_id))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Filtered down to fewer than 5, even the total is hidden.
    let small = app
        .get_as(
            &partenaire,
            &format!("/admin/enquetes/{}/resultats?commune=michery", f.survey_id),
        )
        .await;
    assert!(small.body.contains("Moins de 5 réponses"));
}

/// 55 answers from 14 to 18 June and 3 on 19 June: a partenaire asking for 14-18 then
/// 14-19 June must not learn that one day brought 3 answers.
async fn partenaires_cannot_difference_two_periods(app: TestApp) {
    let f = app.fixture().await;
    let noon = |day: u8| {
        time::Date::from_calendar_date(2026, time::Month::June, day)
            .expect("date")
            .with_hms(10, 0, 0)
            .expect("time")
            .assume_utc()
            .unix_timestamp()
    };
    let batches: Vec<(&str, i64, u32)> = (14..=18)
        .map(|day| (f.online.as_str(), noon(day), 11))
        .chain([(f.online.as_str(), noon(19), 3)])
        .collect();
    assert_eq!(app.store_valid_answers(f.survey_id, &batches).await, 58);
    let total = |body: &str| {
        body.split("<p class=\"lead\"><strong>")
            .nth(1)
            .and_then(|rest| rest.split("</strong>").next())
            .map(str::to_owned)
            .expect("a total")
    };
    let url = |to: &str| {
        format!(
            "/admin/enquetes/{}/resultats?du=2026-06-14&au={to}",
            f.survey_id
        )
    };

    let agent = app.staff(Role::Agent).await;
    assert_eq!(
        total(&app.get_as(&agent, &url("2026-06-18")).await.body),
        "55 réponses"
    );
    assert_eq!(
        total(&app.get_as(&agent, &url("2026-06-19")).await.body),
        "58 réponses"
    );

    let partenaire = app.staff(Role::Partenaire).await;
    let short = app.get_as(&partenaire, &url("2026-06-18")).await;
    let longer = app.get_as(&partenaire, &url("2026-06-19")).await;
    assert_eq!(total(&short.body), "58 réponses", "the whole of June");
    assert_eq!(total(&longer.body), total(&short.body));
    assert!(
        short
            .body
            .contains("arrondie au mois entier : du 1er juin 2026 au 30 juin 2026")
    );
    // Every figure of the two pages is the same: nothing to subtract.
    let figures = |body: &str| -> Vec<String> {
        body.split("class=\"number\">")
            .skip(1)
            .map(|c| c.split('<').next().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(figures(&short.body), figures(&longer.body));
    assert!(!figures(&short.body).is_empty());

    // A month with fewer than 5 answers shows neither its total nor its cells.
    let july = noon(30) + 20 * 86_400;
    app.store_valid_answers(f.survey_id, &[(f.kiosk.as_str(), july, 2)])
        .await;
    let page = app
        .get_as(
            &partenaire,
            &format!(
                "/admin/enquetes/{}/resultats?du=2026-07-20&au=2026-07-20",
                f.survey_id
            ),
        )
        .await;
    assert_eq!(total(&page.body), "Moins de 5 réponses");
    assert!(
        !figures(&page.body).iter().any(|n| n == "2" || n == "1"),
        "no cell gives it away"
    );
}

async fn an_inverted_date_range_is_an_error(app: TestApp) {
    let f = app.fixture().await;
    let agent = app.staff(Role::Agent).await;
    let page = app
        .get_as(
            &agent,
            &format!(
                "/admin/enquetes/{}/resultats?du=2026-06-19&au=2026-06-14",
                f.survey_id
            ),
        )
        .await;
    assert!(
        page.body
            .contains("La date de fin doit suivre la date de début.")
    );
    assert!(
        page.body.contains("href=\"#champ-au\""),
        "the summary links to the field"
    );
    assert!(
        page.body.contains("value=\"2026-06-19\""),
        "the dates typed stay"
    );
    assert!(!page.body.contains("<strong>0 réponse"), "no silent zero");
}

async fn responses_past_their_retention_date_are_purged(app: TestApp) {
    let f = app.fixture().await;
    known_responses(&app, &f).await;
    let today = pouls::domain::paris::today();
    let none = app
        .storage
        .purge_expired(today, false, &Actor::System)
        .await
        .expect("purge");
    assert!(none.is_empty(), "retention not reached");
    app.sql("UPDATE survey SET retention_until = '2026-01-01'")
        .await;
    let dry = app
        .storage
        .purge_expired(today, true, &Actor::System)
        .await
        .expect("dry run");
    assert_eq!(dry.len(), 1);
    assert_eq!(dry[0].responses, 6);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM response").await,
        6,
        "a dry run deletes nothing"
    );
    let done = app
        .storage
        .purge_expired(today, false, &Actor::System)
        .await
        .expect("purge");
    assert_eq!(done[0].responses, 6);
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answer").await,
        0,
        "answers go with their responses"
    );
    assert_eq!(app.count("SELECT response_count FROM survey").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'responses_purged' AND detail LIKE '6 %'").await, 1);
}
