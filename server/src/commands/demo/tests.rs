//! What `pouls demo` puts in a database, as a CAF adviser would look at it.

use std::collections::HashSet;
use std::time::Instant;

use pouls::auth::verify_password_blocking;
use pouls::domain::{Email, Role, paris};
use pouls::indicators::Period;
use pouls::storage::Storage;
use pouls::survey::{
    Acceptance, PointKind, QuestionKind, QuestionResult, ResultsFilter, SurveyDefinition,
    SurveyStatus,
};
use pouls::territory::InstanceRole;

use super::fill;
use super::specs::CURRENT;

async fn results_of(
    storage: &Storage,
    id: i64,
    filter: &ResultsFilter,
) -> (SurveyDefinition, i64, Vec<QuestionResult>) {
    let definition = storage
        .in_default_territory()
        .await
        .expect("territory")
        .survey_definition(id)
        .await
        .expect("reads");
    let definition = definition.expect("survey");
    let (count, results) = storage
        .in_territory(definition.survey.territory)
        .survey_results(&definition, filter)
        .await
        .expect("results");
    (definition, count, results)
}

async fn demo() -> (tempfile::TempDir, Storage, super::DemoLogin) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    let storage = crate::prepare_storage(&url).await.expect("database");
    let started = Instant::now();
    let login = fill(&storage).await.expect("demo data");
    eprintln!("demo data filled in {:?}", started.elapsed());
    (dir, storage, login)
}

