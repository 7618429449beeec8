//! Every state-changing staff request carries the session's token in its `csrf` field,
//! read from the url-encoded or multipart body before the handler sees it.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use pouls::auth::constant_time_eq;

use super::origin::same_origin;
use super::session::CurrentUser;
use crate::AppState;
use crate::error::AppError;

/// Largest form body the CSRF check reads.
const FORM_LIMIT: usize = 2 * 1024 * 1024;
/// Largest upload (CSV imports of paper answers), with room for the form around it.
pub(super) const UPLOAD_LIMIT: usize = 51 * 1024 * 1024;

/// Every state-changing request must come from our own pages (Origin / Sec-Fetch-Site)
/// and carry the session's token in its `csrf` field. Checked here, once, for the whole
/// staff router; the body is read and handed on unchanged.
pub(super) async fn verify_csrf(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
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

/// The first value of field `name` of a url-encoded body.
fn form_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_csrf_field_of_a_form() {
        assert_eq!(
            form_field(b"a=1&csrf=ab%2Fc+d&b=2", "csrf"),
            Some("ab/c d".into())
        );
        assert_eq!(form_field(b"a=1", "csrf"), None);
        assert_eq!(form_field(b"csrf=%zz%4", "csrf"), Some("%zz%4".into()));
        assert_eq!(form_field(b"csrf=a&csrf=b", "csrf"), Some("a".into()));
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
}
