use axum::response::Html;
use leptos::prelude::*;

/// Renders a whole page to an HTML document.
///
/// Each render gets its own reactive owner, dropped at the end, so nothing is shared
/// between requests.
pub(crate) fn page<V: IntoView>(view: impl FnOnce() -> V) -> Html<String> {
    let owner = Owner::new();
    let body = owner.with(|| view().to_html());
    // Leptos marks text and list boundaries with empty comments for hydration; with no
    // hydration they are dead weight. Text content is escaped, so `<!>` is never content.
    Html(format!("<!DOCTYPE html>{}", body.replace("<!>", "")))
}
