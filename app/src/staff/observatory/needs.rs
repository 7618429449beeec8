//! Needs: qualified from field reports and residents' answers, with their sources and
//! a dated status history.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use pouls::domain::{FieldErrors, Role};
use pouls::needs::{Need, NeedDraft, NeedInput, NeedStatus};
use pouls::storage::NewSource;
use pouls::survey::FormValues;

use super::{Choices, need_page, parse_id};
use crate::error::AppError;
use crate::forms::{
    CheckboxesField, CsrfField, ErrorSummary, SelectField, TextAreaField, TextField,
    title_with_errors,
};
use crate::layout::{Crumb, Page};
use crate::staff::CurrentUser;
use crate::staff::exports::ExportLink;
use crate::tables::TableScroll;
use crate::urlencoded::Form;
use crate::{AppState, format, render};

/// `r:ID` (field report), `a:RESPONSE:QUESTION` (an answer), `q:QUESTION` (a pattern in
/// a closed question).
fn parse_source(value: &str, note: &str) -> Option<NewSource> {
    let mut parts = value.split(':');
    match (parts.next()?, parts.next(), parts.next()) {
        ("r", Some(id), None) => id.parse().ok().map(NewSource::Report),
        ("a", Some(response), Some(question)) => Some(NewSource::Answer {
            response_id: response.parse().ok()?,
            question_id: question.parse().ok()?,
        }),
        ("q", Some(question), None) => Some(NewSource::Question {
            question_id: question.parse().ok()?,
            note: note.to_owned(),
        }),
        _ => None,
    }
}

pub(super) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let only = query.get("etat").and_then(|s| NeedStatus::parse(s).ok());
    let needs = user.territory(&state).needs(only).await?;
    let choices = Choices::load(&user.territory(&state)).await?;
    let agent = user.role.allows(Role::Agent);
    Ok(render::page(move || {
        let link = move |status: Option<NeedStatus>, label: &'static str| {
            let href = status.map_or_else(
                || "/admin/besoins".to_owned(),
                |s| format!("/admin/besoins?etat={}", s.code()),
            );
            view! { <li><a href=href aria-current=(status == only).then_some("page")>{label}</a></li> }
        };
        view! {
            <Page title="Besoins".to_owned() staff=user.nav() breadcrumbs=vec![Crumb::link("Tableau de bord", "/admin"), Crumb::here("Besoins")]>
                <h1>"Besoins"</h1>
                <p>{agent.then(|| view! { <a class="button" href="/admin/besoins/nouveau">"Nouveau besoin"</a>" " })}<a href="/admin/observatoire">"Tableau de bord des besoins"</a></p>
                <nav class="filters" aria-label="Filtrer par état">
                    <ul>
                        {link(None, "Tous")}
                        {NeedStatus::ALL.iter().map(|s| link(Some(*s), s.label())).collect_view()}
                    </ul>
                </nav>
                <NeedTable needs choices/>
                <ExportLink kind="besoins" label="Télécharger les besoins (CSV)"/>
            </Page>
        }
    }))
}

