//! Validation for public pages: a GET answered 200 without a `Cache-Control` of its own
//! gets a weak ETag of its body and `Cache-Control: no-cache`, so a browser or proxy may
//! keep it but asks each time, and an unchanged page costs a `304` with no body. Handlers
//! that must not be kept (forms with a one-time token, staff pages, exports) say
//! `no-store` themselves.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use pouls_app::assets::fnv1a;

/// Pages larger than this are sent without an ETag rather than held in memory.
const MAX_BUFFERED: usize = 2 * 1024 * 1024;

pub(crate) async fn etag(request: Request, next: Next) -> Response {
    let is_get = request.method() == Method::GET;
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if !is_get
        || response.status() != StatusCode::OK
        || response.headers().contains_key(header::CACHE_CONTROL)
        || response.headers().contains_key(header::ETAG)
        || !is_html(response.headers())
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match http_body_util::Limited::new(body, MAX_BUFFERED)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(error) => {
            tracing::error!(%error, "cannot read a page body to tag it");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let tag = format!("W/\"{:016x}\"", fnv1a(&bytes));
    let Ok(tag) = HeaderValue::from_str(&tag) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    parts.headers.insert(header::ETAG, tag.clone());
    if if_none_match.is_some_and(|value| matches(&value, &tag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"))
}

/// `If-None-Match` holds `*` or a list of tags; weak comparison, as RFC 9110 asks for it.
fn matches(if_none_match: &HeaderValue, tag: &HeaderValue) -> bool {
    let Ok(list) = if_none_match.to_str() else {
        return false;
    };
    let ours = tag.to_str().unwrap_or_default().trim_start_matches("W/");
    list.split(',')
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == ours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_comparison_of_tag_lists() {
        let tag = HeaderValue::from_static("W/\"00ff\"");
        for header in ["W/\"00ff\"", "\"00ff\"", "\"aa\", W/\"00ff\"", "*"] {
            assert!(matches(&HeaderValue::from_static(header), &tag), "{header}");
        }
        assert!(!matches(&HeaderValue::from_static("W/\"00fe\""), &tag));
    }
}
