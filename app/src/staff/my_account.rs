//! "Mon compte": changing one's own password, after re-entering the current one.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use pouls::audit::{AuditAction, AuditEntry};
use pouls::domain::{Email, NewPassword, Role};
use serde::Deserialize;

use super::guard::{CurrentUser, StaffRoutes};
use crate::error::AppError;
use crate::forms::{CsrfField, ErrorSummary, FormErrors, TextField, title_with_errors};
use crate::layout::{Crumb, Page};
use crate::urlencoded::Form;
use crate::{AppState, render};

pub fn routes() -> StaffRoutes {
    StaffRoutes::new()
        .get("/admin/mon-compte", Role::Lecteur, page)
        .post(
            "/admin/mon-compte/mot-de-passe",
            Role::Lecteur,
            change_password,
        )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

async fn page(user: CurrentUser, Query(query): Query<HashMap<String, String>>) -> Html<String> {
    let notice = query
        .contains_key("modifie")
        .then_some("Votre mot de passe a été modifié. Vos autres sessions ont été fermées.");
    render_page(user, notice, FormErrors::default())
}

async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let hash = state.storage.password_hash(user.id).await?;
    if form.current.is_empty() {
        errors.add("current", "Saisissez votre mot de passe actuel.");
    } else if !state
        .password_checks
        .verify(form.current.clone(), hash)
        .await?
    {
        errors.add("current", "Le mot de passe actuel est incorrect.");
    }
    let email = Email::parse(&user.email).ok();
    let new = NewPassword::parse(&form.new, email.as_ref())
        .map_err(|e| errors.add("new", e.0))
        .ok();
    if new.is_some() && form.confirm != form.new {
        errors.add(
            "confirm",
            "Les deux saisies du nouveau mot de passe sont différentes.",
        );
    }
    if new.is_some() && form.new == form.current {
        errors.add(
            "new",
            "Le nouveau mot de passe doit être différent de l'actuel.",
        );
    }
    let Some(new) = new.filter(|_| errors.is_empty()) else {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render_page(user, None, errors),
        )
            .into_response());
    };
    let hash = state.password_checks.hash(new).await?;
    let entry =
        AuditEntry::new(&user.actor(), AuditAction::PasswordChanged).object("staff_user", user.id);
    state
        .storage
        .set_password(user.id, &hash, Some(&user.token_hash), &entry)
        .await?;
    Ok(Redirect::to("/admin/mon-compte?modifie=1").into_response())
}

fn render_page(
    user: CurrentUser,
    notice: Option<&'static str>,
    errors: FormErrors,
) -> Html<String> {
    let title = title_with_errors("Mon compte", &errors);
    let current_error = errors.get("current");
    let new_error = errors.get("new");
    let confirm_error = errors.get("confirm");
    let facts = format!("{} ({})", user.email, user.role.label());
    render::page(move || {
        view! {
            <Page
                title=title
                staff=user.nav()
                breadcrumbs=vec![Crumb::link("Tableau de bord", "/admin"), Crumb::here("Mon compte")]
            >
                <h1>"Mon compte"</h1>
                {notice.map(|notice| view! { <p class="notice" role="status">{notice}</p> })}
                <ErrorSummary errors/>
                <p>{facts}</p>
                <h2>"Changer mon mot de passe"</h2>
                <form method="post" novalidate action="/admin/mon-compte/mot-de-passe" class="stack narrow">
                    <CsrfField token=user.csrf_token.clone()/>
                    <TextField name="current" label="Mot de passe actuel".to_owned() kind="password" autocomplete="current-password" required=true error=current_error/>
                    <TextField name="new" label="Nouveau mot de passe".to_owned() kind="password" autocomplete="new-password" required=true error=new_error
                        hint="12 caractères au moins, pas un mot de passe courant, sans nom du territoire, rangée du clavier, suite ni répétition. Une phrase de plusieurs mots convient bien.".to_owned()/>
                    <TextField name="confirm" label="Nouveau mot de passe, une seconde fois".to_owned() kind="password" autocomplete="new-password" required=true error=confirm_error/>
                    <button type="submit">"Changer mon mot de passe"</button>
                </form>
            </Page>
        }
    })
}
