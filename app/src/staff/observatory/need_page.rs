//! `/admin/besoins/{id}`: a need, what was decided about it, its sources and the dated
//! history of its status. Agents edit it here; partenaires read it, with only what staff
//! wrote or reviewed: their own field reports in full, others' by structure and date, and
//! residents' answers once reviewed.

use axum::extract::{Path, State};
use axum::response::Html;
use leptos::prelude::*;
use pouls::domain::{FieldErrors, Role};
use pouls::needs::{NeedInput, NeedSource, NeedStatus, StatusChange};
use pouls::storage::PublicDecision;

use super::needs::NeedFields;
use super::{Choices, parse_id};
use crate::error::AppError;
use crate::forms::{CsrfField, ErrorSummary, SelectField, TextField, title_with_errors};
use crate::layout::{Crumb, Page};
use crate::staff::CurrentUser;
use crate::{AppState, format, render};

pub(super) async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    detail_page(&state, user, parse_id(&id)?, None, FieldErrors::default()).await
}

/// The sources a partenaire may read: not someone else's report text, not an answer
/// staff have not reviewed.
fn for_partner(sources: Vec<NeedSource>, partner: i64) -> Vec<NeedSource> {
    sources
        .into_iter()
        .filter(|s| {
            !matches!(
                s,
                NeedSource::Answer {
                    reviewed: false,
                    ..
                }
            )
        })
        .map(|source| match source {
            NeedSource::Report {
                source_id,
                report_id,
                author,
                organisation,
                observed_on,
                ..
            } if author != partner => NeedSource::Report {
                source_id,
                report_id,
                summary: String::new(),
                author,
                organisation,
                observed_on,
            },
            other => other,
        })
        .collect()
}

