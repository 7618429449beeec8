//! `/admin/plan`: where the plan stands, per ambition and per phase: how many indicators
//! have a value for the current period, which have none, which move away from their target.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Html;
use leptos::prelude::*;
use pouls::domain::{Phase, paris};
use pouls::indicators::{Period, away_from_target};
use pouls::storage::IndicatorReport;

use crate::error::AppError;
use crate::layout::{Crumb, Page};
use crate::staff::CurrentUser;
use crate::staff::exports::ExportLink;
use crate::tables::TableScroll;
use crate::{AppState, render};

/// One row of a summary table.
struct Tally {
    label: String,
    total: usize,
    with_value: usize,
    away: usize,
}

fn current_value(report: &IndicatorReport) -> bool {
    let Some(current) = Period::containing(paris::today(), report.settings.periodicity) else {
        return false;
    };
    report
        .values
        .iter()
        .any(|v| v.period == current && v.has_value())
}

fn link(report: &IndicatorReport) -> (String, String) {
    (
        format!(
            "/admin/plan/actions/{}#indicateur-{}",
            report.action_number,
            report.code.replace('.', "-")
        ),
        format!("{} · {}", report.code, report.label),
    )
}

pub(super) async fn dashboard(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Html<String>, AppError> {
    let overview = user.territory(&state).plan_overview(None).await?;
    let reports = user.territory(&state).indicator_reports(None, None).await?;
    // Each action's ambition and phase.
    let mut placement: HashMap<i32, (i32, String, Phase)> = HashMap::new();
    for ambition in &overview.ambitions {
        for orientation in &ambition.orientations {
            for action in &orientation.actions {
                placement.insert(
                    action.number,
                    (ambition.number, ambition.title.clone(), action.phase),
                );
            }
        }
    }
    let mut by_ambition: Vec<Tally> = overview
        .ambitions
        .iter()
        .map(|a| Tally {
            label: format!("Ambition {} : {}", a.number, a.title),
            total: 0,
            with_value: 0,
            away: 0,
        })
        .collect();
    let mut by_phase: Vec<Tally> = Phase::ALL
        .iter()
        .map(|p| Tally {
            label: p.label().to_owned(),
            total: 0,
            with_value: 0,
            away: 0,
        })
        .collect();
    let mut missing = Vec::new();
    let mut away = Vec::new();
    for report in &reports {
        let has = current_value(report);
        let moved = away_from_target(&report.values, report.settings.target_value);
        if let Some((ambition, _, phase)) = placement.get(&report.action_number) {
            let rows = [
                by_ambition.get_mut(usize::try_from(*ambition - 1).unwrap_or(usize::MAX)),
                by_phase.get_mut(usize::from(phase.number()) - 1),
            ];
            for row in rows.into_iter().flatten() {
                row.total += 1;
                row.with_value += usize::from(has);
                row.away += usize::from(moved);
            }
        }
        if !has {
            missing.push(link(report));
        }
        if moved {
            away.push(link(report));
        }
    }
    let period = Period::containing(paris::today(), pouls::indicators::Periodicity::Year)
        .map_or_else(|| "hors de la période du plan".to_owned(), |p| p.label());
    Ok(render::page(move || {
        view! {
            <Page
                title="Suivi du plan".to_owned()
                staff=user.nav()
                breadcrumbs=vec![Crumb::link("Tableau de bord", "/admin"), Crumb::here("Suivi du plan")]
            >
                <h1>"Suivi du plan : les 83 indicateurs"</h1>
                <p class="lead">{format!("Période en cours : {period} (ou son semestre, pour les indicateurs semestriels).")}</p>
                <ExportLink kind="indicateurs" label="Télécharger les indicateurs (CSV)"/>
                <h2>"Par ambition"</h2>
                <SummaryTable caption="Indicateurs renseignés par ambition" rows=by_ambition/>
                <h2>"Par phase"</h2>
                <SummaryTable caption="Indicateurs renseignés par phase" rows=by_phase/>
                <h2>"Par action"</h2>
                <ul class="link-list">
                    {(1..=17).map(|n| view! { <li><a href=format!("/admin/plan/actions/{n}")>{format!("Indicateurs de l'action {n}")}</a></li> }).collect_view()}
                </ul>
                <h2>{format!("S'éloignent de leur cible ({})", away.len())}</h2>
                <LinkList links=away empty="Aucun indicateur ne s'éloigne de sa cible."/>
                <h2>{format!("Sans valeur pour la période en cours ({})", missing.len())}</h2>
                <LinkList links=missing empty="Tous les indicateurs ont une valeur."/>
            </Page>
        }
    }))
}

#[component]
fn SummaryTable(caption: &'static str, rows: Vec<Tally>) -> impl IntoView {
    view! {
        <TableScroll label={caption}>
            <table>
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Regroupement"</th>
                        <th scope="col" class="number">"Indicateurs"</th>
                        <th scope="col" class="number">"Avec une valeur"</th>
                        <th scope="col" class="number">"Sans valeur"</th>
                        <th scope="col" class="number">"S'éloignent de la cible"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr>
                            <th scope="row">{row.label}</th>
                            <td class="number">{row.total}</td>
                            <td class="number">{row.with_value}</td>
                            <td class="number">{row.total - row.with_value}</td>
                            <td class="number">{row.away}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableScroll>
    }
}

#[component]
fn LinkList(links: Vec<(String, String)>, empty: &'static str) -> impl IntoView {
    if links.is_empty() {
        return view! { <p>{empty}</p> }.into_any();
    }
    view! {
        <ul class="link-list">
            {links.into_iter().map(|(href, text)| view! { <li><a href=href>{text}</a></li> }).collect_view()}
        </ul>
    }
    .into_any()
}
