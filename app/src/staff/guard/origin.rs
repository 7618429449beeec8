//! Requests and redirects that stay on this site: browsers say where a request comes
//! from (Sec-Fetch-Site, Origin), and a redirect target must be a local path.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::{AppState, SiteConfig};

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

/// Only a path on this site: never another host (`//evil`, `https://...`, `/\evil`).
pub(crate) fn local_path(target: &str) -> Option<&str> {
    let local = target.starts_with('/')
        && !target.starts_with("//")
        && !target.contains('\\')
        && !target.chars().any(char::is_control);
    local.then_some(target)
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
