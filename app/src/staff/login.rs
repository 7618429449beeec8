//! `/connexion` and `/deconnexion`.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use leptos::prelude::*;
use pouls::audit::{Actor, AuditAction, AuditEntry};
use pouls::auth::{AuthError, SessionToken, random_token};
use pouls::domain::{Email, Role};
use pouls::territory::TerritoryId;
use pouls::throttle::Verdict;
use serde::Deserialize;

use super::guard::{
    CurrentUser, StaffRoutes, check_origin, current_user, local_path, set_session_cookie,
};
use crate::client::ClientAddress;
use crate::error::{AppError, BUSY_MESSAGE};
use crate::forms::{ErrorSummary, FormErrors, TextField, title_with_errors};
use crate::layout::Page;
use crate::urlencoded::Form;
use crate::{AppState, format, render};

const WRONG_CREDENTIALS: &str = "Adresse électronique ou mot de passe incorrect.";

/// The login page, open to everyone; its POST is refused from other sites.
pub fn public_routes(state: AppState) -> Router<AppState> {
    Router::new().route(
        "/connexion",
        get(login_page)
            .post(login)
            .route_layer(from_fn_with_state(state, check_origin)),
    )
}

pub fn staff_routes() -> StaffRoutes {
    StaffRoutes::new().post("/deconnexion", Role::Lecteur, logout)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LoginForm {
    email: String,
    password: String,
    suite: String,
}

async fn login_page(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let suite = query.get("suite").cloned().unwrap_or_default();
    if current_user(&state, &headers).await?.is_some() {
        return Ok(Redirect::to(local_path(&suite).unwrap_or("/admin")).into_response());
    }
    let notice = query
        .contains_key("deconnecte")
        .then_some("Vous êtes déconnecté. À bientôt !");
    Ok(render_login(
        StatusCode::OK,
        String::new(),
        suite,
        FormErrors::default(),
        notice,
    ))
}

async fn login(
    State(state): State<AppState>,
    client: ClientAddress,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    if form.email.trim().is_empty() {
        errors.add("email", "Saisissez votre adresse électronique.");
    }
    if form.password.is_empty() {
        errors.add("password", "Saisissez votre mot de passe.");
    }
    if !errors.is_empty() {
        return Ok(render_login(
            StatusCode::UNPROCESSABLE_ENTITY,
            form.email,
            form.suite,
            errors,
            None,
        ));
    }

    // Counted per account (as typed, normalised), per client and per pair, before the
    // password is checked, so parallel guesses are all counted (see pouls::throttle).
    // The turn to check comes first: a request turned away for lack of one is not counted.
    let account = form.email.trim().to_lowercase();
    let client = client.key();
    let turn = match state.password_checks.permit().await {
        Ok(turn) => turn,
        Err(AuthError::Busy) => {
            return Ok(render_login(
                StatusCode::SERVICE_UNAVAILABLE,
                form.email,
                form.suite,
                FormErrors::general(BUSY_MESSAGE),
                None,
            ));
        }
        Err(error) => return Err(error.into()),
    };
    if let Verdict::Wait { until } = state
        .storage
        .charge_login_attempt(&account, &client)
        .await?
    {
        drop(turn);
        let entry =
            AuditEntry::new(&Actor::Anonymous, AuditAction::LoginLocked).object("email", &account);
        state.storage.audit(&entry).await?;
        return Ok(too_many_attempts(form.email, form.suite, until));
    }

    let found = match Email::parse(&form.email) {
        Ok(email) => state.storage.account_for_login(&email).await?,
        Err(_) => None,
    };
    // An unknown email is checked against a dummy hash, so it takes as long as a known one.
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), Some(hash)),
        None => (None, None),
    };
    let verified = turn.verify(form.password, hash).await?;
    let Some(user) = user.filter(|user| verified && user.active) else {
        let entry =
            AuditEntry::new(&Actor::Anonymous, AuditAction::LoginFailed).object("email", &account);
        state.storage.audit(&entry).await?;
        return Ok(render_login(
            StatusCode::UNPROCESSABLE_ENTITY,
            form.email,
            form.suite,
            FormErrors::general(WRONG_CREDENTIALS),
            None,
        ));
    };
    state
        .storage
        .forgive_login_attempt(&account, &client)
        .await?;
    let Some(territory) = login_territory(&state, user.id).await? else {
        return Ok(render_login(
            StatusCode::FORBIDDEN,
            form.email,
            form.suite,
            FormErrors::general(NO_TERRITORY),
            None,
        ));
    };

    // A fresh token at every login, so a token planted before login is worthless.
    let token = SessionToken::generate();
    state
        .storage
        .create_session(&user, &token.hash(), &random_token(), territory)
        .await?;
    let target = local_path(&form.suite).unwrap_or("/admin").to_owned();
    Ok((
        [(
            header::SET_COOKIE,
            set_session_cookie(&state.site, Some(&token)),
        )],
        Redirect::to(&target),
    )
        .into_response())
}

