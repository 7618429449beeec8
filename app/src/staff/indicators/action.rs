//! `/admin/plan/actions/{n}`: each indicator of an action with its latest value, n,
//! source, baseline and target, and a chart of its values over the periods.

use axum::extract::{Path, State};
use axum::response::Html;
use leptos::prelude::*;
use pouls::domain::{ActionNumber, Role};
use pouls::indicators::describe_source;
use pouls::storage::IndicatorReport;

use crate::charts::{Bar, BarChart};
use crate::error::AppError;
use crate::layout::{Crumb, Page};
use crate::staff::CurrentUser;
use crate::tables::TableScroll;
use crate::values::show_value;
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
    let detail = state
        .storage
        .action_detail(number)
        .await?
        .ok_or(AppError::NotFound)?;
    let reports = state.storage.indicator_reports(Some(number), None).await?;
    let can_edit = user.role.allows(Role::Agent);
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
                {reports.into_iter().map(|report| view! { <IndicatorSection report can_edit/> }).collect_view()}
            </Page>
        }
    }))
}

#[component]
pub(super) fn IndicatorSection(report: IndicatorReport, can_edit: bool) -> impl IntoView {
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
    let latest_text = latest.as_ref().map(|value| {
        let shown = show_value(&report, value).unwrap_or_default();
        let n = match (&value.recorded, &value.computed) {
            (None, Some(c)) => format!(", n = {}", format::integer(c.n)),
            _ => String::new(),
        };
        (
            format!("{shown} en {}{n}", value.period.label()),
            describe_source(&report.rules, value),
        )
    });
    let bars: Vec<Bar> = report
        .values
        .iter()
        .map(|value| Bar {
            label: value.period.label(),
            value: value.figure().unwrap_or(0.0),
            shown: show_value(&report, value).unwrap_or_else(|| "—".to_owned()),
        })
        .collect();
    let rows = report
        .values
        .iter()
        .map(|value| {
            let n = value.computed.as_ref().filter(|_| value.recorded.is_none()).map(|c| format::integer(c.n)).unwrap_or_default();
            let source = if value.has_value() { describe_source(&report.rules, value) } else { String::new() };
            view! {
                <tr>
                    <td>{value.period.label()}</td>
                    <td class="number">{show_value(&report, value).unwrap_or_else(|| "—".to_owned())}</td>
                    <td class="number">{n}</td>
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
                    <thead><tr><th scope="col">"Période"</th><th scope="col" class="number">"Valeur"</th><th scope="col" class="number">"n"</th><th scope="col">"Source"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableScroll>
            {can_edit.then(|| view! { <p><a href=format!("/admin/indicateurs/{}", report.code)>{format!("Régler, calculer ou saisir l'indicateur {}", report.code)}</a></p> })}
        </section>
    }
}
