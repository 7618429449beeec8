//! `/plan` (the whole plan, filterable by phase) and `/plan/actions/{n}` (one action).

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::get;
use leptos::prelude::*;
use pouls::disclosure::{Audience, Count};
use pouls::domain::{ActionNumber, Phase};
use pouls::plan::{ActionDetail, AmbitionOverview, Indicator, PlanOverview};
use pouls::storage::IndicatorReport;

use crate::AppState;
use crate::error::AppError;
use crate::format;
use crate::layout::{Crumb, Page};
use crate::render;
use crate::tables::TableScroll;
use crate::text::{BulletList, RichText};
use crate::values::show_value;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plan", get(plan))
        .route("/plan/actions/{number}", get(action))
}

async fn plan(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let phase = match query.get("phase").map(String::as_str) {
        None | Some("") => None,
        Some(value) => Some(Phase::parse(value).map_err(|_| AppError::NotFound)?),
    };
    let overview = state.storage.plan_overview(phase).await?;
    Ok(render::page(move || view! { <PlanPage overview phase/> }))
}

async fn action(
    State(state): State<AppState>,
    Path(number): Path<String>,
) -> Result<Html<String>, AppError> {
    let number = ActionNumber::parse(&number).map_err(|_| AppError::NotFound)?;
    let number = i32::from(number.get());
    let detail = state
        .storage
        .action_detail(number)
        .await?
        .ok_or(AppError::NotFound)?;
    let reports = state.storage.indicator_reports(Some(number), None).await?;
    let published: Vec<Published> = reports.iter().map(published_value).collect();
    Ok(render::page(
        move || view! { <ActionPage detail published/> },
    ))
}

#[component]
fn PlanPage(overview: PlanOverview, phase: Option<Phase>) -> impl IntoView {
    let heading = match phase {
        None => "Le plan d'actions".to_owned(),
        Some(phase) => format!("Le plan d'actions, {}", phase.label().to_lowercase()),
    };
    let intro = format!(
        "La {} signée par la {} et la {} engage le territoire sur quatre ambitions, déclinées en 17 actions. Chaque action a une phase de priorité plutôt qu'une date.",
        overview.title, overview.territory, overview.partner
    );
    view! {
        <Page
            title=heading.clone()
            breadcrumbs=vec![Crumb::link("Accueil", "/"), Crumb::here("Plan d'actions")]
        >
            <h1>{heading}</h1>
            <p class="lead">{intro}</p>
            <PhaseFilter current=phase/>
            {overview.ambitions.into_iter().map(|ambition| view! { <AmbitionSection ambition/> }).collect_view()}
        </Page>
    }
}

#[component]
fn PhaseFilter(current: Option<Phase>) -> impl IntoView {
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
                {link("Toutes les phases".to_owned(), "/plan".to_owned(), current.is_none())}
                {Phase::ALL
                    .into_iter()
                    .map(|phase| link(phase.label().to_owned(), format!("/plan?phase={}", phase.number()), current == Some(phase)))
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[component]
fn AmbitionSection(ambition: AmbitionOverview) -> impl IntoView {
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
                                            <a href=format!("/plan/actions/{}", action.number)>
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

/// An indicator's latest value as the public may see it.
#[derive(Debug, Clone, Default)]
struct Published {
    value: String,
    detail: String,
}

fn published_value(report: &IndicatorReport) -> Published {
    if !report.settings.published {
        return Published::default();
    }
    let Some(latest) = report.latest() else {
        return Published {
            value: "Pas encore mesuré".to_owned(),
            detail: String::new(),
        };
    };
    let small = latest.recorded.is_none()
        && latest
            .computed
            .as_ref()
            .is_some_and(|c| !Audience::Public.shows(c.n));
    if small {
        return Published {
            value: Count::Hidden.answers(),
            detail: latest.period.label(),
        };
    }
    let n = match (&latest.recorded, &latest.computed) {
        (None, Some(computed)) => format!(", {} réponses", format::integer(computed.n)),
        _ => String::new(),
    };
    Published {
        value: show_value(report, latest).unwrap_or_default(),
        detail: format!("{}{n}", latest.period.label()),
    }
}

#[component]
fn ActionPage(detail: ActionDetail, published: Vec<Published>) -> impl IntoView {
    let number = detail.summary.number;
    let heading = format!("Action {number} : {}", detail.summary.title);
    let ambition = format!(
        "Ambition {} : {}",
        detail.ambition_number, detail.ambition_title
    );
    let themes: Vec<String> = detail.themes.into_iter().map(|t| t.label).collect();
    let neighbours = view! {
        <nav class="pager" aria-label="Actions voisines">
            <ul>
                {(number > 1).then(|| view! { <li><a href=format!("/plan/actions/{}", number - 1)>{format!("Action précédente ({})", number - 1)}</a></li> })}
                {(number < 17).then(|| view! { <li><a href=format!("/plan/actions/{}", number + 1)>{format!("Action suivante ({})", number + 1)}</a></li> })}
            </ul>
        </nav>
    };
    view! {
        <Page
            title=format!("Action {number}")
            breadcrumbs=vec![
                Crumb::link("Accueil", "/"),
                Crumb::link("Plan d'actions", "/plan"),
                Crumb::here(format!("Action {number}")),
            ]
        >
            <h1>{heading}</h1>
            <dl class="facts">
                <dt>"Ambition"</dt>
                <dd>{ambition}</dd>
                <dt>"Orientation"</dt>
                <dd>{detail.orientation_title}</dd>
                <dt>"Priorité"</dt>
                <dd>{detail.summary.phase.label()}</dd>
                <dt>"Champs d'intervention"</dt>
                <dd>{themes.join(", ")}</dd>
            </dl>
            <p class="lead">{format!("Objectif : {}", detail.summary.objective)}</p>
            <h2>"Indicateurs d'évaluation"</h2>
            <IndicatorTable indicators=detail.indicators published/>
            <h2>"Finalité"</h2>
            <RichText text=detail.finality/>
            <h2>"Diagnostic initial et enjeux"</h2>
            <RichText text=detail.diagnostic/>
            <h2>"Objectifs opérationnels"</h2>
            <BulletList items=detail.operational_objectives/>
            <h2>"Publics cibles"</h2>
            <BulletList items=detail.target_publics/>
            <h2>"Modalités de mise en œuvre"</h2>
            <RichText text=detail.implementation/>
            <h2>"Services mobilisés"</h2>
            <BulletList items=detail.services/>
            <h2>"Partenaires"</h2>
            <BulletList items=detail.partners/>
            <h2>"Résultats attendus"</h2>
            <BulletList items=detail.expected_results/>
            {neighbours}
        </Page>
    }
}

#[component]
fn IndicatorTable(indicators: Vec<Indicator>, published: Vec<Published>) -> impl IntoView {
    view! {
        <TableScroll label="Indicateurs d'évaluation de l'action">
            <table>
                <caption class="visually-hidden">"Indicateurs d'évaluation de l'action"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Code"</th>
                        <th scope="col">"Indicateur"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Dernière valeur"</th>
                    </tr>
                </thead>
                <tbody>
                    {indicators
                        .into_iter()
                        .zip(published.into_iter().chain(std::iter::repeat(Published::default())))
                        .map(|(indicator, published)| {
                            view! {
                                <tr>
                                    <td>{indicator.code}</td>
                                    <td>{indicator.label}</td>
                                    <td>{indicator.kind.label()}</td>
                                    <td>
                                        {published.value}
                                        {(!published.detail.is_empty()).then(|| view! { <br/><span class="muted">{published.detail}</span> })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableScroll>
    }
}
