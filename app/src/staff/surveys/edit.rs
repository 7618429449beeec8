//! The survey list, and the form that creates or edits a survey's details.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use pouls::disclosure::Audience;
use pouls::domain::{FieldErrors, Role, paris};
use pouls::survey::{FormValues, Survey, SurveyDraft, SurveyInput, SurveySummary};

use super::{parse_id, theme_codes, values};
use crate::error::AppError;
use crate::forms::{
    CheckboxesField, CsrfField, ErrorSummary, TextAreaField, TextField, title_with_errors,
};
use crate::layout::{Crumb, Page};
use crate::staff::CurrentUser;
use crate::tables::TableScroll;
use crate::urlencoded::Form;
use crate::{AppState, format, render};

pub(super) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Html<String>, AppError> {
    let surveys = user.territory(&state).surveys().await?;
    let can_edit = user.role.allows(Role::Agent);
    let audience = Audience::of_role(user.role);
    Ok(render::page(move || {
        view! {
            <Page
                title="Enquêtes".to_owned()
                staff=user.nav()
                breadcrumbs=vec![Crumb::link("Tableau de bord", "/admin"), Crumb::here("Enquêtes")]
            >
                <h1>"Enquêtes"</h1>
                {can_edit.then(|| view! { <p><a class="button" href="/admin/enquetes/nouvelle">"Nouvelle enquête"</a></p> })}
                <SurveyTable surveys can_edit audience/>
                {can_edit.then(|| view! { <p class="screen-only"><a href="/admin/exports#reponses">"Exporter les réponses d'une enquête (CSV)"</a></p> })}
            </Page>
        }
    }))
}

