//! CSV exports: a survey's responses (streamed as they are read), its aggregated results,
//! and the indicators, field reports, needs and decisions. Every export is audited.

use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use futures_util::{StreamExt as _, stream};
use leptos::prelude::*;
use pouls::audit::{AuditAction, AuditEntry};
use pouls::disclosure::Audience;
use pouls::domain::DateRange;
use pouls::domain::Role;
use pouls::export::{
    CsvOut, Dialect, Labels, Layout, decisions_csv, indicators_csv, needs_csv, reports_csv,
    responses_csv,
};
use pouls::indicators::Period;
use pouls::storage::ExportFilter;
use pouls::survey::{ResultsFilter, SurveyDefinition};
use tokio::sync::mpsc;

use super::guard::{CurrentUser, StaffRoutes};
use super::surveys::find_survey;
use crate::error::AppError;
use crate::forms::{ErrorSummary, FormErrors, SelectField, TextField, title_with_errors};
use crate::layout::{Crumb, Page};
use crate::{AppState, render};

pub fn routes() -> StaffRoutes {
    StaffRoutes::new()
        .get("/admin/exports", Role::Lecteur, page)
        .get("/admin/enquetes/{id}/export", Role::Agent, responses)
        .get(
            "/admin/enquetes/{id}/export-agrege",
            Role::Lecteur,
            aggregate,
        )
        .get("/admin/exports/{kind}", Role::Lecteur, table)
}

fn dialect_of(query: &HashMap<String, String>) -> Dialect {
    query
        .get("dialecte")
        .and_then(|d| Dialect::parse(d).ok())
        .unwrap_or_default()
}

/// Headers of a CSV download.
fn download(dialect: Dialect, file: &str) -> [(header::HeaderName, String); 3] {
    [
        (header::CONTENT_TYPE, dialect.content_type().to_owned()),
        (
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{file}.{}\"",
                dialect.file_extension()
            ),
        ),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ]
}

async fn audit(state: &AppState, user: &CurrentUser, what: String) -> Result<(), AppError> {
    let entry = AuditEntry::new(&user.actor(), AuditAction::ExportDownloaded).detail(what);
    state.storage.audit(&entry).await?;
    Ok(())
}

