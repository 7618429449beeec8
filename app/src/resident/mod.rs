//! The resident path: `/q/{code}` (the survey of one collection point), its thank-you
//! page, QR codes, poster and live screen.

mod cache;
mod form;
mod live;
mod poster;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use leptos::prelude::*;
use pouls::auth::random_token;
use pouls::domain::paris;
use pouls::storage::NewResponse;
use pouls::survey::{
    Acceptance, CollectionCode, CollectionPoint, FormValues, PointKind, SurveyDefinition,
    validate_submission,
};

pub use cache::SurveyCache;
pub(crate) use form::{FormState, SurveyForm};

use crate::client::ClientAddress;
use crate::error::AppError;
use crate::forms::title_with_errors;
use crate::layout::Page;
use crate::{AppState, format, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/q/{code}", get(show).post(submit))
        .route("/q/{code}/merci", get(thanks))
        .route("/q/{code}/qr.svg", get(poster::qr_svg))
        .route("/q/{code}/qr.png", get(poster::qr_png))
        .route("/q/{code}/affiche", get(poster::poster))
        .route("/q/{code}/direct", get(live::live))
}

/// The collection point named by a code in the URL, or 404.
pub(crate) async fn point(state: &AppState, code: &str) -> Result<CollectionPoint, AppError> {
    let code = CollectionCode::parse(code).map_err(|_| AppError::NotFound)?;
    state
        .storage
        .point_by_code(&code)
        .await?
        .ok_or(AppError::NotFound)
}

