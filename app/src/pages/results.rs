//! `/resultats`: "vous avez dit, nous avons fait". What residents said in each survey
//! (the main shares of each closed question, counts under 5 never shown nor deducible,
//! and only free text staff marked publishable), the needs that came out of it, and, for
//! each action and each commune, every decision next to the need and the words it
//! answers, with its state.

use std::collections::HashMap;

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use leptos::prelude::*;
use pouls::disclosure::Audience;
use pouls::needs::{Need, NeedStatus};
use pouls::storage::PublicDecision;
use pouls::survey::SurveyStatus;

use super::heard::{Heard, HeardList, by_question, heard};
use super::public::Public;
use crate::AppState;
use crate::error::AppError;
use crate::layout::{Crumb, Page};
use crate::{format, render};

/// Publishable texts shown per survey, need or commune.
const TEXTS_SHOWN: usize = 3;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/resultats", get(results))
        .route("/t/{slug}/resultats", get(results))
}

/// A survey: what was said, and the needs that came out of it.
struct Said {
    id: i64,
    title: String,
    answers: String,
    actions: Vec<i32>,
    questions: Vec<Heard>,
    quotes: Vec<String>,
    /// (title, status, the action whose decision answers it)
    needs: Vec<(String, NeedStatus, Option<i32>)>,
}

/// A need with the words it answers and the decisions taken on it.
#[derive(Clone)]
struct Answered {
    need: Need,
    quotes: Vec<String>,
    decisions: Vec<PublicDecision>,
}

/// An action or a commune: what was decided, need by need.
struct Decided {
    anchor: String,
    heading: String,
    link: Option<String>,
    surveys: Vec<(i64, String)>,
    needs: Vec<Answered>,
    /// Decisions that answer no particular need.
    others: Vec<PublicDecision>,
    quotes: Vec<String>,
}

impl Decided {
    fn is_empty(&self) -> bool {
        self.surveys.is_empty()
            && self.needs.is_empty()
            && self.others.is_empty()
            && self.quotes.is_empty()
    }
}

