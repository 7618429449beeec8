//! The stylesheet and the live screen's script, embedded in the binary and served under
//! content-hashed URLs so they can be cached for a year and still change with each release.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

const CSS: &str = include_str!("../../style/pouls.css");

/// The live screen's script: the one script of the site, same-origin as the policy wants.
const LIVE_JS: &str = include_str!("../../style/live.js");

struct Asset {
    file_name: String,
    href: String,
    content_type: &'static str,
    body: &'static str,
}

impl Asset {
    fn new(stem: &str, extension: &str, content_type: &'static str, body: &'static str) -> Self {
        let file_name = format!("{stem}-{:016x}.{extension}", fnv1a(body.as_bytes()));
        Self {
            href: format!("/style/{file_name}"),
            file_name,
            content_type,
            body,
        }
    }
}

static STYLESHEET: LazyLock<Asset> =
    LazyLock::new(|| Asset::new("pouls", "css", "text/css; charset=utf-8", CSS));

static LIVE_SCRIPT: LazyLock<Asset> =
    LazyLock::new(|| Asset::new("direct", "js", "text/javascript; charset=utf-8", LIVE_JS));

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

/// The URL the live screen loads its script from.
pub fn live_script_href() -> &'static str {
    &LIVE_SCRIPT.href
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/style/{file}", get(asset))
}

async fn asset(Path(file): Path<String>) -> Response {
    let Some(asset) = [&*STYLESHEET, &*LIVE_SCRIPT]
        .into_iter()
        .find(|a| a.file_name == file)
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        asset.body,
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
        assert!(live_script_href().starts_with("/style/direct-"));
        assert!(live_script_href().ends_with(".js"));
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
    }
}
