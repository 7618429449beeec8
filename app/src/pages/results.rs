//! `/resultats`: "vous avez dit, nous avons fait". For each action and each commune, what
//! was heard (counts under 5 hidden, and only free text staff marked publishable) and
//! what was decided.

use std::collections::HashMap;

use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use leptos::prelude::*;
use pouls::disclosure::Audience;
use pouls::storage::PublicDecision;

use crate::AppState;
use crate::error::AppError;
use crate::layout::{Crumb, Page};
use crate::{format, render};

/// Publishable texts shown per action or commune.
const TEXTS_SHOWN: usize = 3;

pub fn routes() -> Router<AppState> {
    Router::new().route("/resultats", get(results))
}

/// One block of the page: an action or a commune.
struct Block {
    anchor: String,
    heading: String,
    heard: Vec<String>,
    quotes: Vec<String>,
    decided: Vec<PublicDecision>,
}

impl Block {
    fn is_empty(&self) -> bool {
        self.heard.is_empty() && self.quotes.is_empty() && self.decided.is_empty()
    }
}

async fn results(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let surveys = state.storage.surveys().await?;
    let voices = state.storage.public_voices().await?;
    let decisions = state.storage.public_decisions().await?;
    let actions = state.storage.action_titles().await?;
    let communes = state.storage.communes().await?;
    let survey_actions: HashMap<i64, Vec<i32>> = surveys
        .iter()
        .map(|s| (s.survey.id, s.survey.actions.clone()))
        .collect();

    let by_action: Vec<Block> = actions
        .into_iter()
        .map(|(number, title)| {
            let heard = surveys
                .iter()
                .filter(|s| s.survey.actions.contains(&number) && s.survey.response_count > 0)
                .map(|s| {
                    format!(
                        "« {} » : {}",
                        s.survey.title,
                        Audience::Public.count(s.survey.response_count).answers()
                    )
                })
                .collect();
            let quotes = voices
                .texts
                .iter()
                .filter(|(survey, _, _)| {
                    survey_actions
                        .get(survey)
                        .is_some_and(|a| a.contains(&number))
                })
                .take(TEXTS_SHOWN)
                .map(|(_, _, text)| text.clone())
                .collect();
            let decided = decisions
                .iter()
                .filter(|d| d.decision.action_number == number)
                .cloned()
                .collect();
            Block {
                anchor: format!("action-{number}"),
                heading: format!("Action {number} : {title}"),
                heard,
                quotes,
                decided,
            }
        })
        .filter(|b| !b.is_empty())
        .collect();

    let by_commune: Vec<Block> = communes
        .into_iter()
        .map(|commune| {
            let responses = voices
                .responses_by_commune
                .iter()
                .find(|(code, _)| *code == commune.code)
                .map_or(0, |(_, n)| *n);
            let heard = (responses > 0)
                .then(|| {
                    format!(
                        "{} d'habitants de la commune",
                        Audience::Public.count(responses).answers()
                    )
                })
                .into_iter()
                .collect();
            let quotes = voices
                .texts
                .iter()
                .filter(|(_, c, _)| *c == commune.code)
                .take(TEXTS_SHOWN)
                .map(|(_, _, t)| t.clone())
                .collect();
            let decided = decisions
                .iter()
                .filter(|d| d.communes.contains(&commune.code))
                .cloned()
                .collect();
            Block {
                anchor: format!("commune-{}", commune.code),
                heading: commune.label,
                heard,
                quotes,
                decided,
            }
        })
        .filter(|b| !b.is_empty())
        .collect();

    Ok(render::page(move || {
        view! {
            <Page title="Vous avez dit, nous avons fait".to_owned() breadcrumbs=vec![Crumb::link("Accueil", "/"), Crumb::here("Résultats")]>
                <h1>"Vous avez dit, nous avons fait"</h1>
                <p class="lead">"Ce que les habitants ont exprimé dans les questionnaires, et ce que la communauté de communes et ses partenaires ont décidé en retour, action par action et commune par commune."</p>
                <p class="muted">"Pour préserver l'anonymat, les nombres de 1 à 4 sont affichés « < 5 », et seules les réponses libres relues et jugées publiables apparaissent."</p>
                <nav aria-label="Sur cette page" class="filters">
                    <ul>
                        <li><a href="#par-action">"Par action"</a></li>
                        <li><a href="#par-commune">"Par commune"</a></li>
                    </ul>
                </nav>
                <h2 id="par-action">"Par action du plan"</h2>
                {blocks(by_action, "Rien encore à montrer.")}
                <h2 id="par-commune">"Par commune"</h2>
                {blocks(by_commune, "Rien encore à montrer.")}
            </Page>
        }
    }))
}

fn blocks(blocks: Vec<Block>, empty: &'static str) -> AnyView {
    if blocks.is_empty() {
        return view! { <p>{empty}</p> }.into_any();
    }
    blocks
        .into_iter()
        .map(|block| {
            view! {
                <section class="result" id=block.anchor>
                    <h3>{block.heading}</h3>
                    <h4>"Ce que vous avez dit"</h4>
                    {if block.heard.is_empty() && block.quotes.is_empty() {
                        view! { <p>"Pas encore de réponses."</p> }.into_any()
                    } else {
                        view! {
                            <ul>{block.heard.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                            {block.quotes.into_iter().map(|quote| view! { <blockquote>{quote}</blockquote> }).collect_view()}
                        }.into_any()
                    }}
                    <h4>"Ce qui a été décidé"</h4>
                    {if block.decided.is_empty() {
                        view! { <p>"Pas encore de décision."</p> }.into_any()
                    } else {
                        view! {
                            <ul>{block.decided.into_iter().map(|d| view! {
                                <li>
                                    {format!("{} ({}, {}) : ", d.decision.what, d.meeting_kind.label(), format::date(d.held_on))}
                                    <strong>{d.decision.status.label()}</strong>
                                </li>
                            }).collect_view()}</ul>
                        }.into_any()
                    }}
                </section>
            }
        })
        .collect_view()
        .into_any()
}
