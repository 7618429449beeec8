//! The staff side, under `/admin`, a module per feature:
//!
//! - [`guard`]: the locks (the route table with each route's role, sessions, CSRF, origin);
//! - `login`, `reauth`: logging in and out, and the password asked again before account
//!   changes; `my_account`: one's own password; `territory_choice`: the territory the
//!   pages work in;
//! - `dashboard`: the staff home page; `department`: the departmental view across
//!   territories; `accounts`: staff accounts; `journal`: the audit log;
//! - `surveys`: surveys, questions, collection points, results, paper questionnaires and
//!   their import; `templates`: surveys made from a template;
//! - `indicators`: the plan dashboard, an action's indicators, an indicator's settings,
//!   rules and values;
//! - `observatory`: field reports, needs, meetings and the needs board;
//! - `exports`: the CSV exports page.
//!
//! Every route here is declared with the least role it needs and sits behind the login and
//! CSRF checks.

mod accounts;
mod dashboard;
mod department;
pub(crate) mod exports;
pub mod guard;
mod indicators;
mod journal;
mod login;
mod my_account;
mod observatory;
mod reauth;
mod surveys;
mod templates;
mod territory_choice;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;

pub use guard::{CurrentUser, StaffRoute, StaffRoutes};

use crate::AppState;

/// Every staff route, with its role.
pub fn routes() -> StaffRoutes {
    StaffRoutes::new()
        .merge(dashboard::routes())
        .merge(department::routes())
        .merge(accounts::routes())
        .merge(my_account::routes())
        .merge(journal::routes())
        .merge(surveys::routes())
        .merge(indicators::routes())
        .merge(templates::routes())
        .merge(observatory::routes())
        .merge(exports::routes())
        .merge(login::staff_routes())
        .merge(territory_choice::routes())
}

/// The staff router (behind login and CSRF) and the public login page.
pub fn router(state: AppState) -> Router<AppState> {
    routes()
        .into_router(state.clone())
        .merge(login::public_routes(state.clone()))
        .layer(axum::middleware::map_response(no_store))
        .layer(axum::middleware::from_fn_with_state(state, refresh_surveys))
}

/// Any staff change may touch a survey residents are answering: after each POST, this
/// instance reads surveys afresh (others within the cache's two seconds).
async fn refresh_surveys(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let post = request.method() == Method::POST;
    let response = next.run(request).await;
    if post {
        state.surveys.clear();
    }
    response
}

/// Staff pages hold personal data and CSRF tokens: no cache, shared or private, keeps them.
async fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}
