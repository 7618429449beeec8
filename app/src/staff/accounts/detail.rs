//! One account's page and the changes an admin makes there. Each change asks for the
//! admin's own password again (see [`reauth`]): a forged or stolen admin page alone
//! cannot change a role, an account's state, a password or end sessions. A territory's
//! admin sees the accounts of that territory only, and changes the state, password or
//! sessions of an account that also works elsewhere only as an instance admin.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use pouls::audit::{AuditAction, AuditEntry};
use pouls::domain::{Email, NewPassword, Role};
use pouls::staff::{AccountChange, StaffListing};
use serde::Deserialize;

use super::super::guard::CurrentUser;
use super::super::reauth;
use super::access::{self, AccessFields, AccessForm};
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
    let account = load(&state, &user, &id).await?;
    let notice = query.get("fait").and_then(|done| done_notice(done));
    let access = access::view(&state, &user, &account, None).await?;
    Ok(detail_page(
        user,
        account,
        notice,
        FormErrors::default(),
        (None, access),
    ))
}

fn done_notice(done: &str) -> Option<&'static str> {
    Some(match done {
        "cree" => "Le compte a été créé.",
        "role" => "Le rôle a été modifié.",
        "acces" => "Les accès du compte ont été modifiés.",
        "desactive" => "Le compte a été désactivé et ses sessions fermées.",
        "active" => "Le compte a été réactivé.",
        "mot-de-passe" => "Le mot de passe a été réinitialisé et les sessions du compte fermées.",
        "sessions" => "Toutes les sessions du compte ont été fermées.",
        _ => return None,
    })
}

/// The account, if it is one of the accounts this admin's territory lists.
pub(super) async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<StaffListing, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    user.territory(state)
        .account(id, user.is_instance_admin())
        .await?
        .ok_or(AppError::NotFound)
}

const BEYOND: &str = "Ce compte a aussi accès à d'autres territoires ou à toute l'instance : seul un administrateur de l'instance peut le modifier.";

/// Refuses, next to `field`, a change to an account that works beyond this territory
/// unless an instance admin makes it: a territory's admin changes its own accounts only.
fn check_reach(user: &CurrentUser, account: &StaffListing, field: &str, errors: &mut FormErrors) {
    if account.reaches_beyond() && !user.is_instance_admin() {
        errors.add(field, BEYOND);
    }
}

