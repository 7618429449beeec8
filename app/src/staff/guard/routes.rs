//! The staff route table: each route with the least role it needs, checked on every
//! request, and the walk tests read the same table.

use axum::Router;
use axum::extract::Request;
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use pouls::domain::Role;

use super::csrf::{UPLOAD_LIMIT, verify_csrf};
use super::session::{CurrentUser, require_login};
use crate::AppState;
use crate::error::AppError;

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
