//! Field reports: filed by agents and partenaires; a partenaire sees and edits only
//! their own, and follows each: the need it was attached to, its state, the decisions.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use pouls::domain::{FieldErrors, Role, paris};
use pouls::indicators::Unit;
use pouls::needs::{FieldReport, Need, Organisation, ReportDraft, ReportInput};
use pouls::storage::PublicDecision;
use pouls::survey::FormValues;

use super::need_page::DecisionList;
use super::{Choices, parse_id};
use crate::error::AppError;
use crate::forms::{
    CheckboxesField, CsrfField, ErrorSummary, SelectField, TextAreaField, TextField,
    title_with_errors,
};
use crate::layout::{Crumb, Page};
use crate::staff::CurrentUser;
use crate::staff::exports::ExportLink;
use crate::urlencoded::Form;
use crate::{AppState, format, render};

/// Partenaires only see and edit their own reports.
fn author_filter(user: &CurrentUser) -> Option<i64> {
    (!user.role.allows(Role::Agent)).then_some(user.id)
}

/// What became of a report: each need it was attached to, with the decisions on it.
type FollowUp = Vec<(Need, Vec<PublicDecision>)>;

/// The follow-up of every report, by report id.
async fn follow_ups(
    state: &AppState,
    user: &CurrentUser,
) -> Result<HashMap<i64, FollowUp>, AppError> {
    let links = user.territory(state).report_needs().await?;
    let needs: HashMap<i64, Need> = user
        .territory(state)
        .needs(None)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    let decisions = user.territory(state).public_decisions().await?;
    let mut follow: HashMap<i64, FollowUp> = HashMap::new();
    for (report, need) in links {
        if let Some(need) = needs.get(&need) {
            let taken = decisions
                .iter()
                .filter(|d| d.decision.need_id == Some(need.id))
                .cloned()
                .collect();
            follow
                .entry(report)
                .or_default()
                .push((need.clone(), taken));
        }
    }
    Ok(follow)
}

