//! Paper: the printable questionnaire of a collection point, and the way to the screens
//! that type paper answers in ([`entry`](super::entry)) or import them
//! ([`import`](super::import)), which need a paper collection point.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use pouls::survey::{CollectionPoint, PointKind, Question, QuestionKind, SurveyDefinition};

use super::find_survey;
use crate::error::AppError;
use crate::forms::SelectField;
use crate::layout::{Crumb, Page};
use crate::staff::CurrentUser;
use crate::{AppState, format, render};

pub(super) async fn survey(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<(SurveyDefinition, Vec<CollectionPoint>), AppError> {
    let definition = find_survey(state, user, id).await?;
    let points = user.territory(state).points(definition.survey.id).await?;
    Ok((definition, points))
}

/// Where staff create the paper point a survey lacks.
pub(super) fn new_paper_point(survey_id: i64) -> String {
    format!("/admin/enquetes/{survey_id}/points/nouveau?type=papier")
}

/// What a survey without a paper point needs said, wherever paper is offered.
#[component]
pub(super) fn NoPaperPoint(survey_id: i64) -> impl IntoView {
    view! {
        <div class="notice">
            <p>"Cette enquête n'a pas encore de point de collecte « Papier ». Il en faut un pour saisir ou importer des questionnaires papier : la feuille imprimée porte son code, et les réponses y sont rattachées, datées du jour de la collecte."</p>
            <p><a class="button" href=new_paper_point(survey_id)>"Créer un point de collecte papier"</a></p>
        </div>
    }
}

/// The printable questionnaire of a survey, for one of its collection points (its first
/// paper point unless staff choose another): boxes to tick, lines to write on, the
/// point's code and QR code.
pub(super) async fn paper(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let (definition, points) = survey(&state, &user, &id).await?;
    let has_paper = points.iter().any(|p| p.kind == PointKind::Paper);
    let point = query
        .get("point")
        .and_then(|code| {
            points
                .iter()
                .find(|p| p.code.as_str() == code.trim().to_lowercase())
        })
        .or_else(|| points.iter().find(|p| p.kind == PointKind::Paper))
        .or_else(|| points.first())
        .cloned()
        .ok_or(AppError::NotFound)?;
    let url = format!("{}/q/{}", state.site.public_url, point.code);
    let qr = pouls::qr::svg(&url, &format!("QR code vers {url}"))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let retention = format::date(definition.survey.retention_until);
    // Paper points first: they are what a paper version is for.
    let mut choices: Vec<&CollectionPoint> = points.iter().collect();
    choices.sort_by_key(|p| p.kind != PointKind::Paper);
    let choices: Vec<(String, String)> = choices
        .into_iter()
        .map(|p| {
            (
                p.code.to_string(),
                format!("{} ({}, code {})", p.label, p.kind.label(), p.code),
            )
        })
        .collect();
    Ok(render::page(move || {
        let survey = definition.survey.clone();
        view! {
            <Page title=format!("Questionnaire papier : {}", survey.title) staff=user.nav() class="paper">
                <div class="screen-only">
                    <p class="notice">"Imprimez cette page (format A4). Les réponses se saisissent ensuite dans « Saisir des réponses papier » ou s'importent en CSV, avec le jour de la collecte."</p>
                    {(!has_paper).then(|| view! { <NoPaperPoint survey_id=survey.id/> })}
                    <form method="get" action=format!("/admin/enquetes/{}/papier", survey.id) class="inline-fields">
                        <SelectField name="point" label="Point de collecte imprimé sur la feuille".to_owned() options=choices.clone() selected=point.code.to_string()/>
                        <button type="submit" class="secondary">"Afficher"</button>
                    </form>
                </div>
                <header class="paper-head">
                    <div>
                        <h1>{format::no_break_spaces(&survey.title)}</h1>
                        <p>{survey.intro.clone()}</p>
                        <p class="muted">{format!("Anonyme : n'écrivez ni votre nom ni votre adresse. Réponses conservées jusqu'au {retention}.")}</p>
                    </div>
                    <div class="paper-qr">
                        <div inner_html=qr></div>
                        <p>{format!("Ou en ligne : code {}", point.code)}</p>
                    </div>
                </header>
                <p>"Cochez une case par réponse, sauf mention « plusieurs réponses possibles »."</p>
                <ol class="paper-questions">
                    {definition.questions.iter().map(|q| view! { <PaperQuestion question=q.clone() definition=definition.clone()/> }).collect_view()}
                </ol>
                <p class="paper-foot">{format!("Point de collecte : {} (code {}). Merci de votre participation !", point.label, point.code)}</p>
            </Page>
        }
    }))
}

#[component]
fn PaperQuestion(question: Question, definition: SurveyDefinition) -> impl IntoView {
    let condition = question
        .condition
        .as_ref()
        .and_then(|c| definition.describe_condition(c))
        .map(|(label, option)| {
            format!("Seulement si vous avez répondu « {option} » à « {label} ».")
        });
    let hint = match question.kind {
        QuestionKind::Multiple => Some(question.max_choices.map_or_else(
            || "Plusieurs réponses possibles.".to_owned(),
            |m| format!("Plusieurs réponses possibles, {m} au plus."),
        )),
        QuestionKind::Scale => Some(format!(
            "1 : {} ; 5 : {}",
            question.scale_min_label, question.scale_max_label
        )),
        _ => None,
    };
    let answer = match question.kind {
        kind if kind.has_options() => {
            let class = if matches!(kind, QuestionKind::Commune | QuestionKind::Public) {
                "paper-options columns"
            } else {
                "paper-options"
            };
            view! {
                <ul class=class>
                    {question.options.iter().map(|o| view! { <li><span class="box" aria-hidden="true"></span>{o.label.clone()}</li> }).collect_view()}
                </ul>
            }
            .into_any()
        }
        QuestionKind::LongText => {
            view! { <div class="lines long" aria-hidden="true"></div> }.into_any()
        }
        _ => view! { <div class="lines" aria-hidden="true"></div> }.into_any(),
    };
    view! {
        <li class="paper-question">
            <p class="question-label">{question.label.clone()}{(!question.required).then_some(" (facultatif)")}</p>
            {condition.map(|c| view! { <p class="condition">{c}</p> })}
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            {answer}
        </li>
    }
}

/// "Saisir des réponses papier" from the survey's page: straight to the entry screen of
/// its paper point, a choice when it has several, and when it has none, why one is
/// needed and the way to create it.
pub(super) async fn entry_start(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (definition, points) = survey(&state, &user, &id).await?;
    let paper: Vec<CollectionPoint> = points
        .into_iter()
        .filter(|p| p.kind == PointKind::Paper)
        .collect();
    if let [only] = paper.as_slice() {
        return Ok(Redirect::to(&format!("/admin/points/{}/saisie", only.id)).into_response());
    }
    let survey = definition.survey;
    let page = render::page(move || {
        let title = format!("Saisir des réponses papier : {}", survey.title);
        view! {
            <Page title=title.clone() staff=user.nav() breadcrumbs=vec![Crumb::link("Enquêtes", "/admin/enquetes"), Crumb::link(survey.title.clone(), format!("/admin/enquetes/{}", survey.id)), Crumb::here("Saisie papier")]>
                <h1>{title.clone()}</h1>
                {if paper.is_empty() {
                    view! { <NoPaperPoint survey_id=survey.id/> }.into_any()
                } else {
                    view! {
                        <p>"Choisissez le point de collecte papier des questionnaires à saisir :"</p>
                        <ul class="link-list">
                            {paper.iter().map(|p| view! {
                                <li><a href=format!("/admin/points/{}/saisie", p.id)>{format!("{} (code {})", p.label, p.code)}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Page>
        }
    });
    Ok(page.into_response())
}
