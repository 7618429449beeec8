//! One account's page and the changes an admin makes there. Each change asks for the
//! admin's own password again (see [`reauth`]): a forged or stolen admin page alone
//! cannot change a role, an account's state, a password or end sessions.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use pouls::audit::{AuditAction, AuditEntry};
use pouls::domain::{Email, NewPassword, Role};
use pouls::staff::{AccountChange, StaffUser};
use serde::Deserialize;

use super::super::guard::CurrentUser;
use super::super::reauth;
use super::role_options;
use crate::client::ClientAddress;
use crate::error::AppError;
use crate::forms::{
    CsrfField, ErrorSummary, FormErrors, SelectField, TextField, title_with_errors,
};
use crate::layout::{Crumb, Page};
use crate::urlencoded::Form;
use crate::{AppState, format, render};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RoleForm {
    role: String,
    confirm_role: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct StateForm {
    active: String,
    confirm_state: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PasswordForm {
    password: String,
    confirm_reset: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct SessionsForm {
    confirm_sessions: String,
}

pub(super) async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let account = load(&state, &id).await?;
    let notice = query.get("fait").and_then(|done| done_notice(done));
    Ok(detail_page(
        user,
        account,
        notice,
        FormErrors::default(),
        None,
    ))
}

fn done_notice(done: &str) -> Option<&'static str> {
    Some(match done {
        "cree" => "Le compte a été créé.",
        "role" => "Le rôle a été modifié.",
        "desactive" => "Le compte a été désactivé et ses sessions fermées.",
        "active" => "Le compte a été réactivé.",
        "mot-de-passe" => "Le mot de passe a été réinitialisé et les sessions du compte fermées.",
        "sessions" => "Toutes les sessions du compte ont été fermées.",
        _ => return None,
    })
}

async fn load(state: &AppState, id: &str) -> Result<StaffUser, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    state.storage.account(id).await?.ok_or(AppError::NotFound)
}

/// The admin's own password, typed into `field`: when it does not confirm, its message
/// goes next to the field and the page takes the returned status; otherwise the status
/// for the form's other errors, if any.
async fn confirm(
    state: &AppState,
    user: &CurrentUser,
    client: ClientAddress,
    (field, typed): (&str, &str),
    change: (i64, String),
    errors: &mut FormErrors,
) -> Result<StatusCode, AppError> {
    match reauth::confirm(state, user, client, typed, change).await? {
        Ok(()) => Ok(StatusCode::UNPROCESSABLE_ENTITY),
        Err(refused) => {
            errors.add(field, refused.message);
            Ok(refused.status)
        }
    }
}

/// Turns the outcome of a change into the redirect or the page with its explanation.
async fn after_change(
    state: &AppState,
    user: CurrentUser,
    account: StaffUser,
    change: AccountChange,
    done: &str,
    field: &str,
) -> Result<Response, AppError> {
    match change {
        AccountChange::Done => {
            Ok(Redirect::to(&format!("/admin/comptes/{}?fait={done}", account.id)).into_response())
        }
        AccountChange::NotFound => Err(AppError::NotFound),
        AccountChange::LastAdmin => {
            let mut errors = FormErrors::default();
            errors.add(
                field,
                "Impossible : la plateforme doit garder au moins un administrateur actif. Donnez d'abord ce rôle à un autre compte.",
            );
            let account = state
                .storage
                .account(account.id)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok((
                StatusCode::CONFLICT,
                detail_page(user, account, None, errors, None),
            )
                .into_response())
        }
    }
}

pub(super) async fn change_role(
    State(state): State<AppState>,
    user: CurrentUser,
    client: ClientAddress,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> Result<Response, AppError> {
    let account = load(&state, &id).await?;
    let mut errors = FormErrors::default();
    let role = Role::parse_account(&form.role)
        .map_err(|e| errors.add("role", e.0))
        .ok();
    let what = format!("changement de rôle de {}", account.email);
    let status = confirm(
        &state,
        &user,
        client,
        ("confirm_role", &form.confirm_role),
        (account.id, what),
        &mut errors,
    )
    .await?;
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        let page = detail_page(user, account, None, errors, Some(form.role));
        return Ok((status, page).into_response());
    };
    let change = state
        .storage
        .change_role(account.id, role, &user.actor())
        .await?;
    after_change(&state, user, account, change, "role", "role").await
}

