//! `/q/{code}/direct`: results on a projector at the event. Closed questions only, and only
//! from 5 answers on; never free text. Like every public figure, an answer chosen by 1 to 4
//! people shows as "< 5", without its share. The page reloads itself every 15 seconds (without
//! script) only once someone asks for it with `?auto=1`, and then offers to stop: a page
//! that refreshes on its own must leave the visitor in control (RGAA 13.1, WCAG 2.2.1).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;
use pouls::disclosure::Audience;
use pouls::survey::{QuestionResult, ResultsFilter};

use super::point;
use crate::charts::{Bar, BarChart};
use crate::error::AppError;
use crate::layout::Page;
use crate::{AppState, format, render};

/// Seconds between two reloads when the automatic update is on.
const REFRESH_SECONDS: u32 = 15;

pub(super) async fn live(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<HashMap<String, String>>,
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
    let here = format!("/q/{}/direct", point.code);
    let auto = query.get("auto").is_some_and(|v| v == "1");
    let refresh = auto.then(|| REFRESH_SECONDS.to_string());
    let page = render::page(move || {
        let controls = if auto {
            view! {
                <p class="screen-only">
                    {format!("Cette page se met à jour toutes les {REFRESH_SECONDS} secondes. ")}
                    <a href=here>"Arrêter la mise à jour automatique"</a>
                </p>
            }
            .into_any()
        } else {
            view! {
                <p class="screen-only">
                    <a href=format!("{here}?auto=1")>{format!("Mettre à jour automatiquement toutes les {REFRESH_SECONDS} secondes")}</a>
                    " · "
                    <a href=here.clone()>"Actualiser"</a>
                </p>
            }
            .into_any()
        };
        view! {
            <Page title=format!("En direct : {title}") bare=true class="live" refresh=refresh>
                <h1>{title}</h1>
                <p class="lead">{format!("{} ici pour l'instant. Répondez vous aussi : {address}", Audience::Public.count(total).answers())}</p>
                {controls}
                {if !Audience::Public.shows_breakdown(total) {
                    view! { <p class="notice">"Les résultats s'afficheront à partir de 5 réponses."</p> }.into_any()
                } else {
                    view! {
                        <p class="muted">"Pour préserver l'anonymat, une réponse choisie par moins de 5 personnes est affichée « < 5 »."</p>
                        {charts
                            .into_iter()
                            .map(|(label, result)| view! { <LiveQuestion label result/> })
                            .collect_view()}
                    }
                    .into_any()
                }}
            </Page>
        }
    });
    Ok(page.into_response())
}

#[component]
fn LiveQuestion(label: String, result: QuestionResult) -> impl IntoView {
    // A question only some people see (a conditional one) can have fewer answers than the
    // screen: then no breakdown at all.
    if !Audience::Public.shows_breakdown(result.answered) {
        return view! {
            <section class="live-question">
                <h2>{label}</h2>
                <p>"Moins de 5 réponses à cette question pour l'instant."</p>
            </section>
        }
        .into_any();
    }
    let answered = result.answered as f64;
    let bars: Vec<Bar> = result
        .options
        .iter()
        .map(|option| {
            // Neither the share nor the bar's length may give a small count away.
            let hidden = !Audience::Public.shows(option.count);
            Bar {
                label: option.label.clone(),
                value: if hidden { 0.0 } else { option.count as f64 },
                shown: if hidden {
                    Audience::Public.count(option.count).to_string()
                } else {
                    format!(
                        "{} %",
                        format::decimal(option.count as f64 * 100.0 / answered, 0)
                    )
                },
            }
        })
        .collect();
    let summary = format!("Réponses à « {label} »");
    view! {
        <section class="live-question">
            <h2>{label}</h2>
            <BarChart summary bars/>
        </section>
    }
    .into_any()
}
