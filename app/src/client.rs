//! The address a request comes from, for rate limits. Never stored as such.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub Option<IpAddr>);

impl ClientAddress {
    /// A key for counting attempts from this client.
    pub fn key(&self) -> String {
        self.0
            .map_or_else(|| "inconnue".to_owned(), |ip| ip.to_string())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|info| info.0.ip()),
        ))
    }
}

/// Behind a trusted reverse proxy (`POULS_TRUSTED_PROXIES`), the client is the address the
/// proxy appended last to `X-Forwarded-For`, not the proxy itself: otherwise everyone at a
/// fair would share one rate limit. From any other peer the header is ignored, since
/// anyone can send it.
pub async fn from_trusted_proxy(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0);
    if let Some(peer) = peer
        && state.trusted_proxies.contains(&peer.ip())
        && let Some(client) = forwarded_for(request.headers())
    {
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::new(client, peer.port())));
    }
    next.run(request).await
}

/// The last address of the last `X-Forwarded-For` header: the one the proxy added.
fn forwarded_for(headers: &axum::http::HeaderMap) -> Option<IpAddr> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()?
        .to_str()
        .ok()?
        .rsplit(',')
        .next()?
        .trim()
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue};

    use super::*;

    #[test]
    fn the_proxy_appends_the_client_last() {
        let mut headers = HeaderMap::new();
        headers.append(
            "x-forwarded-for",
            HeaderValue::from_static("203.0.113.9, 198.51.100.7"),
        );
        assert_eq!(
            forwarded_for(&headers),
            Some(IpAddr::from([198, 51, 100, 7]))
        );
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("pas une adresse"),
        );
        assert_eq!(forwarded_for(&headers), None);
    }
}
