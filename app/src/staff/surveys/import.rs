//! Importing a CSV file of typed-in paper answers, and the empty template it starts from.

use std::collections::HashMap;

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use leptos::prelude::*;
use pouls::audit::{AuditAction, AuditEntry};
use pouls::domain::{FieldErrors, paris};
use pouls::export::Dialect;
use pouls::import::{DATE_COLUMN, ImportProblem, ImportTarget, parse_wide, template};
use pouls::survey::{CollectionDate, CollectionPoint, PointKind, SurveyDefinition};

use super::paper::{NoPaperPoint, survey};
use crate::error::AppError;
use crate::forms::{CsrfField, SelectField, TextField};
use crate::layout::{Crumb, Page};
use crate::staff::CurrentUser;
use crate::{AppState, format, render};

/// The form field of the file's collection day.
const DATE_FIELD: &str = "date_collecte";

/// The empty CSV a survey's paper answers are typed into.
pub(super) async fn import_template(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (definition, _) = survey(&state, &user, &id).await?;
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
    let (definition, points) = survey(&state, &user, &id).await?;
    Ok(import_page(
        user,
        definition,
        points,
        Typed::default(),
        None,
    ))
}

/// What an import did: problems (nothing written), or how many were stored.
enum Outcome {
    Problems(Vec<ImportProblem>),
    Stored { stored: u64, rows: usize },
    Refused(String),
}

/// The form's fields as sent, to show them again, and their errors.
#[derive(Default)]
struct Typed {
    point: String,
    date: String,
    errors: FieldErrors,
}

fn import_page(
    user: CurrentUser,
    definition: SurveyDefinition,
    points: Vec<CollectionPoint>,
    typed: Typed,
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
                            <h2>{format!("Le fichier contient {} : rien n'a été importé", format::plural(i64::try_from(problems.len()).unwrap_or(i64::MAX), "problème", "problèmes"))}</h2>
                            <ul>{problems.into_iter().map(|p| view! { <li>{p.to_string()}</li> }).collect_view()}</ul>
                            <p>"Corrigez le fichier et importez-le de nouveau."</p>
                        </div>
                    }.into_any(),
                    Outcome::Stored { stored, rows } => view! {
                        <p class="notice" role="status">{stored_notice(stored, rows)}</p>
                    }.into_any(),
                    Outcome::Refused(message) => view! { <div class="error-summary" role="alert"><p>{message}</p></div> }.into_any(),
                })}
                <h2>"1. Télécharger le modèle"</h2>
                <p>"Une ligne par questionnaire papier, une colonne par question (ou par option pour les choix multiples, 1 si cochée). Le livre de codes donne les codes des options ; les libellés sont acceptés aussi."</p>
                <p>{format!("La première colonne, « {DATE_COLUMN} », donne le jour où chaque questionnaire a été rempli (jj/mm/aaaa ou aaaa-mm-jj) : laissez-la vide pour les lignes de la date indiquée à l'import. Les réponses sont datées de ce jour, et non du jour de l'import.")}</p>
                <p>"Importer de nouveau un fichier, même complété ou remis dans un autre ordre, n'enregistre que les questionnaires qui ne l'ont pas encore été : une ligne est reconnue à ses réponses et à son jour de collecte, et deux lignes identiques d'un même fichier comptent pour deux questionnaires. Si deux fichiers différents peuvent contenir des questionnaires identiques, numérotez les questionnaires dans une colonne « id » (ou « identifiant ») : le numéro décide alors."</p>
                <form method="get" action=format!("/admin/enquetes/{id}/modele-import") class="inline-fields">
                    <SelectField name="dialecte" label="Format du modèle".to_owned() options=dialects/>
                    <button type="submit" class="secondary">"Télécharger le modèle vide"</button>
                </form>
                <p><a href=format!("/admin/enquetes/{id}/export?format=codebook")>"Télécharger le livre de codes"</a></p>
                <h2>"2. Importer le fichier rempli"</h2>
                {if paper.is_empty() {
                    view! { <NoPaperPoint survey_id=id/> }.into_any()
                } else {
                    view! {
                        <form method="post" action=format!("/admin/enquetes/{id}/import") enctype="multipart/form-data" class="stack narrow" novalidate>
                            <CsrfField token=user.csrf_token.clone()/>
                            <SelectField name="point" label="Point de collecte papier".to_owned() options=paper.clone() selected=typed.point.clone()/>
                            <TextField name=DATE_FIELD label="Date de collecte".to_owned() kind="date" value=typed.date.clone() error=typed.errors.get(DATE_FIELD)
                                hint=format!("Le jour où les questionnaires ont été remplis, pour les lignes dont la colonne « {DATE_COLUMN} » est vide ou absente.")/>
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

/// "3 lignes lues : 2 réponses importées, 1 déjà importée auparavant."
fn stored_notice(stored: u64, rows: usize) -> String {
    let stored = i64::try_from(stored).unwrap_or(i64::MAX);
    let rows = i64::try_from(rows).unwrap_or(i64::MAX);
    let before = rows - stored;
    let already = if before > 0 {
        format!(
            ", {} auparavant",
            format::plural(before, "déjà importée", "déjà importées")
        )
    } else {
        String::new()
    };
    format!(
        "{} : {}{already}.",
        format::plural(rows, "ligne lue", "lignes lues"),
        format::plural(stored, "réponse importée", "réponses importées")
    )
}

pub(super) async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let (definition, points) = survey(&state, &user, &id).await?;
    let mut typed = Typed::default();
    let mut file: Option<Vec<u8>> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("point") => typed.point = field.text().await.unwrap_or_default(),
            Some(DATE_FIELD) => typed.date = field.text().await.unwrap_or_default(),
            Some("fichier") => file = field.bytes().await.ok().map(|b| b.to_vec()),
            _ => {}
        }
    }
    let point = typed
        .point
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|pid| {
            points
                .iter()
                .find(|p| p.id == pid && p.kind == PointKind::Paper)
        })
        .cloned();
    let refuse = |message: &str| Outcome::Refused(message.to_owned());
    let outcome = match (point, file) {
        (None, _) => {
            refuse("Choisissez le point de collecte papier auquel rattacher les réponses.")
        }
        (_, None) => refuse("Choisissez le fichier à importer."),
        (_, Some(bytes)) if bytes.is_empty() => refuse("Le fichier est vide."),
        (Some(point), Some(bytes)) => {
            store(&state, &user, &definition, &point, &bytes, &mut typed).await?
        }
    };
    let status = match outcome {
        Outcome::Stored { .. } => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok((
        status,
        import_page(user, definition, points, typed, Some(outcome)),
    )
        .into_response())
}

