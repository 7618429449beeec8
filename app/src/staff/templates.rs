//! Survey templates tied to the plan, copied into a new draft survey with one click.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use pouls::domain::{Role, paris};
use pouls::survey::QuestionKind;
use pouls::survey::templates::{TEMPLATES, template};

use super::guard::{CurrentUser, StaffRoutes};
use crate::error::AppError;
use crate::forms::CsrfField;
use crate::layout::{Crumb, Page};
use crate::{AppState, render};

/// Surveys made from a template stay open three months by default.
const OPEN_DAYS: i64 = 91;

pub fn routes() -> StaffRoutes {
    StaffRoutes::new()
        .get("/admin/modeles", Role::Agent, list)
        .post("/admin/modeles/{slug}", Role::Agent, create)
}

async fn list(user: CurrentUser) -> Html<String> {
    render::page(move || {
        let csrf = user.csrf_token.clone();
        view! {
            <Page
                title="Modèles d'enquête".to_owned()
                staff=user.nav()
                breadcrumbs=vec![Crumb::link("Enquêtes", "/admin/enquetes"), Crumb::here("Modèles")]
            >
                <h1>"Modèles d'enquête"</h1>
                <p class="lead">"Chaque modèle crée un brouillon avec ses questions, les actions du plan qu'il sert et ses règles de calcul d'indicateurs déjà réglées. Vous pouvez tout modifier avant de l'ouvrir."</p>
                {TEMPLATES.iter().map(|t| {
                    let actions = t.actions.iter().map(|n| format!("action {n}")).collect::<Vec<_>>().join(", ");
                    let indicators = t.rules.iter().map(|r| r.indicator).collect::<Vec<_>>().join(", ");
                    view! {
                        <section class="survey-card">
                            <h2>{t.title}</h2>
                            <p>{t.intro}</p>
                            <p class="muted">{format!("Sert : {actions}. Alimente les indicateurs : {indicators}.")}</p>
                            <ol>
                                {t.questions.iter().map(|q| {
                                    let kind = QuestionKind::parse(q.kind).map(QuestionKind::label).unwrap_or_default();
                                    view! { <li>{format!("{} ({})", q.label.trim(), kind.to_lowercase())}</li> }
                                }).collect_view()}
                            </ol>
                            <form method="post" action=format!("/admin/modeles/{}", t.slug)>
                                <CsrfField token=csrf.clone()/>
                                <button type="submit">{format!("Créer une enquête « {} »", t.title)}</button>
                            </form>
                        </section>
                    }
                }).collect_view()}
            </Page>
        }
    })
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let template = template(&slug).ok_or(AppError::NotFound)?;
    let today = paris::today();
    let closes = today
        .checked_add(time::Duration::days(OPEN_DAYS))
        .unwrap_or(today);
    let id = user
        .territory(&state)
        .create_survey_from_template(template, today, closes, &user.actor())
        .await?;
    Ok(Redirect::to(&format!("/admin/enquetes/{id}?fait=creee")).into_response())
}
