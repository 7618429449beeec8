//! Typing paper answers in: the resident form, posting to a paper point, one sheet after
//! another, each dated by the day the questionnaires were filled in (kept from one sheet
//! to the next).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use pouls::audit::{AuditAction, AuditEntry};
use pouls::auth::random_token;
use pouls::domain::{FieldErrors, paris};
use pouls::survey::{
    CollectionDate, CollectionPoint, FormValues, PointKind, SurveyDefinition, parse_french_date,
    validate_submission,
};

use super::paper::survey;
use super::parse_id;
use crate::error::AppError;
use crate::forms::TextField;
use crate::layout::{Crumb, Page};
use crate::resident::{FormState, SurveyForm};
use crate::staff::CurrentUser;
use crate::urlencoded::Form;
use crate::{AppState, format, render};

/// The form field of the collection day.
const DATE_FIELD: &str = "date_collecte";

async fn paper_point(
    state: &AppState,
    user: &CurrentUser,
    pid: &str,
) -> Result<(CollectionPoint, SurveyDefinition), AppError> {
    let point = user
        .territory(state)
        .point(parse_id(pid)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let (definition, points) = survey(state, user, &point.survey_id.to_string()).await?;
    let point = points
        .into_iter()
        .find(|p| p.id == point.id && p.kind == PointKind::Paper)
        .ok_or(AppError::NotFound)?;
    Ok((point, definition))
}

/// What was just stored, for the notice above the next sheet.
struct Entered {
    count: i64,
    day: time::Date,
}

pub(super) async fn entry_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(pid): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let (point, definition) = paper_point(&state, &user, &pid).await?;
    // The day of the previous sheet; a point held on one day gives its day.
    let remembered = query.get("date").and_then(|d| parse_french_date(d).ok());
    let day = remembered.or(match (point.starts_on, point.ends_on) {
        (Some(start), Some(end)) if start == end => Some(start),
        _ => None,
    });
    let entered = query
        .get("saisie")
        .and_then(|n| n.parse::<i64>().ok())
        .zip(remembered)
        .map(|(count, day)| Entered { count, day });
    let mut values = FormValues::default();
    if let Some(day) = day {
        values = FormValues::from_pairs([(DATE_FIELD.to_owned(), day.to_string())]);
    }
    let form = FormState {
        token: random_token()[..32].to_owned(),
        values,
        errors: FieldErrors::default(),
    };
    Ok(entry_page(user, point, definition, form, entered))
}

fn entry_page(
    user: CurrentUser,
    point: CollectionPoint,
    definition: SurveyDefinition,
    form: FormState,
    entered: Option<Entered>,
) -> Html<String> {
    let action = format!("/admin/points/{}/saisie", point.id);
    let csrf = user.csrf_token.clone();
    let survey_id = definition.survey.id;
    render::page(move || {
        let title = format!("Saisie papier : {}", definition.survey.title);
        let date = view! {
            <TextField name=DATE_FIELD label="Date de collecte".to_owned() kind="date" required=true
                value=form.values.first(DATE_FIELD).to_owned() error=form.errors.get(DATE_FIELD)
                hint="Le jour où les questionnaires ont été remplis : les réponses sont datées de ce jour, et non du jour de la saisie. La date reste remplie pour la feuille suivante.".to_owned()/>
        }
        .into_any();
        view! {
            <Page title=title.clone() staff=user.nav() breadcrumbs=vec![Crumb::link("Enquêtes", "/admin/enquetes"), Crumb::link(definition.survey.title.clone(), format!("/admin/enquetes/{survey_id}")), Crumb::here("Saisie papier")]>
                <h1>{title.clone()}</h1>
                <p>{format!("Point de collecte : {} (code {}). Chaque réponse est enregistrée avec le canal « papier ».", point.label, point.code)}</p>
                {entered.map(|e| view! { <p class="notice" role="status">{format!(
                    "Réponse enregistrée, datée du {} ({} pour ce point). Le formulaire est prêt pour la feuille suivante.",
                    format::date(e.day),
                    format::plural(e.count, "réponse", "réponses")
                )}</p> })}
                <div class="entry-form">
                    <SurveyForm definition=definition.clone() action=Some(action) state=form.clone() csrf=Some(csrf) leading=Some(date)/>
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
    let (point, definition) = paper_point(&state, &user, &pid).await?;
    let values = FormValues::from_pairs(fields);
    let token = Some(values.first("jeton"))
        .filter(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .map_or_else(|| random_token()[..32].to_owned(), str::to_owned);
    let collected = CollectionDate::parse(
        values.first(DATE_FIELD),
        &definition.survey,
        &point,
        paris::today(),
    );
    match (collected, validate_submission(&definition, &values)) {
        (Ok(day), Ok(answers)) => {
            state
                .storage
                .submit_paper_response(&definition, &point, &token, &answers, day.unix())
                .await?;
            let entry = AuditEntry::new(&user.actor(), AuditAction::PaperResponseEntered)
                .object("collection_point", point.code.as_str())
                .detail(format!("collecte du {}", format::date(day.date())));
            state.storage.audit(&entry).await?;
            let count = user
                .territory(&state)
                .point(point.id)
                .await?
                .map_or(0, |p| p.response_count);
            Ok(Redirect::to(&format!(
                "/admin/points/{}/saisie?saisie={count}&date={}",
                point.id,
                day.date()
            ))
            .into_response())
        }
        (collected, checked) => {
            // The day's error first, as the field comes first.
            let mut errors = FieldErrors::default();
            if let Err(error) = collected {
                errors.add(DATE_FIELD, error.0);
            }
            for (field, message) in checked.err().unwrap_or_default().iter() {
                errors.add(field, message);
            }
            let form = FormState {
                token,
                values,
                errors,
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                entry_page(user, point, definition, form, None),
            )
                .into_response())
        }
    }
}
