//! Which territory a public page shows. Each territory has its pages under `/t/{slug}/`;
//! the unprefixed addresses (`/plan`, `/resultats`...) show the only territory when
//! there is one, as before territories existed, and redirect to the default territory's
//! `/t/{slug}/...` when there are several.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use pouls::storage::{StorageError, TerritoryStorage};
use pouls::territory::{Territory, TerritorySlug};

use crate::AppState;
use crate::error::AppError;

/// The territory a public page shows, and the prefix its links keep.
pub(crate) struct Public {
    pub territory: TerritoryStorage,
    /// `""` on the unprefixed pages, `/t/{slug}` on a territory's own.
    pub base: String,
    /// Its name, for the page's header.
    pub name: String,
}

/// What an address names.
pub(crate) enum Resolved {
    Territory(Public),
    /// An unprefixed address on an instance of several territories (listed by id).
    Several(Vec<Territory>),
}

/// The territory of the address `uri`: the one of its `/t/{slug}/` prefix (an unknown
/// slug is a 404), else the only one.
pub(crate) async fn resolve(state: &AppState, uri: &Uri) -> Result<Resolved, AppError> {
    if let Some(rest) = uri.path().strip_prefix("/t/") {
        let slug = rest.split('/').next().unwrap_or_default();
        let slug = TerritorySlug::parse(slug).map_err(|_| AppError::NotFound)?;
        let territory = state
            .storage
            .territory_by_slug(&slug)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok(Resolved::Territory(Public {
            territory: state.storage.in_territory(territory.id),
            base: format!("/t/{}", slug.as_str()),
            name: territory.name,
        }));
    }
    let mut territories = state.storage.territories().await?;
    if territories.len() > 1 {
        return Ok(Resolved::Several(territories));
    }
    // The only territory is the default one (`serve` checks the configured slug), so the
    // list already read names it: no second query on every public page.
    let only = territories.pop().ok_or(StorageError::NoTerritory)?;
    Ok(Resolved::Territory(Public {
        territory: state.storage.in_territory(only.id),
        base: String::new(),
        name: only.name,
    }))
}

impl FromRequestParts<AppState> for Public {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match resolve(state, &parts.uri).await {
            Ok(Resolved::Territory(public)) => Ok(public),
            Ok(Resolved::Several(_)) => Err(to_default(state, &parts.uri).await),
            Err(error) => Err(error.into_response()),
        }
    }
}

/// The redirect of an unprefixed address to the default territory's, query kept.
///
/// 303 rather than 308: where `/plan` leads depends on `POULS_DEFAULT_TERRITORY` and on
/// the territories the instance holds, both of which can change, so browsers and
/// search engines must not remember the target as the address's permanent home.
async fn to_default(state: &AppState, uri: &Uri) -> Response {
    let territory = match state.default_public_territory().await {
        Ok(territory) => territory,
        Err(error) => return AppError::from(error).into_response(),
    };
    let mut target = format!("/t/{}{}", territory.slug.as_str(), uri.path());
    if let Some(query) = uri.query() {
        target.push('?');
        target.push_str(query);
    }
    (StatusCode::SEE_OTHER, [(header::LOCATION, target)]).into_response()
}
