//! Territories on one instance: a second plan loads beside the CCYN's, and each
//! territory's storage finds nothing of the other's (storage-level isolation).

use pouls::plan::PlanData;
use pouls::storage::{
    AddTerritory, ExportFilter, QuestionChange, ReviewCounts, SurveyChange, TerritoryStorage,
};
use pouls::survey::{
    PointDraft, PointInput, ResultsFilter, SurveyDraft, SurveyInput, SurveyStatus,
};
use pouls::territory::{TerritoryId, TerritoryKind, TerritorySlug};

use crate::support::TestApp;

on_both_backends!(
    a_second_plan_loads_beside_the_first,
    a_territory_finds_nothing_of_another,
);

fn example_plan() -> PlanData {
    PlanData::parse(include_str!("../../docs/plan-example.toml")).expect("the example plan")
}

async fn add_example(app: &TestApp) -> TerritoryStorage {
    match app
        .storage
        .add_territory(&example_plan())
        .await
        .expect("adds")
    {
        AddTerritory::Added(territory) => app.storage.in_territory(territory.id),
        AddTerritory::SlugTaken => panic!("the example's slug is free"),
    }
}

async fn a_second_plan_loads_beside_the_first(app: TestApp) {
    let example = add_example(&app).await;
    assert_ne!(example.id(), app.territory.id());
    assert!(matches!(
        app.storage
            .add_territory(&example_plan())
            .await
            .expect("runs"),
        AddTerritory::SlugTaken
    ));
    let territories = app.storage.territories().await.expect("lists");
    let slugs: Vec<&str> = territories.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(slugs, ["ccyn", "val-d-exemple"]);
    assert_eq!(territories[1].kind, TerritoryKind::Epci);
    let slug = TerritorySlug::parse("val-d-exemple").expect("slug");
    let found = app.storage.territory_by_slug(&slug).await.expect("reads");
    assert_eq!(found.map(|t| t.id), Some(example.id()));
    let default = app.storage.default_territory().await.expect("reads");
    assert_eq!(default.map(|t| t.id), Some(app.territory.id()));

    let ccyn = app.territory.plan_counts().await.expect("counts");
    let other = example.plan_counts().await.expect("counts");
    assert_eq!((ccyn.actions, ccyn.communes, ccyn.indicators), (17, 23, 83));
    assert_eq!((other.actions, other.communes), (3, 5));
    assert!(example.action_detail(17).await.expect("reads").is_none());
    assert!(example.action_detail(1).await.expect("reads").is_some());
    let overview = example.plan_overview(None).await.expect("reads");
    assert_eq!(
        overview.territory,
        "Communauté de communes du Val d'Exemple"
    );
    let communes = example.communes().await.expect("reads");
    assert!(communes.iter().all(|c| c.code != "michery"));
    // A restart loads no plan again: the database holds territories already.
    let again = pouls_server::prepare_storage(&app.db.url)
        .await
        .expect("restarts");
    assert_eq!(again.territories().await.expect("lists").len(), 2);
}