#[tokio::test]
async fn past_events_are_closed_and_one_survey_takes_answers_now() {
    let (_dir, storage, login) = demo().await;
    let email = Email::parse(&login.email).expect("email");
    let account = storage.account_for_login(&email).await.expect("reads");
    let (user, hash) = account.expect("account");
    let access = storage.staff_territories(user.id).await.expect("access");
    assert_eq!(access.len(), 1);
    assert_eq!(
        (access[0].0.slug.as_str(), access[0].1),
        ("ccyn", Role::Admin)
    );
    assert!(verify_password_blocking(&login.password, &hash));
    // A login for each role, the lecteur départemental and the instance admin included.
    assert_eq!(login.accounts.len(), 6);
    let lecteur = Email::parse("conseillere.territoriale@caf89.demo").expect("email");
    let (lecteur, _) = storage
        .account_for_login(&lecteur)
        .await
        .expect("reads")
        .expect("lecteur");
    assert_eq!(lecteur.instance_role, Some(InstanceRole::Lecteur));
    let followed = storage.staff_territories(lecteur.id).await.expect("access");
    assert_eq!(
        followed
            .iter()
            .map(|(t, r)| (t.slug.as_str(), *r))
            .collect::<Vec<_>>(),
        [("ccyn", Role::Lecteur), ("val-d-exemple", Role::Lecteur)]
    );
    // The example territory has its own field reports and needs, none of the CCYN's.
    let example = storage.in_territory(followed[1].0.id);
    assert_eq!(example.reports(None).await.expect("reports").len(), 6);
    assert_eq!(example.needs(None).await.expect("needs").len(), 3);
    assert!(example.surveys().await.expect("surveys").is_empty());

    let today = paris::today();
    let surveys = storage
        .in_default_territory()
        .await
        .expect("territory")
        .surveys()
        .await
        .expect("surveys");
    assert_eq!(surveys.len(), 5);
    let (mut kinds, mut total, all) = (Vec::new(), 0, ResultsFilter::default());
    for survey in surveys.iter().map(|s| &s.survey) {
        let points = storage
            .in_default_territory()
            .await
            .expect("territory")
            .points(survey.id)
            .await
            .expect("points");
        if survey.title == CURRENT {
            assert_eq!(survey.acceptance_on(today), Acceptance::Open);
            // Every point but the past forum takes answers today, the kiosk among them.
            let open: Vec<PointKind> = points
                .iter()
                .filter(|p| p.acceptance_on(today) == Acceptance::Open)
                .map(|p| p.kind)
                .collect();
            for kind in [
                PointKind::Online,
                PointKind::Kiosk,
                PointKind::Paper,
                PointKind::Counter,
            ] {
                assert!(open.contains(&kind), "{kind:?}");
            }
        } else {
            assert_eq!(survey.status, SurveyStatus::Closed, "{}", survey.title);
            assert!(survey.closes_on < today);
            assert!(
                points
                    .iter()
                    .all(|p| p.ends_on.is_none_or(|end| end < today)),
                "{}: every point's days are past",
                survey.title
            );
        }
        total += survey.response_count;
        let by_point: i64 = points.iter().map(|p| p.response_count).sum();
        assert_eq!(by_point, survey.response_count);
        let (definition, _, results) = results_of(&storage, survey.id, &all).await;
        assert!((5..=9).contains(&definition.questions.len()));
        kinds.extend(definition.questions.iter().map(|q| q.kind));
        // The form says "Plusieurs réponses possibles, N au plus." by itself.
        for question in definition
            .questions
            .iter()
            .filter(|q| q.max_choices.is_some())
        {
            assert!(!question.help.contains("au plus"), "{}", question.label);
        }
        // A conditional question is answered only after the option it waits for.
        for (question, result) in definition.questions.iter().zip(&results) {
            let Some(condition) = &question.condition else {
                continue;
            };
            let controlling = results
                .iter()
                .find(|r| r.question_id == condition.question_id);
            let options = controlling
                .map(|r| r.options.as_slice())
                .unwrap_or_default();
            let awaited = options.iter().find(|o| o.code == condition.option_code);
            let awaited = awaited.map_or(0, |o| o.count);
            assert!(
                result.answered > 0 && result.answered <= awaited,
                "{}",
                question.label
            );
        }
        // No answer before the survey opens, nor after it closes.
        let before = ResultsFilter {
            to: survey.opens_on.previous_day(),
            ..ResultsFilter::default()
        };
        let after = ResultsFilter {
            from: survey.closes_on.next_day(),
            ..ResultsFilter::default()
        };
        for outside in [before, after] {
            let (_, count, _) = results_of(&storage, survey.id, &outside).await;
            assert_eq!(count, 0, "{}", survey.title);
        }
    }
    assert!((2500..=4000).contains(&total), "{total} responses");
    for kind in QuestionKind::ALL {
        assert!(kinds.contains(kind), "no {kind:?} question");
    }

    let summary = surveys
        .iter()
        .find(|s| s.survey.title.starts_with("Ville à Joie"));
    let id = summary.expect("Ville à Joie").survey.id;
    let (definition, count, results) = results_of(&storage, id, &all).await;
    let question = |label: &str| {
        let index = definition.questions.iter().position(|q| q.label == label);
        &results[index.expect(label)]
    };
    let mean = question("Êtes-vous satisfait de la journée ?")
        .mean
        .expect("answers");
    assert!((3.5..=4.3).contains(&mean), "satisfaction {mean}");
    let communes = &question("Dans quelle commune habitez-vous ?").options;
    let share = |code: &str| {
        let found = communes.iter().find(|o| o.code == code);
        found.map_or(0, |o| o.count) as f64 / count as f64
    };
    assert!(share("pont-sur-yonne") > 0.2 && share("compigny") < 0.02);
    assert!((0.02..0.09).contains(&share("hors-ccyn")));
    // Answers given on the day of the fair, 13 June.
    let june = ResultsFilter {
        from: time::Date::from_calendar_date(2026, time::Month::June, 13).ok(),
        to: time::Date::from_calendar_date(2026, time::Month::June, 13).ok(),
        ..ResultsFilter::default()
    };
    let (_, on_the_day, _) = results_of(&storage, id, &june).await;
    assert!(on_the_day * 10 >= count * 8, "{on_the_day} of {count}");
    assert!(fill(&storage).await.is_err(), "only an empty database");
}

#[tokio::test]
async fn free_text_reads_like_many_people_and_needs_escaping() {
    let (_dir, storage, _) = demo().await;
    let mut distinct = HashSet::new();
    let mut answers = 0;
    for summary in storage
        .in_default_territory()
        .await
        .expect("territory")
        .surveys()
        .await
        .expect("surveys")
    {
        let texts = storage
            .in_territory(summary.survey.territory)
            .text_answers(summary.survey.id, &ResultsFilter::default(), 5000)
            .await
            .expect("texts");
        let own: HashSet<&str> = texts.iter().map(|t| t.text.as_str()).collect();
        // No sentence said again and again: at most a few times each.
        assert!(
            own.len() * 3 >= texts.len(),
            "{}: {} distinct of {}",
            summary.survey.title,
            own.len(),
            texts.len()
        );
        if summary.survey.title.starts_with("Ville à Joie") {
            assert!(texts.iter().any(|t| t.text.contains('"')));
            assert!(texts.iter().any(|t| t.text.contains('<')));
        }
        answers += texts.len();
        distinct.extend(texts.into_iter().map(|t| t.text));
    }
    assert!(
        distinct.len() >= 400,
        "{} distinct of {answers}",
        distinct.len()
    );
}

