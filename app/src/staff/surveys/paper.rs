//! Paper: the printable questionnaire, the screen to type paper answers in, and the
//! import of a CSV of typed-in answers.

use std::collections::HashMap;

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use pouls::audit::{AuditAction, AuditEntry};
use pouls::auth::random_token;
use pouls::export::Dialect;
use pouls::import::{ImportProblem, parse_wide, template};
use pouls::survey::{
    CollectionPoint, FormValues, PointKind, Question, QuestionKind, SurveyDefinition,
    validate_submission,
};

use super::{find_survey, parse_id};
use crate::error::AppError;
use crate::forms::{CsrfField, SelectField};
use crate::layout::{Crumb, Page};
use crate::resident::{FormState, SurveyForm};
use crate::staff::CurrentUser;
use crate::urlencoded::Form;
use crate::{AppState, format, render};

async fn survey(
    state: &AppState,
    id: &str,
) -> Result<(SurveyDefinition, Vec<CollectionPoint>), AppError> {
    let definition = find_survey(state, id).await?;
    let points = state.storage.points(definition.survey.id).await?;
    Ok((definition, points))
}

/// The printable questionnaire of a survey, for one of its collection points (its paper
/// point by default): boxes to tick, lines to write on, the point's code and QR code.
pub(super) async fn paper(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let (definition, points) = survey(&state, &id).await?;
    let point = query
        .get("point")
        .and_then(|code| {
            points
                .iter()
                .find(|p| p.code.as_str() == code.to_lowercase())
        })
        .or_else(|| points.iter().find(|p| p.kind == PointKind::Paper))
        .or_else(|| points.first())
        .cloned()
        .ok_or(AppError::NotFound)?;
    let url = format!("{}/q/{}", state.site.public_url, point.code);
    let qr = pouls::qr::svg(&url, &format!("QR code vers {url}"))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let retention = format::date(definition.survey.retention_until);
    Ok(render::page(move || {
        let survey = definition.survey.clone();
        view! {
            <Page title=format!("Questionnaire papier : {}", survey.title) staff=user.nav() class="paper">
                <p class="screen-only notice">"Imprimez cette page (format A4). Les réponses se saisissent ensuite dans « Saisir des réponses papier » ou s'importent en CSV."</p>
                <header class="paper-head">
                    <div>
                        <h1>{survey.title.clone()}</h1>
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
                <p class="paper-foot">{format!("Point de collecte : {} ({}). Merci de votre participation !", point.label, point.code)}</p>
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

fn paper_point(points: &[CollectionPoint], pid: i64) -> Result<CollectionPoint, AppError> {
    points
        .iter()
        .find(|p| p.id == pid && p.kind == PointKind::Paper)
        .cloned()
        .ok_or(AppError::NotFound)
}

/// The entry screen: the resident form, posting to the paper point, one sheet after another.
pub(super) async fn entry_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(pid): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let point = state
        .storage
        .point(parse_id(&pid)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let (definition, points) = survey(&state, &point.survey_id.to_string()).await?;
    let point = paper_point(&points, point.id)?;
    let entered = query.get("saisie").and_then(|n| n.parse::<i64>().ok());
    let state_form = FormState {
        token: random_token()[..32].to_owned(),
        ..FormState::default()
    };
    Ok(entry_page(user, point, definition, state_form, entered))
}

fn entry_page(
    user: CurrentUser,
    point: CollectionPoint,
    definition: SurveyDefinition,
    form: FormState,
    entered: Option<i64>,
) -> Html<String> {
    let action = format!("/admin/points/{}/saisie", point.id);
    let csrf = user.csrf_token.clone();
    render::page(move || {
        let title = format!("Saisie papier : {}", definition.survey.title);
        view! {
            <Page title=title.clone() staff=user.nav() breadcrumbs=vec![Crumb::link("Enquêtes", "/admin/enquetes"), Crumb::here("Saisie papier")]>
                <h1>{title.clone()}</h1>
                <p>{format!("Point de collecte : {} ({}). Chaque réponse est enregistrée avec le canal « papier ».", point.label, point.code)}</p>
                {entered.map(|n| view! { <p class="notice" role="status">{format!("Réponse enregistrée ({n} réponse(s) pour ce point). Le formulaire est prêt pour la feuille suivante.")}</p> })}
                <div class="entry-form">
                    <SurveyForm definition action=Some(action) state=form csrf=Some(csrf)/>
                </div>
            </Page>
        }
    })
}

pub(super) async fn enter(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(pid): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let point = state
        .storage
        .point(parse_id(&pid)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let (definition, points) = survey(&state, &point.survey_id.to_string()).await?;
    let point = paper_point(&points, point.id)?;
    let values = FormValues::from_pairs(fields);
    let token = Some(values.first("jeton"))
        .filter(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .map_or_else(|| random_token()[..32].to_owned(), str::to_owned);
    match validate_submission(&definition, &values) {
        Ok(answers) => {
            state
                .storage
                .submit_paper_response(&definition, &point, &token, &answers)
                .await?;
            let entry = AuditEntry::new(&user.actor(), AuditAction::PaperResponseEntered)
                .object("collection_point", point.code.as_str());
            state.storage.audit(&entry).await?;
            let count = state
                .storage
                .point(point.id)
                .await?
                .map_or(0, |p| p.response_count);
            Ok(
                Redirect::to(&format!("/admin/points/{}/saisie?saisie={count}", point.id))
                    .into_response(),
            )
        }
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            entry_page(
                user,
                point,
                definition,
                FormState {
                    token,
                    values,
                    errors,
                },
                None,
            ),
        )
            .into_response()),
    }
}

/// The empty CSV a survey's paper answers are typed into.
pub(super) async fn import_template(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (definition, _) = survey(&state, &id).await?;
    let dialect = query
        .get("dialecte")
        .and_then(|d| Dialect::parse(d).ok())
        .unwrap_or_default();
    let disposition = format!(
        "attachment; filename=\"modele-enquete-{}.csv\"",
        definition.survey.id
    );
    Ok((
        [
            (header::CONTENT_TYPE, dialect.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        template(&definition, dialect),
    )
        .into_response())
}

pub(super) async fn import_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let (definition, points) = survey(&state, &id).await?;
    Ok(import_page(user, definition, points, None))
}

/// What an import did: problems (nothing written), or how many were stored.
enum Outcome {
    Problems(Vec<ImportProblem>),
    Stored { stored: u64, rows: usize },
    Refused(String),
}

fn import_page(
    user: CurrentUser,
    definition: SurveyDefinition,
    points: Vec<CollectionPoint>,
    outcome: Option<Outcome>,
) -> Html<String> {
    let paper: Vec<(String, String)> = points
        .iter()
        .filter(|p| p.kind == PointKind::Paper)
        .map(|p| (p.id.to_string(), format!("{} ({})", p.label, p.code)))
        .collect();
    let id = definition.survey.id;
    render::page(move || {
        let title = format!("Importer des réponses papier : {}", definition.survey.title);
        let dialects: Vec<(String, String)> = Dialect::ALL
            .iter()
            .map(|d| (d.code().to_owned(), d.label().to_owned()))
            .collect();
        view! {
            <Page title=title.clone() staff=user.nav() breadcrumbs=vec![Crumb::link("Enquêtes", "/admin/enquetes"), Crumb::link(definition.survey.title.clone(), format!("/admin/enquetes/{id}")), Crumb::here("Import")]>
                <h1>{title.clone()}</h1>
                {outcome.map(|outcome| match outcome {
                    Outcome::Problems(problems) => view! {
                        <div class="error-summary" id="erreurs" role="alert" tabindex="-1" autofocus>
                            <h2>{format!("Le fichier contient {} problème(s) : rien n'a été importé", problems.len())}</h2>
                            <ul>{problems.into_iter().map(|p| view! { <li>{p.to_string()}</li> }).collect_view()}</ul>
                            <p>"Corrigez le fichier et importez-le de nouveau."</p>
                        </div>
                    }.into_any(),
                    Outcome::Stored { stored, rows } => view! {
                        <p class="notice" role="status">{format!("{rows} ligne(s) lue(s) : {stored} réponse(s) importée(s){}.", if (stored as usize) < rows { format!(", {} déjà importée(s) auparavant", rows - stored as usize) } else { String::new() })}</p>
                    }.into_any(),
                    Outcome::Refused(message) => view! { <div class="error-summary" role="alert"><p>{message}</p></div> }.into_any(),
                })}
                <h2>"1. Télécharger le modèle"</h2>
                <p>"Une ligne par questionnaire papier, une colonne par question (ou par option pour les choix multiples, 1 si cochée). Le livre de codes donne les codes des options ; les libellés sont acceptés aussi."</p>
                <p>"Importer de nouveau un fichier, même complété ou remis dans un autre ordre, n'enregistre que les questionnaires qui ne l'ont pas encore été : une ligne est reconnue à ses réponses, et deux lignes identiques d'un même fichier comptent pour deux questionnaires. Si deux fichiers différents peuvent contenir des questionnaires identiques, numérotez les questionnaires dans une colonne « id » (ou « identifiant ») : le numéro décide alors."</p>
                <form method="get" action=format!("/admin/enquetes/{id}/modele-import") class="inline-fields">
                    <SelectField name="dialecte" label="Format du modèle".to_owned() options=dialects/>
                    <button type="submit" class="secondary">"Télécharger le modèle vide"</button>
                </form>
                <p><a href=format!("/admin/enquetes/{id}/export?format=codebook")>"Télécharger le livre de codes"</a></p>
                <h2>"2. Importer le fichier rempli"</h2>
                {if paper.is_empty() {
                    view! { <p>"Créez d'abord un point de collecte de type « Papier » pour cette enquête : les réponses importées y seront rattachées."</p> }.into_any()
                } else {
                    view! {
                        <form method="post" action=format!("/admin/enquetes/{id}/import") enctype="multipart/form-data" class="stack narrow">
                            <CsrfField token=user.csrf_token.clone()/>
                            <SelectField name="point" label="Point de collecte papier".to_owned() options=paper.clone()/>
                            <div class="field">
                                <label for="champ-fichier">"Fichier CSV (50 Mo au plus)"</label>
                                <input type="file" id="champ-fichier" name="fichier" accept=".csv,text/csv"/>
                            </div>
                            <button type="submit">"Importer"</button>
                        </form>
                    }.into_any()
                }}
            </Page>
        }
    })
}

pub(super) async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let (definition, points) = survey(&state, &id).await?;
    let mut point_id = None;
    let mut file: Option<Vec<u8>> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("point") => point_id = field.text().await.ok().and_then(|v| v.parse::<i64>().ok()),
            Some("fichier") => file = field.bytes().await.ok().map(|b| b.to_vec()),
            _ => {}
        }
    }
    let refuse = |message: &str| Outcome::Refused(message.to_owned());
    let point = point_id
        .and_then(|pid| {
            points
                .iter()
                .find(|p| p.id == pid && p.kind == PointKind::Paper)
        })
        .cloned();
    let outcome = match (point, file) {
        (None, _) => {
            refuse("Choisissez le point de collecte papier auquel rattacher les réponses.")
        }
        (_, None) => refuse("Choisissez le fichier à importer."),
        (_, Some(bytes)) if bytes.is_empty() => refuse("Le fichier est vide."),
        (Some(point), Some(bytes)) => match parse_wide(&definition, point.id, &bytes) {
            Err(problems) => Outcome::Problems(problems),
            Ok(rows) => {
                let count = rows.len();
                let now = time::OffsetDateTime::now_utc().unix_timestamp();
                let rows: Vec<(String, i64, Vec<_>)> = rows
                    .into_iter()
                    .map(|r| (r.token, now, r.answers))
                    .collect();
                let stored = state
                    .storage
                    .insert_responses(&definition, &point, &rows)
                    .await?;
                let entry = AuditEntry::new(&user.actor(), AuditAction::ResponsesImported)
                    .object("survey", definition.survey.id)
                    .detail(format!(
                        "{stored} réponse(s) papier importée(s) sur {count} ligne(s), point {}",
                        point.code
                    ));
                state.storage.audit(&entry).await?;
                Outcome::Stored {
                    stored,
                    rows: count,
                }
            }
        },
    };
    let status = match outcome {
        Outcome::Stored { .. } => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok((status, import_page(user, definition, points, Some(outcome))).into_response())
}