async fn a_territory_finds_nothing_of_another(app: TestApp) {
    let example = add_example(&app).await;
    let f = app.fixture().await;
    let ccyn_survey = app.definition(f.survey_id).await;
    let ccyn_point = app
        .territory
        .points(f.survey_id)
        .await
        .expect("points")
        .remove(0);
    let question = ccyn_survey.questions[0].id;
    let actor = &f.admin;

    // Every getter of the example territory, asked for the CCYN's objects.
    assert!(example.survey(f.survey_id).await.expect("reads").is_none());
    let definition = example.survey_definition(f.survey_id).await.expect("reads");
    assert!(definition.is_none());
    assert!(example.surveys().await.expect("reads").is_empty());
    assert!(example.points(f.survey_id).await.expect("reads").is_empty());
    assert!(example.point(ccyn_point.id).await.expect("reads").is_none());
    let today = pouls::domain::paris::today();
    assert!(
        example
            .open_survey_links(today)
            .await
            .expect("reads")
            .is_empty()
    );
    // ...and every change: refused as if nothing were there, and nothing changed.
    let survey = &ccyn_survey.survey;
    let draft = SurveyDraft {
        title: "Détournée".into(),
        intro: survey.intro.clone(),
        why: survey.why.clone(),
        actions: survey.actions.clone(),
        themes: survey.themes.clone(),
        opens_on: survey.opens_on,
        closes_on: survey.closes_on,
        retention_until: survey.retention_until,
    };
    assert!(
        !example
            .update_survey(f.survey_id, &draft, actor)
            .await
            .expect("runs")
    );
    let status = example.set_survey_status(f.survey_id, SurveyStatus::Closed, actor);
    assert_eq!(status.await.expect("runs"), SurveyChange::NotFound);
    let deleted = example.delete_survey_draft(f.survey_id, actor).await;
    assert_eq!(deleted.expect("runs"), SurveyChange::NotFound);
    assert!(
        example
            .duplicate_survey(f.survey_id, actor)
            .await
            .expect("runs")
            .is_none()
    );
    let moved = example.move_question(question, false, actor).await;
    assert_eq!(moved.expect("runs"), QuestionChange::NotFound);
    let removed = example.delete_question(question, actor).await;
    assert_eq!(removed.expect("runs"), QuestionChange::NotFound);
    let point = PointDraft::parse(
        &PointInput {
            label: "Détourné".into(),
            kind: "lieu".into(),
            ..PointInput::default()
        },
        &[],
    )
    .expect("a point");
    assert!(
        !example
            .update_point(ccyn_point.id, &point, actor)
            .await
            .expect("runs")
    );
    // Its responses, free text and exports are not found either.
    let day = pouls::domain::paris::start_of_day(time::macros::date!(2026 - 03 - 02));
    assert_eq!(
        app.store_valid_answers(f.survey_id, &[(&f.online, day, 3)])
            .await,
        3
    );
    let filter = ResultsFilter::default();
    let (total, results) = example
        .survey_results(&ccyn_survey, &filter)
        .await
        .expect("reads");
    assert_eq!((total, results.len()), (0, 0));
    let (ours, _) = app
        .territory
        .survey_results(&ccyn_survey, &filter)
        .await
        .expect("reads");
    assert_eq!(ours, 3);
    let texts = example
        .text_answers(f.survey_id, &filter, 100)
        .await
        .expect("reads");
    assert!(texts.is_empty());
    let quotes = example
        .reviewed_quotes(f.survey_id, &filter, 8)
        .await
        .expect("reads");
    assert!(quotes.is_empty());
    let counts = example
        .review_counts(f.survey_id, &filter)
        .await
        .expect("reads");
    assert_eq!(counts, ReviewCounts::default());
    let reviewed = example.review_text(1, question, true, true, actor).await;
    assert!(!reviewed.expect("runs"));
    let (sender, _receiver) = tokio::sync::mpsc::channel(4);
    let export = ExportFilter::default();
    let sent = example.stream_responses(f.survey_id, &export, sender).await;
    assert_eq!(sent.expect("runs"), 0);
    let after = app.definition(f.survey_id).await;
    assert_eq!(after.survey.title, ccyn_survey.survey.title);
    assert_eq!(after.survey.status, ccyn_survey.survey.status);
    assert_eq!(after.questions.len(), ccyn_survey.questions.len());

    // A survey of the example territory: the CCYN sees none of it.
    let input = SurveyInput {
        title: "Vie au Val d'Exemple".into(),
        intro: "Deux minutes sur vos besoins.".into(),
        actions: vec!["1".into()],
        themes: vec!["petite-enfance".into()],
        opens_on: "2026-01-01".into(),
        closes_on: "2030-12-31".into(),
        ..SurveyInput::default()
    };
    let themes = ["petite-enfance"];
    let draft = SurveyDraft::parse(&input, &themes).expect("valid");
    let id = example.create_survey(&draft, actor).await.expect("created");
    let theirs = example
        .survey(id)
        .await
        .expect("reads")
        .expect("their survey");
    assert_eq!(theirs.territory, example.id());
    let their_point = example.points(id).await.expect("reads").remove(0);
    assert_eq!(their_point.territory, example.id());
    assert!(app.territory.survey(id).await.expect("reads").is_none());
    assert!(
        app.territory
            .point(their_point.id)
            .await
            .expect("reads")
            .is_none()
    );
    let ours: Vec<i64> = app
        .territory
        .surveys()
        .await
        .expect("reads")
        .iter()
        .map(|s| s.survey.id)
        .collect();
    assert_eq!(ours, [f.survey_id]);
    // The QR code still finds it: codes are unique on the instance.
    let by_code = app
        .storage
        .point_by_code(&their_point.code)
        .await
        .expect("reads")
        .expect("the point");
    assert_eq!(by_code.territory, example.id());
    assert_ne!(example.id(), TerritoryId::new(1));
}