async fn results(
    Public {
        territory,
        base,
        name,
    }: Public,
) -> Result<Html<String>, AppError> {
    let surveys: Vec<_> = territory
        .surveys()
        .await?
        .into_iter()
        .filter(|s| s.survey.status != SurveyStatus::Draft && s.survey.response_count > 0)
        .collect();
    let totals = by_question(territory.question_totals().await?);
    let voices = territory.public_voices().await?;
    let links = territory.need_links().await?;
    let needs: HashMap<i64, Need> = territory
        .needs(None)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    let decisions = territory.public_decisions().await?;
    let actions = territory.action_titles().await?;
    let communes = territory.communes().await?;

    let quotes_of_need = |need: i64| -> Vec<String> {
        links
            .quotes
            .iter()
            .filter(|(n, _)| *n == need)
            .take(TEXTS_SHOWN)
            .map(|(_, text)| text.clone())
            .collect()
    };
    let answered = |need: &Need, decisions: Vec<PublicDecision>| Answered {
        need: need.clone(),
        quotes: quotes_of_need(need.id),
        decisions,
    };

    let mut said = Vec::with_capacity(surveys.len());
    for summary in &surveys {
        let Some(definition) = territory.survey_definition(summary.survey.id).await? else {
            continue;
        };
        let id = summary.survey.id;
        let came_out = links
            .surveys
            .iter()
            .filter(|(_, survey)| *survey == id)
            .filter_map(|(need, _)| needs.get(need))
            .map(|need| {
                let action = decisions
                    .iter()
                    .find(|d| d.decision.need_id == Some(need.id))
                    .map(|d| d.decision.action_number);
                (need.title.clone(), need.status, action)
            })
            .collect();
        said.push(Said {
            id,
            title: summary.survey.title.clone(),
            answers: Audience::Public
                .count(summary.survey.response_count)
                .answers(),
            actions: summary.survey.actions.clone(),
            questions: definition
                .questions
                .iter()
                .filter_map(|q| heard(q, &totals))
                .collect(),
            quotes: voices
                .texts
                .iter()
                .filter(|(survey, _, _)| *survey == id)
                .take(TEXTS_SHOWN)
                .map(|(_, _, text)| text.clone())
                .collect(),
            needs: came_out,
        });
    }

    // Needs answered by the decisions among `chosen`, in the order decisions come.
    let group = |chosen: Vec<&PublicDecision>| -> (Vec<Answered>, Vec<PublicDecision>) {
        let mut by_need: Vec<Answered> = Vec::new();
        let mut others = Vec::new();
        for d in chosen {
            match d.decision.need_id.and_then(|id| needs.get(&id)) {
                Some(need) => match by_need.iter_mut().find(|a| a.need.id == need.id) {
                    Some(existing) => existing.decisions.push(d.clone()),
                    None => by_need.push(answered(need, vec![d.clone()])),
                },
                None => others.push(d.clone()),
            }
        }
        (by_need, others)
    };

    let by_action: Vec<Decided> = actions
        .into_iter()
        .map(|(number, title)| {
            let (needs, others) = group(
                decisions
                    .iter()
                    .filter(|d| d.decision.action_number == number)
                    .collect(),
            );
            Decided {
                anchor: format!("action-{number}"),
                heading: format!("Action {number} : {title}"),
                link: Some(format!("{base}/plan/actions/{number}")),
                surveys: said
                    .iter()
                    .filter(|s| s.actions.contains(&number))
                    .map(|s| (s.id, s.title.clone()))
                    .collect(),
                needs,
                others,
                quotes: Vec::new(),
            }
        })
        .filter(|b| !b.is_empty())
        .collect();

    let by_commune: Vec<Decided> = communes
        .into_iter()
        .map(|commune| {
            let (needs, others) = group(
                decisions
                    .iter()
                    .filter(|d| d.communes.contains(&commune.code))
                    .collect(),
            );
            Decided {
                anchor: format!("commune-{}", commune.code),
                heading: commune.label,
                link: None,
                surveys: Vec::new(),
                needs,
                others,
                quotes: voices
                    .texts
                    .iter()
                    .filter(|(_, c, _)| *c == commune.code)
                    .take(TEXTS_SHOWN)
                    .map(|(_, _, t)| t.clone())
                    .collect(),
            }
        })
        .filter(|b| !b.is_empty())
        .collect();

    Ok(render::page(move || {
        view! {
            <Page title="Vous avez dit, nous avons fait".to_owned() breadcrumbs=vec![Crumb::link("Accueil", format!("{base}/")), Crumb::here("Résultats")] base=base.clone() territory=name.clone()>
                <h1>"Vous avez dit, nous avons fait"</h1>
                <p class="lead">"Ce que les habitants ont exprimé dans les questionnaires, les besoins qui en sont ressortis, et ce que la communauté de communes et ses partenaires ont décidé en retour."</p>
                <p class="muted">"Pour préserver l'anonymat, les choix de moins de 5 personnes sont regroupés et jamais détaillés, et seules les réponses libres relues et jugées publiables apparaissent."</p>
                <nav aria-label="Sur cette page" class="filters">
                    <ul>
                        <li><a href="#vous-avez-dit">"Ce que vous avez dit"</a></li>
                        <li><a href="#par-action">"Ce qui a été décidé, par action"</a></li>
                        <li><a href="#par-commune">"Par commune"</a></li>
                    </ul>
                </nav>
                <h2 id="vous-avez-dit">"Ce que vous avez dit"</h2>
                {if said.is_empty() { view! { <p>"Pas encore de réponses."</p> }.into_any() } else { said.into_iter().map(said_view).collect_view().into_any() }}
                <h2 id="par-action">"Ce qui a été décidé, action par action"</h2>
                {decided(by_action)}
                <h2 id="par-commune">"Commune par commune"</h2>
                {decided(by_commune)}
            </Page>
        }
    }))
}

