//! The locks on the staff side, applied structurally: every staff route is declared
//! through [`StaffRoutes`] with the least role it needs, and the whole staff router sits
//! behind [`require_login`] and [`verify_csrf`]. A route cannot be added without a role.

use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};
use pouls::audit::Actor;
use pouls::auth::{SessionToken, constant_time_eq};
use pouls::domain::Role;

use crate::error::AppError;
use crate::layout::StaffNav;
use crate::{AppState, SiteConfig};

/// Largest form body the CSRF check reads.
const FORM_LIMIT: usize = 2 * 1024 * 1024;
/// Largest upload (CSV imports of paper answers), with room for the form around it.
pub(crate) const UPLOAD_LIMIT: usize = 51 * 1024 * 1024;

/// The logged-in staff member, put in the request by [`require_login`].
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub csrf_token: String,
    pub token_hash: String,
    /// The path asked for, so the menu can mark its section.
    pub path: String,
}

impl CurrentUser {
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

/// A staff route as declared: what the route walk test checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRoute {
    pub method: Method,
    pub path: &'static str,
    pub role: Role,
}

/// Staff routes, each with the least role it needs.
#[derive(Default)]
pub struct StaffRoutes {
    router: Router<AppState>,
    routes: Vec<StaffRoute>,
}

impl StaffRoutes {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get<H, T>(self, path: &'static str, role: Role, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::GET, path, role, get(handler))
    }

    pub fn post<H, T>(self, path: &'static str, role: Role, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::POST, path, role, post(handler))
    }

    fn add(
        mut self,
        method: Method,
        path: &'static str,
        role: Role,
        route: MethodRouter<AppState>,
    ) -> Self {
        let guarded = route.route_layer(from_fn(move |request: Request, next: Next| {
            require_role(role, request, next)
        }));
        self.router = self.router.route(path, guarded);
        self.routes.push(StaffRoute { method, path, role });
        self
    }

    /// A POST receiving a file: its body may be as large as an import.
    pub fn post_upload<H, T>(self, path: &'static str, role: Role, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let route = post(handler).layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT));
        self.add(Method::POST, path, role, route)
    }

    pub fn merge(mut self, other: StaffRoutes) -> Self {
        self.router = self.router.merge(other.router);
        self.routes.extend(other.routes);
        self
    }

    pub fn routes(&self) -> &[StaffRoute] {
        &self.routes
    }

    /// The router with the login and CSRF checks around every route. Unknown paths under
    /// `/admin/` answer 404 only to logged-in staff, so they reveal nothing either.
    pub fn into_router(self, state: AppState) -> Router<AppState> {
        self.router
            .route(
                "/admin/{*rest}",
                axum::routing::any(|| async { crate::error::not_found() }),
            )
            .layer(from_fn_with_state(state.clone(), verify_csrf))
            .layer(from_fn_with_state(state, require_login))
    }
}

async fn require_role(role: Role, request: Request, next: Next) -> Response {
    match request.extensions().get::<CurrentUser>() {
        Some(user) if user.role.allows(role) => next.run(request).await,
        Some(_) => AppError::Forbidden.into_response(),
        None => AppError::Unauthenticated.into_response(),
    }
}

/// Finds the session named by the cookie. Anonymous GETs go to the login page and come
/// back after; anything else anonymous gets 401.
async fn require_login(
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
            Redirect::to(&format!("/connexion?suite={}", percent_encode(target))).into_response()
        }
        Ok(None) => AppError::Unauthenticated.into_response(),
        Err(error) => error.into_response(),
    }
}

/// The staff member whose session cookie this request carries, if it is still valid.
pub(crate) async fn current_user(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(token) = session_cookie(headers, &state.site) else {
        return Ok(None);
    };
    let session = state.storage.session(&token.hash()).await?;
    Ok(session.map(|session| CurrentUser {
        id: session.user.id,
        email: session.user.email,
        role: session.user.role,
        csrf_token: session.csrf_token,
        token_hash: session.token_hash,
        path: String::new(),
    }))
}

/// Every state-changing request must come from our own pages (Origin / Sec-Fetch-Site)
/// and carry the session's token in its `csrf` field. Checked here, once, for the whole
/// staff router; the body is read and handed on unchanged.
async fn verify_csrf(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() == Method::GET || request.method() == Method::HEAD {
        return next.run(request).await;
    }
    if !same_origin(request.headers(), &state.site) {
        tracing::warn!(path = %request.uri().path(), "cross-origin request refused");
        return AppError::CsrfRejected.into_response();
    }
    let Some(user) = request.extensions().get::<CurrentUser>().cloned() else {
        return AppError::Unauthenticated.into_response();
    };
    let boundary = multipart_boundary(request.headers());
    let limit = if boundary.is_some() {
        UPLOAD_LIMIT
    } else {
        FORM_LIMIT
    };
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(_) => return AppError::PayloadTooLarge.into_response(),
    };
    let sent = match &boundary {
        Some(boundary) => multipart_field(&bytes, boundary, "csrf"),
        None => form_field(&bytes, "csrf"),
    };
    let valid =
        sent.is_some_and(|token| constant_time_eq(token.as_bytes(), user.csrf_token.as_bytes()));
    if !valid {
        tracing::warn!(user = user.id, path = %parts.uri.path(), "CSRF token missing or wrong");
        return AppError::CsrfRejected.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Refuses POSTs that a browser says come from another site. Requests without either
/// header (non-browser clients) pass: the CSRF token still protects them.
pub async fn check_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET
        && request.method() != Method::HEAD
        && !same_origin(request.headers(), &state.site)
    {
        tracing::warn!(path = %request.uri().path(), "cross-origin request refused");
        return AppError::CsrfRejected.into_response();
    }
    next.run(request).await
}

