//! Account administration (admins): list, create, change role, deactivate, reset a
//! password, end all sessions of a user.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use pouls::audit::{AuditAction, AuditEntry};
use pouls::auth::hash_password;
use pouls::domain::{Email, NewPassword, Role};
use pouls::staff::{AccountChange, CreateAccount, StaffListing, StaffUser};
use serde::Deserialize;

use super::guard::{CurrentUser, StaffRoutes};
use crate::error::AppError;
use crate::forms::{
    CsrfField, ErrorSummary, FormErrors, SelectField, TextField, title_with_errors,
};
use crate::layout::{Crumb, Page};
use crate::tables::TableScroll;
use crate::{AppState, format, render};

pub fn routes() -> StaffRoutes {
    StaffRoutes::new()
        .get("/admin/comptes", Role::Admin, list)
        .post("/admin/comptes", Role::Admin, create)
        .get("/admin/comptes/{id}", Role::Admin, detail)
        .post("/admin/comptes/{id}/role", Role::Admin, change_role)
        .post("/admin/comptes/{id}/etat", Role::Admin, change_state)
        .post(
            "/admin/comptes/{id}/mot-de-passe",
            Role::Admin,
            reset_password,
        )
        .post("/admin/comptes/{id}/sessions", Role::Admin, end_sessions)
}

fn role_options() -> Vec<(String, String)> {
    Role::ALL
        .into_iter()
        .map(|role| (role.as_str().to_owned(), role.label().to_owned()))
        .collect()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CreateForm {
    email: String,
    role: String,
    password: String,
}

async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>, AppError> {
    let accounts = state.storage.accounts().await?;
    Ok(list_page(
        user,
        accounts,
        CreateForm::default(),
        FormErrors::default(),
    ))
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<CreateForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let email = Email::parse(&form.email)
        .map_err(|e| errors.add("email", e.0))
        .ok();
    let role = Role::parse(&form.role)
        .map_err(|e| errors.add("role", e.0))
        .ok();
    let password = NewPassword::parse(&form.password, email.as_ref())
        .map_err(|e| errors.add("password", e.0))
        .ok();
    if let (Some(email), Some(role), Some(password)) = (email, role, password) {
        let hash = hash_password(password).await?;
        match state
            .storage
            .create_account(&email, &hash, role, &user.actor())
            .await?
        {
            CreateAccount::Created(created) => {
                return Ok(
                    Redirect::to(&format!("/admin/comptes/{}?fait=cree", created.id))
                        .into_response(),
                );
            }
            CreateAccount::EmailTaken => {
                errors.add(
                    "email",
                    "Un compte existe déjà avec cette adresse électronique.",
                );
            }
        }
    }
    let accounts = state.storage.accounts().await?;
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        list_page(user, accounts, form, errors),
    )
        .into_response())
}