pub(super) async fn detail_page(
    state: &AppState,
    user: CurrentUser,
    id: i64,
    input: Option<NeedInput>,
    errors: FieldErrors,
) -> Result<Html<String>, AppError> {
    let (need, sources, history) = user
        .territory(state)
        .need(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let agent = user.role.allows(Role::Agent);
    let sources = if agent {
        sources
    } else {
        for_partner(sources, user.id)
    };
    let choices = Choices::load(&user.territory(state)).await?;
    let reports = if agent {
        user.territory(state).reports(None).await?
    } else {
        Vec::new()
    };
    let decisions: Vec<PublicDecision> = user
        .territory(state)
        .public_decisions()
        .await?
        .into_iter()
        .filter(|d| d.decision.need_id == Some(id))
        .collect();
    let input = input.unwrap_or_else(|| NeedInput {
        title: need.title.clone(),
        description: need.description.clone(),
        theme: need.theme.clone(),
        communes: need.communes.clone(),
        publics: need.publics.clone(),
    });
    let title = title_with_errors(&format!("Besoin : {}", need.title), &errors);
    Ok(render::page(move || {
        let base = format!("/admin/besoins/{}", need.id);
        let csrf = user.csrf_token.clone();
        let statuses: Vec<(String, String)> = NeedStatus::ALL
            .iter()
            .map(|s| (s.code().to_owned(), s.label().to_owned()))
            .collect();
        let themes = choices.themes.clone();
        let report_options: Vec<(String, String)> = reports
            .iter()
            .map(|r| {
                (
                    format!("r:{}", r.id),
                    format!(
                        "{} · {} · {}",
                        format::date(r.observed_on),
                        r.organisation.label(),
                        r.observed.chars().take(80).collect::<String>()
                    ),
                )
            })
            .collect();
        let communes: Vec<String> = need
            .communes
            .iter()
            .map(|c| Choices::label(&choices.communes, c).to_owned())
            .collect();
        let theme_label = Choices::label(&choices.themes, &need.theme).to_owned();
        let editing = agent.then(|| view! {
            <form method="post" action=format!("{base}/sources") class="inline-fields">
                <CsrfField token=csrf.clone()/>
                <SelectField name="source" label="Rattacher une remontée de terrain".to_owned() options=report_options/>
                <button type="submit" class="secondary">"Rattacher"</button>
            </form>
            <p class="muted">"Pour rattacher une réponse d'habitant, ouvrez les résultats de l'enquête : chaque réponse libre a un lien « Rattacher à un besoin »."</p>
        });
        let status_form = agent.then(|| view! {
            <form method="post" action=format!("{base}/statut") class="stack narrow">
                <CsrfField token=csrf.clone()/>
                <SelectField name="status" label="Nouvel état".to_owned() options=statuses selected=need.status.code().to_owned()/>
                <TextField name="note" label="Pourquoi (facultatif)".to_owned()/>
                <button type="submit">"Changer l'état"</button>
            </form>
            <h2>"Modifier le besoin"</h2>
            <form method="post" novalidate action=base.clone() class="stack">
                <CsrfField token=csrf.clone()/>
                <NeedFields input=input.clone() themes=themes.clone() communes=choices.communes.clone() publics=choices.publics.clone() errors=errors.clone()/>
                <button type="submit">"Enregistrer"</button>
            </form>
        });
        view! {
            <Page title=title staff=user.nav() breadcrumbs=vec![Crumb::link("Besoins", "/admin/besoins"), Crumb::here(need.title.clone())]>
                <h1>{need.title.clone()}</h1>
                <ErrorSummary errors=errors.clone()/>
                <dl class="facts">
                    <dt>"État"</dt><dd>{need.status.label()}</dd>
                    <dt>"Thème"</dt><dd>{theme_label}</dd>
                    <dt>"Communes"</dt><dd>{if communes.is_empty() { "Tout le territoire".to_owned() } else { communes.join(", ") }}</dd>
                </dl>
                <p>{need.description.clone()}</p>
                <h2>"Ce qui a été décidé"</h2>
                <DecisionList decisions/>
                <h2>"Sources"</h2>
                <SourceList sources partner=(!agent).then_some(user.id)/>
                {editing}
                <h2>"Historique de l'état"</h2>
                <History history/>
                {status_form}
            </Page>
        }
    }))
}

/// The decisions taken on a need, with their state and the meeting that took them.
#[component]
pub(super) fn DecisionList(decisions: Vec<PublicDecision>) -> impl IntoView {
    if decisions.is_empty() {
        return view! { <p>"Aucune décision pour l'instant."</p> }.into_any();
    }
    view! {
        <ul class="link-list">
            {decisions.into_iter().map(|d| view! {
                <li>
                    {format!("{} (action {}) : ", d.decision.what, d.decision.action_number)}
                    <strong>{d.decision.status.label()}</strong>
                    " · "
                    <a href=format!("/admin/reunions/{}", d.decision.meeting_id)>{format!("{} du {}", d.meeting_kind.label(), format::date(d.held_on))}</a>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn SourceList(sources: Vec<NeedSource>, partner: Option<i64>) -> impl IntoView {
    if sources.is_empty() {
        return view! { <p>"Aucune source à afficher."</p> }.into_any();
    }
    view! {
        <ul class="text-answers">
            {sources.into_iter().map(|source| match source {
                NeedSource::Report { report_id, summary, author, organisation, observed_on, .. } => {
                    let heading = format!("Remontée de terrain {report_id} · {} · {}", organisation.label(), format::date(observed_on));
                    // A partenaire opens only their own reports.
                    let link = partner.is_none_or(|p| p == author);
                    view! {
                        <li class="text-answer">
                            <p class="muted">{if link { view! { <a href=format!("/admin/remontees/{report_id}")>{heading}</a> }.into_any() } else { view! { {heading} }.into_any() }}</p>
                            {(!summary.is_empty()).then(|| view! { <blockquote>{summary}</blockquote> })}
                        </li>
                    }.into_any()
                }
                NeedSource::Answer { survey_id, text, .. } => view! {
                    <li class="text-answer"><p class="muted"><a href=format!("/admin/enquetes/{survey_id}/resultats#reponses-libres")>"Réponse d'un habitant"</a></p><blockquote>{text}</blockquote></li>
                }.into_any(),
                NeedSource::Question { survey_id, label, note, .. } => view! {
                    <li class="text-answer"><p class="muted"><a href=format!("/admin/enquetes/{survey_id}/resultats")>{format!("Résultats de la question « {label} »")}</a></p><blockquote>{note}</blockquote></li>
                }.into_any(),
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn History(history: Vec<StatusChange>) -> impl IntoView {
    view! {
        <ol class="link-list">
            {history.into_iter().map(|change| {
                let note = if change.note.is_empty() { String::new() } else { format!(" : {}", change.note) };
                view! { <li>{format!("{} · {} · par {}{note}", format::datetime_short(change.changed_at), change.status.label(), change.changed_by)}</li> }
            }).collect_view()}
        </ol>
    }
}
