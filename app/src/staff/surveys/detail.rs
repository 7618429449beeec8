//! One survey as its builder sees it: details, questions, collection points, and the
//! buttons that open, close, duplicate or delete it.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use pouls::storage::SurveyChange;
use pouls::survey::{CollectionPoint, PointKind, QuestionKind, SurveyDefinition, SurveyStatus};

use super::paper::NoPaperPoint;
use super::{find_survey, parse_id};
use crate::error::AppError;
use crate::forms::{CsrfField, FormErrors};
use crate::layout::{Crumb, Page};
use crate::resident::{FormState, SurveyForm};
use crate::staff::CurrentUser;
use crate::staff::exports::ResponsesExportForm;
use crate::tables::TableScroll;
use crate::{AppState, format, render};

/// Messages after a redirect: what was done, or why it was refused.
fn notice(query: &HashMap<String, String>) -> Option<(bool, &'static str)> {
    if let Some(done) = query.get("fait") {
        return Some((
            true,
            match done.as_str() {
                "creee" => "L'enquête a été créée. Ajoutez ses questions, puis ouvrez-la.",
                "modifiee" => "L'enquête a été modifiée.",
                "ouverte" => {
                    "L'enquête est ouverte : elle reçoit des réponses entre ses dates d'ouverture et de clôture."
                }
                "fermee" => "L'enquête est fermée : elle ne reçoit plus de réponses.",
                "dupliquee" => {
                    "Voici la copie, en brouillon. Vérifiez ses dates et ses points de collecte."
                }
                "question" => "La question a été enregistrée.",
                "question-supprimee" => "La question a été supprimée.",
                "point" => "Le point de collecte a été enregistré.",
                _ => return None,
            },
        ));
    }
    query.get("erreur").map(|error| {
        (false, match error.as_str() {
            "sans-question" => "Impossible d'ouvrir une enquête sans question.",
            "pas-brouillon" => "Seul un brouillon peut être supprimé. Fermez plutôt l'enquête.",
            "reponses" => "Impossible : l'enquête a déjà des réponses. Vous pouvez corriger le libellé des questions et des options, ajouter des questions, mais pas en supprimer.",
            "dependance" => "Impossible : d'autres questions dépendent de la réponse à celle-ci. Modifiez d'abord leur condition.",
            "ordre" => "Impossible : une question doit rester après celle dont elle dépend.",
            _ => "L'action n'a pas pu être faite.",
        })
    })
}

