//! `/q/{code}/direct`: results on a projector at the event, reloading every 15 seconds
//! without script. Closed questions only, and only from 5 answers on; never free text.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;
use pouls::survey::{QuestionResult, ResultsFilter};

use super::point;
use crate::charts::{Bar, BarChart};
use crate::error::AppError;
use crate::layout::Page;
use crate::{AppState, format, render};

/// Below this many answers, figures could point at someone: nothing is shown.
pub(crate) const MIN_PUBLIC_COUNT: i64 = 5;

pub(super) async fn live(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let point = point(&state, &code).await?;
    if !point.live_screen {
        return Err(AppError::NotFound);
    }
    let definition = state
        .storage
        .survey_definition(point.survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let filter = ResultsFilter {
        point_id: Some(point.id),
        ..ResultsFilter::default()
    };
    let (total, results) = state.storage.survey_results(&definition, &filter).await?;
    let title = definition.survey.title.clone();
    let charts: Vec<(String, QuestionResult)> = definition
        .questions
        .iter()
        .zip(results)
        .filter(|(question, _)| question.kind.has_options())
        .map(|(question, result)| (question.label.clone(), result))
        .collect();
    let address = format!("{}/q/{}", state.site.public_url, point.code);
    let page = render::page(move || {
        view! {
            <Page title=format!("En direct : {title}") bare=true class="live" refresh=Some("15".to_owned())>
                <h1>{title}</h1>
                <p class="lead">{format!("{} réponse{} ici pour l'instant. Répondez vous aussi : {address}", format::integer(total), if total > 1 { "s" } else { "" })}</p>
                {if total < MIN_PUBLIC_COUNT {
                    view! { <p class="notice">"Les résultats s'afficheront à partir de 5 réponses."</p> }.into_any()
                } else {
                    charts
                        .into_iter()
                        .map(|(label, result)| view! { <LiveQuestion label result/> })
                        .collect_view()
                        .into_any()
                }}
            </Page>
        }
    });
    Ok(page.into_response())
}

#[component]
fn LiveQuestion(label: String, result: QuestionResult) -> impl IntoView {
    let answered = result.answered.max(1) as f64;
    let bars: Vec<Bar> = result
        .options
        .iter()
        .map(|option| Bar {
            label: option.label.clone(),
            value: option.count as f64,
            shown: format!(
                "{} %",
                format::decimal(option.count as f64 * 100.0 / answered, 0)
            ),
        })
        .collect();
    let summary = format!("Réponses à « {label} »");
    view! {
        <section class="live-question">
            <h2>{label}</h2>
            <BarChart summary bars/>
        </section>
    }
}
