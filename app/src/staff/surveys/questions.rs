//! Adding, editing, moving and removing a survey's questions.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use pouls::domain::FieldErrors;
use pouls::storage::QuestionChange;
use pouls::survey::{
    FormValues, OptionEdit, Question, QuestionDraft, QuestionInput, QuestionKind, SurveyDefinition,
};

use super::{find_survey, parse_id, theme_codes, values};
use crate::error::AppError;
use crate::forms::{
    CheckboxField, CsrfField, ErrorSummary, SelectField, TextAreaField, TextField,
    title_with_errors,
};
use crate::layout::{Crumb, Page};
use crate::staff::CurrentUser;
use crate::urlencoded::Form;
use crate::{AppState, format, render};

fn question_of(definition: &SurveyDefinition, qid: &str) -> Result<(usize, Question), AppError> {
    let qid = parse_id(qid)?;
    definition
        .questions
        .iter()
        .position(|q| q.id == qid)
        .map(|index| (index, definition.questions[index].clone()))
        .ok_or(AppError::NotFound)
}

fn input_of(question: &Question) -> QuestionInput {
    let number = |n: Option<f64>| n.map(format::number).unwrap_or_default();
    QuestionInput {
        kind: question.kind.code().to_owned(),
        label: question.label.clone(),
        help: question.help.clone(),
        required: question.required,
        theme: question.theme.clone().unwrap_or_default(),
        max_choices: question
            .max_choices
            .map(|n| n.to_string())
            .unwrap_or_default(),
        min_value: number(question.min_value),
        max_value: number(question.max_value),
        scale_min_label: question.scale_min_label.clone(),
        scale_max_label: question.scale_max_label.clone(),
        new_options: String::new(),
        option_edits: question
            .options
            .iter()
            .map(|o| OptionEdit {
                code: o.code.clone(),
                label: o.label.clone(),
                remove: false,
            })
            .collect(),
        condition: question
            .condition
            .as_ref()
            .map(|c| format!("{}={}", c.question_code, c.option_code))
            .unwrap_or_default(),
    }
}

/// Reads the question form; existing options come as `option-{code}` and `remove-{code}`.
fn input_from(values: &FormValues, existing: Option<&Question>) -> QuestionInput {
    let option_edits = existing
        .map(|q| {
            q.options
                .iter()
                .map(|o| OptionEdit {
                    code: o.code.clone(),
                    label: values.first(&format!("option-{}", o.code)).to_owned(),
                    remove: values.first(&format!("remove-{}", o.code)) == "1",
                })
                .collect()
        })
        .unwrap_or_default();
    QuestionInput {
        kind: values.first("kind").to_owned(),
        label: values.first("label").to_owned(),
        help: values.first("help").to_owned(),
        required: values.first("required") == "1",
        theme: values.first("theme").to_owned(),
        max_choices: values.first("max_choices").to_owned(),
        min_value: values.first("min_value").to_owned(),
        max_value: values.first("max_value").to_owned(),
        scale_min_label: values.first("scale_min_label").to_owned(),
        scale_max_label: values.first("scale_max_label").to_owned(),
        new_options: values
            .all("new_options")
            .first()
            .cloned()
            .unwrap_or_default(),
        option_edits,
        condition: values.first("condition").to_owned(),
    }
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let definition = find_survey(&state, &user, &id).await?;
    let kind = query
        .get("type")
        .and_then(|k| QuestionKind::parse(k).ok())
        .unwrap_or(QuestionKind::Single);
    let input = QuestionInput {
        kind: kind.code().to_owned(),
        required: true,
        scale_min_label: if kind == QuestionKind::Scale {
            "Pas du tout satisfait".into()
        } else {
            String::new()
        },
        scale_max_label: if kind == QuestionKind::Scale {
            "Très satisfait".into()
        } else {
            String::new()
        },
        label: default_label(kind).to_owned(),
        ..QuestionInput::default()
    };
    let count = definition.questions.len();
    Ok(form_page(
        &state,
        user,
        &definition,
        None,
        count,
        input,
        FieldErrors::default(),
    )
    .await?
    .into_response())
}

/// A starting wording for the fixed-list kinds, which staff can change.
fn default_label(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Commune => "Dans quelle commune habitez-vous ?",
        QuestionKind::Public => "Vous êtes…",
        QuestionKind::AgeBracket => "Quel âge avez-vous ?",
        _ => "",
    }
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let definition = find_survey(&state, &user, &id).await?;
    let input = input_from(&values(fields), None);
    let themes = theme_codes(&user.territory(&state)).await?;
    let themes: Vec<&str> = themes.iter().map(String::as_str).collect();
    let count = definition.questions.len();
    match QuestionDraft::parse(&input, &definition.questions, &themes) {
        Ok(draft) => {
            user.territory(&state)
                .add_question(definition.survey.id, &draft, &user.actor())
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(Redirect::to(&format!(
                "/admin/enquetes/{}?fait=question",
                definition.survey.id
            ))
            .into_response())
        }
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&state, user, &definition, None, count, input, errors).await?,
        )
            .into_response()),
    }
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, qid)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let definition = find_survey(&state, &user, &id).await?;
    let (index, question) = question_of(&definition, &qid)?;
    let input = input_of(&question);
    form_page(
        &state,
        user,
        &definition,
        Some(&question),
        index,
        input,
        FieldErrors::default(),
    )
    .await
}

