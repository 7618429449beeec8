//! `/plan`: the whole plan, filterable by phase (one action's page is in `action`).

use std::collections::HashMap;

use axum::Router;
use axum::extract::Query;
use axum::response::Html;
use axum::routing::get;
use leptos::prelude::*;
use pouls::domain::Phase;
use pouls::plan::{AmbitionOverview, PlanOverview};

use super::public::Public;
use crate::AppState;
use crate::error::AppError;
use crate::layout::{Crumb, Page};
use crate::render;
use crate::text::BulletList;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plan", get(plan))
        .route("/t/{slug}/plan", get(plan))
        .route("/plan/actions/{number}", get(super::action::action))
        .route(
            "/t/{slug}/plan/actions/{number}",
            get(super::action::action),
        )
}

async fn plan(
    Public {
        territory,
        base,
        name,
    }: Public,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let phase = match query.get("phase").map(String::as_str) {
        None | Some("") => None,
        Some(value) => Some(Phase::parse(value).map_err(|_| AppError::NotFound)?),
    };
    let overview = territory.plan_overview(phase).await?;
    let counts = territory.plan_counts().await?;
    let sizes = format!(
        "{}, déclinées en {} actions",
        ambitions(counts.ambitions),
        counts.actions
    );
    Ok(render::page(
        move || view! { <PlanPage overview phase sizes base name=name.clone()/> },
    ))
}

/// "quatre ambitions": the plan's ambitions, counted in words as the page always said.
fn ambitions(count: i64) -> String {
    const WORDS: [&str; 9] = [
        "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    ];
    let word = usize::try_from(count - 2).ok().and_then(|i| WORDS.get(i));
    match (count, word) {
        (1, _) => "une ambition".to_owned(),
        (_, Some(word)) => format!("{word} ambitions"),
        _ => format!("{count} ambitions"),
    }
}

#[component]
fn PlanPage(
    overview: PlanOverview,
    phase: Option<Phase>,
    /// "quatre ambitions, déclinées en 17 actions"
    sizes: String,
    base: String,
    name: String,
) -> impl IntoView {
    let heading = match phase {
        None => "Le plan d'actions".to_owned(),
        Some(phase) => format!("Le plan d'actions, {}", phase.label().to_lowercase()),
    };
    let intro = format!(
        "La {} signée par la {} et la {} engage le territoire sur {sizes}. Chaque action a une phase de priorité plutôt qu'une date.",
        overview.title, overview.territory, overview.partner
    );
    view! {
        <Page
            title=heading.clone()
            breadcrumbs=vec![Crumb::link("Accueil", format!("{base}/")), Crumb::here("Plan d'actions")]
            base=base.clone()
            territory=name
        >
            <h1>{heading}</h1>
            <p class="lead">{intro}</p>
            <PhaseFilter current=phase base=base.clone()/>
            {overview.ambitions.into_iter().map(|ambition| view! { <AmbitionSection ambition base=base.clone()/> }).collect_view()}
        </Page>
    }
}

#[component]
fn PhaseFilter(current: Option<Phase>, base: String) -> impl IntoView {
    let link = |label: String, href: String, active: bool| {
        view! {
            <li>
                <a href=href aria-current=active.then_some("page")>{label}</a>
            </li>
        }
    };
    view! {
        <nav class="filters" aria-label="Filtrer par phase">
            <ul>
                {link("Toutes les phases".to_owned(), format!("{base}/plan"), current.is_none())}
                {Phase::ALL
                    .into_iter()
                    .map(|phase| link(phase.label().to_owned(), format!("{base}/plan?phase={}", phase.number()), current == Some(phase)))
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[component]
fn AmbitionSection(ambition: AmbitionOverview, base: String) -> impl IntoView {
    let heading = format!("Ambition {} : {}", ambition.number, ambition.title);
    view! {
        <section class="ambition">
            <h2>{heading}</h2>
            <p class="impacts-title">"Impacts recherchés :"</p>
            <BulletList items=ambition.impacts/>
            {ambition
                .orientations
                .into_iter()
                .map(|orientation| {
                    view! {
                        <h3>{format!("Orientation : {}", orientation.title)}</h3>
                        <ul class="action-list">
                            {orientation
                                .actions
                                .into_iter()
                                .map(|action| {
                                    view! {
                                        <li class="action-card">
                                            <a href=format!("{base}/plan/actions/{}", action.number)>
                                                {format!("Action {} : {}", action.number, action.title)}
                                            </a>
                                            <p>{format!("Objectif : {}", action.objective)}</p>
                                            <p class="phase">{action.phase.label()}</p>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })
                .collect_view()}
        </section>
    }
}