pub(super) async fn change_state(
    State(state): State<AppState>,
    user: CurrentUser,
    client: ClientAddress,
    Path(id): Path<String>,
    Form(form): Form<StateForm>,
) -> Result<Response, AppError> {
    let account = load(&state, &id).await?;
    let active = form.active == "1";
    let mut errors = FormErrors::default();
    let what = format!(
        "{} de {}",
        if active {
            "réactivation"
        } else {
            "désactivation"
        },
        account.email
    );
    let status = confirm(
        &state,
        &user,
        client,
        ("confirm_state", &form.confirm_state),
        (account.id, what),
        &mut errors,
    )
    .await?;
    if !errors.is_empty() {
        let page = detail_page(user, account, None, errors, None);
        return Ok((status, page).into_response());
    }
    let change = state
        .storage
        .set_active(account.id, active, &user.actor())
        .await?;
    let done = if active { "active" } else { "desactive" };
    after_change(&state, user, account, change, done, "etat").await
}

pub(super) async fn reset_password(
    State(state): State<AppState>,
    user: CurrentUser,
    client: ClientAddress,
    Path(id): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let account = load(&state, &id).await?;
    let email = Email::parse(&account.email).ok();
    let mut errors = FormErrors::default();
    let password = NewPassword::parse(&form.password, email.as_ref())
        .map_err(|e| errors.add("password", e.0))
        .ok();
    let what = format!("réinitialisation du mot de passe de {}", account.email);
    let status = confirm(
        &state,
        &user,
        client,
        ("confirm_reset", &form.confirm_reset),
        (account.id, what),
        &mut errors,
    )
    .await?;
    let Some(password) = password.filter(|_| errors.is_empty()) else {
        let page = detail_page(user, account, None, errors, None);
        return Ok((status, page).into_response());
    };
    let hash = state.password_checks.hash(password).await?;
    let entry = AuditEntry::new(&user.actor(), AuditAction::UserPasswordReset)
        .object("staff_user", account.id)
        .detail(&account.email);
    let change = state
        .storage
        .set_password(account.id, &hash, None, &entry)
        .await?;
    after_change(&state, user, account, change, "mot-de-passe", "password").await
}

pub(super) async fn end_sessions(
    State(state): State<AppState>,
    user: CurrentUser,
    client: ClientAddress,
    Path(id): Path<String>,
    Form(form): Form<SessionsForm>,
) -> Result<Response, AppError> {
    let account = load(&state, &id).await?;
    let mut errors = FormErrors::default();
    let what = format!("fermeture des sessions de {}", account.email);
    let status = confirm(
        &state,
        &user,
        client,
        ("confirm_sessions", &form.confirm_sessions),
        (account.id, what),
        &mut errors,
    )
    .await?;
    if !errors.is_empty() {
        let page = detail_page(user, account, None, errors, None);
        return Ok((status, page).into_response());
    }
    state
        .storage
        .end_sessions(account.id, &user.actor())
        .await?;
    Ok(Redirect::to(&format!("/admin/comptes/{}?fait=sessions", account.id)).into_response())
}

/// The "Votre mot de passe" field of one of the forms.
#[component]
fn OwnPassword(name: &'static str, error: Option<String>) -> impl IntoView {
    view! {
        <TextField name=name label=reauth::LABEL.to_owned() kind="password" autocomplete="current-password" required=true error=error
            hint=reauth::HINT.to_owned()/>
    }
}

