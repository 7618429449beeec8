//! Server-rendered SVG bar charts. Each chart has a text alternative; pages put the same
//! figures in a table beside it, which is what screen readers use.

use leptos::prelude::*;
use pouls::disclosure::{self, Breakdown, Cell};

use crate::format;
use crate::tables::TableScroll;

/// One bar: its label, its length and the text shown at its end.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
}

const WIDTH: f64 = 360.0;
const BAR_MAX: f64 = 270.0;
const ROW: f64 = 42.0;

/// Horizontal bars, labels above them, sized for a phone and scaled up to 30rem.
#[component]
pub fn BarChart(
    /// What the chart shows, read by assistive technologies.
    summary: String,
    bars: Vec<Bar>,
) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let height = (bars.len() as f64 * ROW).max(ROW);
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(index, bar)| {
            let y = index as f64 * ROW;
            let length = if max > 0.0 { (bar.value / max * BAR_MAX).max(if bar.value > 0.0 { 2.0 } else { 0.0 }) } else { 0.0 };
            view! {
                <g>
                    <text x="0" y=format!("{:.0}", y + 14.0) class="chart-label">{bar.label}</text>
                    <rect x="0" y=format!("{:.0}", y + 20.0) width=format!("{length:.1}") height="14" class="chart-bar"></rect>
                    <text x=format!("{:.1}", length + 6.0) y=format!("{:.0}", y + 32.0) class="chart-value">{bar.shown}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {height:.0}") role="img" aria-label=summary xmlns="http://www.w3.org/2000/svg">
            {rows}
        </svg>
    }
}

/// A breakdown as a bar chart and a table: each category with its count and share, as
/// the audience may see them ("< 5", "≥ 5"), then the total. Categories come largest
/// first; hidden ones get no bar.
#[component]
pub fn DistributionTable(
    /// What the breakdown shows, in French: the table's caption and the chart's name.
    caption: String,
    /// The heading of the categories' column: "Commune", "Public"...
    #[prop(into)]
    category: String,
    labels: Vec<String>,
    breakdown: Breakdown,
) -> impl IntoView {
    let share = |index: usize| {
        breakdown.share(index).map_or_else(
            || "–".to_owned(),
            |s| format!("{} %", format::decimal(s, 1)),
        )
    };
    let bars: Vec<Bar> = labels
        .iter()
        .zip(&breakdown.cells)
        .enumerate()
        .map(|(index, (label, cell))| Bar {
            label: label.clone(),
            value: cell.value().unwrap_or(0) as f64,
            shown: match breakdown.share(index) {
                Some(s) => format!("{cell} ({} %)", format::decimal(s, 0)),
                None => cell.to_string(),
            },
        })
        .collect();
    let rows = labels
        .iter()
        .zip(&breakdown.cells)
        .enumerate()
        .map(|(index, (label, cell))| {
            view! {
                <tr>
                    <th scope="row">{label.clone()}</th>
                    <td class="number">{cell.to_string()}</td>
                    <td class="number">{share(index)}</td>
                </tr>
            }
        })
        .collect_view();
    let small = breakdown.cells.contains(&Cell::Small);
    let withheld = breakdown.withholds();
    view! {
        <BarChart summary=caption.clone() bars/>
        <TableScroll label=caption.clone()>
            <table>
                <caption class="visually-hidden">{caption.clone()}</caption>
                <thead><tr><th scope="col">{category}</th><th scope="col" class="number">"Réponses"</th><th scope="col" class="number">"Part"</th></tr></thead>
                <tbody>{rows}</tbody>
                <tfoot><tr><th scope="row">"Total"</th><td class="number">{breakdown.total.to_string()}</td><td class="number">{breakdown.total.value().is_some().then_some("100 %")}</td></tr></tfoot>
            </table>
        </TableScroll>
        {small.then(|| view! { <p class="muted">{disclosure::NOTICE}</p> })}
        {withheld.then(|| view! { <p class="muted">{disclosure::WITHHELD_NOTICE}</p> })}
    }
}
