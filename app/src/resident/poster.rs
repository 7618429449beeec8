//! QR codes and the A4 poster of a collection point.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;
use pouls::survey::CollectionPoint;

use super::point;
use crate::error::AppError;
use crate::layout::Page;
use crate::{AppState, format, render};

/// Wide enough to print sharp at 10 cm.
const PNG_PIXELS: u32 = 1200;

/// The address a QR code opens.
pub(crate) fn survey_url(state: &AppState, point: &CollectionPoint) -> String {
    format!("{}/q/{}", state.site.public_url, point.code)
}

fn qr_label(url: &str) -> String {
    format!("QR code vers {url}")
}

pub(super) async fn qr_svg(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let point = point(&state, &code).await?;
    let url = survey_url(&state, &point);
    let svg =
        pouls::qr::svg(&url, &qr_label(&url)).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        svg,
    )
        .into_response())
}

pub(super) async fn qr_png(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let point = point(&state, &code).await?;
    let url = survey_url(&state, &point);
    let png = pouls::qr::png(&url, PNG_PIXELS).map_err(|e| AppError::Internal(e.to_string()))?;
    let file_name = format!("attachment; filename=\"qr-{}.png\"", point.code);
    Ok((
        [
            (header::CONTENT_TYPE, "image/png".to_owned()),
            (header::CACHE_CONTROL, "public, max-age=86400".to_owned()),
            (header::CONTENT_DISPOSITION, file_name),
        ],
        png,
    )
        .into_response())
}

/// The A4 poster: title, why it matters, the QR code, the address in text.
pub(super) async fn poster(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let point = point(&state, &code).await?;
    let survey = state
        .storage
        .in_territory(point.territory)
        .survey(point.survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let url = survey_url(&state, &point);
    let svg =
        pouls::qr::svg(&url, &qr_label(&url)).map_err(|e| AppError::Internal(e.to_string()))?;
    let short_url = url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .to_owned();
    let why = if survey.why.is_empty() {
        first_sentence(&survey.intro)
    } else {
        survey.why.clone()
    };
    // Printed in large type: "Ville à Joie 2026 : votre avis" must not break before its
    // colon.
    let why = format::no_break_spaces(&why);
    let heading = format::no_break_spaces(&survey.title);
    let title = survey.title.clone();
    let signature = state
        .storage
        .in_territory(point.territory)
        .poster_signature()
        .await?;
    let page = render::page(move || {
        view! {
            <Page title=format!("Affiche : {title}") bare=true class="poster">
                <p class="screen-only">"Imprimez cette page au format A4 (commande Imprimer du navigateur). "<a href="/admin/enquetes">"Retour aux enquêtes"</a></p>
                <article class="poster-sheet">
                    <p class="poster-kicker">"Donnez votre avis"</p>
                    <h1>{heading}</h1>
                    <p class="poster-why">{why}</p>
                    <div class="poster-qr" inner_html=svg></div>
                    <p class="poster-scan">"Scannez le QR code avec l'appareil photo de votre téléphone"</p>
                    <p class="poster-url">"ou tapez : "<strong>{short_url}</strong></p>
                    <p class="poster-promise">"Anonyme, 1 minute"</p>
                    <p class="poster-signature">{signature}</p>
                </article>
            </Page>
        }
    });
    Ok(page.into_response())
}

/// Up to the first full stop, for a poster line.
fn first_sentence(text: &str) -> String {
    match text.find(['.', '!', '?']) {
        Some(end) => text[..=end].trim().to_owned(),
        None => text.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentence_of_an_intro() {
        assert_eq!(
            first_sentence("Votre avis compte. Merci !"),
            "Votre avis compte."
        );
        assert_eq!(first_sentence("Sans point"), "Sans point");
    }
}