/// The point and its survey with questions, from the cache when it is fresh.
async fn survey_at(
    state: &AppState,
    code: &str,
) -> Result<(CollectionPoint, Arc<SurveyDefinition>), AppError> {
    if let Some(cached) = state.surveys.get(code) {
        return Ok(cached);
    }
    let point = point(state, code).await?;
    let definition = state
        .storage
        .survey_definition(point.survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let definition = Arc::new(definition);
    state
        .surveys
        .put(code, point.clone(), Arc::clone(&definition));
    Ok((point, definition))
}

/// A one-time token for a new form: 128 random bits.
fn form_token() -> String {
    random_token()[..32].to_owned()
}

async fn show(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (point, definition) = survey_at(&state, &code).await?;
    if let Some(closed) = not_accepting(&definition) {
        return Ok(closed);
    }
    // A kiosk comes back here after each answer (`?merci=1`): the person who answered
    // sees their thanks, the next one an empty form, and nothing waits on a timer.
    let thanked = point.kind == PointKind::Kiosk && query.get("merci").is_some_and(|v| v == "1");
    let form = FormState {
        token: form_token(),
        ..FormState::default()
    };
    Ok(form_page(
        StatusCode::OK,
        &point,
        &definition,
        form,
        thanked,
    ))
}

async fn submit(
    State(state): State<AppState>,
    Path(code): Path<String>,
    client: ClientAddress,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    if client.0.is_some_and(|ip| !state.public_limiter.allow(ip)) {
        return Ok(too_many_requests());
    }
    let (point, definition) = survey_at(&state, &code).await?;
    if let Some(closed) = not_accepting(&definition) {
        return Ok(closed);
    }
    let values = FormValues::from_pairs(fields);
    let token = Some(values.first("jeton"))
        .filter(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .map_or_else(form_token, str::to_owned);
    match validate_submission(&definition, &values) {
        Ok(answers) => {
            // A token already used (double tap, resubmission) stores nothing more and
            // still thanks the person.
            let response = NewResponse::new(
                &definition,
                &point,
                point.kind.channel(),
                token,
                answers,
                time::OffsetDateTime::now_utc().unix_timestamp(),
            );
            state.writer.submit(response).await?;
            Ok(Redirect::to(&thanks_target(&point)).into_response())
        }
        Err(errors) => {
            let form = FormState {
                token,
                values,
                errors,
            };
            Ok(form_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &point,
                &definition,
                form,
                false,
            ))
        }
    }
}

/// Where a stored answer leads. A kiosk goes straight back to an empty form for the next
/// person, with the thanks above it: a thank-you page that reloads itself after a delay
/// would take the control of time away from the person (RGAA 13.1.2, WCAG 2.2.1).
fn thanks_target(point: &CollectionPoint) -> String {
    if point.kind == PointKind::Kiosk {
        format!("/q/{}?merci=1", point.code)
    } else {
        format!("/q/{}/merci", point.code)
    }
}

/// The 410 page for a survey that does not take answers today, if so.
fn not_accepting(definition: &SurveyDefinition) -> Option<Response> {
    let survey = &definition.survey;
    let message = match survey.acceptance_on(paris::today()) {
        Acceptance::Open => return None,
        Acceptance::NotYetOpen => format!(
            "Ce questionnaire n'est pas encore ouvert. Il le sera à partir du {}.",
            format::date(survey.opens_on)
        ),
        Acceptance::Closed => "Ce questionnaire est terminé : il ne reçoit plus de réponses. Merci à toutes les personnes qui ont participé.".to_owned(),
    };
    let title = survey.title.clone();
    let page = render::page(move || {
        view! {
            <Page title=title.clone()>
                <h1>{title}</h1>
                <p>{message}</p>
                <p><a href="/">"Voir les questionnaires ouverts"</a></p>
            </Page>
        }
    });
    Some((StatusCode::GONE, page).into_response())
}

fn form_page(
    status: StatusCode,
    point: &CollectionPoint,
    definition: &SurveyDefinition,
    form: FormState,
    thanked: bool,
) -> Response {
    let definition = definition.clone();
    let title = if thanked {
        format!("Réponses enregistrées : {}", definition.survey.title)
    } else {
        title_with_errors(&definition.survey.title, &form.errors)
    };
    let heading = definition.survey.title.clone();
    let intro = definition.survey.intro.clone();
    let action = format!("/q/{}", point.code);
    let page = render::page(move || {
        view! {
            <Page title=title class="resident">
                <h1>{heading}</h1>
                {thanked.then(|| view! {
                    <p class="notice" role="status">"Merci pour vos réponses ! Elles ont bien été enregistrées, de façon anonyme. Le questionnaire ci-dessous est vide, prêt pour la personne suivante."</p>
                })}
                <p class="lead">{intro}</p>
                <SurveyForm definition action=Some(action) state=form/>
            </Page>
        }
    });
    // Each form carries its own one-time token: never serve it from a cache.
    (status, [(header::CACHE_CONTROL, "no-store")], page).into_response()
}

async fn thanks(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let point = point(&state, &code).await?;
    // A kiosk's answers lead back to the form (see `thanks_target`); typed in by hand, this
    // page offers the way back to the form, and never reloads itself.
    let kiosk = point.kind == PointKind::Kiosk;
    let again = format!("/q/{}", point.code);
    let page = render::page(move || {
        view! {
            <Page title="Merci !".to_owned() class="resident">
                <h1>"Merci pour vos réponses !"</h1>
                <p class="lead">"Elles ont bien été enregistrées, de façon anonyme."</p>
                <p>"Elles aideront la communauté de communes et ses partenaires à adapter leurs actions. Les résultats et les décisions qui en découlent sont publiés sur ce site : "<a href="/resultats">"vous avez dit, nous avons fait"</a>"."</p>
                {(!kiosk).then(|| view! { <p><a href="/">"Retour à l'accueil"</a></p> })}
                <p><a href=again>{if kiosk { "Revenir au questionnaire" } else { "Répondre à nouveau" }}</a></p>
            </Page>
        }
    });
    Ok(page.into_response())
}

fn too_many_requests() -> Response {
    let page = render::page(|| {
        view! {
            <Page title="Trop de réponses envoyées".to_owned()>
                <h1>"Trop de réponses envoyées"</h1>
                <p>"Beaucoup de réponses sont parties de cette connexion en peu de temps. Patientez une minute, puis renvoyez le formulaire."</p>
            </Page>
        }
    });
    (StatusCode::TOO_MANY_REQUESTS, page).into_response()
}
