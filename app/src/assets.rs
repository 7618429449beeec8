//! The stylesheet, embedded in the binary and served under a content-hashed URL so it can
//! be cached for a year and still change with each release.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

const CSS: &str = include_str!("../../style/pouls.css");

struct Stylesheet {
    file_name: String,
    href: String,
}

static STYLESHEET: LazyLock<Stylesheet> = LazyLock::new(|| {
    let file_name = format!("pouls-{:016x}.css", fnv1a(CSS.as_bytes()));
    Stylesheet {
        href: format!("/style/{file_name}"),
        file_name,
    }
});

/// FNV-1a: stable across builds and platforms, unlike the standard library's hasher, so
/// every instance gives the same hash.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The URL pages link the stylesheet from.
pub fn stylesheet_href() -> &'static str {
    &STYLESHEET.href
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/style/{file}", get(stylesheet))
}

async fn stylesheet(Path(file): Path<String>) -> Response {
    if file != STYLESHEET.file_name {
        return StatusCode::NOT_FOUND.into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        CSS,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn href_carries_a_content_hash() {
        assert!(stylesheet_href().starts_with("/style/pouls-"));
        assert!(stylesheet_href().ends_with(".css"));
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
    }
}
