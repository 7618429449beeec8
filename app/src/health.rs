use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz))
}

/// `200 ok` when the database answers and takes writes, `503` otherwise (for load
/// balancers and monitoring). A full disk leaves reads working: the last attempts to
/// store responses tell whether writes do (see `Storage::writes_failing`).
async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if let Err(error) = state.storage.ping().await {
        tracing::warn!(?error, "health check: database unreachable");
        return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable");
    }
    if state.storage.writes_failing() {
        tracing::warn!("health check: storing responses fails");
        return (StatusCode::SERVICE_UNAVAILABLE, "database writes failing");
    }
    (StatusCode::OK, "ok")
}