/// Reads the file, dated by the day typed (if any), and stores it when every row is
/// right. A missing or wrong day is said next to its field.
async fn store(
    state: &AppState,
    user: &CurrentUser,
    definition: &SurveyDefinition,
    point: &CollectionPoint,
    bytes: &[u8],
    typed: &mut Typed,
) -> Result<Outcome, AppError> {
    let today = paris::today();
    let collected = match typed.date.trim() {
        "" => None,
        day => match CollectionDate::parse(day, &definition.survey, point, today) {
            Ok(day) => Some(day),
            Err(error) => {
                typed.errors.add(DATE_FIELD, error.0);
                return Ok(Outcome::Refused(
                    "La date de collecte n'est pas valable : rien n'a été importé.".to_owned(),
                ));
            }
        },
    };
    let target = ImportTarget {
        point,
        collected,
        today,
    };
    let rows = match parse_wide(definition, &target, bytes) {
        Ok(rows) => rows,
        Err(problems) => {
            if problems.iter().any(ImportProblem::is_missing_date) {
                typed.errors.add(
                    DATE_FIELD,
                    format!("Indiquez le jour où les questionnaires ont été remplis, ou remplissez la colonne « {DATE_COLUMN} » de chaque ligne."),
                );
            }
            return Ok(Outcome::Problems(problems));
        }
    };
    let count = rows.len();
    let rows: Vec<(String, i64, Vec<_>)> = rows
        .into_iter()
        .map(|r| (r.token, r.collected.unix(), r.answers))
        .collect();
    let stored = state
        .storage
        .insert_responses(definition, point, &rows)
        .await?;
    let detail = format!(
        "{} sur {}, point {}",
        format::plural(
            i64::try_from(stored).unwrap_or(i64::MAX),
            "réponse papier importée",
            "réponses papier importées"
        ),
        format::plural(i64::try_from(count).unwrap_or(i64::MAX), "ligne", "lignes"),
        point.code
    );
    let entry = AuditEntry::new(&user.actor(), AuditAction::ResponsesImported)
        .object("survey", definition.survey.id)
        .detail(detail);
    state.storage.audit(&entry).await?;
    Ok(Outcome::Stored {
        stored,
        rows: count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_agrees_with_its_counts() {
        assert_eq!(stored_notice(1, 1), "1 ligne lue : 1 réponse importée.");
        assert_eq!(
            stored_notice(2, 3),
            "3 lignes lues : 2 réponses importées, 1 déjà importée auparavant."
        );
        assert_eq!(
            stored_notice(0, 20),
            "20 lignes lues : 0 réponse importée, 20 déjà importées auparavant."
        );
    }
}
