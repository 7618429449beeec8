//! `/admin/enquetes/{id}/resultats/imprimer`: a survey's results made for paper, with the
//! filters of the results page. A summary first (survey, period, filters, total, points),
//! then each question's chart and table, and for free-text questions a few reviewed
//! answers, the publishable ones first: never one nobody has read. No form, no button.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Html;
use leptos::prelude::*;
use pouls::disclosure::{self, Audience};
use pouls::storage::Quote;
use pouls::survey::{OUTSIDE_TERRITORY, Question, QuestionResult};

use super::filters::{Filters, span, with_query};
use super::find_survey;
use super::results::{QuestionResults, total_text};
use crate::error::AppError;
use crate::layout::Page;
use crate::staff::CurrentUser;
use crate::{AppState, format, render};

/// Reviewed answers quoted for each free-text question.
const QUOTES_PER_QUESTION: i64 = 8;

pub(super) async fn print(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let definition = find_survey(&state, &user, &id).await?;
    let survey_id = definition.survey.id;
    let audience = Audience::of_role(user.role);
    let filters = Filters::parse(&query, audience);
    let (total, results, quotes) = if filters.errors.is_empty() {
        let (total, results) = user
            .territory(&state)
            .survey_results(&definition, &filters.filter)
            .await?;
        let quotes = user
            .territory(&state)
            .reviewed_quotes(survey_id, &filters.filter, QUOTES_PER_QUESTION)
            .await?;
        (total, results, quotes)
    } else {
        (0, Vec::new(), Vec::new())
    };
    let points = user.territory(&state).points(survey_id).await?;
    let labelled = |list: Vec<pouls::plan::Labelled>| -> Vec<(String, String)> {
        list.into_iter().map(|l| (l.code, l.label)).collect()
    };
    let mut communes = labelled(user.territory(&state).communes().await?);
    communes.push((
        OUTSIDE_TERRITORY.0.to_owned(),
        OUTSIDE_TERRITORY.1.to_owned(),
    ));
    let publics = labelled(user.territory(&state).publics().await?);
    let described = filters.describe(&points, &communes, &publics);
    let survey = definition.survey.clone();
    let period = match (filters.filter.from, filters.filter.to) {
        (None, None) => format!(
            "toute l'enquête, {}",
            span(Some(survey.opens_on), Some(survey.closes_on))
        ),
        (from, to) => span(from, to),
    };
    let point_labels: Vec<String> = match filters.filter.point_id {
        Some(id) => points
            .iter()
            .filter(|p| p.id == id)
            .map(|p| p.label.clone())
            .collect(),
        None => points.iter().map(|p| p.label.clone()).collect(),
    };
    let back = with_query(
        &format!("/admin/enquetes/{survey_id}/resultats"),
        &filters.query(),
    );
    let mut by_question: HashMap<i64, Vec<Quote>> = HashMap::new();
    for quote in quotes {
        by_question
            .entry(quote.answer.question_id)
            .or_default()
            .push(quote);
    }
    Ok(render::page(move || {
        let questions: Vec<(Question, QuestionResult, Vec<Quote>)> = definition
            .questions
            .iter()
            .cloned()
            .zip(results)
            .map(|(question, result)| {
                let own = by_question.remove(&question.id).unwrap_or_default();
                (question, result, own)
            })
            .collect();
        let filters_text = if described.is_empty() {
            "aucun : toutes les réponses".to_owned()
        } else {
            described.join(" ; ")
        };
        view! {
            <Page title=format!("Résultats à imprimer : {}", survey.title) bare=true class="results-print">
                <p class="screen-only">
                    "Imprimez cette page au format A4 (commande Imprimer du navigateur). "
                    <a href=back>"Retour aux résultats"</a>
                </p>
                <h1>{format!("Résultats : {}", survey.title)}</h1>
                <dl class="facts print-summary">
                    <dt>"Période"</dt><dd>{period}</dd>
                    <dt>"Filtres"</dt><dd>{filters_text}</dd>
                    <dt>"Réponses"</dt><dd>{total_text(audience, total)}</dd>
                    <dt>"Points de collecte"</dt><dd>{point_labels.join(" ; ")}</dd>
                    <dt>"Imprimé le"</dt><dd>{format::date(pouls::domain::paris::today())}</dd>
                </dl>
                {filters.widened.clone().map(|text| view! { <p>{text}</p> })}
                {(!filters.errors.is_empty()).then(|| view! {
                    <div class="error-summary">
                        <p>"Les filtres de dates sont incorrects : corrigez-les sur la page des résultats."</p>
                        <ul>{filters.errors.iter().map(|(_, m)| view! { <li>{m.to_owned()}</li> }).collect_view()}</ul>
                    </div>
                })}
                {(!audience.is_exact()).then(|| view! { <p class="muted">{disclosure::NOTICE}</p> })}
                <p class="muted">{format!("Réponses libres : au plus {QUOTES_PER_QUESTION} citations par question, parmi les réponses relues, les publiables d'abord.")}</p>
                {questions.into_iter().map(|(question, result, own)| view! {
                    <QuestionResults question result audience links=false quotes=own/>
                }).collect_view()}
            </Page>
        }
    }))
}