/// A survey's responses, streamed: the first bytes leave before the last row is read.
async fn responses(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let definition = find_survey(&state, &user, &id).await?;
    let id = definition.survey.id;
    let dialect = dialect_of(&query);
    let layout = query
        .get("format")
        .and_then(|f| Layout::parse(f).ok())
        .unwrap_or(Layout::Wide);
    let point_id = match query.get("point").filter(|p| !p.is_empty()) {
        Some(code) => {
            let code =
                pouls::survey::CollectionCode::parse(code).map_err(|_| AppError::NotFound)?;
            let point = state
                .storage
                .point_by_code(&code)
                .await?
                .filter(|p| p.survey_id == id)
                .ok_or(AppError::NotFound)?;
            Some(point.id)
        }
        None => None,
    };
    let typed = |name: &str| query.get(name).map_or("", String::as_str);
    let range = match DateRange::parse(typed("du"), typed("au"), ("du", "au")) {
        Ok(range) => range,
        Err(errors) => {
            let page = export_page(user, definition, query.clone(), errors);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let filter = ExportFilter {
        point_id,
        from: range.from,
        to: range.to,
    };
    audit(
        &state,
        &user,
        format!(
            "réponses de l'enquête {id} ({}, {})",
            layout.code(),
            dialect.code()
        ),
    )
    .await?;
    let (chunks_in, chunks) = mpsc::channel::<Vec<u8>>(8);
    let storage = state.storage.clone();
    tokio::spawn(async move {
        if let Err(error) =
            responses_csv(&storage, &definition, layout, dialect, &filter, chunks_in).await
        {
            tracing::error!(%error, survey = id, "export failed");
        }
    });
    // Fused: the compression layer polls the body once more after its end, which a bare
    // `unfold` answers with a panic (and a download cut short).
    let body = Body::from_stream(
        stream::unfold(chunks, |mut chunks| async move {
            chunks
                .recv()
                .await
                .map(|chunk| (Ok::<_, std::io::Error>(Bytes::from(chunk)), chunks))
        })
        .fuse(),
    );
    let file = format!("enquete-{id}-{}", layout.code());
    Ok((download(dialect, &file), body).into_response())
}

/// Per question and option, how many responses: partenaires see counts under 5 as "< 5".
async fn aggregate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let definition = find_survey(&state, &user, &id).await?;
    let id = definition.survey.id;
    let dialect = dialect_of(&query);
    let audience = Audience::of_role(user.role);
    let (_, results) = user
        .territory(&state)
        .survey_results(&definition, &ResultsFilter::default())
        .await?;
    let mut csv =
        CsvOut::new(Vec::new(), dialect).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut rows = vec![vec![
        "question".to_owned(),
        "libelle".to_owned(),
        "option".to_owned(),
        "libelle_option".to_owned(),
        "reponses".to_owned(),
    ]];
    for (question, result) in definition.questions.iter().zip(&results) {
        let shown = |n: i64| audience.count(n).plain();
        rows.push(vec![
            question.code.clone(),
            question.label.clone(),
            String::new(),
            String::new(),
            shown(result.answered),
        ]);
        for option in &result.options {
            rows.push(vec![
                question.code.clone(),
                question.label.clone(),
                option.code.clone(),
                option.label.clone(),
                shown(option.count),
            ]);
        }
    }
    for row in rows {
        csv.write_row(&row)
            .map_err(|e| AppError::Internal(e.to_string()))?;
    }
    audit(
        &state,
        &user,
        format!("résultats agrégés de l'enquête {id} ({})", dialect.code()),
    )
    .await?;
    let bytes = csv
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((download(dialect, &format!("enquete-{id}-resultats")), bytes).into_response())
}

/// Indicators (partenaires too, with counts of answers under 5 hidden), needs and
/// decisions (staff-written, partenaires too), field reports (agents: partenaires see
/// only their own).
async fn table(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(kind): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let dialect = dialect_of(&query);
    let agent = user.role.allows(Role::Agent);
    let mut labels = Labels::new();
    for list in [
        user.territory(&state).communes().await?,
        user.territory(&state).themes().await?,
        user.territory(&state).publics().await?,
    ] {
        labels.extend(list.into_iter().map(|l| (l.code, l.label)));
    }
    let fail = |e: pouls::export::ExportError| AppError::Internal(e.to_string());
    let bytes = match kind.as_str() {
        // The exports page picks the survey in a list: on to its streamed export.
        "reponses" if agent => {
            let survey: i64 = query
                .get("enquete")
                .and_then(|s| s.parse().ok())
                .ok_or(AppError::NotFound)?;
            let layout = query.get("format").map_or("wide", String::as_str);
            let target = format!(
                "/admin/enquetes/{survey}/export?{}",
                crate::query::encode([("format", layout), ("dialecte", dialect.code())])
            );
            return Ok(axum::response::Redirect::to(&target).into_response());
        }
        "indicateurs" => {
            let period = query.get("periode").and_then(|p| Period::parse(p).ok());
            let reports = user
                .territory(&state)
                .indicator_reports(None, period)
                .await?;
            indicators_csv(&reports, dialect, Audience::of_role(user.role)).map_err(fail)?
        }
        "remontees" if agent => reports_csv(
            &user.territory(&state).reports(None).await?,
            &labels,
            dialect,
        )
        .map_err(fail)?,
        "besoins" => {
            needs_csv(&user.territory(&state).needs(None).await?, &labels, dialect).map_err(fail)?
        }
        "decisions" => decisions_csv(&user.territory(&state).public_decisions().await?, dialect)
            .map_err(fail)?,
        "reponses" | "remontees" => return Err(AppError::Forbidden),
        _ => return Err(AppError::NotFound),
    };
    audit(&state, &user, format!("{kind} ({})", dialect.code())).await?;
    Ok((download(dialect, &kind), bytes).into_response())
}

/// A list page's link to its own export (Excel dialect), and to the exports page for
/// the other format.
#[component]
pub(crate) fn ExportLink(
    /// The export's name in `/admin/exports/{kind}` and its section on the exports page.
    kind: &'static str,
    label: &'static str,
) -> impl IntoView {
    view! {
        <p class="screen-only">
            <a href=format!("/admin/exports/{kind}?dialecte=excel")>{label}</a>
            " ("<a href=format!("/admin/exports#{kind}")>"autres formats"<span class="visually-hidden">{format!(" : {}", label.to_lowercase())}</span></a>")"
        </p>
    }
}

/// The exports page: one form per file, Excel (France) chosen by default.
async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>, AppError> {
    let agent = user.role.allows(Role::Agent);
    let surveys = user.territory(&state).surveys().await?;
    Ok(render::page(move || {
        let dialects: Vec<(String, String)> = Dialect::ALL
            .iter()
            .map(|d| (d.code().to_owned(), d.label().to_owned()))
            .collect();
        let layouts: Vec<(String, String)> = Layout::ALL
            .iter()
            .map(|l| (l.code().to_owned(), l.label().to_owned()))
            .collect();
        let survey_options: Vec<(String, String)> = surveys
            .iter()
            .map(|s| (s.survey.id.to_string(), s.survey.title.clone()))
            .collect();
        let choices = dialects.clone();
        let form = move |action: &'static str, label: &'static str, suffix: &'static str| {
            let select = format!("champ-dialecte-{suffix}");
            let dialects = choices.clone();
            view! {
                <form method="get" action=action class="inline-fields">
                    <div class="field">
                        <label for=select.clone()>"Format du fichier"<span class="visually-hidden">{format!(" : {label}")}</span></label>
                        <select id=select name="dialecte">{dialects.iter().map(|(v, l)| view! { <option value=v.clone()>{l.clone()}</option> }).collect_view()}</select>
                    </div>
                    <button type="submit">{label}</button>
                </form>
            }
        };
        view! {
            <Page title="Exports CSV".to_owned() staff=user.nav() breadcrumbs=vec![Crumb::link("Tableau de bord", "/admin"), Crumb::here("Exports")]>
                <h1>"Exports CSV"</h1>
                <p>"« Excel (France) » s'ouvre directement dans Excel ou LibreOffice en français : accents, colonnes, dates et décimales justes, et aucune cellule ne peut s'exécuter comme une formule. « Standard » convient à R, Python et aux autres outils."</p>
                {agent.then(|| view! {
                    <h2 id="reponses">"Réponses d'une enquête"</h2>
                    <form method="get" action="/admin/exports/reponses" class="stack narrow">
                        <SelectField name="enquete" label="Enquête".to_owned() options=survey_options.clone()/>
                        <SelectField name="format" label="Disposition".to_owned() options=layouts.clone()/>
                        <SelectField name="dialecte" label="Format du fichier".to_owned() options=dialects.clone()/>
                        <button type="submit">"Télécharger les réponses"</button>
                    </form>
                })}
                <h2 id="indicateurs">"Indicateurs du plan"</h2>
                {form("/admin/exports/indicateurs", "Télécharger les indicateurs", "indicateurs")}
                {agent.then(|| view! {
                    <h2 id="remontees">"Remontées de terrain"</h2>
                    {form("/admin/exports/remontees", "Télécharger les remontées de terrain", "remontees")}
                })}
                <h2 id="besoins">"Besoins"</h2>
                {form("/admin/exports/besoins", "Télécharger les besoins", "besoins")}
                <h2 id="decisions">"Décisions"</h2>
                {form("/admin/exports/decisions", "Télécharger les décisions", "decisions")}
            </Page>
        }
    }))
}

