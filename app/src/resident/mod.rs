//! The resident path: `/q/{code}` (the survey of one collection point), its thank-you
//! page, QR codes, poster and live screen.

mod cache;
mod form;
mod live;
mod poster;
mod refusals;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use leptos::prelude::*;
use pouls::storage::NewResponse;
use pouls::survey::{
    Channel, CollectionCode, CollectionPoint, FormValues, PointKind, SurveyDefinition,
    validate_submission,
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
        .in_territory(point.territory)
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

/// The empty form. `?merci=1`, where kiosks used to come back with their thanks above
/// the form, is an empty form like any other: the next person is not thanked for answers
/// they did not give.
async fn show(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let (point, definition) = survey_at(&state, &code).await?;
    if let Some(closed) = not_accepting(&definition, &point) {
        return Ok(closed);
    }
    let form = FormState {
        token: state.form_key.issue(&point.code, now()),
        ..FormState::default()
    };
    let territory = state.territory_name(point.territory).await?;
    Ok(form_page(
        StatusCode::OK,
        (&point, &territory),
        &definition,
        form,
        Banner::None,
    ))
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
            // Someone who scans a paper questionnaire's QR code answers on the web.
            let channel = match point.kind {
                PointKind::Paper => Channel::Web,
                kind => kind.channel(),
            };
            let response = NewResponse::new(
                &definition,
                &point,
                channel,
                token.nonce().to_owned(),
                answers,
                now,
            );
            state.writer.submit(response).await?;
            Ok(Redirect::to(&format!("/q/{}/merci", point.code)).into_response())
        }
        (Ok(token), Err(errors)) => {
            // The same form again: the same nonce, so it still counts once, for as long
            // again as a new form.
            let form = FormState {
                token: state.form_key.renew(&point.code, &token, now),
                values,
                errors,
            };
            let territory = state.territory_name(point.territory).await?;
            Ok(form_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                (&point, &territory),
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
            let territory = state.territory_name(point.territory).await?;
            Ok(form_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                (&point, &territory),
                &definition,
                form,
                Banner::Expired,
            ))
        }
    }
}

/// What the form page says above the questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Banner {
    None,
    /// The form sent was not one this server issued for this point, or too old.
    Expired,
}

/// The form of `point`, in the pages of its territory (named `territory`).
fn form_page(
    status: StatusCode,
    (point, territory): (&CollectionPoint, &str),
    definition: &SurveyDefinition,
    form: FormState,
    banner: Banner,
) -> Response {
    let definition = definition.clone();
    let title = match banner {
        Banner::Expired => format!("Formulaire expiré : {}", definition.survey.title),
        Banner::None => title_with_errors(&definition.survey.title, &form.errors),
    };
    let heading = definition.survey.title.clone();
    let intro = definition.survey.intro.clone();
    let action = format!("/q/{}", point.code);
    let kiosk = point.kind == PointKind::Kiosk;
    let territory = territory.to_owned();
    let page = render::page(move || {
        view! {
            <Page title=title class="resident" kiosk=kiosk territory=territory.clone()>
                <h1>{heading}</h1>
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
    // At a kiosk the thanks stay on this screen until the person, or the next one, asks
    // for a new form: nothing reloads on a timer (RGAA 13.1.2, WCAG 2.2.1), and the next
    // person never sees someone else's thanks.
    let kiosk = point.kind == PointKind::Kiosk;
    let territory = state.territory_name(point.territory).await?;
    let again = format!("/q/{}", point.code);
    let page = render::page(move || {
        let more = if kiosk {
            view! {
                <p>"Elles aideront le territoire et ses partenaires à adapter leurs actions. Les résultats et les décisions qui en découlent sont publiés sur ce site, rubrique « Résultats »."</p>
                <p><a class="button" href=again>"Nouvelle réponse"</a></p>
                <p class="muted">"Le bouton ouvre un questionnaire vide, pour la personne suivante."</p>
            }
            .into_any()
        } else {
            view! {
                <p>"Elles aideront le territoire et ses partenaires à adapter leurs actions. Les résultats et les décisions qui en découlent sont publiés sur ce site : "<a href="/resultats">"vous avez dit, nous avons fait"</a>"."</p>
                <p><a href="/">"Retour à l'accueil"</a></p>
                <p><a href=again>"Répondre à nouveau"</a></p>
            }
            .into_any()
        };
        view! {
            <Page title="Merci !".to_owned() class="resident" kiosk=kiosk territory=territory.clone()>
                <h1>"Merci pour vos réponses !"</h1>
                <p class="lead">"Elles ont bien été enregistrées, de façon anonyme."</p>
                {more}
            </Page>
        }
    });
    Ok(page.into_response())
}