/// The account's page; `role` is the role typed in a refused change, kept selected.
fn detail_page(
    user: CurrentUser,
    account: StaffUser,
    notice: Option<&'static str>,
    errors: FormErrors,
    role: Option<String>,
) -> Html<String> {
    let title = title_with_errors(&format!("Compte {}", account.email), &errors);
    let role_error = errors.get("role");
    let state_error = errors.get("etat");
    let password_error = errors.get("password");
    let [confirm_role, confirm_state, confirm_reset, confirm_sessions] = [
        "confirm_role",
        "confirm_state",
        "confirm_reset",
        "confirm_sessions",
    ]
    .map(|field| errors.get(field));
    let selected = role.unwrap_or_else(|| account.role.as_str().to_owned());
    let base = format!("/admin/comptes/{}", account.id);
    let (state_label, state_button, state_value) = if account.active {
        ("Actif", "Désactiver le compte", "0")
    } else {
        ("Désactivé", "Réactiver le compte", "1")
    };
    let csrf = user.csrf_token.clone();
    render::page(move || {
        view! {
            <Page
                title=title
                staff=user.nav()
                breadcrumbs=vec![
                    Crumb::link("Tableau de bord", "/admin"),
                    Crumb::link("Comptes", "/admin/comptes"),
                    Crumb::here(account.email.clone()),
                ]
            >
                <h1>{format!("Compte {}", account.email)}</h1>
                {notice.map(|notice| view! { <p class="notice" role="status">{notice}</p> })}
                <ErrorSummary errors/>
                <dl class="facts">
                    <dt>"Rôle"</dt>
                    <dd>{account.role.label()}</dd>
                    <dt>"État"</dt>
                    <dd>{state_label}</dd>
                    <dt>"Créé le"</dt>
                    <dd>{format::datetime_short(account.created_at)}</dd>
                </dl>

                <h2>"Changer le rôle"</h2>
                <form method="post" novalidate action=format!("{base}/role") class="stack narrow">
                    <CsrfField token=csrf.clone()/>
                    <SelectField name="role" label="Nouveau rôle".to_owned() options=role_options() selected=selected error=role_error/>
                    <OwnPassword name="confirm_role" error=confirm_role/>
                    <button type="submit">"Changer le rôle"</button>
                </form>

                <h2>"Activer ou désactiver"</h2>
                <form method="post" novalidate action=format!("{base}/etat") class="stack narrow">
                    <CsrfField token=csrf.clone()/>
                    <input type="hidden" name="active" value=state_value/>
                    {state_error.map(|error| view! { <p class="error-message" id="champ-etat">{error}</p> })}
                    <p>"Un compte désactivé ne peut plus se connecter ; ses sessions sont fermées aussitôt. Son historique est conservé."</p>
                    <OwnPassword name="confirm_state" error=confirm_state/>
                    <button type="submit" class="secondary">{state_button}</button>
                </form>

                <h2>"Réinitialiser le mot de passe"</h2>
                <form method="post" novalidate action=format!("{base}/mot-de-passe") class="stack narrow">
                    <CsrfField token=csrf.clone()/>
                    <TextField name="password" label="Nouveau mot de passe provisoire".to_owned() kind="password" autocomplete="new-password" required=true error=password_error
                        hint="12 caractères au moins, sans nom du territoire, rangée du clavier, suite ni répétition. Les sessions ouvertes du compte seront fermées.".to_owned()/>
                    <OwnPassword name="confirm_reset" error=confirm_reset/>
                    <button type="submit" class="secondary">"Réinitialiser le mot de passe"</button>
                </form>

                <h2>"Fermer toutes les sessions"</h2>
                <form method="post" novalidate action=format!("{base}/sessions") class="stack narrow">
                    <CsrfField token=csrf/>
                    <p>"Déconnecte ce compte sur tous les appareils, par exemple après la perte d'un téléphone."</p>
                    <OwnPassword name="confirm_sessions" error=confirm_sessions/>
                    <button type="submit" class="secondary">"Fermer toutes les sessions"</button>
                </form>
            </Page>
        }
    })
}