/// The export form of a survey's responses, with what was typed and its errors; the
/// survey's page shows it, and the export shows it again when a field is wrong.
#[component]
pub(crate) fn ResponsesExportForm(
    survey_id: i64,
    values: HashMap<String, String>,
    errors: FormErrors,
) -> impl IntoView {
    let value = |name: &str| {
        values
            .get(name)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let layouts: Vec<(String, String)> = Layout::ALL
        .iter()
        .map(|l| (l.code().to_owned(), l.label().to_owned()))
        .collect();
    let dialects: Vec<(String, String)> = Dialect::ALL
        .iter()
        .map(|d| (d.code().to_owned(), d.label().to_owned()))
        .collect();
    view! {
        <form method="get" action=format!("/admin/enquetes/{survey_id}/export") class="filters-form" novalidate>
            <SelectField name="format" label="Disposition".to_owned() options=layouts selected=value("format")/>
            <SelectField name="dialecte" label="Format du fichier".to_owned() options=dialects selected=value("dialecte")/>
            <TextField name="point" label="Point de collecte (code, facultatif)".to_owned() value=value("point")/>
            <TextField name="du" label="Du (facultatif)".to_owned() kind="date" value=value("du") error=errors.get("du")/>
            <TextField name="au" label="Au (facultatif)".to_owned() kind="date" value=value("au") error=errors.get("au")/>
            <button type="submit">"Télécharger le CSV"</button>
        </form>
    }
}

/// The export form again, with the reason the file was not made.
fn export_page(
    user: CurrentUser,
    definition: SurveyDefinition,
    values: HashMap<String, String>,
    errors: FormErrors,
) -> Html<String> {
    let survey = definition.survey;
    let title = title_with_errors(
        &format!("Exporter les réponses : {}", survey.title),
        &errors,
    );
    render::page(move || {
        view! {
            <Page title staff=user.nav() breadcrumbs=vec![Crumb::link("Enquêtes", "/admin/enquetes"), Crumb::link(survey.title.clone(), format!("/admin/enquetes/{}", survey.id)), Crumb::here("Exporter les réponses")]>
                <h1>{format!("Exporter les réponses : {}", survey.title)}</h1>
                <ErrorSummary errors=errors.clone()/>
                <ResponsesExportForm survey_id=survey.id values errors/>
            </Page>
        }
    })
}