/// Whether the browser says this request comes from one of our own pages. Requests that
/// carry neither `Sec-Fetch-Site` nor `Origin` (non-browser clients) pass.
pub(crate) fn same_origin(headers: &HeaderMap, site: &SiteConfig) -> bool {
    if let Some(fetch_site) = headers.get("sec-fetch-site") {
        return matches!(fetch_site.to_str(), Ok("same-origin" | "none"));
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    let host_origin = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|host| {
            let scheme = if site.is_https() { "https" } else { "http" };
            format!("{scheme}://{host}")
        });
    origin == site.origin() || host_origin.as_deref() == Some(origin)
}

/// The boundary of a `multipart/form-data` body, if it is one.
fn multipart_boundary(headers: &HeaderMap) -> Option<String> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    if !content_type.starts_with("multipart/form-data") {
        return None;
    }
    content_type
        .split(';')
        .find_map(|part| part.trim().strip_prefix("boundary="))
        .map(|b| b.trim_matches('"').to_owned())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The value of a small text field of a multipart body (the CSRF token comes first in
/// our forms, so only the start of a large upload is scanned).
fn multipart_field(body: &[u8], boundary: &str, name: &str) -> Option<String> {
    let delimiter = format!("--{boundary}");
    let header = format!("name=\"{name}\"");
    let mut rest = body;
    while let Some(start) = find(rest, delimiter.as_bytes()) {
        rest = &rest[start + delimiter.len()..];
        let headers_end = find(rest, b"\r\n\r\n")?;
        let headers = std::str::from_utf8(&rest[..headers_end]).ok()?;
        if headers.contains(&header) {
            let value = &rest[headers_end + 4..];
            let end = find(value, b"\r\n")?;
            return std::str::from_utf8(&value[..end]).ok().map(str::to_owned);
        }
    }
    None
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    let body = std::str::from_utf8(body).ok()?;
    body.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| percent_decode(value))
    })
}

fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(value.get(i + 1..i + 3).unwrap_or(""), 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes a path for a query parameter, leaving what is safe as is.
pub(crate) fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Only a path on this site: never another host (`//evil`, `https://...`, `/\evil`).
pub(crate) fn local_path(target: &str) -> Option<&str> {
    let local = target.starts_with('/')
        && !target.starts_with("//")
        && !target.contains('\\')
        && !target.chars().any(char::is_control);
    local.then_some(target)
}

/// The session cookie's name: `__Host-` prefixed (so only this exact origin over https
/// can set it) when the platform is served over https.
pub(crate) fn session_cookie_name(site: &SiteConfig) -> &'static str {
    if site.is_https() {
        "__Host-pouls_session"
    } else {
        "pouls_session"
    }
}

pub(crate) fn session_cookie(headers: &HeaderMap, site: &SiteConfig) -> Option<SessionToken> {
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
    fn only_local_paths_are_followed() {
        assert_eq!(local_path("/admin/comptes?x=1"), Some("/admin/comptes?x=1"));
        for target in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "admin",
            "",
            "/a\nb",
        ] {
            assert_eq!(local_path(target), None, "{target:?}");
        }
    }

    #[test]
    fn reads_the_csrf_field_of_a_form() {
        assert_eq!(
            form_field(b"a=1&csrf=ab%2Fc+d&b=2", "csrf"),
            Some("ab/c d".into())
        );
        assert_eq!(form_field(b"a=1", "csrf"), None);
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn reads_the_csrf_field_of_a_multipart_body() {
        let body = b"--XYZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nab12\r\n--XYZ\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"a.csv\"\r\n\r\nQ1\r\n--XYZ--\r\n";
        assert_eq!(multipart_field(body, "XYZ", "csrf"), Some("ab12".into()));
        assert_eq!(multipart_field(body, "XYZ", "autre"), None);
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            "multipart/form-data; boundary=XYZ".parse().expect("header"),
        );
        assert_eq!(multipart_boundary(&headers), Some("XYZ".into()));
    }

    #[test]
    fn encodes_a_return_path() {
        assert_eq!(percent_encode("/admin/x?a=b&c"), "/admin/x%3Fa%3Db%26c");
    }

    #[test]
    fn origin_rules() {
        let site = SiteConfig::new("https://pouls.ccyn.fr");
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (k, v) in pairs {
                map.insert(*k, v.parse().expect("header value"));
            }
            map
        };
        assert!(same_origin(&headers(&[]), &site));
        assert!(same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            &site
        ));
        assert!(!same_origin(
            &headers(&[("sec-fetch-site", "cross-site")]),
            &site
        ));
        assert!(!same_origin(
            &headers(&[("sec-fetch-site", "same-site")]),
            &site
        ));
        assert!(same_origin(
            &headers(&[("origin", "https://pouls.ccyn.fr")]),
            &site
        ));
        assert!(!same_origin(
            &headers(&[("origin", "https://evil.example")]),
            &site
        ));
        assert!(!same_origin(&headers(&[("origin", "null")]), &site));
    }
}
