//! An account's access to every territory and its instance role: what only an instance
//! admin sets (a lecteur départemental is given the territories it follows here).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::Response;
use leptos::prelude::*;
use pouls::domain::Role;
use pouls::staff::StaffListing;
use pouls::territory::{InstanceRole, Membership, TerritoryId};

use super::super::guard::CurrentUser;
use super::detail::{OwnPassword, after_change, confirm, detail_page, load};
use crate::AppState;
use crate::client::ClientAddress;
use crate::error::AppError;
use crate::forms::{CsrfField, FormErrors, SelectField, field_id};
use crate::urlencoded::Form;

/// The access form: each territory with the role chosen there (`""`: none), and the
/// instance role (`""`: none).
#[derive(Debug, Clone)]
pub(crate) struct AccessForm {
    account_id: i64,
    territories: Vec<(TerritoryId, String, String)>,
    instance_role: String,
}

/// The form for an instance admin (`None` for anyone else), with the account's access
/// as stored or, with `typed`, as typed in a refused change.
pub(super) async fn view(
    state: &AppState,
    user: &CurrentUser,
    account: &StaffListing,
    typed: Option<&HashMap<String, String>>,
) -> Result<Option<AccessForm>, AppError> {
    if !user.is_instance_admin() {
        return Ok(None);
    }
    let stored = state.storage.memberships(account.user.id).await?;
    let territories = state
        .storage
        .territories()
        .await?
        .into_iter()
        .map(|territory| {
            let chosen = match typed {
                Some(typed) => typed
                    .get(&field_name(territory.id))
                    .cloned()
                    .unwrap_or_default(),
                None => stored
                    .iter()
                    .find(|m| m.territory == territory.id)
                    .map(|m| m.role.as_str().to_owned())
                    .unwrap_or_default(),
            };
            (territory.id, territory.name, chosen)
        })
        .collect();
    let instance_role = match typed {
        Some(typed) => typed.get("instance").cloned().unwrap_or_default(),
        None => account
            .user
            .instance_role
            .map(InstanceRole::as_str)
            .unwrap_or_default()
            .to_owned(),
    };
    Ok(Some(AccessForm {
        account_id: account.user.id,
        territories,
        instance_role,
    }))
}

fn field_name(territory: TerritoryId) -> String {
    format!("t{territory}")
}

fn role_choices() -> Vec<(String, String)> {
    std::iter::once((String::new(), "Aucun accès".to_owned()))
        .chain(
            Role::ALL
                .into_iter()
                .map(|r| (r.as_str().to_owned(), r.label().to_owned())),
        )
        .collect()
}

/// Instance admin only: an admin of one territory gets the 404 of a route that is not his.
pub(super) async fn change(
    State(state): State<AppState>,
    user: CurrentUser,
    client: ClientAddress,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    if !user.is_instance_admin() {
        return Err(AppError::NotFound);
    }
    let account = load(&state, &user, &id).await?;
    let mut errors = FormErrors::default();
    let mut memberships = Vec::new();
    for territory in state.storage.territories().await? {
        let name = field_name(territory.id);
        match form.get(&name).map(String::as_str).unwrap_or_default() {
            "" => {}
            code => match Role::parse(code) {
                Ok(role) => memberships.push(Membership {
                    territory: territory.id,
                    role,
                }),
                Err(error) => errors.add(name, error.0),
            },
        }
    }
    let instance_role = match form.get("instance").map(String::as_str).unwrap_or_default() {
        "" => None,
        code => {
            let parsed = InstanceRole::parse(code);
            if parsed.is_none() {
                errors.add(
                    "instance",
                    "Choisissez : aucun, administrateur de l'instance ou lecteur départemental.",
                );
            }
            parsed
        }
    };
    let typed_password = form.get("confirm_access").cloned().unwrap_or_default();
    let what = format!("changement des accès de {}", account.user.email);
    let status = confirm(
        &state,
        &user,
        client,
        ("confirm_access", &typed_password),
        (account.user.id, what),
        &mut errors,
    )
    .await?;
    if !errors.is_empty() {
        let access = view(&state, &user, &account, Some(&form)).await?;
        let page = detail_page(user, account, None, errors, (None, access));
        return Ok(axum::response::IntoResponse::into_response((status, page)));
    }
    let change = state
        .storage
        .set_access(account.user.id, &memberships, instance_role, &user.actor())
        .await?;
    after_change(&state, user, account, change, "acces", "acces").await
}

#[component]
pub(crate) fn AccessFields(form: AccessForm, csrf: String, errors: FormErrors) -> impl IntoView {
    let action = format!("/admin/comptes/{}/acces", form.account_id);
    let general = errors.get("acces");
    let instance_error = errors.get("instance");
    let password_error = errors.get("confirm_access");
    let choices = role_choices();
    let rows = form
        .territories
        .into_iter()
        .map(|(id, name, chosen)| {
            let field = field_name(id);
            let html_id = field_id(&field);
            let error = errors.get(&field);
            let error_id = format!("{html_id}-erreur");
            let options = choices
                .iter()
                .map(|(value, label)| {
                    let selected = *value == chosen;
                    view! { <option value=value.clone() selected=selected>{label.clone()}</option> }
                })
                .collect_view();
            view! {
                <div class=if error.is_some() { "field field-error" } else { "field" }>
                    <label for=html_id.clone()>{name}</label>
                    {error.clone().map(|e| view! { <p class="error-message" id=error_id.clone()>{e}</p> })}
                    <select id=html_id name=field aria-describedby=error.is_some().then_some(error_id.clone()) aria-invalid=error.is_some().then_some("true")>{options}</select>
                </div>
            }
        })
        .collect_view();
    let instance_options = vec![
        (String::new(), "Aucun".to_owned()),
        (
            InstanceRole::Admin.as_str().to_owned(),
            InstanceRole::Admin.label().to_owned(),
        ),
        (
            InstanceRole::Lecteur.as_str().to_owned(),
            InstanceRole::Lecteur.label().to_owned(),
        ),
    ];
    view! {
        <h2>"Accès par territoire"</h2>
        <form method="post" novalidate action=action class="stack narrow">
            <CsrfField token=csrf/>
            {general.map(|error| view! { <p class="error-message" id="champ-acces">{error}</p> })}
            <fieldset>
                <legend>"Rôle dans chaque territoire"</legend>
                {rows}
            </fieldset>
            <SelectField name="instance" label="Rôle sur toute l'instance".to_owned() options=instance_options selected=form.instance_role error=instance_error
                hint="Administrateur de l'instance : tous les territoires et leurs comptes. Lecteur départemental : la vue départementale des territoires où il a un rôle.".to_owned()/>
            <OwnPassword name="confirm_access" error=password_error/>
            <button type="submit">"Enregistrer les accès"</button>
        </form>
    }
}
