//! The resident path: `/q/{code}` (the survey of one collection point), its thank-you
//! page, QR codes, poster and live screen.

mod cache;
mod form;
mod live;
mod poster;
mod refusals;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use leptos::prelude::*;
use pouls::storage::NewResponse;
use pouls::survey::{
    CollectionCode, CollectionPoint, FormValues, PointKind, SurveyDefinition, validate_submission,
};

pub use cache::SurveyCache;
pub(crate) use form::{FormState, SurveyForm};

use self::refusals::{not_accepting, too_many_requests};
use crate::client::ClientAddress;
use crate::error::AppError;
use crate::forms::title_with_errors;
use crate::layout::Page;
use crate::staff::guard::same_origin;
use crate::urlencoded::Form;
use crate::{AppState, render};

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

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

async fn show(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (point, definition) = survey_at(&state, &code).await?;
    if let Some(closed) = not_accepting(&definition, &point) {
        return Ok(closed);
    }
    // A kiosk comes back here after each answer (`?merci=1`): the person who answered
    // sees their thanks, the next one an empty form, and nothing waits on a timer.
    let thanked = point.kind == PointKind::Kiosk && query.get("merci").is_some_and(|v| v == "1");
    let form = FormState {
        token: state.form_key.issue(&point.code, now()),
        ..FormState::default()
    };
    let banner = if thanked {
        Banner::Thanked
    } else {
        Banner::None
    };
    Ok(form_page(StatusCode::OK, &point, &definition, form, banner))
}

async fn submit(
    State(state): State<AppState>,
    Path(code): Path<String>,
    client: ClientAddress,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    // The form is only ever sent from its own page: a post made on another site is a
    // forgery (it could carry anything, in the resident's name).
    if !same_origin(&headers, &state.site) {
        tracing::warn!(point = code, "cross-site resident form refused");
        return Ok(refusals::cross_site(&state.site, &code));
    }
    if client.0.is_some_and(|ip| !state.public_limiter.allow(ip)) {
        return Ok(too_many_requests());
    }
    let (point, definition) = survey_at(&state, &code).await?;
    if let Some(closed) = not_accepting(&definition, &point) {
        return Ok(closed);
    }
    let values = FormValues::from_pairs(fields);
    let now = now();
    let token = state
        .form_key
        .verify(&point.code, values.first("jeton"), now);
    match (token, validate_submission(&definition, &values)) {
        (Ok(token), Ok(answers)) => {
            // A token already used (double tap, resubmission) stores nothing more and
            // still thanks the person. Only its random part is kept: not when the form
            // was shown.
            let response = NewResponse::new(
                &definition,
                &point,
                point.kind.channel(),
                token.nonce().to_owned(),
                answers,
                now,
            );
            state.writer.submit(response).await?;
            Ok(Redirect::to(&thanks_target(&point)).into_response())
        }
        (Ok(token), Err(errors)) => {
            // The same form again: the same nonce, so it still counts once, for as long
            // again as a new form.
            let form = FormState {
                token: state.form_key.renew(&point.code, &token, now),
                values,
                errors,
            };
            Ok(form_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &point,
                &definition,
                form,
                Banner::None,
            ))
        }
        (Err(refused), checked) => {
            // Expired, made up, or from another point's form: nothing stored, and a
            // fresh form with everything typed, and any mistakes, shown at once.
            tracing::info!(point = %point.code, reason = %refused, "form token refused");
            let form = FormState {
                token: state.form_key.issue(&point.code, now),
                values,
                errors: checked.err().unwrap_or_default(),
            };
            Ok(form_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &point,
                &definition,
                form,
                Banner::Expired,
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

/// What the form page says above the questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Banner {
    None,
    /// A kiosk's previous answers were stored.
    Thanked,
    /// The form sent was not one this server issued for this point, or too old.
    Expired,
}

fn form_page(
    status: StatusCode,
    point: &CollectionPoint,
    definition: &SurveyDefinition,
    form: FormState,
    banner: Banner,
) -> Response {
    let definition = definition.clone();
    let title = match banner {
        Banner::Thanked => format!("Réponses enregistrées : {}", definition.survey.title),
        Banner::Expired => format!("Formulaire expiré : {}", definition.survey.title),
        Banner::None => title_with_errors(&definition.survey.title, &form.errors),
    };
    let heading = definition.survey.title.clone();
    let intro = definition.survey.intro.clone();
    let action = format!("/q/{}", point.code);
    let page = render::page(move || {
        view! {
            <Page title=title class="resident">
                <h1>{heading}</h1>
                {(banner == Banner::Thanked).then(|| view! {
                    <p class="notice" role="status">"Merci pour vos réponses ! Elles ont bien été enregistrées, de façon anonyme. Le questionnaire ci-dessous est vide, prêt pour la personne suivante."</p>
                })}
                {(banner == Banner::Expired).then(|| view! {
                    <div class="error-summary" role="alert">
                        <h2>"Ce formulaire a expiré"</h2>
                        <p>"Vos réponses n'ont pas encore été enregistrées : le formulaire était trop ancien, ou n'a pas pu être vérifié. Elles sont reprises ci-dessous. Vérifiez-les, puis appuyez à nouveau sur « Envoyer mes réponses »."</p>
                    </div>
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