pub(super) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Html<String>, AppError> {
    let reports = user.territory(&state).reports(author_filter(&user)).await?;
    let choices = Choices::load(&user.territory(&state)).await?;
    let mut follow = follow_ups(&state, &user).await?;
    let heading = if author_filter(&user).is_some() {
        "Mes remontées de terrain"
    } else {
        "Remontées de terrain"
    };
    let agent = user.role.allows(Role::Agent);
    Ok(render::page(move || {
        view! {
            <Page title=heading.to_owned() staff=user.nav() breadcrumbs=vec![Crumb::link("Tableau de bord", "/admin"), Crumb::here(heading)]>
                <h1>{heading}</h1>
                <p>"Ce que les professionnels de première ligne observent : des besoins, des difficultés, des demandes sans réponse."</p>
                <p><a class="button" href="/admin/remontees/nouvelle">"Nouvelle remontée"</a></p>
                {if reports.is_empty() {
                    view! { <p>"Aucune remontée pour l'instant."</p> }.into_any()
                } else {
                    view! {
                        <ul class="text-answers">
                            {reports.into_iter().map(|r| { let follow = follow.remove(&r.id).unwrap_or_default(); report_item(r, &choices, agent, follow) }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                {agent.then(|| view! { <ExportLink kind="remontees" label="Télécharger les remontées de terrain (CSV)"/> })}
            </Page>
        }
    }))
}

fn report_item(
    report: FieldReport,
    choices: &Choices,
    agent: bool,
    follow: FollowUp,
) -> impl IntoView + use<> {
    let commune = report
        .commune
        .as_deref()
        .map_or("Tout le territoire", |c| {
            Choices::label(&choices.communes, c)
        })
        .to_owned();
    let themes: Vec<&str> = report
        .themes
        .iter()
        .map(|t| Choices::label(&choices.themes, t))
        .collect();
    let people = report
        .people_count
        .map(|n| {
            format!(
                " · {}",
                format::plural(n, "personne concernée", "personnes concernées")
            )
        })
        .unwrap_or_default();
    let meta = format!(
        "{} · {} · {} · {}{people}",
        format::date(report.observed_on),
        report.organisation.label(),
        commune,
        themes.join(", ")
    );
    let id = report.id;
    view! {
        <li class="text-answer">
            <p class="muted">{meta}</p>
            <blockquote>{report.observed}</blockquote>
            {(!follow.is_empty()).then(|| view! {
                <p>"Suite donnée : "{follow.into_iter().map(|(need, decisions)| view! {
                    <a href=format!("/admin/besoins/{}", need.id)>{format!("besoin « {} »", need.title)}</a>
                    {format!(" ({}, {}) ", need.status.label().to_lowercase(), Unit::DECISIONS.count(decisions.len() as i64))}
                }).collect_view()}</p>
            })}
            <div class="button-row">
                <a href=format!("/admin/remontees/{id}")>{format!("Modifier la remontée {id}")}</a>
                {agent.then(|| view! { <a href=format!("/admin/besoins/nouveau?remontee={id}")>{format!("Qualifier la remontée {id} en besoin")}</a> })}
            </div>
        </li>
    }
}

fn input_from(values: &FormValues) -> ReportInput {
    ReportInput {
        organisation: values.first("organisation").to_owned(),
        commune: values.first("commune").to_owned(),
        themes: values.all("themes").to_vec(),
        publics: values.all("publics").to_vec(),
        observed: values.first("observed").to_owned(),
        people_count: values.first("people_count").to_owned(),
        observed_on: values.first("observed_on").to_owned(),
    }
}

fn input_of(report: &FieldReport) -> ReportInput {
    ReportInput {
        organisation: report.organisation.code().to_owned(),
        commune: report
            .commune
            .clone()
            .unwrap_or_else(|| "territoire".to_owned()),
        themes: report.themes.clone(),
        publics: report.publics.clone(),
        observed: report.observed.clone(),
        people_count: report
            .people_count
            .map(|n| n.to_string())
            .unwrap_or_default(),
        observed_on: report.observed_on.to_string(),
    }
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Html<String>, AppError> {
    let input = ReportInput {
        observed_on: paris::today().to_string(),
        ..ReportInput::default()
    };
    form_page(&state, user, None, input, FieldErrors::default()).await
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let input = input_from(&FormValues::from_pairs(fields));
    let choices = Choices::load(&user.territory(&state)).await?;
    match choices.with_lists(|lists| ReportDraft::parse(&input, lists, paris::today())) {
        Ok(draft) => {
            user.territory(&state)
                .create_report(&draft, &user.actor())
                .await?;
            Ok(Redirect::to("/admin/remontees").into_response())
        }
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&state, user, None, input, errors).await?,
        )
            .into_response()),
    }
}

/// The report, if this user may edit it (a partenaire: only their own; others get 404).
async fn editable(state: &AppState, user: &CurrentUser, id: &str) -> Result<FieldReport, AppError> {
    let report = user
        .territory(state)
        .report(parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    match author_filter(user) {
        Some(author) if report.created_by != author => Err(AppError::NotFound),
        _ => Ok(report),
    }
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let report = editable(&state, &user, &id).await?;
    let follow = follow_ups(&state, &user)
        .await?
        .remove(&report.id)
        .unwrap_or_default();
    form_page(
        &state,
        user,
        Some((report.id, follow)),
        input_of(&report),
        FieldErrors::default(),
    )
    .await
}

pub(super) async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let report = editable(&state, &user, &id).await?;
    let input = input_from(&FormValues::from_pairs(fields));
    let choices = Choices::load(&user.territory(&state)).await?;
    match choices.with_lists(|lists| ReportDraft::parse(&input, lists, paris::today())) {
        Ok(draft) => {
            if !user
                .territory(&state)
                .update_report(report.id, &draft, author_filter(&user), &user.actor())
                .await?
            {
                return Err(AppError::NotFound);
            }
            Ok(Redirect::to("/admin/remontees").into_response())
        }
        Err(errors) => Ok((StatusCode::UNPROCESSABLE_ENTITY, {
            let follow = follow_ups(&state, &user)
                .await?
                .remove(&report.id)
                .unwrap_or_default();
            form_page(&state, user, Some((report.id, follow)), input, errors).await?
        })
            .into_response()),
    }
}

/// The report form; for an existing report (`id` with its follow-up), what became of it
/// above the form.
async fn form_page(
    state: &AppState,
    user: CurrentUser,
    existing: Option<(i64, FollowUp)>,
    input: ReportInput,
    errors: FieldErrors,
) -> Result<Html<String>, AppError> {
    let (id, follow) = match existing {
        Some((id, follow)) => (Some(id), Some(follow)),
        None => (None, None),
    };
    let choices = Choices::load(&user.territory(state)).await?;
    let organisations: Vec<(String, String)> =
        std::iter::once((String::new(), "Choisissez".to_owned()))
            .chain(
                Organisation::ALL
                    .iter()
                    .map(|o| (o.code().to_owned(), o.label().to_owned())),
            )
            .collect();
    let communes: Vec<(String, String)> =
        std::iter::once(("territoire".to_owned(), "Tout le territoire".to_owned()))
            .chain(choices.communes.iter().cloned())
            .collect();
    let (heading, action) = match id {
        Some(id) => (
            format!("Modifier la remontée {id}"),
            format!("/admin/remontees/{id}"),
        ),
        None => (
            "Nouvelle remontée de terrain".to_owned(),
            "/admin/remontees".to_owned(),
        ),
    };
    let title = title_with_errors(&heading, &errors);
    Ok(render::page(move || {
        let lookup = errors.clone();
        let e = move |field: &str| lookup.get(field);
        view! {
            <Page title=title staff=user.nav() breadcrumbs=vec![Crumb::link("Remontées de terrain", "/admin/remontees"), Crumb::here(heading.clone())]>
                <h1>{heading.clone()}</h1>
                <ErrorSummary errors=errors.clone()/>
                {follow.clone().map(|follow| view! { <FollowUpSection follow/> })}
                <form method="post" novalidate action=action class="stack">
                    <CsrfField token=user.csrf_token.clone()/>
                    <SelectField name="organisation" label="Structure qui fait la remontée".to_owned() options=organisations selected=input.organisation error=e("organisation")/>
                    <SelectField name="commune" label="Commune concernée".to_owned() options=communes selected=input.commune error=e("commune")/>
                    <CheckboxesField name="themes" legend="Thèmes".to_owned() options=choices.themes.clone() checked=input.themes error=e("themes")/>
                    <CheckboxesField name="publics" legend="Publics concernés (facultatif)".to_owned() options=choices.publics.clone() checked=input.publics error=e("publics")/>
                    <TextAreaField name="observed" label="Ce qui a été observé".to_owned() value=input.observed error=e("observed") rows=5 maxlength=2000usize
                        hint="Sans nom ni détail qui permettrait de reconnaître une personne.".to_owned()/>
                    <TextField name="people_count" label="Nombre de personnes concernées (facultatif)".to_owned() value=input.people_count error=e("people_count")/>
                    <TextField name="observed_on" label="Date de l'observation".to_owned() kind="date" value=input.observed_on error=e("observed_on")/>
                    <button type="submit">"Enregistrer la remontée"</button>
                </form>
            </Page>
        }
    }))
}

/// What became of a report: the needs it fed, their state, the decisions taken on them.
#[component]
fn FollowUpSection(follow: FollowUp) -> impl IntoView {
    view! {
        <h2>"Ce qu'est devenue cette remontée"</h2>
        {if follow.is_empty() {
            view! { <p>"Elle n'est pas encore rattachée à un besoin : l'équipe de la CTG la lira pour la qualifier."</p> }.into_any()
        } else {
            follow.into_iter().map(|(need, decisions)| view! {
                <section class="result">
                    <h3><a href=format!("/admin/besoins/{}", need.id)>{format!("Besoin : {}", need.title)}</a></h3>
                    <p>{format!("État : {}", need.status.label())}</p>
                    <DecisionList decisions/>
                </section>
            }).collect_view().into_any()
        }}
        <h2>"Modifier la remontée"</h2>
    }
}
