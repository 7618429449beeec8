//! Wide tables on small screens.

use leptos::prelude::*;

/// A table that scrolls sideways when it is wider than the screen. The scrolling box takes
/// the keyboard focus and is a named region, so someone without a mouse can reach it and
/// scroll it with the arrow keys, and a screen reader says what it holds (WCAG 2.1.1,
/// RGAA 7.3; axe `scrollable-region-focusable`).
#[component]
pub fn TableScroll(
    /// What the table holds, in French: the region's accessible name.
    #[prop(into)]
    label: String,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=label>
            {children()}
        </div>
    }
}