const NO_TERRITORY: &str = "Ce compte n'a accès à aucun territoire pour le moment. Demandez à un administrateur de vous en attribuer un.";

/// The territory a new session works in: the default public territory where the account
/// may work, else its first.
async fn login_territory(state: &AppState, user_id: i64) -> Result<Option<TerritoryId>, AppError> {
    let territories = state.storage.staff_territories(user_id).await?;
    let default = state.default_public_territory().await.ok().map(|t| t.id);
    Ok(territories
        .iter()
        .find(|(t, _)| Some(t.id) == default)
        .or(territories.first())
        .map(|(t, _)| t.id))
}

async fn logout(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    state
        .storage
        .end_session(&user.token_hash, &user.actor())
        .await?;
    Ok((
        [(header::SET_COOKIE, set_session_cookie(&state.site, None))],
        Redirect::to("/connexion?deconnecte=1"),
    )
        .into_response())
}

/// The time to wait until, in French, rounded up to the minute so that it is never too
/// early.
pub(super) fn wait_until(until: i64) -> String {
    format::time_of_day((until + 59).div_euclid(60) * 60)
}

/// The 429 page: the login form again, saying until when, and `Retry-After`.
fn too_many_attempts(email: String, suite: String, until: i64) -> Response {
    let message = format!(
        "Trop de tentatives de connexion depuis votre adresse. Par sécurité, attendez jusqu'à {} avant de réessayer.",
        wait_until(until)
    );
    let mut response = render_login(
        StatusCode::TOO_MANY_REQUESTS,
        email,
        suite,
        FormErrors::general(message),
        None,
    );
    let wait = (until - time::OffsetDateTime::now_utc().unix_timestamp()).max(1);
    if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

fn render_login(
    status: StatusCode,
    email: String,
    suite: String,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> Response {
    let title = title_with_errors("Connexion", &errors);
    let email_error = errors.get("email");
    let password_error = errors.get("password");
    let page = render::page(move || {
        view! {
            <Page title=title>
                <h1>"Connexion à l'espace agents"</h1>
                {notice.map(|notice| view! { <p class="notice" role="status">{notice}</p> })}
                <ErrorSummary errors/>
                <p>"Réservé aux agents des territoires et à leurs partenaires. Les habitants n'ont pas besoin de compte pour répondre aux questionnaires."</p>
                <form method="post" novalidate action="/connexion" class="stack narrow">
                    <input type="hidden" name="suite" value=suite/>
                    <TextField
                        name="email"
                        label="Adresse électronique".to_owned()
                        kind="email"
                        value=email
                        autocomplete="username"
                        required=true
                        error=email_error
                    />
                    <TextField
                        name="password"
                        label="Mot de passe".to_owned()
                        kind="password"
                        autocomplete="current-password"
                        required=true
                        error=password_error
                    />
                    <button type="submit">"Se connecter"</button>
                </form>
                <p class="muted">"Mot de passe oublié ? Demandez à un administrateur de la plateforme de le réinitialiser."</p>
            </Page>
        }
    });
    (status, page).into_response()
}