#[component]
fn NeedTable(needs: Vec<Need>, choices: Choices) -> impl IntoView {
    if needs.is_empty() {
        return view! { <p>"Aucun besoin."</p> }.into_any();
    }
    view! {
        <TableScroll label="Besoins">
            <table>
                <caption class="visually-hidden">"Besoins, les plus récemment modifiés d'abord"</caption>
                <thead><tr><th scope="col">"Besoin"</th><th scope="col">"Thème"</th><th scope="col">"Communes"</th><th scope="col">"État"</th><th scope="col">"Modifié le"</th></tr></thead>
                <tbody>
                    {needs.into_iter().map(|need| {
                        let communes: Vec<&str> = need.communes.iter().map(|c| Choices::label(&choices.communes, c)).collect();
                        view! {
                            <tr>
                                <td><a href=format!("/admin/besoins/{}", need.id)>{need.title.clone()}</a></td>
                                <td>{Choices::label(&choices.themes, &need.theme).to_owned()}</td>
                                <td>{if communes.is_empty() { "Tout le territoire".to_owned() } else { communes.join(", ") }}</td>
                                <td>{need.status.label()}</td>
                                <td>{format::datetime_short(need.updated_at)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </TableScroll>
    }
    .into_any()
}

fn input_from(values: &FormValues) -> NeedInput {
    NeedInput {
        title: values.first("title").to_owned(),
        description: values.first("description").to_owned(),
        theme: values.first("theme").to_owned(),
        communes: values.all("communes").to_vec(),
        publics: values.all("publics").to_vec(),
    }
}

/// A new need prefilled from the source it starts from.
pub(super) async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let mut input = NeedInput::default();
    let mut sources = Vec::new();
    if let Some(id) = query.get("remontee").and_then(|v| v.parse::<i64>().ok()) {
        let report = user
            .territory(&state)
            .report(id)
            .await?
            .ok_or(AppError::NotFound)?;
        input.theme = report.themes.first().cloned().unwrap_or_default();
        input.communes = report.commune.iter().cloned().collect();
        input.publics = report.publics.clone();
        input.description = report.observed.clone();
        sources.push(format!("r:{id}"));
    }
    if let Some(answer) = query.get("reponse") {
        sources.push(format!("a:{}", answer.replace('-', ":")));
    }
    if let Some(question) = query.get("question") {
        sources.push(format!("q:{question}"));
    }
    form_page(
        &state,
        user,
        input,
        sources,
        String::new(),
        FieldErrors::default(),
    )
    .await
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let values = FormValues::from_pairs(fields);
    let input = input_from(&values);
    let note = values.first("note").to_owned();
    let raw_sources = values.all("source").to_vec();
    let sources: Vec<NewSource> = raw_sources
        .iter()
        .filter_map(|s| parse_source(s, &note))
        .collect();
    let choices = Choices::load(&user.territory(&state)).await?;
    match choices.with_lists(|lists| NeedDraft::parse(&input, lists)) {
        Ok(draft) => {
            let id = user
                .territory(&state)
                .create_need(&draft, &sources, &user.actor())
                .await?;
            Ok(Redirect::to(&format!("/admin/besoins/{id}")).into_response())
        }
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&state, user, input, raw_sources, note, errors).await?,
        )
            .into_response()),
    }
}

async fn form_page(
    state: &AppState,
    user: CurrentUser,
    input: NeedInput,
    sources: Vec<String>,
    note: String,
    errors: FieldErrors,
) -> Result<Html<String>, AppError> {
    let choices = Choices::load(&user.territory(state)).await?;
    let title = title_with_errors("Nouveau besoin", &errors);
    let has_question = sources.iter().any(|s| s.starts_with("q:"));
    Ok(render::page(move || {
        let lookup = errors.clone();
        let e = move |field: &str| lookup.get(field);
        let themes: Vec<(String, String)> =
            std::iter::once((String::new(), "Choisissez".to_owned()))
                .chain(choices.themes.iter().cloned())
                .collect();
        view! {
            <Page title=title staff=user.nav() breadcrumbs=vec![Crumb::link("Besoins", "/admin/besoins"), Crumb::here("Nouveau besoin")]>
                <h1>"Nouveau besoin"</h1>
                <ErrorSummary errors=errors.clone()/>
                {(!sources.is_empty()).then(|| view! { <p class="notice">{format!("Sources rattachées : {}.", sources.len())}</p> })}
                <form method="post" novalidate action="/admin/besoins" class="stack">
                    <CsrfField token=user.csrf_token.clone()/>
                    {sources.iter().map(|s| view! { <input type="hidden" name="source" value=s.clone()/> }).collect_view()}
                    <NeedFields input themes communes=choices.communes.clone() publics=choices.publics.clone() errors=errors.clone()/>
                    {has_question.then(|| view! {
                        <TextField name="note" label="Ce que montrent les réponses à cette question".to_owned() value=note.clone() error=e("note")
                            hint="Par exemple : « 40 % des familles de Sergines citent le transport ».".to_owned()/>
                    })}
                    <button type="submit">"Enregistrer le besoin"</button>
                </form>
            </Page>
        }
    }))
}

#[component]
pub(super) fn NeedFields(
    input: NeedInput,
    themes: Vec<(String, String)>,
    communes: Vec<(String, String)>,
    publics: Vec<(String, String)>,
    errors: FieldErrors,
) -> impl IntoView {
    view! {
        <TextField name="title" label="Intitulé".to_owned() value=input.title maxlength=150usize error=errors.get("title")/>
        <TextAreaField name="description" label="Description".to_owned() value=input.description rows=5 error=errors.get("description")/>
        <SelectField name="theme" label="Thème".to_owned() options=themes selected=input.theme error=errors.get("theme")/>
        <CheckboxesField name="communes" legend="Communes concernées (aucune : tout le territoire)".to_owned() options=communes checked=input.communes error=errors.get("communes")/>
        <CheckboxesField name="publics" legend="Publics concernés".to_owned() options=publics checked=input.publics error=errors.get("publics")/>
    }
}

pub(super) async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let input = input_from(&FormValues::from_pairs(fields));
    let choices = Choices::load(&user.territory(&state)).await?;
    match choices.with_lists(|lists| NeedDraft::parse(&input, lists)) {
        Ok(draft) => {
            if !user
                .territory(&state)
                .update_need(id, &draft, &user.actor())
                .await?
            {
                return Err(AppError::NotFound);
            }
            Ok(Redirect::to(&format!("/admin/besoins/{id}")).into_response())
        }
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            need_page::detail_page(&state, user, id, Some(input), errors).await?,
        )
            .into_response()),
    }
}

