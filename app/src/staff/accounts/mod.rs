//! Account administration (admins of a territory): list, create, change role,
//! deactivate, reset a password, end all sessions of a user; an instance admin also sets
//! each account's access to every territory.

mod access;
mod detail;

use crate::urlencoded::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use pouls::domain::{Email, NewPassword, Role};
use pouls::staff::{CreateAccount, NewAccount, StaffListing};
use pouls::territory::Membership;
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
        .get("/admin/comptes/{id}", Role::Admin, detail::page)
        .post("/admin/comptes/{id}/role", Role::Admin, detail::change_role)
        .post(
            "/admin/comptes/{id}/etat",
            Role::Admin,
            detail::change_state,
        )
        .post(
            "/admin/comptes/{id}/mot-de-passe",
            Role::Admin,
            detail::reset_password,
        )
        .post(
            "/admin/comptes/{id}/sessions",
            Role::Admin,
            detail::end_sessions,
        )
        .post("/admin/comptes/{id}/acces", Role::Admin, access::change)
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
    let accounts = user
        .territory(&state)
        .accounts(user.is_instance_admin())
        .await?;
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
        let hash = state.password_checks.hash(password).await?;
        let memberships = [Membership {
            territory: user.territory_id,
            role,
        }];
        let account = NewAccount {
            email: &email,
            password_hash: &hash,
            memberships: &memberships,
            instance_role: None,
        };
        match state
            .storage
            .create_account(&account, &user.actor())
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
    let accounts = user
        .territory(&state)
        .accounts(user.is_instance_admin())
        .await?;
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        list_page(user, accounts, form, errors),
    )
        .into_response())
}

/// The role in the territory, and the instance role beside it.
fn access_label(role: &Option<Role>, account: &pouls::staff::StaffUser) -> String {
    let role = role.map_or("Aucun accès", Role::label);
    match account.instance_role {
        Some(instance) => format!("{role} ({})", instance.label().to_lowercase()),
        None => role.to_owned(),
    }
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
                        <caption>{format::plural(i64::try_from(accounts.len()).unwrap_or(i64::MAX), "compte", "comptes")}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Adresse électronique"</th>
                                <th scope="col">"Rôle dans ce territoire"</th>
                                <th scope="col">"État"</th>
                                <th scope="col">"Sessions ouvertes"</th>
                                <th scope="col">"Dernière connexion"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {accounts
                                .into_iter()
                                .map(|listing| {
                                    let access = access_label(&listing.role, &listing.user);
                                    let account = listing.user;
                                    view! {
                                        <tr>
                                            <td><a href=format!("/admin/comptes/{}", account.id)>{account.email}</a></td>
                                            <td>{access}</td>
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
                        hint="Dans ce territoire. Administrateur : tout, y compris les comptes. Agent : enquêtes, indicateurs, besoins, réunions, exports. Partenaire : consultation et remontées de terrain. Lecteur : consultation seule.".to_owned()/>
                    <TextField name="password" label="Mot de passe provisoire".to_owned() kind="password" autocomplete="new-password" required=true error=password_error
                        hint="12 caractères au moins, sans nom du territoire, rangée du clavier, suite ni répétition ; une phrase de plusieurs mots convient bien.".to_owned()/>
                    <button type="submit">"Créer le compte"</button>
                </form>
            </Page>
        }
    })
}
