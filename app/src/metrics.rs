//! Request counts and latency histograms per route, and the group-commit batch sizes, in
//! the Prometheus text format. Served on a separate address (`POULS_METRICS_BIND`), never
//! on the public one.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use pouls::metrics::{Histogram, LATENCY_BOUNDS};

use crate::AppState;

/// What one route has served.
struct RouteStats {
    method: String,
    route: String,
    statuses: Mutex<HashMap<u16, u64>>,
    latency: Histogram,
}

/// Every route's statistics, keyed by "METHOD route".
#[derive(Default)]
pub struct Metrics {
    routes: Mutex<HashMap<String, Arc<RouteStats>>>,
}

impl Metrics {
    fn route(&self, method: &str, route: &str) -> Arc<RouteStats> {
        let key = format!("{method} {route}");
        let mut routes = self.routes.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(routes.entry(key).or_insert_with(|| {
            Arc::new(RouteStats {
                method: method.to_owned(),
                route: route.to_owned(),
                statuses: Mutex::new(HashMap::new()),
                latency: Histogram::new(LATENCY_BOUNDS),
            })
        }))
    }

    fn record(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let stats = self.route(method, route);
        *stats
            .statuses
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(status)
            .or_default() += 1;
        stats.latency.observe(seconds);
    }

    /// The whole exposition: requests, latencies, then `batch_sizes`.
    pub fn render(&self, batch_sizes: &Histogram) -> String {
        let mut routes: Vec<Arc<RouteStats>> = self
            .routes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        routes.sort_by(|a, b| (&a.route, &a.method).cmp(&(&b.route, &b.method)));
        let mut out = String::new();
        out.push_str(
            "# HELP pouls_http_requests_total HTTP requests by route, method and status.\n",
        );
        out.push_str("# TYPE pouls_http_requests_total counter\n");
        for stats in &routes {
            let mut statuses: Vec<(u16, u64)> = stats
                .statuses
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .iter()
                .map(|(status, count)| (*status, *count))
                .collect();
            statuses.sort_unstable();
            for (status, count) in statuses {
                let _ = writeln!(
                    out,
                    "pouls_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {count}",
                    stats.method, stats.route
                );
            }
        }
        out.push_str(
            "# HELP pouls_http_request_duration_seconds Time to produce a response, by route.\n",
        );
        out.push_str("# TYPE pouls_http_request_duration_seconds histogram\n");
        for stats in &routes {
            let labels = format!("method=\"{}\",route=\"{}\"", stats.method, stats.route);
            stats
                .latency
                .render("pouls_http_request_duration_seconds", &labels, &mut out);
        }
        out.push_str(
            "# HELP pouls_submission_batch_size Residents' responses stored per transaction.\n",
        );
        out.push_str("# TYPE pouls_submission_batch_size histogram\n");
        batch_sizes.render("pouls_submission_batch_size", "", &mut out);
        out
    }
}

/// Middleware (a route layer, so the matched route is known) recording each request.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "other".to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    state.metrics.record(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// The router of the metrics address: `GET /metrics`.
pub fn router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route(
            "/metrics",
            axum::routing::get(|State(state): State<AppState>| async move {
                (
                    [(
                        axum::http::header::CONTENT_TYPE,
                        "text/plain; version=0.0.4; charset=utf-8",
                    )],
                    state.metrics.render(state.writer.batch_sizes()),
                )
            }),
        )
        .with_state(state)
}
