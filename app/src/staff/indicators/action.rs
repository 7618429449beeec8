//! `/admin/plan/actions/{n}`: each indicator of an action with its latest value, n,
//! source, baseline and target, and a chart of its values over the periods.

use axum::extract::{Path, State};
use axum::response::Html;
use leptos::prelude::*;
use pouls::disclosure::Audience;
use pouls::domain::{ActionNumber, Role};
use pouls::indicators::{RuleKind, describe_source};
use pouls::storage::IndicatorReport;

use crate::charts::{Bar, BarChart, DistributionTable};
use crate::error::AppError;
use crate::layout::{Crumb, Page};
use crate::staff::CurrentUser;
use crate::tables::TableScroll;
use crate::values::{Figure, category_heading, distribution, figure};
use crate::{AppState, format, render};

pub(super) async fn action(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(number): Path<String>,
) -> Result<Html<String>, AppError> {
    let number = i32::from(
        ActionNumber::parse(&number)
            .map_err(|_| AppError::NotFound)?
            .get(),
    );
    let detail = user
        .territory(&state)
        .action_detail(number)
        .await?
        .ok_or(AppError::NotFound)?;
    let reports = user
        .territory(&state)
        .indicator_reports(Some(number), None)
        .await?;
    let can_edit = user.role.allows(Role::Agent);
    let audience = Audience::of_role(user.role);
    let heading = format!("Action {number} : {}", detail.summary.title);
    Ok(render::page(move || {
        view! {
            <Page
                title=format!("Indicateurs de l'action {number}")
                staff=user.nav()
                breadcrumbs=vec![
                    Crumb::link("Tableau de bord", "/admin"),
                    Crumb::link("Suivi du plan", "/admin/plan"),
                    Crumb::here(format!("Action {number}")),
                ]
            >
                <h1>{heading}</h1>
                <p><a href=format!("/plan/actions/{number}")>"Voir la fiche publique de l'action"</a></p>
                {(!audience.is_exact()).then(|| view! { <p class="muted">{pouls::disclosure::NOTICE}</p> })}
                {reports.into_iter().map(|report| view! { <IndicatorSection report can_edit audience/> }).collect_view()}
            </Page>
        }
    }))
}

#[component]
pub(super) fn IndicatorSection(
    report: IndicatorReport,
    can_edit: bool,
    audience: Audience,
) -> impl IntoView {
    let latest = report.latest().cloned();
    let settings = report.settings.clone();
    let baseline = settings.baseline_value.map(|v| {
        let label = if settings.baseline_label.is_empty() {
            String::new()
        } else {
            format!(" ({})", settings.baseline_label)
        };
        format!("{}{label}", format::number(v))
    });
    let latest_text = latest.as_ref().and_then(|value| {
        let shown = figure(&report, value, audience)?;
        let basis = shown
            .basis
            .map(|b| format!(", sur {b}"))
            .unwrap_or_default();
        Some((
            format!("{} en {}{basis}", shown.value, value.period.label()),
            describe_source(&report.rules, value),
        ))
    });
    let distribution = latest.as_ref().and_then(|value| {
        let computed = value
            .computed
            .as_ref()
            .filter(|c| value.recorded.is_none() && c.kind == RuleKind::Distribution)?;
        let breakdown = distribution(computed, audience);
        breakdown.is_shown().then(|| {
            (
                format!("{} : répartition, {}", report.code, value.period.label()),
                computed
                    .breakdown
                    .iter()
                    .map(|(label, _)| label.clone())
                    .collect::<Vec<_>>(),
                breakdown,
            )
        })
    });
    let heading = category_heading(&report);
    let figures: Vec<(String, Option<Figure>)> = report
        .values
        .iter()
        .map(|value| (value.period.label(), figure(&report, value, audience)))
        .collect();
    let bars: Vec<Bar> = figures
        .iter()
        .map(|(period, shown)| Bar {
            label: period.clone(),
            value: shown.as_ref().map_or(0.0, |f| f.bar),
            shown: shown
                .as_ref()
                .map_or_else(|| "—".to_owned(), |f| f.value.clone()),
        })
        .collect();
    let rows = report
        .values
        .iter()
        .zip(figures)
        .map(|(value, (period, shown))| {
            let source = if value.has_value() {
                describe_source(&report.rules, value)
            } else {
                String::new()
            };
            let (text, basis) = shown.map_or_else(
                || ("—".to_owned(), String::new()),
                |f| (f.value, f.basis.unwrap_or_default()),
            );
            view! {
                <tr>
                    <td>{period}</td>
                    <td class="number">{text}</td>
                    <td class="number">{basis}</td>
                    <td>{source}</td>
                </tr>
            }
        })
        .collect_view();
    let has_values = report.values.iter().any(|v| v.figure().is_some());
    let code = report.code.clone();
    let table_name = format!("Valeurs de l'indicateur {} par période", report.code);
    view! {
        <section class="result" id=format!("indicateur-{}", code.replace('.', "-"))>
            <h2>{format!("{} · {}", report.code, report.label)}</h2>
            <dl class="facts">
                <dt>"Type"</dt><dd>{settings.kind.label()}</dd>
                <dt>"Périodicité"</dt><dd>{settings.periodicity.label()}</dd>
                <dt>"Dernière valeur"</dt>
                <dd>{match latest_text {
                    Some((value, source)) => view! { {value}<br/><span class="muted">{source}</span> }.into_any(),
                    None => view! { "Aucune valeur pour l'instant" }.into_any(),
                }}</dd>
                <dt>"Valeur de référence"</dt><dd>{baseline.unwrap_or_else(|| "Non renseignée".to_owned())}</dd>
                <dt>"Cible 2030"</dt><dd>{settings.target_value.map_or_else(|| "Non renseignée".to_owned(), format::number)}</dd>
            </dl>
            {has_values.then(|| view! { <BarChart summary=format!("Valeurs de l'indicateur {} par période", code) bars/> })}
            <TableScroll label=table_name.clone()>
                <table>
                    <caption class="visually-hidden">{table_name}</caption>
                    <thead><tr><th scope="col">"Période"</th><th scope="col" class="number">"Valeur"</th><th scope="col" class="number">"Sur"</th><th scope="col">"Source"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableScroll>
            {distribution.map(|(caption, labels, breakdown)| view! {
                <h3>{caption.clone()}</h3>
                <DistributionTable caption category=heading labels breakdown/>
            })}
            {can_edit.then(|| view! { <p><a href=format!("/admin/indicateurs/{}", report.code)>{format!("Régler, calculer ou saisir l'indicateur {}", report.code)}</a></p> })}
        </section>
    }
}
