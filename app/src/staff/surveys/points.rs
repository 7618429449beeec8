//! Collection points: creating and editing them, and their page with the QR code.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use pouls::domain::FieldErrors;
use pouls::storage::TerritoryStorage;
use pouls::survey::{CollectionPoint, FormValues, PointDraft, PointInput, PointKind};

use super::{parse_id, values};
use crate::error::AppError;
use crate::forms::{
    CheckboxField, CsrfField, ErrorSummary, SelectField, TextField, title_with_errors,
};
use crate::layout::{Crumb, Page};
use crate::staff::CurrentUser;
use crate::urlencoded::Form;
use crate::{AppState, format, render};

fn input_from(values: &FormValues) -> PointInput {
    PointInput {
        label: values.first("label").to_owned(),
        kind: values.first("kind").to_owned(),
        commune: values.first("commune").to_owned(),
        starts_on: values.first("starts_on").to_owned(),
        ends_on: values.first("ends_on").to_owned(),
        live_screen: values.first("live_screen") == "1",
    }
}

fn input_of(point: &CollectionPoint) -> PointInput {
    PointInput {
        label: point.label.clone(),
        kind: point.kind.code().to_owned(),
        commune: point.commune.clone().unwrap_or_default(),
        starts_on: point.starts_on.map(|d| d.to_string()).unwrap_or_default(),
        ends_on: point.ends_on.map(|d| d.to_string()).unwrap_or_default(),
        live_screen: point.live_screen,
    }
}

async fn parse(
    territory: &TerritoryStorage,
    input: &PointInput,
) -> Result<Result<PointDraft, FieldErrors>, AppError> {
    let communes = territory.communes().await?;
    let codes: Vec<&str> = communes.iter().map(|c| c.code.as_str()).collect();
    Ok(PointDraft::parse(input, &codes))
}

async fn point(
    state: &AppState,
    user: &CurrentUser,
    pid: &str,
) -> Result<CollectionPoint, AppError> {
    user.territory(state)
        .point(parse_id(pid)?)
        .await?
        .ok_or(AppError::NotFound)
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let survey_id = parse_id(&id)?;
    user.territory(&state)
        .survey(survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // `?type=papier` from the paper screens, which need such a point.
    let kind = query
        .get("type")
        .and_then(|k| PointKind::parse(k).ok())
        .unwrap_or(PointKind::Event);
    let label = match kind {
        PointKind::Paper => "Questionnaires papier".to_owned(),
        _ => String::new(),
    };
    let input = PointInput {
        label,
        kind: kind.code().to_owned(),
        ..PointInput::default()
    };
    form_page(&state, user, survey_id, None, input, FieldErrors::default()).await
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let survey_id = parse_id(&id)?;
    user.territory(&state)
        .survey(survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let input = input_from(&values(fields));
    match parse(&user.territory(&state), &input).await? {
        Ok(draft) => {
            let code = user
                .territory(&state)
                .create_point(survey_id, &draft, &user.actor())
                .await?;
            let created = state
                .storage
                .point_by_code(&code)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(Redirect::to(&format!("/admin/points/{}", created.id)).into_response())
        }
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&state, user, survey_id, None, input, errors).await?,
        )
            .into_response()),
    }
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(pid): Path<String>,
) -> Result<Html<String>, AppError> {
    let point = point(&state, &user, &pid).await?;
    let input = input_of(&point);
    form_page(
        &state,
        user,
        point.survey_id,
        Some(point.id),
        input,
        FieldErrors::default(),
    )
    .await
}

pub(super) async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(pid): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let point = point(&state, &user, &pid).await?;
    let input = input_from(&values(fields));
    match parse(&user.territory(&state), &input).await? {
        Ok(draft) => {
            user.territory(&state)
                .update_point(point.id, &draft, &user.actor())
                .await?;
            Ok(Redirect::to(&format!("/admin/points/{}", point.id)).into_response())
        }
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&state, user, point.survey_id, Some(point.id), input, errors).await?,
        )
            .into_response()),
    }
}