#[tokio::test]
async fn needs_and_meetings_are_dated_through_the_year() {
    let (_dir, storage, _) = demo().await;
    let year_start = paris::start_of_day(
        time::Date::from_calendar_date(2026, time::Month::January, 1).expect("a day"),
    );
    let filled = time::OffsetDateTime::now_utc().unix_timestamp() - 3600;
    let needs = storage
        .in_default_territory()
        .await
        .expect("territory")
        .needs(None)
        .await
        .expect("needs");
    assert!(needs.len() >= 8);
    let mut days = HashSet::new();
    for need in &needs {
        let (_, sources, history) = storage
            .in_default_territory()
            .await
            .expect("territory")
            .need(need.id)
            .await
            .expect("reads")
            .expect("need");
        assert!(!sources.is_empty(), "{}", need.title);
        for change in &history {
            assert!(
                (year_start..filled).contains(&change.changed_at),
                "{}: {} stamped when the demo was made",
                need.title,
                change.status.label()
            );
            days.insert(paris::local(change.changed_at).date());
        }
    }
    assert!(days.len() >= 10, "{} distinct days", days.len());
    let meetings = storage
        .in_default_territory()
        .await
        .expect("territory")
        .meetings()
        .await
        .expect("meetings");
    assert!(meetings.len() >= 4);
    for meeting in &meetings {
        let at = meeting.snapshot_at.expect("a frozen board");
        assert_eq!(
            paris::local(at).date(),
            meeting.held_on,
            "{}",
            meeting.title
        );
    }
    let june = meetings
        .iter()
        .find(|m| m.held_on.month() == time::Month::June)
        .expect("the June meeting");
    let board: serde_json::Value =
        serde_json::from_str(june.snapshot.as_deref().expect("snapshot")).expect("JSON");
    assert_eq!(board["label"], "du 1er janvier au 25 juin 2026");
}

#[tokio::test]
async fn indicators_and_the_board_have_something_on_every_action_and_theme() {
    let (_dir, storage, _) = demo().await;
    let reports = storage
        .in_default_territory()
        .await
        .expect("territory")
        .indicator_reports(None, Some(Period::year(2026)))
        .await
        .expect("indicators");
    assert_eq!(reports.len(), 83);
    let with_value = reports
        .iter()
        .filter(|r| r.values.iter().any(|v| v.has_value()))
        .count();
    assert!(
        with_value >= 65,
        "{with_value} of 83 indicators have a 2026 value"
    );
    for action in 1..=17 {
        let shown = reports
            .iter()
            .filter(|r| r.action_number == action && r.values.iter().any(|v| v.has_value()))
            .count();
        assert!(
            shown >= 2,
            "action {action}: {shown} indicators with a value"
        );
    }
    let year = time::Date::from_calendar_date(2026, time::Month::January, 1).expect("a day");
    let end = year.replace_year(2027).expect("a day");
    let board = storage
        .in_default_territory()
        .await
        .expect("territory")
        .needs_board(
            "2026",
            (year, end),
            year.replace_year(2025).expect("a day"),
            None,
        )
        .await
        .expect("board");
    for theme in storage
        .in_default_territory()
        .await
        .expect("territory")
        .themes()
        .await
        .expect("themes")
    {
        let counts: Vec<_> = board
            .cells
            .values()
            .filter_map(|row| row.get(&theme.code))
            .collect();
        let responses: i64 = counts.iter().map(|c| c.responses).sum();
        let field: i64 = counts.iter().map(|c| c.reports).sum();
        assert!(
            responses > 0 && field > 0,
            "{}: {responses} answers, {field} reports",
            theme.label
        );
    }
}
