//! The survey builder, as an agent uses it with plain forms.

use crate::support::{Session, TestApp, valid_answers};
use axum::http::StatusCode;
use pouls::domain::Role;

on_both_backends!(
    an_agent_builds_a_survey_with_every_question_kind,
    the_survey_form_explains_mistakes_and_keeps_input,
    questions_keep_their_codes_when_reordered,
    a_survey_opens_only_with_questions_and_can_close_duplicate_and_delete,
    answers_forbid_structural_changes_but_allow_wording_fixes,
    collection_points_get_a_code_a_qr_code_and_a_poster,
);

/// Creates a survey through the form; returns its id.
async fn create_survey(app: &TestApp, agent: &Session) -> i64 {
    let response = app
        .post(
            "/admin/enquetes",
            Some(agent),
            &[
                ("title", "Foire de printemps 2027"),
                ("intro", "Dites-nous ce dont vos enfants ont besoin."),
                ("actions", "14"),
                ("actions", "15"),
                ("themes", "petite-enfance"),
                ("opens_on", "2026-01-01"),
                ("closes_on", "31/12/2030"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    response
        .header("location")
        .trim_start_matches("/admin/enquetes/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("a survey id")
}

async fn add_question(
    app: &TestApp,
    agent: &Session,
    survey: i64,
    fields: &[(&str, &str)],
) -> crate::support::TestResponse {
    app.post(
        &format!("/admin/enquetes/{survey}/questions"),
        Some(agent),
        fields,
    )
    .await
}

async fn an_agent_builds_a_survey_with_every_question_kind(app: TestApp) {
    let agent = app.staff(Role::Agent).await;
    let id = create_survey(&app, &agent).await;
    let page = app
        .get_as(&agent, &format!("/admin/enquetes/{id}?fait=creee"))
        .await;
    assert!(
        page.body.contains("L&#x27;enquête a été créée")
            || page.body.contains("L'enquête a été créée")
    );
    assert!(
        page.body.contains("31 décembre 2032"),
        "retention defaults to closing + 2 years"
    );
    for kind in [
        "single",
        "multiple",
        "scale",
        "yes_no",
        "number",
        "short_text",
        "long_text",
        "commune",
        "public",
        "age",
    ] {
        let form = app
            .get_as(
                &agent,
                &format!("/admin/enquetes/{id}/questions/nouvelle?type={kind}"),
            )
            .await;
        assert_eq!(form.status, StatusCode::OK, "{kind}");
        let mut fields = vec![("kind", kind), ("label", "Une question"), ("required", "1")];
        if kind == "single" || kind == "multiple" {
            fields.push(("new_options", "Oui, souvent\nParfois\nJamais"));
        }
        if kind == "multiple" {
            fields.push(("max_choices", "2"));
        }
        if kind == "number" {
            fields.extend([("min_value", "0"), ("max_value", "12")]);
        }
        if kind == "short_text" {
            fields.push(("condition", "Q4=oui"));
        }
        let response = add_question(&app, &agent, id, &fields).await;
        assert_eq!(
            response.status,
            StatusCode::SEE_OTHER,
            "{kind}: {}",
            response.body
        );
    }
    let definition = app
        .territory
        .survey_definition(id)
        .await
        .expect("load")
        .expect("survey");
    let codes: Vec<&str> = definition
        .questions
        .iter()
        .map(|q| q.code.as_str())
        .collect();
    assert_eq!(
        codes,
        ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8", "Q9", "Q10"]
    );
    assert_eq!(
        definition.questions[7].options.len(),
        24,
        "23 communes and Hors CCYN"
    );
    assert_eq!(
        definition.questions[8].options.len(),
        11,
        "the plan's publics"
    );
    assert_eq!(definition.questions[2].options.len(), 5, "a 1 to 5 scale");
    assert_eq!(
        definition.questions[5]
            .condition
            .as_ref()
            .map(|c| c.option_code.as_str()),
        Some("oui")
    );
    let detail = app.get_as(&agent, &format!("/admin/enquetes/{id}")).await;
    assert!(detail.body.contains("Si « Une question » = « Oui »"));
    let preview = app
        .get_as(&agent, &format!("/admin/enquetes/{id}/apercu"))
        .await;
    assert!(
        preview
            .body
            .contains("ce formulaire ne peut pas être envoyé")
    );
    assert_eq!(preview.body.matches("class=\"question-label\"").count(), 10);

    // A choice question needs two options; the form comes back with the wording kept.
    let refused = add_question(
        &app,
        &agent,
        id,
        &[
            ("kind", "single"),
            ("label", "Seule option ?"),
            ("new_options", "Une"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Proposez au moins deux options"));
    assert!(refused.body.contains("value=\"Seule option ?\""));
    let bad_condition = add_question(
        &app,
        &agent,
        id,
        &[
            ("kind", "short_text"),
            ("label", "Si 3"),
            ("condition", "Q3=1"),
        ],
    )
    .await;
    assert_eq!(
        bad_condition.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "scales cannot control conditions"
    );
}

async fn the_survey_form_explains_mistakes_and_keeps_input(app: TestApp) {
    let agent = app.staff(Role::Agent).await;
    let response = app
        .post(
            "/admin/enquetes",
            Some(&agent),
            &[
                ("title", "Sans action"),
                ("intro", ""),
                ("themes", "jeunesse"),
                ("opens_on", "2026-05-01"),
                ("closes_on", "2026-04-01"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Écrivez une courte introduction",
        "Cochez au moins une action du plan",
        "La date de clôture doit suivre",
    ] {
        assert!(response.body.contains(message), "{message}");
    }
    assert!(response.body.contains("value=\"Sans action\""));
    assert!(response.body.contains("value=\"jeunesse\" checked"));
    assert!(response.body.contains("value=\"2026-05-01\""));
    // The server's French summary speaks first, not the browser's own popup.
    assert!(
        response
            .body
            .contains("<form method=\"post\" novalidate action=\"/admin/enquetes\"")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM survey").await, 0);
}

async fn questions_keep_their_codes_when_reordered(app: TestApp) {
    let agent = app.staff(Role::Agent).await;
    let id = create_survey(&app, &agent).await;
    add_question(
        &app,
        &agent,
        id,
        &[("kind", "yes_no"), ("label", "Avez-vous des enfants ?")],
    )
    .await;
    add_question(
        &app,
        &agent,
        id,
        &[
            ("kind", "short_text"),
            ("label", "Leur âge ?"),
            ("condition", "Q1=oui"),
        ],
    )
    .await;
    add_question(
        &app,
        &agent,
        id,
        &[("kind", "commune"), ("label", "Votre commune ?")],
    )
    .await;
    let ids: Vec<i64> = app
        .territory
        .survey_definition(id)
        .await
        .expect("load")
        .expect("survey")
        .questions
        .iter()
        .map(|q| q.id)
        .collect();
    // Q3 moves up to the top: codes follow their questions.
    for _ in 0..2 {
        let response = app
            .post(
                &format!("/admin/enquetes/{id}/questions/{}/monter", ids[2]),
                Some(&agent),
                &[],
            )
            .await;
        assert_eq!(response.status, StatusCode::SEE_OTHER);
    }
    let order: Vec<String> = app
        .territory
        .survey_definition(id)
        .await
        .expect("load")
        .expect("survey")
        .questions
        .iter()
        .map(|q| q.code.clone())
        .collect();
    assert_eq!(order, ["Q3", "Q1", "Q2"]);
    // Q2 depends on Q1: it cannot go above it, nor Q1 below it.
    let refused = app
        .post(
            &format!("/admin/enquetes/{id}/questions/{}/monter", ids[1]),
            Some(&agent),
            &[],
        )
        .await;
    assert_eq!(
        refused.header("location"),
        format!("/admin/enquetes/{id}?erreur=ordre")
    );
    let page = app.get_as(&agent, refused.header("location")).await;
    assert!(
        page.body
            .contains("une question doit rester après celle dont elle dépend")
    );
    // Deleting Q1 is refused while Q2 depends on it; Q2 can go, and its code is not reused.
    let refused = app
        .post(
            &format!("/admin/enquetes/{id}/questions/{}/supprimer", ids[0]),
            Some(&agent),
            &[],
        )
        .await;
    assert_eq!(
        refused.header("location"),
        format!("/admin/enquetes/{id}?erreur=dependance")
    );
    app.post(
        &format!("/admin/enquetes/{id}/questions/{}/supprimer", ids[1]),
        Some(&agent),
        &[],
    )
    .await;
    add_question(
        &app,
        &agent,
        id,
        &[("kind", "number"), ("label", "Combien ?")],
    )
    .await;
    let codes: Vec<String> = app
        .territory
        .survey_definition(id)
        .await
        .expect("load")
        .expect("survey")
        .questions
        .iter()
        .map(|q| q.code.clone())
        .collect();
    assert_eq!(codes, ["Q3", "Q1", "Q4"]);
}

async fn a_survey_opens_only_with_questions_and_can_close_duplicate_and_delete(app: TestApp) {
    let agent = app.staff(Role::Agent).await;
    let id = create_survey(&app, &agent).await;
    let refused = app
        .post(&format!("/admin/enquetes/{id}/ouvrir"), Some(&agent), &[])
        .await;
    assert_eq!(
        refused.header("location"),
        format!("/admin/enquetes/{id}?erreur=sans-question")
    );
    add_question(
        &app,
        &agent,
        id,
        &[("kind", "yes_no"), ("label", "Venez-vous souvent ?")],
    )
    .await;
    let opened = app
        .post(&format!("/admin/enquetes/{id}/ouvrir"), Some(&agent), &[])
        .await;
    assert_eq!(
        opened.header("location"),
        format!("/admin/enquetes/{id}?fait=ouverte")
    );
    let online: String = app.territory.points(id).await.expect("points")[0]
        .code
        .to_string();
    assert_eq!(
        app.get(&format!("/q/{online}")).await.status,
        StatusCode::OK
    );

    let copy = app
        .post(
            &format!("/admin/enquetes/{id}/dupliquer"),
            Some(&agent),
            &[],
        )
        .await;
    let copy_id: i64 = copy
        .header("location")
        .trim_start_matches("/admin/enquetes/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("copy id");
    let copied = app
        .territory
        .survey_definition(copy_id)
        .await
        .expect("load")
        .expect("copy");
    assert_eq!(copied.survey.title, "Copie de Foire de printemps 2027");
    assert_eq!(copied.questions.len(), 1);
    assert_eq!(copied.questions[0].code, "Q1");
    assert_eq!(copied.survey.actions, [14, 15]);
    assert_ne!(
        app.territory.points(copy_id).await.expect("points")[0]
            .code
            .to_string(),
        online,
        "its own code"
    );

    let deleted = app
        .post(
            &format!("/admin/enquetes/{copy_id}/supprimer"),
            Some(&agent),
            &[],
        )
        .await;
    assert_eq!(deleted.header("location"), "/admin/enquetes");
    assert!(app.territory.survey(copy_id).await.expect("load").is_none());
    let refused = app
        .post(
            &format!("/admin/enquetes/{id}/supprimer"),
            Some(&agent),
            &[],
        )
        .await;
    assert_eq!(
        refused.header("location"),
        format!("/admin/enquetes/{id}?erreur=pas-brouillon")
    );

    app.post(&format!("/admin/enquetes/{id}/fermer"), Some(&agent), &[])
        .await;
    assert_eq!(
        app.get(&format!("/q/{online}")).await.status,
        StatusCode::GONE
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_event WHERE action IN ('survey_created', 'survey_opened', 'survey_duplicated', 'survey_deleted', 'survey_closed')").await, 5);
}

async fn answers_forbid_structural_changes_but_allow_wording_fixes(app: TestApp) {
    let f = app.fixture().await;
    let agent = app.staff(Role::Agent).await;
    assert_eq!(
        app.answer(&f.online, &valid_answers()).await.status,
        StatusCode::SEE_OTHER
    );
    let definition = app
        .territory
        .survey_definition(f.survey_id)
        .await
        .expect("load")
        .expect("survey");
    let q1 = &definition.questions[0];
    let path = format!("/admin/enquetes/{}/questions/{}", f.survey_id, q1.id);

    let removal = app
        .post(
            &path,
            Some(&agent),
            &[
                ("kind", "single"),
                ("label", &q1.label),
                ("required", "1"),
                ("option-O1", "Crèche"),
                ("option-O2", "RPE"),
                ("remove-O2", "1"),
                ("option-O3", "Accueil de loisirs"),
            ],
        )
        .await;
    assert_eq!(removal.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        removal
            .body
            .contains("Impossible de supprimer une option : l&#x27;enquête a déjà des réponses")
            || removal
                .body
                .contains("Impossible de supprimer une option : l'enquête a déjà des réponses")
    );
    let kind = app
        .post(
            &path,
            Some(&agent),
            &[
                ("kind", "multiple"),
                ("label", &q1.label),
                ("option-O1", "Crèche"),
                ("option-O2", "RPE"),
                ("option-O3", "Accueil de loisirs"),
            ],
        )
        .await;
    assert_eq!(kind.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        kind.body
            .contains("Impossible de changer le type de question")
    );
    let delete = app
        .post(&format!("{path}/supprimer"), Some(&agent), &[])
        .await;
    assert_eq!(
        delete.header("location"),
        format!("/admin/enquetes/{}?erreur=reponses", f.survey_id)
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM question_option WHERE code = 'O2'")
            .await,
        2,
        "nothing removed"
    );

    let wording = app
        .post(
            &path,
            Some(&agent),
            &[
                ("kind", "single"),
                ("label", "Quel service utilisez-vous le plus souvent ?"),
                ("required", "1"),
                ("option-O1", "Crèche"),
                ("option-O2", "Relais Petite Enfance (RPE)"),
                ("option-O3", "Accueil de loisirs"),
                ("new_options", "Aucun"),
            ],
        )
        .await;
    assert_eq!(wording.status, StatusCode::SEE_OTHER, "{}", wording.body);
    let updated = app
        .territory
        .survey_definition(f.survey_id)
        .await
        .expect("load")
        .expect("survey");
    let options: Vec<(&str, &str)> = updated.questions[0]
        .options
        .iter()
        .map(|o| (o.code.as_str(), o.label.as_str()))
        .collect();
    assert_eq!(
        options,
        [
            ("O1", "Crèche"),
            ("O2", "Relais Petite Enfance (RPE)"),
            ("O3", "Accueil de loisirs"),
            ("O4", "Aucun")
        ]
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'question_updated' AND detail LIKE '%le plus souvent%'").await, 1);
}

async fn collection_points_get_a_code_a_qr_code_and_a_poster(app: TestApp) {
    let agent = app.staff(Role::Agent).await;
    let id = create_survey(&app, &agent).await;
    let refused = app
        .post(
            &format!("/admin/enquetes/{id}/points"),
            Some(&agent),
            &[("label", ""), ("kind", "evenement"), ("commune", "lyon")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Nommez le point de collecte"));
    assert!(
        refused
            .body
            .contains("Choisissez une commune dans la liste.")
    );
    let created = app
        .post(
            &format!("/admin/enquetes/{id}/points"),
            Some(&agent),
            &[
                ("label", "Ville à Joie 2026 - stand CCYN"),
                ("kind", "evenement"),
                ("commune", "pont-sur-yonne"),
                ("starts_on", "2026-06-13"),
                ("ends_on", "2026-06-13"),
                ("live_screen", "1"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let page = app.get_as(&agent, created.header("location")).await;
    assert_eq!(page.status, StatusCode::OK);
    let point = app
        .territory
        .points(id)
        .await
        .expect("points")
        .into_iter()
        .find(|p| p.label.starts_with("Ville"))
        .expect("point");
    let code = point.code.to_string();
    assert_eq!(code.len(), 6);
    for link in [
        format!("/q/{code}/affiche"),
        format!("/q/{code}/qr.png"),
        format!("/q/{code}/qr.svg"),
        format!("/q/{code}/direct"),
    ] {
        assert!(page.body.contains(&format!("href=\"{link}\"")), "{link}");
    }
    assert!(page.body.contains("class=\"qr-preview\"><svg"));
    assert_eq!(
        app.get(&format!("/q/{code}/affiche")).await.status,
        StatusCode::OK
    );
}