async fn form_page(
    state: &AppState,
    user: CurrentUser,
    survey_id: i64,
    point_id: Option<i64>,
    input: PointInput,
    errors: FieldErrors,
) -> Result<Html<String>, AppError> {
    let mut communes = vec![(String::new(), "Aucune en particulier".to_owned())];
    communes.extend(
        user.territory(state)
            .communes()
            .await?
            .into_iter()
            .map(|c| (c.code, c.label)),
    );
    let kinds: Vec<(String, String)> = PointKind::ALL
        .iter()
        .map(|k| (k.code().to_owned(), k.label().to_owned()))
        .collect();
    let (heading, action) = match point_id {
        Some(pid) => (
            "Modifier le point de collecte".to_owned(),
            format!("/admin/points/{pid}/modifier"),
        ),
        None => (
            "Nouveau point de collecte".to_owned(),
            format!("/admin/enquetes/{survey_id}/points"),
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
                breadcrumbs=vec![Crumb::link("Enquêtes", "/admin/enquetes"), Crumb::link("L'enquête", format!("/admin/enquetes/{survey_id}")), Crumb::here(heading.clone())]
            >
                <h1>{heading.clone()}</h1>
                <ErrorSummary errors=errors.clone()/>
                <form method="post" novalidate action=action class="stack">
                    <CsrfField token=user.csrf_token.clone()/>
                    <TextField name="label" label="Nom du point".to_owned() value=input.label required=true maxlength=120usize error=e("label")
                        hint="Par exemple « Ville à Joie 2026 - stand CCYN ».".to_owned()/>
                    <SelectField name="kind" label="Type".to_owned() options=kinds selected=input.kind error=e("kind")
                        hint="Kiosque : une tablette en libre-service, qui revient au formulaire vide après chaque réponse. Papier : questionnaires imprimés saisis ensuite.".to_owned()/>
                    <SelectField name="commune" label="Commune".to_owned() options=communes selected=input.commune error=e("commune")/>
                    <TextField name="starts_on" label="Du (facultatif)".to_owned() kind="date" value=input.starts_on error=e("starts_on")/>
                    <TextField name="ends_on" label="Au (facultatif)".to_owned() kind="date" value=input.ends_on error=e("ends_on")/>
                    <CheckboxField name="live_screen" label="Écran en direct (résultats projetés pendant l'événement)".to_owned() checked=input.live_screen
                        hint="Affiche les résultats des questions fermées à partir de 5 réponses, jamais les réponses libres.".to_owned()/>
                    <p><button type="submit">"Enregistrer"</button></p>
                </form>
            </Page>
        }
    }))
}

/// The point's page: its QR code and everything to print or share.
pub(super) async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(pid): Path<String>,
) -> Result<Html<String>, AppError> {
    let point = point(&state, &user, &pid).await?;
    let survey = user
        .territory(&state)
        .survey(point.survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let url = format!("{}/q/{}", state.site.public_url, point.code);
    let svg = pouls::qr::svg(&url, &format!("QR code vers {url}"))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(render::page(move || {
        let code = point.code.to_string();
        view! {
            <Page
                title=point.label.clone()
                staff=user.nav()
                breadcrumbs=vec![Crumb::link("Enquêtes", "/admin/enquetes"), Crumb::link(survey.title.clone(), format!("/admin/enquetes/{}", survey.id)), Crumb::here(point.label.clone())]
            >
                <h1>{point.label.clone()}</h1>
                <dl class="facts">
                    <dt>"Enquête"</dt><dd>{survey.title.clone()}</dd>
                    <dt>"Type"</dt><dd>{point.kind.label()}</dd>
                    <dt>"Code"</dt><dd><code>{code.clone()}</code></dd>
                    <dt>"Adresse"</dt><dd><a href=format!("/q/{code}")>{url.clone()}</a></dd>
                    <dt>"Réponses"</dt><dd>{format::integer(point.response_count)}</dd>
                </dl>
                <div class="qr-preview" inner_html=svg></div>
                <ul class="link-list">
                    <li><a href=format!("/q/{code}/affiche")>"Affiche A4 à imprimer"</a></li>
                    <li><a href=format!("/q/{code}/qr.png")>"QR code en PNG (impression, 1 200 pixels)"</a></li>
                    <li><a href=format!("/q/{code}/qr.svg")>"QR code en SVG (vectoriel)"</a></li>
                    {point.live_screen.then(|| view! { <li><a href=format!("/q/{code}/direct")>"Écran en direct"</a></li> })}
                    {(point.kind == PointKind::Paper).then(|| view! {
                        <li><a href=format!("/admin/enquetes/{}/papier?point={code}", survey.id)>"Questionnaire papier à imprimer, avec le code de ce point"</a></li>
                        <li><a href=format!("/admin/points/{}/saisie", point.id)>"Saisir des réponses papier"</a></li>
                        <li><a href=format!("/admin/enquetes/{}/import", survey.id)>"Importer des réponses papier (CSV)"</a></li>
                    })}
                    <li><a href=format!("/admin/points/{}/modifier", point.id)>"Modifier ce point"</a></li>
                </ul>
            </Page>
        }
    }))
}