pub(super) async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let definition = find_survey(&state, &user, &id).await?;
    let points = user.territory(&state).points(definition.survey.id).await?;
    let communes = user.territory(&state).communes().await?;
    let commune_names: HashMap<String, String> =
        communes.into_iter().map(|c| (c.code, c.label)).collect();
    let message = notice(&query);
    Ok(render::page(move || {
        let survey = definition.survey.clone();
        let base = format!("/admin/enquetes/{}", survey.id);
        let csrf = user.csrf_token.clone();
        let has_responses = survey.response_count > 0;
        let has_paper = points.iter().any(|p| p.kind == PointKind::Paper);
        let status_button = match survey.status {
            SurveyStatus::Open => ("fermer", "Fermer l'enquête"),
            _ => ("ouvrir", "Ouvrir l'enquête"),
        };
        view! {
            <Page
                title=survey.title.clone()
                staff=user.nav()
                breadcrumbs=vec![Crumb::link("Tableau de bord", "/admin"), Crumb::link("Enquêtes", "/admin/enquetes"), Crumb::here(survey.title.clone())]
            >
                <h1>{survey.title.clone()}</h1>
                {message.map(|(ok, text)| if ok {
                    view! { <p class="notice" role="status">{text}</p> }.into_any()
                } else {
                    view! { <p class="error-summary" role="alert">{text}</p> }.into_any()
                })}
                <dl class="facts">
                    <dt>"État"</dt><dd>{survey.status.label()}</dd>
                    <dt>"Dates"</dt><dd>{format!("du {} au {}", format::date(survey.opens_on), format::date(survey.closes_on))}</dd>
                    <dt>"Conservation"</dt><dd>{format!("jusqu'au {}", format::date(survey.retention_until))}</dd>
                    <dt>"Actions du plan"</dt><dd>{survey.actions.iter().map(|n| format!("action {n}")).collect::<Vec<_>>().join(", ")}</dd>
                    <dt>"Réponses"</dt><dd>{format::integer(survey.response_count)}</dd>
                </dl>
                {(survey.status == SurveyStatus::Draft).then(|| view! { <p class="notice">{draft_notice(survey.opens_on)}</p> })}
                <ul class="button-row">
                    <li><a class="button secondary" href=format!("{base}/modifier")>"Modifier les informations"</a></li>
                    <li><a class="button secondary" href=format!("{base}/apercu")>"Aperçu"</a></li>
                    <li><a class="button secondary" href=format!("{base}/resultats")>"Résultats"</a></li>
                    <li><a class="button secondary" href=format!("{base}/papier")>"Version papier"</a></li>
                    <li><a class="button secondary" href=format!("{base}/saisie")>"Saisir des réponses papier"</a></li>
                    <li><a class="button secondary" href=format!("{base}/import")>"Importer des réponses papier"</a></li>
                    <li><PostButton action=format!("{base}/{}", status_button.0) label=status_button.1 csrf=csrf.clone()/></li>
                    <li><PostButton action=format!("{base}/dupliquer") label="Dupliquer" csrf=csrf.clone()/></li>
                    {(survey.status == SurveyStatus::Draft && !has_responses).then(|| view! {
                        <li><PostButton action=format!("{base}/supprimer") label="Supprimer le brouillon" csrf=csrf.clone()/></li>
                    })}
                </ul>
                {(!has_paper).then(|| view! { <NoPaperPoint survey_id=survey.id/> })}
                <h2>"Questions"</h2>
                <QuestionList definition=definition.clone() csrf=csrf.clone() has_responses/>
                <form method="get" action=format!("{base}/questions/nouvelle") class="inline-fields">
                    <div class="field">
                        <label for="champ-type">"Type de la nouvelle question"</label>
                        <select id="champ-type" name="type">
                            {QuestionKind::ALL.iter().map(|kind| view! { <option value=kind.code()>{kind.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <button type="submit">"Ajouter une question"</button>
                </form>
                <h2>"Points de collecte"</h2>
                <PointTable points commune_names/>
                <p><a class="button secondary" href=format!("{base}/points/nouveau")>"Ajouter un point de collecte"</a></p>
                <h2>"Exporter les réponses"</h2>
                <ResponsesExportForm survey_id=survey.id values=HashMap::new() errors=FormErrors::default()/>
            </Page>
        }
    }))
}

/// A draft never opens by itself, whatever its opening date says.
fn draft_notice(opens_on: time::Date) -> String {
    if opens_on > pouls::domain::paris::today() {
        format!(
            "Brouillon : ouvrez-le quand il est prêt ; ouverture prévue le {}.",
            format::date(opens_on)
        )
    } else {
        format!(
            "Brouillon : ouvrez-le quand il est prêt ; sa date d'ouverture prévue ({}) est passée, il recevra des réponses dès que vous l'ouvrirez.",
            format::date(opens_on)
        )
    }
}

/// A button that posts (with the CSRF token) to `action`. `context` is read by screen
/// readers after the label ("Monter" + "Q3"), so that buttons repeated in a list each
/// have a distinct name that still starts with what is shown (RGAA 11.9, WCAG 2.5.3).
#[component]
pub(crate) fn PostButton(
    action: String,
    label: &'static str,
    csrf: String,
    #[prop(optional)] context: Option<String>,
) -> impl IntoView {
    view! {
        <form method="post" action=action class="inline-form">
            <CsrfField token=csrf/>
            <button type="submit" class="secondary">
                {label}
                {context.map(|c| view! { <span class="visually-hidden">{format!(" {c}")}</span> })}
            </button>
        </form>
    }
}

#[component]
fn QuestionList(definition: SurveyDefinition, csrf: String, has_responses: bool) -> impl IntoView {
    if definition.questions.is_empty() {
        return view! { <p>"Pas encore de question."</p> }.into_any();
    }
    let base = format!("/admin/enquetes/{}/questions", definition.survey.id);
    let count = definition.questions.len();
    view! {
        <ol class="question-list">
            {definition
                .questions
                .iter()
                .enumerate()
                .map(|(index, question)| {
                    let q = format!("{base}/{}", question.id);
                    let condition = question
                        .condition
                        .as_ref()
                        .and_then(|c| definition.describe_condition(c).map(|(label, option)| format!("Si « {label} » = « {option} »")));
                    view! {
                        <li class="question-item">
                            <p><strong>{format!("{} · {}", question.code, question.label)}</strong></p>
                            <p class="muted">
                                {question.kind.label()}
                                {if question.required { " · obligatoire" } else { " · facultative" }}
                                {condition.map(|c| format!(" · {c}"))}
                            </p>
                            <div class="button-row">
                                <a href=q.clone()>{format!("Modifier {}", question.code)}</a>
                                {(index > 0).then(|| view! { <PostButton action=format!("{q}/monter") label="Monter" csrf=csrf.clone() context=question.code.clone()/> })}
                                {(index + 1 < count).then(|| view! { <PostButton action=format!("{q}/descendre") label="Descendre" csrf=csrf.clone() context=question.code.clone()/> })}
                                {(!has_responses).then(|| view! { <PostButton action=format!("{q}/supprimer") label="Supprimer" csrf=csrf.clone() context=question.code.clone()/> })}
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

#[component]
fn PointTable(
    points: Vec<CollectionPoint>,
    commune_names: HashMap<String, String>,
) -> impl IntoView {
    view! {
        <TableScroll label="Points de collecte de l'enquête">
            <table>
                <caption class="visually-hidden">"Points de collecte de l'enquête"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Point"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Commune"</th>
                        <th scope="col">"Code"</th>
                        <th scope="col" class="number">"Réponses"</th>
                    </tr>
                </thead>
                <tbody>
                    {points
                        .into_iter()
                        .map(|p| {
                            let commune = p.commune.as_ref().and_then(|c| commune_names.get(c).cloned()).unwrap_or_default();
                            view! {
                                <tr>
                                    <td>
                                        <a href=format!("/admin/points/{}", p.id)>{p.label.clone()}</a>
                                        {(p.kind == PointKind::Paper).then(|| view! {
                                            " · "<a href=format!("/admin/points/{}/saisie", p.id)>"Saisir des réponses papier"<span class="visually-hidden">{format!(" ({})", p.label)}</span></a>
                                        })}
                                    </td>
                                    <td>{p.kind.label()}</td>
                                    <td>{commune}</td>
                                    <td><code>{p.code.to_string()}</code></td>
                                    <td class="number">{format::integer(p.response_count)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableScroll>
    }
}

pub(super) async fn preview(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let definition = find_survey(&state, &user, &id).await?;
    let back = format!("/admin/enquetes/{}", definition.survey.id);
    Ok(render::page(move || {
        let title = definition.survey.title.clone();
        let intro = definition.survey.intro.clone();
        view! {
            <Page title=format!("Aperçu : {title}") staff=user.nav()>
                <p class="notice">"Aperçu de ce que voient les habitants. "<a href=back>"Retour à l'enquête"</a></p>
                <h1>{title}</h1>
                <p class="lead">{intro}</p>
                <SurveyForm definition action=None state=FormState::default()/>
            </Page>
        }
    }))
}

fn after(id: i64, change: SurveyChange, done: &str) -> Result<Response, AppError> {
    let query = match change {
        SurveyChange::Done => format!("fait={done}"),
        SurveyChange::NotFound => return Err(AppError::NotFound),
        SurveyChange::NoQuestions => "erreur=sans-question".to_owned(),
        SurveyChange::NotADraft => "erreur=pas-brouillon".to_owned(),
        SurveyChange::HasResponses => "erreur=reponses".to_owned(),
    };
    Ok(Redirect::to(&format!("/admin/enquetes/{id}?{query}")).into_response())
}

pub(super) async fn open(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let change = user
        .territory(&state)
        .set_survey_status(id, SurveyStatus::Open, &user.actor())
        .await?;
    after(id, change, "ouverte")
}

pub(super) async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let change = user
        .territory(&state)
        .set_survey_status(id, SurveyStatus::Closed, &user.actor())
        .await?;
    after(id, change, "fermee")
}

pub(super) async fn duplicate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let copy = user
        .territory(&state)
        .duplicate_survey(parse_id(&id)?, &user.actor())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&format!("/admin/enquetes/{copy}?fait=dupliquee")).into_response())
}

pub(super) async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    match user
        .territory(&state)
        .delete_survey_draft(id, &user.actor())
        .await?
    {
        SurveyChange::Done => Ok(Redirect::to("/admin/enquetes").into_response()),
        change => after(id, change, ""),
    }
}
