//! Who is logged in: the session cookie, the session it names, and the anonymous
//! requests sent to the login page.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use pouls::audit::Actor;
use pouls::auth::SessionToken;
use pouls::domain::Role;
use pouls::storage::TerritoryStorage;
use pouls::territory::{InstanceRole, TerritoryId};

use crate::error::AppError;
use crate::layout::StaffNav;
use crate::{AppState, SiteConfig, query};

/// The logged-in staff member, put in the request by [`require_login`].
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    /// The role in [`CurrentUser::territory_id`].
    pub role: Role,
    /// Instance admin or lecteur départemental, beside the role in the territory.
    pub instance_role: Option<InstanceRole>,
    pub csrf_token: String,
    pub token_hash: String,
    /// The path asked for, so the menu can mark its section.
    pub path: String,
    /// The territory every staff page works in (see [`CurrentUser::territory`]).
    pub territory_id: TerritoryId,
    /// Every territory the account may work in (id, name), for the menu.
    pub territories: Vec<(TerritoryId, String)>,
}

impl CurrentUser {
    pub fn is_instance_admin(&self) -> bool {
        self.instance_role == Some(InstanceRole::Admin)
    }

    /// The storage of the territory this staff member works in: every staff page reads
    /// and writes through it, so another territory's objects are not found (404).
    pub fn territory(&self, state: &AppState) -> TerritoryStorage {
        state.storage.in_territory(self.territory_id)
    }

    pub fn actor(&self) -> Actor {
        Actor::Staff {
            id: self.id,
            email: self.email.clone(),
        }
    }

    pub(crate) fn nav(&self) -> StaffNav {
        StaffNav {
            email: self.email.clone(),
            role: self.role,
            csrf_token: self.csrf_token.clone(),
            path: self.path.clone(),
            territory: self.territory_id,
            territories: self.territories.clone(),
            department: self.instance_role.is_some(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or(AppError::Unauthenticated)
    }
}

/// Finds the session named by the cookie. Anonymous GETs go to the login page and come
/// back after; anything else anonymous gets 401.
pub(super) async fn require_login(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    match current_user(&state, request.headers()).await {
        Ok(Some(mut user)) => {
            user.path = request.uri().path().to_owned();
            request.extensions_mut().insert(user);
            next.run(request).await
        }
        Ok(None) if request.method() == Method::GET || request.method() == Method::HEAD => {
            let target = request
                .uri()
                .path_and_query()
                .map_or("/admin", |p| p.as_str());
            Redirect::to(&login_redirect(target)).into_response()
        }
        Ok(None) => AppError::Unauthenticated.into_response(),
        Err(error) => error.into_response(),
    }
}

/// The login page, coming back to `target` once logged in.
fn login_redirect(target: &str) -> String {
    format!("/connexion?{}", query::encode([("suite", target)]))
}

/// The staff member whose session cookie this request carries, if it is still valid.
pub(crate) async fn current_user(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(token) = session_cookie(headers, &state.site) else {
        return Ok(None);
    };
    let Some(session) = state.storage.session(&token.hash()).await? else {
        return Ok(None);
    };
    let territories = state
        .storage
        .staff_territories(session.user.id)
        .await?
        .into_iter()
        .map(|(territory, _)| (territory.id, territory.name))
        .collect();
    Ok(Some(CurrentUser {
        id: session.user.id,
        email: session.user.email,
        role: session.role,
        instance_role: session.user.instance_role,
        csrf_token: session.csrf_token,
        token_hash: session.token_hash,
        path: String::new(),
        territory_id: session.territory,
        territories,
    }))
}

/// The session cookie's name: `__Host-` prefixed (so only this exact origin over https
/// can set it) when the platform is served over https.
fn session_cookie_name(site: &SiteConfig) -> &'static str {
    if site.is_https() {
        "__Host-pouls_session"
    } else {
        "pouls_session"
    }
}

fn session_cookie(headers: &HeaderMap, site: &SiteConfig) -> Option<SessionToken> {
    let name = session_cookie_name(site);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .and_then(|(_, value)| SessionToken::from_cookie(value))
}

/// `Set-Cookie` for a new session, or (with `None`) to remove it.
pub(crate) fn set_session_cookie(site: &SiteConfig, token: Option<&SessionToken>) -> String {
    let secure = if site.is_https() { "; Secure" } else { "" };
    let name = session_cookie_name(site);
    match token {
        Some(token) => format!(
            "{name}={}; Path=/; HttpOnly; SameSite=Lax{secure}",
            token.as_str()
        ),
        None => format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_page_comes_back_to_the_whole_target() {
        assert_eq!(
            login_redirect("/admin/comptes?tri=email&page=2"),
            "/connexion?suite=%2Fadmin%2Fcomptes%3Ftri%3Demail%26page%3D2"
        );
    }

    #[test]
    fn the_cookie_is_found_among_others_under_the_name_of_the_scheme() {
        let token = SessionToken::generate();
        let mut headers = HeaderMap::new();
        let cookie = format!("a=1; __Host-pouls_session={}; b=2", token.as_str());
        headers.insert(header::COOKIE, cookie.parse().expect("header"));
        let https = SiteConfig::new("https://pouls.ccyn.fr");
        let http = SiteConfig::new("http://127.0.0.1:3000");
        assert_eq!(
            session_cookie(&headers, &https).map(|t| t.hash()),
            Some(token.hash())
        );
        assert!(session_cookie(&headers, &http).is_none());
        assert!(set_session_cookie(&https, Some(&token)).ends_with("; Secure"));
        assert!(set_session_cookie(&http, None).contains("Max-Age=0"));
    }
}