fn list_page(
    user: CurrentUser,
    accounts: Vec<StaffListing>,
    form: CreateForm,
    errors: FormErrors,
) -> Html<String> {
    let title = title_with_errors("Comptes", &errors);
    let email_error = errors.get("email");
    let role_error = errors.get("role");
    let password_error = errors.get("password");
    render::page(move || {
        view! {
            <Page
                title=title
                staff=user.nav()
                breadcrumbs=vec![Crumb::link("Tableau de bord", "/admin"), Crumb::here("Comptes")]
            >
                <h1>"Comptes"</h1>
                <ErrorSummary errors/>
                <TableScroll label="Comptes">
                    <table>
                        <caption>{format!("{} compte(s)", accounts.len())}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Adresse électronique"</th>
                                <th scope="col">"Rôle"</th>
                                <th scope="col">"État"</th>
                                <th scope="col">"Sessions ouvertes"</th>
                                <th scope="col">"Dernière connexion"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {accounts
                                .into_iter()
                                .map(|listing| {
                                    let account = listing.user;
                                    view! {
                                        <tr>
                                            <td><a href=format!("/admin/comptes/{}", account.id)>{account.email}</a></td>
                                            <td>{account.role.label()}</td>
                                            <td>{if account.active { "Actif" } else { "Désactivé" }}</td>
                                            <td class="number">{listing.open_sessions}</td>
                                            <td>{listing.last_login_at.map_or_else(|| "Jamais".to_owned(), format::datetime_short)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </TableScroll>
                <h2>"Créer un compte"</h2>
                <p>"Choisissez un mot de passe provisoire d'au moins 12 caractères et transmettez-le à la personne par un autre canal ; elle pourra le changer dans « Mon compte »."</p>
                <form method="post" novalidate action="/admin/comptes" class="stack narrow">
                    <CsrfField token=user.csrf_token.clone()/>
                    <TextField name="email" label="Adresse électronique".to_owned() kind="email" value=form.email autocomplete="off" required=true error=email_error/>
                    <SelectField name="role" label="Rôle".to_owned() options=role_options() selected=form.role error=role_error
                        hint="Administrateur : tout, y compris les comptes. Agent : enquêtes, indicateurs, besoins, réunions, exports. Partenaire : consultation et remontées de terrain.".to_owned()/>
                    <TextField name="password" label="Mot de passe provisoire".to_owned() kind="password" autocomplete="new-password" required=true error=password_error
                        hint="12 caractères au moins, sans nom du territoire, rangée du clavier, suite ni répétition ; une phrase de plusieurs mots convient bien.".to_owned()/>
                    <button type="submit">"Créer le compte"</button>
                </form>
            </Page>
        }
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RoleForm {
    role: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StateForm {
    active: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasswordForm {
    password: String,
}

async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let account = load(&state, &id).await?;
    let notice = query.get("fait").and_then(|done| done_notice(done));
    Ok(detail_page(user, account, notice, FormErrors::default()))
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
                detail_page(user, account, None, errors),
            )
                .into_response())
        }
    }
}

async fn change_role(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> Result<Response, AppError> {
    let account = load(&state, &id).await?;
    let role = match Role::parse(&form.role) {
        Ok(role) => role,
        Err(error) => {
            let mut errors = FormErrors::default();
            errors.add("role", error.0);
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                detail_page(user, account, None, errors),
            )
                .into_response());
        }
    };
    let change = state
        .storage
        .change_role(account.id, role, &user.actor())
        .await?;
    after_change(&state, user, account, change, "role", "role").await
}

async fn change_state(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<StateForm>,
) -> Result<Response, AppError> {
    let account = load(&state, &id).await?;
    let active = form.active == "1";
    let change = state
        .storage
        .set_active(account.id, active, &user.actor())
        .await?;
    let done = if active { "active" } else { "desactive" };
    after_change(&state, user, account, change, done, "etat").await
}

async fn reset_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let account = load(&state, &id).await?;
    let email = Email::parse(&account.email).ok();
    let password = match NewPassword::parse(&form.password, email.as_ref()) {
        Ok(password) => password,
        Err(error) => {
            let mut errors = FormErrors::default();
            errors.add("password", error.0);
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                detail_page(user, account, None, errors),
            )
                .into_response());
        }
    };
    let hash = hash_password(password).await?;
    let entry = AuditEntry::new(&user.actor(), AuditAction::UserPasswordReset)
        .object("staff_user", account.id)
        .detail(&account.email);
    let change = state
        .storage
        .set_password(account.id, &hash, None, &entry)
        .await?;
    after_change(&state, user, account, change, "mot-de-passe", "password").await
}

async fn end_sessions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let account = load(&state, &id).await?;
    state
        .storage
        .end_sessions(account.id, &user.actor())
        .await?;
    Ok(Redirect::to(&format!("/admin/comptes/{}?fait=sessions", account.id)).into_response())
}

fn detail_page(
    user: CurrentUser,
    account: StaffUser,
    notice: Option<&'static str>,
    errors: FormErrors,
) -> Html<String> {
    let title = title_with_errors(&format!("Compte {}", account.email), &errors);
    let role_error = errors.get("role");
    let state_error = errors.get("etat");
    let password_error = errors.get("password");
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
                    <SelectField name="role" label="Nouveau rôle".to_owned() options=role_options() selected=account.role.as_str().to_owned() error=role_error/>
                    <button type="submit">"Changer le rôle"</button>
                </form>

                <h2>"Activer ou désactiver"</h2>
                <form method="post" action=format!("{base}/etat") class="stack narrow">
                    <CsrfField token=csrf.clone()/>
                    <input type="hidden" name="active" value=state_value/>
                    {state_error.map(|error| view! { <p class="error-message" id="champ-etat">{error}</p> })}
                    <p>"Un compte désactivé ne peut plus se connecter ; ses sessions sont fermées aussitôt. Son historique est conservé."</p>
                    <button type="submit" class="secondary">{state_button}</button>
                </form>

                <h2>"Réinitialiser le mot de passe"</h2>
                <form method="post" novalidate action=format!("{base}/mot-de-passe") class="stack narrow">
                    <CsrfField token=csrf.clone()/>
                    <TextField name="password" label="Nouveau mot de passe provisoire".to_owned() kind="password" autocomplete="new-password" required=true error=password_error
                        hint="12 caractères au moins, sans nom du territoire, rangée du clavier, suite ni répétition. Les sessions ouvertes du compte seront fermées.".to_owned()/>
                    <button type="submit" class="secondary">"Réinitialiser le mot de passe"</button>
                </form>

                <h2>"Fermer toutes les sessions"</h2>
                <form method="post" action=format!("{base}/sessions") class="stack narrow">
                    <CsrfField token=csrf/>
                    <p>"Déconnecte ce compte sur tous les appareils, par exemple après la perte d'un téléphone."</p>
                    <button type="submit" class="secondary">"Fermer toutes les sessions"</button>
                </form>
            </Page>
        }
    })
}
