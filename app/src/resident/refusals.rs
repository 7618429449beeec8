//! The French pages of a resident's request that is not taken: the survey or the
//! collection point does not take answers today (410), the form came from another site
//! (403), too many answers from one connection (429).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;
use pouls::domain::paris;
use pouls::survey::{Acceptance, CollectionCode, CollectionPoint, SurveyDefinition, SurveyStatus};

use crate::layout::Page;
use crate::{SiteConfig, format, render};

/// The 410 page when the survey, or this collection point, does not take answers today.
pub(super) fn not_accepting(
    definition: &SurveyDefinition,
    point: &CollectionPoint,
) -> Option<Response> {
    let survey = &definition.survey;
    let today = paris::today();
    let day = |date: Option<time::Date>| date.map(format::date).unwrap_or_default();
    let message = match (survey.acceptance_on(today), point.acceptance_on(today)) {
        (Acceptance::Open, Acceptance::Open) => return None,
        // A draft opens when staff open it, not on its date: promise no day to residents.
        (Acceptance::NotYetOpen, _) if survey.status == SurveyStatus::Draft => format!(
            "Ce questionnaire est encore en préparation : il ne reçoit pas de réponses. Brouillon : ouvrez-le depuis l'espace agents quand il est prêt ; ouverture prévue le {}.",
            format::date(survey.opens_on)
        ),
        (Acceptance::NotYetOpen, _) => format!(
            "Ce questionnaire n'est pas encore ouvert. Il le sera à partir du {}.",
            format::date(survey.opens_on)
        ),
        (Acceptance::Closed, _) => "Ce questionnaire est terminé : il ne reçoit plus de réponses. Merci à toutes les personnes qui ont participé.".to_owned(),
        (Acceptance::Open, Acceptance::NotYetOpen) => format!(
            "Ce questionnaire ne reçoit pas encore de réponses ici (« {} ») : il en recevra à partir du {}.",
            point.label,
            day(point.starts_on)
        ),
        (Acceptance::Open, Acceptance::Closed) => format!(
            "La collecte « {} » a pris fin le {} : ce questionnaire n'y reçoit plus de réponses. Merci à toutes les personnes qui ont participé.",
            point.label,
            day(point.ends_on)
        ),
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

/// The 403 page for a form posted from another site: the resident form is only ever sent
/// from its own page, so this one was made elsewhere (possibly to mislead).
pub(super) fn cross_site(site: &SiteConfig, code: &str) -> Response {
    let form = CollectionCode::parse(code)
        .ok()
        .map(|code| format!("{}/q/{code}", site.public_url));
    let page = render::page(move || {
        view! {
            <Page title="Envoi refusé".to_owned()>
                <h1>"Envoi refusé"</h1>
                <p>"Ce formulaire a été envoyé depuis un autre site que celui du questionnaire. Par prudence, il a été refusé : rien n'a été enregistré."</p>
                <p>"Pour répondre, ouvrez le questionnaire depuis son QR code ou en tapant son adresse, puis envoyez vos réponses depuis cette page-là."</p>
                {form.map(|href| view! {
                    <p>"L'adresse du questionnaire : "<a href=href.clone()>{href.clone()}</a></p>
                })}
                <p><a href="/">"Voir les questionnaires ouverts"</a></p>
            </Page>
        }
    });
    (StatusCode::FORBIDDEN, page).into_response()
}

pub(super) fn too_many_requests() -> Response {
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
