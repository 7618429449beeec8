//! Server-rendered SVG bar charts. Each chart has a text alternative; pages put the same
//! figures in a table beside it, which is what screen readers use.

use leptos::prelude::*;

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
