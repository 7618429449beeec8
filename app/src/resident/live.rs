//! `/q/{code}/direct`: results on a projector at the event, full width, with the QR code
//! and the short address to answer. It counts every point of the survey, or those named
//! with `?points=code1,code2`. Closed questions only, options nobody chose left off, and
//! only from 5 answers on; never free text. Like every public figure, an answer chosen by 1
//! to 4 people shows as "< 5", without its share.
//!
//! Where script runs, `/style/direct-*.js` reads the page again every 15 seconds and swaps
//! in its figures; `?auto=0` stops it. Without script, `?auto=1` reloads the whole page
//! every 15 seconds and offers to stop: a page that changes on its own must leave the
//! visitor in control (RGAA 13.1, WCAG 2.2.1, 2.2.2).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;
use pouls::disclosure::{Audience, Count};
use pouls::survey::{CollectionPoint, QuestionResult, ResultsFilter, SurveyDefinition};

use super::point;
use super::poster::survey_url;
use crate::assets::live_script_href;
use crate::charts::Bar;
use crate::error::AppError;
use crate::layout::Page;
use crate::{AppState, format, render};

/// Seconds between two updates of the figures.
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
        .in_territory(point.territory)
        .survey_definition(point.survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let points = state
        .storage
        .in_territory(point.territory)
        .points(point.survey_id)
        .await?;
    let asked = query.get("points").map_or("", String::as_str);
    let chosen = chosen_points(&points, asked);
    let (total, results) = results_at(&state, &definition, &chosen, points.len()).await?;
    let title = definition.survey.title.clone();
    let charts: Vec<(String, QuestionResult)> = definition
        .questions
        .iter()
        .zip(results)
        .filter(|(question, _)| question.kind.has_options())
        .map(|(question, result)| (question.label.clone(), result))
        .collect();
    let url = survey_url(&state, &point);
    let qr = pouls::qr::svg(&url, &format!("QR code vers {url}"))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let short_url = url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .to_owned();
    // The points asked for, as codes of this survey only, in every link of the page.
    let kept = if chosen.len() < points.len() {
        let codes: Vec<String> = chosen.iter().map(|p| p.code.to_string()).collect();
        format!("points={}", codes.join(","))
    } else {
        String::new()
    };
    let here = format!("/q/{}/direct", point.code);
    let link = |auto: Option<&str>| {
        let query: Vec<String> = [
            (!kept.is_empty()).then(|| kept.clone()),
            auto.map(|a| format!("auto={a}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if query.is_empty() {
            here.clone()
        } else {
            format!("{here}?{}", query.join("&"))
        }
    };
    let (plain, start, stop) = (link(None), link(Some("1")), link(Some("0")));
    // "1": the page reloads itself (no script needed); "0": asked to stop.
    let reloads = query.get("auto").is_some_and(|a| a == "1");
    let refresh = reloads.then(|| REFRESH_SECONDS.to_string());
    let where_from = chosen
        .iter()
        .map(|p| p.label.clone())
        .collect::<Vec<_>>()
        .join(" ; ");
    let page = render::page(move || {
        let controls = if reloads {
            view! {
                <p class="screen-only live-controls">
                    {format!("Cette page se met à jour toutes les {REFRESH_SECONDS} secondes. ")}
                    <a href=stop>"Arrêter la mise à jour automatique"</a>
                </p>
            }
            .into_any()
        } else {
            // The script shows the first paragraph and hides the second when it runs.
            view! {
                <p class="screen-only live-controls" id="mise-a-jour-en-cours" hidden>
                    {format!("Les chiffres se mettent à jour toutes les {REFRESH_SECONDS} secondes. ")}
                    <a href=stop>"Arrêter la mise à jour automatique"</a>
                </p>
                <p class="screen-only live-controls" id="mise-a-jour-manuelle">
                    <a href=start>{format!("Mettre à jour automatiquement toutes les {REFRESH_SECONDS} secondes")}</a>
                    " · "
                    <a href=plain>"Actualiser"</a>
                </p>
            }
            .into_any()
        };
        view! {
            <Page title=format!("En direct : {title}") bare=true class="live" refresh=refresh>
                <div class="live-head">
                    <div class="live-title">
                        <h1>{title}</h1>
                        <p class="live-total" id="total"><strong>{total_text(total)}</strong>" pour l'instant"</p>
                        <p class="muted">{format!("Réponses reçues : {where_from}")}</p>
                        {controls}
                    </div>
                    <div class="live-qr">
                        <div inner_html=qr></div>
                        <p>"Répondez vous aussi : "<strong>{short_url}</strong></p>
                    </div>
                </div>
                <LiveFigures total charts/>
                {(!reloads).then(|| view! { <script src=live_script_href() defer></script> })}
            </Page>
        }
    });
    Ok(page.into_response())
}

/// The points named in `asked` (codes separated by commas) among the survey's own;
/// all of them when it names none of them.
fn chosen_points(points: &[CollectionPoint], asked: &str) -> Vec<CollectionPoint> {
    let codes: Vec<&str> = asked.split(',').map(str::trim).collect();
    let chosen: Vec<CollectionPoint> = points
        .iter()
        .filter(|p| codes.contains(&p.code.to_string().as_str()))
        .cloned()
        .collect();
    if chosen.is_empty() {
        points.to_vec()
    } else {
        chosen
    }
}

/// The results of the chosen points: the whole survey at once when they are all of its
/// points, else each point's added up (a response belongs to one point).
async fn results_at(
    state: &AppState,
    definition: &SurveyDefinition,
    chosen: &[CollectionPoint],
    of_survey: usize,
) -> Result<(i64, Vec<QuestionResult>), AppError> {
    if chosen.len() == of_survey {
        return Ok(state
            .storage
            .in_territory(definition.survey.territory)
            .survey_results(definition, &ResultsFilter::default())
            .await?);
    }
    let mut sum: Option<(i64, Vec<QuestionResult>)> = None;
    for point in chosen {
        let filter = ResultsFilter {
            point_id: Some(point.id),
            ..ResultsFilter::default()
        };
        let (total, results) = state
            .storage
            .in_territory(definition.survey.territory)
            .survey_results(definition, &filter)
            .await?;
        match &mut sum {
            None => sum = Some((total, results)),
            Some((sum_total, sum_results)) => {
                *sum_total += total;
                for (mine, theirs) in sum_results.iter_mut().zip(&results) {
                    mine.add(theirs);
                }
            }
        }
    }
    Ok(sum.unwrap_or_default())
}

/// The figures the script swaps in (with the total above them): the questions side by side.
#[component]
fn LiveFigures(total: i64, charts: Vec<(String, QuestionResult)>) -> impl IntoView {
    let body = if Audience::Public.shows_breakdown(total) {
        view! {
            <div class="live-grid">
                {charts
                    .into_iter()
                    .map(|(label, result)| view! { <LiveQuestion label result/> })
                    .collect_view()}
            </div>
            <p class="muted">"Pour préserver l'anonymat, une réponse choisie par moins de 5 personnes est affichée « < 5 »."</p>
        }
        .into_any()
    } else {
        view! { <p class="notice">"Les résultats s'afficheront à partir de 5 réponses."</p> }
            .into_any()
    };
    view! { <div id="chiffres" data-secondes=REFRESH_SECONDS.to_string()>{body}</div> }
}

/// "1 200 réponses", or "Moins de 5 réponses" at the start of a sentence.
fn total_text(total: i64) -> String {
    match Audience::Public.count(total) {
        Count::Hidden => "Moins de 5 réponses".to_owned(),
        count => count.answers(),
    }
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
        // Options nobody chose take room and say nothing from the back of the room.
        .filter(|option| option.count > 0)
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
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let rows = bars
        .into_iter()
        .map(|bar| {
            let length = if max > 0.0 { bar.value / max * 100.0 } else { 0.0 };
            view! {
                <li>
                    <span class="live-bar-label">{bar.label}</span>
                    <svg class="live-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                        <rect x="0" y="0" width=format!("{length:.1}") height="10"></rect>
                    </svg>
                    <span class="live-bar-value">{bar.shown}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="live-question">
            <h2>{label}</h2>
            // One line per answer: its label, a bar as long as its count, its share.
            <ul class="live-bars">{rows}</ul>
        </section>
    }
    .into_any()
}