fn said_view(said: Said) -> impl IntoView {
    let actions = said.actions.clone();
    view! {
        <section class="result" id=format!("enquete-{}", said.id)>
            <h3>{said.title}</h3>
            <p>
                {said.answers}
                {(!actions.is_empty()).then(|| view! {
                    " · pour "
                    {actions.into_iter().enumerate().map(|(i, n)| view! {
                        {(i > 0).then_some(", ")}<a href=format!("#action-{n}")>{format!("l'action {n}")}</a>
                    }).collect_view()}
                })}
            </p>
            <HeardList questions=said.questions/>
            {said.quotes.into_iter().map(|quote| view! { <blockquote>{quote}</blockquote> }).collect_view()}
            <h4>"Les besoins qui en sont ressortis"</h4>
            {if said.needs.is_empty() {
                view! { <p>"Pas encore de besoin qualifié à partir de ces réponses."</p> }.into_any()
            } else {
                view! {
                    <ul>{said.needs.into_iter().map(|(title, status, action)| view! {
                        <li>
                            {match action {
                                Some(n) => view! { <a href=format!("#action-{n}")>{title}</a> }.into_any(),
                                None => view! { {title} }.into_any(),
                            }}
                            {format!(" ({})", status.label().to_lowercase())}
                        </li>
                    }).collect_view()}</ul>
                }.into_any()
            }}
        </section>
    }
}

fn decided(blocks: Vec<Decided>) -> AnyView {
    if blocks.is_empty() {
        return view! { <p>"Rien encore à montrer."</p> }.into_any();
    }
    blocks
        .into_iter()
        .map(|block| {
            let nothing = block.needs.is_empty() && block.others.is_empty();
            view! {
                <section class="result" id=block.anchor>
                    <h3>{match block.link {
                        Some(href) => view! { <a href=href>{block.heading}</a> }.into_any(),
                        None => view! { {block.heading} }.into_any(),
                    }}</h3>
                    {(!block.surveys.is_empty()).then(|| view! {
                        <p>"Ce que vous avez dit : "{block.surveys.into_iter().enumerate().map(|(i, (id, title))| view! {
                            {(i > 0).then_some(", ")}<a href=format!("#enquete-{id}")>{format!("« {title} »")}</a>
                        }).collect_view()}</p>
                    })}
                    {block.quotes.into_iter().map(|quote| view! { <blockquote>{quote}</blockquote> }).collect_view()}
                    {block.needs.into_iter().map(need_view).collect_view()}
                    {(!block.others.is_empty()).then(|| view! {
                        <h4>"Autres décisions"</h4>
                        <DecisionList decisions=block.others/>
                    })}
                    {nothing.then(|| view! { <p>"Pas encore de décision."</p> })}
                </section>
            }
        })
        .collect_view()
        .into_any()
}

/// A need, the words it answers, and the decisions taken on it, side by side.
fn need_view(answered: Answered) -> impl IntoView {
    view! {
        <div class="loop">
            <h4>{format!("Besoin : {}", answered.need.title)}" "<span class="muted">{format!("({})", answered.need.status.label().to_lowercase())}</span></h4>
            <p>{answered.need.description}</p>
            {answered.quotes.into_iter().map(|quote| view! { <blockquote>{quote}</blockquote> }).collect_view()}
            <DecisionList decisions=answered.decisions/>
        </div>
    }
}

#[component]
fn DecisionList(decisions: Vec<PublicDecision>) -> impl IntoView {
    view! {
        <ul class="decisions">
            {decisions.into_iter().map(|d| view! {
                <li>
                    {format!("{} : ", d.decision.what)}
                    <strong>{d.decision.status.label()}</strong>
                    {format!(" (action {}, {}, {})", d.decision.action_number, d.meeting_kind.label(), format::date(d.held_on))}
                </li>
            }).collect_view()}
        </ul>
    }
}