pub(super) async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, qid)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let definition = find_survey(&state, &user, &id).await?;
    let (index, question) = question_of(&definition, &qid)?;
    let input = input_from(&values(fields), Some(&question));
    let themes = theme_codes(&user.territory(&state)).await?;
    let themes: Vec<&str> = themes.iter().map(String::as_str).collect();
    let draft = QuestionDraft::parse(&input, &definition.questions[..index], &themes);
    let errors = match &draft {
        Err(errors) => errors.clone(),
        Ok(draft) if definition.survey.response_count > 0 => draft.structural_changes(&question),
        Ok(_) => FieldErrors::default(),
    };
    if let (Ok(draft), true) = (&draft, errors.is_empty()) {
        match user
            .territory(&state)
            .update_question(question.id, draft, &user.actor())
            .await?
        {
            QuestionChange::Done => {
                return Ok(Redirect::to(&format!(
                    "/admin/enquetes/{}?fait=question",
                    definition.survey.id
                ))
                .into_response());
            }
            QuestionChange::NotFound => return Err(AppError::NotFound),
            _ => {}
        }
    }
    let errors = if errors.is_empty() {
        FieldErrors::general(
            "Impossible : l'enquête a reçu des réponses entre-temps. Rechargez la page.",
        )
    } else {
        errors
    };
    let page = form_page(
        &state,
        user,
        &definition,
        Some(&question),
        index,
        input,
        errors,
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

fn after(survey_id: i64, change: QuestionChange, done: &str) -> Result<Response, AppError> {
    let query = match change {
        QuestionChange::Done => done.to_owned(),
        QuestionChange::NotFound => return Err(AppError::NotFound),
        QuestionChange::HasResponses => "erreur=reponses".to_owned(),
        QuestionChange::HasDependents(_) => "erreur=dependance".to_owned(),
        QuestionChange::BreaksCondition(_) => "erreur=ordre".to_owned(),
    };
    Ok(Redirect::to(&format!("/admin/enquetes/{survey_id}?{query}")).into_response())
}

pub(super) async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, qid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let definition = find_survey(&state, &user, &id).await?;
    let (_, question) = question_of(&definition, &qid)?;
    let change = user
        .territory(&state)
        .delete_question(question.id, &user.actor())
        .await?;
    after(definition.survey.id, change, "fait=question-supprimee")
}

async fn move_question(
    state: AppState,
    user: CurrentUser,
    id: String,
    qid: String,
    up: bool,
) -> Result<Response, AppError> {
    let definition = find_survey(&state, &user, &id).await?;
    let (_, question) = question_of(&definition, &qid)?;
    let change = user
        .territory(&state)
        .move_question(question.id, up, &user.actor())
        .await?;
    after(definition.survey.id, change, "")
}

pub(super) async fn move_up(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, qid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    move_question(state, user, id, qid, true).await
}

pub(super) async fn move_down(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, qid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    move_question(state, user, id, qid, false).await
}