/// The admin's own password, typed into `field`: when it does not confirm, its message
/// goes next to the field and the page takes the returned status; otherwise the status
/// for the form's other errors, if any.
pub(super) async fn confirm(
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
pub(super) async fn after_change(
    state: &AppState,
    user: CurrentUser,
    account: StaffListing,
    change: AccountChange,
    done: &str,
    field: &str,
) -> Result<Response, AppError> {
    match change {
        AccountChange::Done => Ok(Redirect::to(&format!(
            "/admin/comptes/{}?fait={done}",
            account.user.id
        ))
        .into_response()),
        AccountChange::NotFound => Err(AppError::NotFound),
        AccountChange::LastAdmin => {
            let mut errors = FormErrors::default();
            errors.add(
                field,
                "Impossible : chaque territoire doit garder au moins un administrateur actif. Donnez d'abord ce rôle à un autre compte.",
            );
            let account = load(state, &user, &account.user.id.to_string()).await?;
            let access = access::view(state, &user, &account, None).await?;
            Ok((
                StatusCode::CONFLICT,
                detail_page(user, account, None, errors, (None, access)),
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
    let account = load(&state, &user, &id).await?;
    let mut errors = FormErrors::default();
    let role = match form.role.as_str() {
        NO_ACCESS => Some(None),
        code => Role::parse(code)
            .map(Some)
            .map_err(|e| errors.add("role", e.0))
            .ok(),
    };
    let what = format!("changement de rôle de {}", account.user.email);
    let status = confirm(
        &state,
        &user,
        client,
        ("confirm_role", &form.confirm_role),
        (account.user.id, what),
        &mut errors,
    )
    .await?;
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        let access = access::view(&state, &user, &account, None).await?;
        let page = detail_page(user, account, None, errors, (Some(form.role), access));
        return Ok((status, page).into_response());
    };
    let change = user
        .territory(&state)
        .change_role(account.user.id, role, &user.actor())
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
    let account = load(&state, &user, &id).await?;
    let active = form.active == "1";
    let mut errors = FormErrors::default();
    let what = format!(
        "{} de {}",
        if active {
            "réactivation"
        } else {
            "désactivation"
        },
        account.user.email
    );
    let status = confirm(
        &state,
        &user,
        client,
        ("confirm_state", &form.confirm_state),
        (account.user.id, what),
        &mut errors,
    )
    .await?;
    check_reach(&user, &account, "etat", &mut errors);
    if !errors.is_empty() {
        return refused(&state, user, account, errors, status).await;
    }
    let change = user
        .territory(&state)
        .set_active(account.user.id, active, &user.actor())
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
    let account = load(&state, &user, &id).await?;
    let email = Email::parse(&account.user.email).ok();
    let mut errors = FormErrors::default();
    let password = NewPassword::parse(&form.password, email.as_ref())
        .map_err(|e| errors.add("password", e.0))
        .ok();
    let what = format!("réinitialisation du mot de passe de {}", account.user.email);
    let status = confirm(
        &state,
        &user,
        client,
        ("confirm_reset", &form.confirm_reset),
        (account.user.id, what),
        &mut errors,
    )
    .await?;
    check_reach(&user, &account, "password", &mut errors);
    let Some(password) = password.filter(|_| errors.is_empty()) else {
        return refused(&state, user, account, errors, status).await;
    };
    let hash = state.password_checks.hash(password).await?;
    let entry = AuditEntry::new(&user.actor(), AuditAction::UserPasswordReset)
        .object("staff_user", account.user.id)
        .detail(&account.user.email);
    let change = state
        .storage
        .set_password(account.user.id, &hash, None, &entry)
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
    let account = load(&state, &user, &id).await?;
    let mut errors = FormErrors::default();
    let what = format!("fermeture des sessions de {}", account.user.email);
    let status = confirm(
        &state,
        &user,
        client,
        ("confirm_sessions", &form.confirm_sessions),
        (account.user.id, what),
        &mut errors,
    )
    .await?;
    check_reach(&user, &account, "confirm_sessions", &mut errors);
    if !errors.is_empty() {
        return refused(&state, user, account, errors, status).await;
    }
    state
        .storage
        .end_sessions(account.user.id, &user.actor())
        .await?;
    Ok(Redirect::to(&format!("/admin/comptes/{}?fait=sessions", account.user.id)).into_response())
}

/// The page again with the reasons a change was refused.
async fn refused(
    state: &AppState,
    user: CurrentUser,
    account: StaffListing,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let access = access::view(state, &user, &account, None).await?;
    let page = detail_page(user, account, None, errors, (None, access));
    Ok((status, page).into_response())
}

/// The role form's value that takes the account's access to the territory away.
const NO_ACCESS: &str = "aucun";

/// The "Votre mot de passe" field of one of the forms.
#[component]
pub(super) fn OwnPassword(name: &'static str, error: Option<String>) -> impl IntoView {
    view! {
        <TextField name=name label=reauth::LABEL.to_owned() kind="password" autocomplete="current-password" required=true error=error
            hint=reauth::HINT.to_owned()/>
    }
}

/// The account's page; `role` is the role typed in a refused change, kept selected;
/// `access`, for an instance admin, the form of its access to every territory.
pub(super) fn detail_page(
    user: CurrentUser,
    listing: StaffListing,
    notice: Option<&'static str>,
    errors: FormErrors,
    (role, access): (Option<String>, Option<AccessForm>),
) -> Html<String> {
    let account = listing.user.clone();
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
    let selected = role.unwrap_or_else(|| listing.role.map_or(NO_ACCESS, Role::as_str).to_owned());
    let role_label = listing
        .role
        .map_or("Aucun accès à ce territoire", Role::label);
    let instance_label = account.instance_role.map(|role| role.label());
    let others = listing.other_territories;
    let mut options = role_options();
    options.push((
        NO_ACCESS.to_owned(),
        "Aucun accès à ce territoire".to_owned(),
    ));
    let access_errors = errors.clone();
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
                    <dt>"Rôle dans ce territoire"</dt>
                    <dd>{role_label}</dd>
                    {instance_label.map(|label| view! { <dt>"Sur toute l'instance"</dt><dd>{label}</dd> })}
                    {(others > 0).then(|| view! { <dt>"Autres territoires"</dt><dd>{others}</dd> })}
                    <dt>"État"</dt>
                    <dd>{state_label}</dd>
                    <dt>"Créé le"</dt>
                    <dd>{format::datetime_short(account.created_at)}</dd>
                </dl>

                <h2>"Changer le rôle"</h2>
                <form method="post" novalidate action=format!("{base}/role") class="stack narrow">
                    <CsrfField token=csrf.clone()/>
                    <SelectField name="role" label="Nouveau rôle dans ce territoire".to_owned() options=options selected=selected error=role_error/>
                    <OwnPassword name="confirm_role" error=confirm_role/>
                    <button type="submit">"Changer le rôle"</button>
                </form>

                {access.map(|form| view! { <AccessFields form csrf=csrf.clone() errors=access_errors/> })}

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