pub(super) async fn set_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let status = fields.get("status").and_then(|s| NeedStatus::parse(s).ok());
    let Some(status) = status else {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            need_page::detail_page(
                &state,
                user,
                id,
                None,
                FieldErrors::general("Choisissez un état."),
            )
            .await?,
        )
            .into_response());
    };
    let note = fields
        .get("note")
        .map(|n| n.trim().to_owned())
        .unwrap_or_default();
    user.territory(&state)
        .need(id)
        .await?
        .ok_or(AppError::NotFound)?;
    user.territory(&state)
        .set_need_status(id, status, &note, &user.actor())
        .await?;
    Ok(Redirect::to(&format!("/admin/besoins/{id}")).into_response())
}

pub(super) async fn add_source(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let note = fields.get("note").cloned().unwrap_or_default();
    let source = fields
        .get("source")
        .and_then(|s| parse_source(s, &note))
        .ok_or(AppError::NotFound)?;
    if !user
        .territory(&state)
        .add_need_source(id, &source, &user.actor())
        .await?
    {
        let errors =
            FieldErrors::general("Cette source n'existe pas ou est déjà rattachée au besoin.");
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            need_page::detail_page(&state, user, id, None, errors).await?,
        )
            .into_response());
    }
    Ok(Redirect::to(&format!("/admin/besoins/{id}")).into_response())
}

/// Attaches a source chosen on another page (a survey's free-text answers) to the need
/// picked in a list, then goes back there.
pub(super) async fn attach(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let need = fields
        .get("need")
        .and_then(|n| n.parse::<i64>().ok())
        .ok_or(AppError::NotFound)?;
    let source = fields
        .get("source")
        .and_then(|s| parse_source(s, ""))
        .ok_or(AppError::NotFound)?;
    user.territory(&state)
        .need(need)
        .await?
        .ok_or(AppError::NotFound)?;
    user.territory(&state)
        .add_need_source(need, &source, &user.actor())
        .await?;
    let back = fields
        .get("retour")
        .and_then(|r| crate::staff::guard::local_path(r))
        .map_or_else(|| format!("/admin/besoins/{need}"), str::to_owned);
    Ok(Redirect::to(&back).into_response())
}