/// The question form. `before` is how many questions precede it (for conditions).
async fn form_page(
    state: &AppState,
    user: CurrentUser,
    definition: &SurveyDefinition,
    existing: Option<&Question>,
    before: usize,
    input: QuestionInput,
    errors: FieldErrors,
) -> Result<Html<String>, AppError> {
    let mut themes = vec![(String::new(), "Aucun".to_owned())];
    themes.extend(
        user.territory(state)
            .themes()
            .await?
            .into_iter()
            .map(|t| (t.code, t.label)),
    );
    let kinds: Vec<(String, String)> = QuestionKind::ALL
        .iter()
        .map(|k| (k.code().to_owned(), k.label().to_owned()))
        .collect();
    let mut conditions = vec![(String::new(), "Toujours affichée".to_owned())];
    for earlier in definition
        .questions
        .iter()
        .take(before)
        .filter(|q| q.kind.can_control_conditions())
    {
        for option in &earlier.options {
            conditions.push((
                format!("{}={}", earlier.code, option.code),
                format!("Seulement si « {} » = « {} »", earlier.label, option.label),
            ));
        }
    }
    let kind = QuestionKind::parse(&input.kind).unwrap_or(QuestionKind::Single);
    let survey_id = definition.survey.id;
    let (heading, action) = match existing {
        Some(q) => (
            format!("Modifier la question {}", q.code),
            format!("/admin/enquetes/{survey_id}/questions/{}", q.id),
        ),
        None => (
            format!("Nouvelle question : {}", kind.label().to_lowercase()),
            format!("/admin/enquetes/{survey_id}/questions"),
        ),
    };
    let has_responses = definition.survey.response_count > 0;
    let survey_title = definition.survey.title.clone();
    let title = title_with_errors(&heading, &errors);
    Ok(render::page(move || {
        let lookup = errors.clone();
        let e = move |field: &str| lookup.get(field);
        let kind_field = match existing {
            Some(_) => view! { <SelectField name="kind" label="Type de question".to_owned() options=kinds selected=input.kind.clone() error=e("kind")
                hint=if has_responses { "L'enquête a des réponses : le type ne peut plus changer.".to_owned() } else { "Changer de type remplace les options.".to_owned() }/> }.into_any(),
            None => view! { <input type="hidden" name="kind" value=input.kind.clone()/> }.into_any(),
        };
        let options = kind.has_custom_options().then(|| {
            let edits = input.option_edits.clone();
            view! {
                <fieldset class="field">
                    <legend>"Options de réponse"</legend>
                    {edits.into_iter().map(|edit| {
                        let field = format!("option-{}", edit.code);
                        let remove = format!("remove-{}", edit.code);
                        let error = errors.get(&field);
                        let invalid = error.is_some();
                        let error_id = format!("champ-{field}-erreur");
                        let class = if invalid { "field field-error option-edit" } else { "field option-edit" };
                        view! {
                            <div class=class>
                                <label for=format!("champ-{field}")>{format!("Option {}", edit.code)}</label>
                                {error.map(|m| view! { <p class="error-message" id=error_id.clone()><span class="visually-hidden">"Erreur : "</span>{m}</p> })}
                                <input type="text" id=format!("champ-{field}") name=field.clone() value=edit.label maxlength="200"
                                    aria-describedby=invalid.then(|| error_id.clone()) aria-invalid=invalid.then_some("true")/>
                                <div class="choice">
                                    <input type="checkbox" id=format!("champ-{remove}") name=remove.clone() value="1" checked=edit.remove/>
                                    <label for=format!("champ-{remove}")>"supprimer"<span class="visually-hidden">{format!(" l'option {}", edit.code)}</span></label>
                                </div>
                            </div>
                        }
                    }).collect_view()}
                    <TextAreaField name="new_options" label=if existing.is_some() { "Nouvelles options, une par ligne".to_owned() } else { "Options, une par ligne".to_owned() }
                        value=input.new_options.clone() error=e("new_options") rows=5/>
                </fieldset>
            }
        });
        view! {
            <Page
                title=title
                staff=user.nav()
                breadcrumbs=vec![
                    Crumb::link("Enquêtes", "/admin/enquetes"),
                    Crumb::link(survey_title.clone(), format!("/admin/enquetes/{survey_id}")),
                    Crumb::here(heading.clone()),
                ]
            >
                <h1>{heading.clone()}</h1>
                <ErrorSummary errors=errors.clone()/>
                <form method="post" novalidate action=action class="stack">
                    <CsrfField token=user.csrf_token.clone()/>
                    {kind_field}
                    <TextField name="label" label="Question".to_owned() value=input.label.clone() required=true maxlength=300usize error=e("label")/>
                    <TextField name="help" label="Aide (facultatif)".to_owned() value=input.help.clone() maxlength=500usize error=e("help")
                        hint="Une précision affichée sous la question.".to_owned()/>
                    <CheckboxField name="required" label="Réponse obligatoire".to_owned() checked=input.required/>
                    <SelectField name="theme" label="Thème".to_owned() options=themes selected=input.theme.clone() error=e("theme")/>
                    {options}
                    {(kind == QuestionKind::Multiple).then(|| view! {
                        <TextField name="max_choices" label="Nombre de choix maximum (facultatif)".to_owned() value=input.max_choices.clone() error=e("max_choices")/>
                    })}
                    {(kind == QuestionKind::Scale).then(|| view! {
                        <TextField name="scale_min_label" label="Ce que veut dire 1".to_owned() value=input.scale_min_label.clone() error=e("scale_min_label")/>
                        <TextField name="scale_max_label" label="Ce que veut dire 5".to_owned() value=input.scale_max_label.clone() error=e("scale_max_label")/>
                    })}
                    {(kind == QuestionKind::Number).then(|| view! {
                        <TextField name="min_value" label="Minimum (facultatif)".to_owned() value=input.min_value.clone() error=e("min_value")/>
                        <TextField name="max_value" label="Maximum (facultatif)".to_owned() value=input.max_value.clone() error=e("max_value")/>
                    })}
                    <SelectField name="condition" label="Affichage".to_owned() options=conditions selected=input.condition.clone() error=e("condition")
                        hint="Une question peut dépendre de la réponse à une question à choix unique ou oui / non placée avant elle.".to_owned()/>
                    <p><button type="submit">"Enregistrer la question"</button>" "<a href=format!("/admin/enquetes/{survey_id}")>"Annuler"</a></p>
                </form>
            </Page>
        }
    }))
}