#[component]
fn SurveyTable(surveys: Vec<SurveySummary>, can_edit: bool, audience: Audience) -> impl IntoView {
    if surveys.is_empty() {
        return view! { <p>"Aucune enquête pour l'instant."</p> }.into_any();
    }
    view! {
        <TableScroll label="Enquêtes">
            <table>
                <caption class="visually-hidden">"Enquêtes, les plus récentes d'abord"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Titre"</th>
                        <th scope="col">"État"</th>
                        <th scope="col">"Dates"</th>
                        <th scope="col" class="number">"Questions"</th>
                        <th scope="col" class="number">"Réponses"</th>
                    </tr>
                </thead>
                <tbody>
                    {surveys
                        .into_iter()
                        .map(|summary| {
                            let s = summary.survey;
                            let href = if can_edit { format!("/admin/enquetes/{}", s.id) } else { format!("/admin/enquetes/{}/resultats", s.id) };
                            view! {
                                <tr>
                                    <td><a href=href>{s.title}</a></td>
                                    <td>{s.status.label()}</td>
                                    <td>{format!("du {} au {}", format::date(s.opens_on), format::date(s.closes_on))}</td>
                                    <td class="number">{summary.question_count}</td>
                                    <td class="number">{audience.count(s.response_count).to_string()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableScroll>
    }
    .into_any()
}

/// The survey form's values: typed ones after an error, the survey's when editing.
fn input_of(survey: &Survey) -> SurveyInput {
    SurveyInput {
        title: survey.title.clone(),
        intro: survey.intro.clone(),
        why: survey.why.clone(),
        actions: survey.actions.iter().map(i32::to_string).collect(),
        themes: survey.themes.clone(),
        opens_on: survey.opens_on.to_string(),
        closes_on: survey.closes_on.to_string(),
        retention_until: survey.retention_until.to_string(),
    }
}

fn input_from(values: &FormValues) -> SurveyInput {
    SurveyInput {
        title: values.first("title").to_owned(),
        intro: values.first("intro").to_owned(),
        why: values.first("why").to_owned(),
        actions: values.all("actions").to_vec(),
        themes: values.all("themes").to_vec(),
        opens_on: values.first("opens_on").to_owned(),
        closes_on: values.first("closes_on").to_owned(),
        retention_until: values.first("retention_until").to_owned(),
    }
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Html<String>, AppError> {
    let today = paris::today().to_string();
    let input = SurveyInput {
        opens_on: today,
        ..SurveyInput::default()
    };
    form_page(&state, user, None, input, FieldErrors::default()).await
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let input = input_from(&values(fields));
    let themes = theme_codes(&user.territory(&state)).await?;
    let themes: Vec<&str> = themes.iter().map(String::as_str).collect();
    match SurveyDraft::parse(&input, &themes) {
        Ok(draft) => {
            let id = user
                .territory(&state)
                .create_survey(&draft, &user.actor())
                .await?;
            Ok(Redirect::to(&format!("/admin/enquetes/{id}?fait=creee")).into_response())
        }
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&state, user, None, input, errors).await?,
        )
            .into_response()),
    }
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let survey = user
        .territory(&state)
        .survey(parse_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let input = input_of(&survey);
    form_page(&state, user, Some(survey.id), input, FieldErrors::default()).await
}

pub(super) async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    // Another territory's survey is not found, before its form says what was wrong.
    if user.territory(&state).survey(id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let input = input_from(&values(fields));
    let themes = theme_codes(&user.territory(&state)).await?;
    let themes: Vec<&str> = themes.iter().map(String::as_str).collect();
    match SurveyDraft::parse(&input, &themes) {
        Ok(draft) => {
            if !user
                .territory(&state)
                .update_survey(id, &draft, &user.actor())
                .await?
            {
                return Err(AppError::NotFound);
            }
            Ok(Redirect::to(&format!("/admin/enquetes/{id}?fait=modifiee")).into_response())
        }
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&state, user, Some(id), input, errors).await?,
        )
            .into_response()),
    }
}

async fn form_page(
    state: &AppState,
    user: CurrentUser,
    id: Option<i64>,
    input: SurveyInput,
    errors: FieldErrors,
) -> Result<Html<String>, AppError> {
    let actions: Vec<(String, String)> = user
        .territory(state)
        .action_titles()
        .await?
        .into_iter()
        .map(|(n, title)| (n.to_string(), format!("Action {n} : {title}")))
        .collect();
    let themes: Vec<(String, String)> = user
        .territory(state)
        .themes()
        .await?
        .into_iter()
        .map(|t| (t.code, t.label))
        .collect();
    let (heading, action, back) = match id {
        Some(id) => (
            "Modifier l'enquête".to_owned(),
            format!("/admin/enquetes/{id}/modifier"),
            format!("/admin/enquetes/{id}"),
        ),
        None => (
            "Nouvelle enquête".to_owned(),
            "/admin/enquetes".to_owned(),
            "/admin/enquetes".to_owned(),
        ),
    };
    let title = title_with_errors(&heading, &errors);
    Ok(render::page(move || {
        let lookup = errors.clone();
        let e = move |field: &str| lookup.get(field);
        view! {
            <Page
                title=title
                staff=user.nav()
                breadcrumbs=vec![Crumb::link("Tableau de bord", "/admin"), Crumb::link("Enquêtes", "/admin/enquetes"), Crumb::here(heading.clone())]
            >
                <h1>{heading.clone()}</h1>
                <ErrorSummary errors=errors.clone()/>
                <form method="post" novalidate action=action class="stack">
                    <CsrfField token=user.csrf_token.clone()/>
                    <TextField name="title" label="Titre".to_owned() value=input.title required=true maxlength=150usize error=e("title")
                        hint="Court et parlant, par exemple « Ville à Joie 2026 : votre avis ».".to_owned()/>
                    <TextAreaField name="intro" label="Introduction".to_owned() value=input.intro maxlength=1000usize error=e("intro") rows=3
                        hint="En quelques mots simples : à quoi sert l'enquête. Elle s'affiche au-dessus des questions.".to_owned()/>
                    <TextField name="why" label="Pourquoi c'est important (une phrase, pour l'affiche)".to_owned() value=input.why maxlength=200usize error=e("why")
                        hint="Facultatif. Sinon, l'affiche reprend la première phrase de l'introduction.".to_owned()/>
                    <CheckboxesField name="actions" legend="Actions du plan que l'enquête sert".to_owned() options=actions checked=input.actions error=e("actions")
                        hint="Au moins une.".to_owned()/>
                    <CheckboxesField name="themes" legend="Thèmes abordés".to_owned() options=themes checked=input.themes error=e("themes")/>
                    <TextField name="opens_on" label="Date d'ouverture".to_owned() kind="date" value=input.opens_on required=true error=e("opens_on")/>
                    <TextField name="closes_on" label="Date de clôture".to_owned() kind="date" value=input.closes_on required=true error=e("closes_on")/>
                    <TextField name="retention_until" label="Conserver les réponses jusqu'au".to_owned() kind="date" value=input.retention_until error=e("retention_until")
                        hint="Par défaut, deux ans après la clôture. Les réponses sont ensuite supprimées automatiquement.".to_owned()/>
                    <p><button type="submit">"Enregistrer"</button>" "<a href=back>"Annuler"</a></p>
                </form>
            </Page>
        }
    }))
}
