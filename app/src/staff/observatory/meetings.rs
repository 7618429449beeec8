//! Observatory meetings: agenda built from the needs, attendance, notes, decisions, the
//! board frozen at the meeting date, and a printable report.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use pouls::disclosure::Audience;
use pouls::domain::{FieldErrors, Role, paris};
use pouls::needs::{
    AttendeeGroup, Board, Decision, DecisionDraft, DecisionInput, DecisionStatus, Meeting,
    MeetingDraft, MeetingInput, MeetingKind, Need, NeedStatus,
};
use pouls::survey::FormValues;

use super::board::BoardTable;
use super::{Choices, parse_id};
use crate::charts::{Bar, BarChart};
use crate::error::AppError;
use crate::forms::{
    CheckboxesField, CsrfField, ErrorSummary, SelectField, TextAreaField, TextField,
    title_with_errors,
};
use crate::layout::{Crumb, Page};
use crate::staff::CurrentUser;
use crate::staff::exports::ExportLink;
use crate::tables::TableScroll;
use crate::urlencoded::Form;
use crate::{AppState, format, render};

pub(super) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Html<String>, AppError> {
    let meetings = user.territory(&state).meetings().await?;
    let agent = user.role.allows(Role::Agent);
    Ok(render::page(move || {
        view! {
            <Page title="Réunions de l'observatoire".to_owned() staff=user.nav() breadcrumbs=vec![Crumb::link("Tableau de bord", "/admin"), Crumb::here("Réunions")]>
                <h1>"Réunions de l'observatoire"</h1>
                {agent.then(|| view! { <p><a class="button" href="/admin/reunions/nouvelle">"Nouvelle réunion"</a></p> })}
                {if meetings.is_empty() { view! { <p>"Aucune réunion pour l'instant."</p> }.into_any() } else { view! {
                    <ul class="link-list">{meetings.into_iter().map(|m| view! {
                        <li><a href=format!("/admin/reunions/{}", m.id)>{format!("{} · {} · {}", format::date(m.held_on), m.kind.label(), m.title)}</a></li>
                    }).collect_view()}</ul>
                }.into_any() }}
                <ExportLink kind="decisions" label="Télécharger les décisions (CSV)"/>
            </Page>
        }
    }))
}

fn input_from(values: &FormValues) -> MeetingInput {
    let group = |prefix: &str| -> [String; 4] {
        let mut values_of = [String::new(), String::new(), String::new(), String::new()];
        for (slot, group) in values_of.iter_mut().zip(AttendeeGroup::ALL) {
            *slot = values
                .first(&format!("{prefix}_{}", group.code()))
                .to_owned();
        }
        values_of
    };
    MeetingInput {
        kind: values.first("kind").to_owned(),
        title: values.first("title").to_owned(),
        theme: values.first("theme").to_owned(),
        held_on: values.first("held_on").to_owned(),
        place: values.first("place").to_owned(),
        notes: values.first("notes").to_owned(),
        invited: group("invited"),
        present: group("present"),
        agenda: values.all("agenda").to_vec(),
    }
}

fn input_of(meeting: &Meeting) -> MeetingInput {
    MeetingInput {
        kind: meeting.kind.code().to_owned(),
        title: meeting.title.clone(),
        theme: meeting.theme.clone().unwrap_or_default(),
        held_on: meeting.held_on.to_string(),
        place: meeting.place.clone(),
        notes: meeting.notes.clone(),
        invited: meeting.attendance.invited.map(|n| n.to_string()),
        present: meeting.attendance.present.map(|n| n.to_string()),
        agenda: meeting.agenda.iter().map(i64::to_string).collect(),
    }
}

/// Needs that can go on an agenda: the open ones, and any already on it.
async fn agenda_candidates(
    state: &AppState,
    user: &CurrentUser,
    agenda: &[i64],
) -> Result<Vec<Need>, AppError> {
    Ok(user
        .territory(state)
        .needs(None)
        .await?
        .into_iter()
        .filter(|n| n.status != NeedStatus::Clos || agenda.contains(&n.id))
        .collect())
}

async fn parse(
    state: &AppState,
    user: &CurrentUser,
    input: &MeetingInput,
    agenda: &[i64],
) -> Result<Result<MeetingDraft, FieldErrors>, AppError> {
    let choices = Choices::load(&user.territory(state)).await?;
    let themes: Vec<&str> = choices.themes.iter().map(|(c, _)| c.as_str()).collect();
    let needs: Vec<i64> = agenda_candidates(state, user, agenda)
        .await?
        .iter()
        .map(|n| n.id)
        .collect();
    Ok(MeetingDraft::parse(input, &themes, &needs))
}

/// The meeting named in the path, with its decisions, or a 404.
async fn find_meeting(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<(Meeting, Vec<Decision>), AppError> {
    user.territory(state)
        .meeting(parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Html<String>, AppError> {
    let input = MeetingInput {
        held_on: paris::today().to_string(),
        ..MeetingInput::default()
    };
    form_page(&state, user, None, input, FieldErrors::default()).await
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let input = input_from(&FormValues::from_pairs(fields));
    match parse(&state, &user, &input, &[]).await? {
        Ok(draft) => {
            let id = user
                .territory(&state)
                .create_meeting(&draft, &user.actor())
                .await?;
            Ok(Redirect::to(&format!("/admin/reunions/{id}")).into_response())
        }
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&state, user, None, input, errors).await?,
        )
            .into_response()),
    }
}

pub(super) async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (meeting, _) = find_meeting(&state, &user, &id).await?;
    let input = input_from(&FormValues::from_pairs(fields));
    match parse(&state, &user, &input, &meeting.agenda).await? {
        Ok(draft) => {
            user.territory(&state)
                .update_meeting(meeting.id, &draft, &user.actor())
                .await?;
            Ok(Redirect::to(&format!("/admin/reunions/{}", meeting.id)).into_response())
        }
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&state, user, Some(meeting.id), input, errors).await?,
        )
            .into_response()),
    }
}

/// The meeting form; for an existing meeting, with its decisions and the board below.
async fn form_page(
    state: &AppState,
    user: CurrentUser,
    id: Option<i64>,
    input: MeetingInput,
    errors: FieldErrors,
) -> Result<Html<String>, AppError> {
    let choices = Choices::load(&user.territory(state)).await?;
    let existing = match id {
        Some(id) => Some(
            user.territory(state)
                .meeting(id)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let agenda: Vec<i64> = input.agenda.iter().filter_map(|a| a.parse().ok()).collect();
    let needs = agenda_candidates(
        state,
        &user,
        &existing
            .as_ref()
            .map(|(m, _)| m.agenda.clone())
            .unwrap_or(agenda),
    )
    .await?;
    let heading = existing.as_ref().map_or_else(
        || "Nouvelle réunion".to_owned(),
        |(m, _)| format!("{} · {}", m.kind.label(), m.title),
    );
    let title = title_with_errors(&heading, &errors);
    Ok(render::page(move || {
        let lookup = errors.clone();
        let e = move |field: &str| lookup.get(field);
        let kinds: Vec<(String, String)> = MeetingKind::ALL
            .iter()
            .map(|k| (k.code().to_owned(), k.label().to_owned()))
            .collect();
        let themes: Vec<(String, String)> =
            std::iter::once((String::new(), "Tous les thèmes".to_owned()))
                .chain(choices.themes.iter().cloned())
                .collect();
        let need_options: Vec<(String, String)> = needs
            .iter()
            .map(|n| {
                (
                    n.id.to_string(),
                    format!("{} ({})", n.title, n.status.label()),
                )
            })
            .collect();
        let action = existing.as_ref().map_or_else(
            || "/admin/reunions".to_owned(),
            |(m, _)| format!("/admin/reunions/{}", m.id),
        );
        let attendance = AttendeeGroup::ALL.iter().enumerate().map(|(i, group)| {
            let (invited, present) = (format!("invited_{}", group.code()), format!("present_{}", group.code()));
            view! {
                <fieldset class="field inline-fields">
                    <legend>{group.label()}</legend>
                    <div class="field"><label for=format!("champ-{invited}")>"Invités"</label><input type="text" inputmode="numeric" id=format!("champ-{invited}") name=invited.clone() value=input.invited[i].clone()/>{e(&invited).map(|m| view! { <p class="error-message">{m}</p> })}</div>
                    <div class="field"><label for=format!("champ-{present}")>"Présents"</label><input type="text" inputmode="numeric" id=format!("champ-{present}") name=present.clone() value=input.present[i].clone()/>{e(&present).map(|m| view! { <p class="error-message">{m}</p> })}</div>
                </fieldset>
            }
        }).collect_view();
        view! {
            <Page title=title staff=user.nav() breadcrumbs=vec![Crumb::link("Réunions", "/admin/reunions"), Crumb::here(heading.clone())]>
                <h1>{heading.clone()}</h1>
                <ErrorSummary errors=errors.clone()/>
                {existing.clone().map(|(meeting, decisions)| {
                    let agenda = needs.iter().filter(|n| meeting.agenda.contains(&n.id)).map(|n| (n.id, n.title.clone())).collect();
                    view! { <MeetingSummary meeting decisions csrf=user.csrf_token.clone() agenda/> }
                })}
                <h2>{if id.is_some() { "Modifier la réunion" } else { "La réunion" }}</h2>
                <form method="post" novalidate action=action class="stack">
                    <CsrfField token=user.csrf_token.clone()/>
                    <SelectField name="kind" label="Type".to_owned() options=kinds selected=input.kind.clone() error=e("kind")/>
                    <TextField name="title" label="Intitulé".to_owned() value=input.title.clone() maxlength=150usize error=e("title")/>
                    <SelectField name="theme" label="Thème".to_owned() options=themes selected=input.theme.clone() error=e("theme")/>
                    <TextField name="held_on" label="Date".to_owned() kind="date" value=input.held_on.clone() error=e("held_on")/>
                    <TextField name="place" label="Lieu".to_owned() value=input.place.clone() error=e("place")/>
                    <CheckboxesField name="agenda" legend="Ordre du jour : besoins examinés".to_owned() options=need_options checked=input.agenda.clone() error=e("agenda")
                        hint="Les besoins viennent du tableau de bord des besoins.".to_owned()/>
                    <h3>"Participation"</h3>
                    {attendance}
                    <TextAreaField name="notes" label="Notes".to_owned() value=input.notes.clone() rows=6 error=e("notes")/>
                    <button type="submit">"Enregistrer la réunion"</button>
                </form>
            </Page>
        }
    }))
}

#[component]
fn MeetingSummary(
    meeting: Meeting,
    decisions: Vec<Decision>,
    csrf: String,
    /// (id, title) of the needs on the agenda.
    agenda: Vec<(i64, String)>,
) -> impl IntoView {
    let base = format!("/admin/reunions/{}", meeting.id);
    let statuses: Vec<(String, String)> = DecisionStatus::ALL
        .iter()
        .map(|s| (s.code().to_owned(), s.label().to_owned()))
        .collect();
    let actions: Vec<(String, String)> = std::iter::once((String::new(), "Choisissez".to_owned()))
        .chain((1..=17).map(|n| (n.to_string(), format!("Action {n}"))))
        .collect();
    let needs: Vec<(String, String)> =
        std::iter::once((String::new(), "Aucun en particulier".to_owned()))
            .chain(
                agenda
                    .into_iter()
                    .map(|(id, title)| (id.to_string(), title)),
            )
            .collect();
    let frozen = meeting
        .snapshot_at
        .map(|at| format!("Tableau de bord figé le {}.", format::datetime_short(at)));
    view! {
        <p>{format!("{} · {}", format::date(meeting.held_on), meeting.place)}</p>
        <ul class="button-row">
            <li><a class="button secondary" href=format!("{base}/compte-rendu")>"Compte rendu à imprimer"</a></li>
            <li>{match frozen {
                Some(text) => view! { <span>{text}</span> }.into_any(),
                None => view! {
                    <form method="post" action=format!("{base}/figer") class="inline-form">
                        <CsrfField token=csrf.clone()/>
                        <button type="submit" class="secondary">"Figer le tableau de bord à la date de la réunion"</button>
                    </form>
                }.into_any(),
            }}</li>
        </ul>
        <h2>"Décisions"</h2>
        <DecisionTable decisions=decisions csrf=csrf.clone() editable=true/>
        <h3>"Ajouter une décision"</h3>
        <form method="post" novalidate action=format!("{base}/decisions") class="stack narrow">
            <CsrfField token=csrf/>
            <SelectField name="action" label="Action du plan ajustée".to_owned() options=actions/>
            <SelectField name="need" label="En réponse au besoin".to_owned() options=needs/>
            <TextAreaField name="what" label="Ce qui change".to_owned() rows=3/>
            <TextField name="owner" label="Qui la porte".to_owned()/>
            <TextField name="due_on" label="Pour quand (facultatif)".to_owned() kind="date"/>
            <SelectField name="status" label="État".to_owned() options=statuses/>
            <button type="submit">"Ajouter la décision"</button>
        </form>
    }
}

#[component]
pub(super) fn DecisionTable(
    decisions: Vec<Decision>,
    csrf: String,
    editable: bool,
) -> impl IntoView {
    if decisions.is_empty() {
        return view! { <p>"Aucune décision pour l'instant."</p> }.into_any();
    }
    view! {
        <TableScroll label="Décisions de la réunion">
            <table>
                <caption class="visually-hidden">"Décisions de la réunion"</caption>
                <thead><tr><th scope="col">"Action"</th><th scope="col">"En réponse au besoin"</th><th scope="col">"Ce qui change"</th><th scope="col">"Qui"</th><th scope="col">"Pour quand"</th><th scope="col">"État"</th></tr></thead>
                <tbody>
                    {decisions.into_iter().map(|d| {
                        let status = if editable {
                            let options: Vec<(String, String)> = DecisionStatus::ALL.iter().map(|s| (s.code().to_owned(), s.label().to_owned())).collect();
                            let select_id = format!("etat-decision-{}", d.id);
                            view! {
                                <form method="post" action=format!("/admin/decisions/{}/etat", d.id) class="inline-fields">
                                    <CsrfField token=csrf.clone()/>
                                    <label class="visually-hidden" for=select_id.clone()>{format!("État de la décision {}", d.id)}</label>
                                    <select id=select_id name="status">{options.into_iter().map(|(v, l)| { let selected = v == d.status.code(); view! { <option value=v selected=selected>{l}</option> } }).collect_view()}</select>
                                    <button type="submit" class="secondary">{format!("Enregistrer l'état de la décision {}", d.id)}</button>
                                </form>
                            }.into_any()
                        } else {
                            view! { {d.status.label()} }.into_any()
                        };
                        view! {
                            <tr>
                                <td>{format!("Action {}", d.action_number)}</td>
                                <td>{match (d.need_id, d.need_title) {
                                    (Some(id), Some(title)) if editable => view! { <a href=format!("/admin/besoins/{id}")>{title}</a> }.into_any(),
                                    (_, title) => view! { {title.unwrap_or_else(|| "–".to_owned())} }.into_any(),
                                }}</td>
                                <td>{d.what}</td>
                                <td>{d.owner}</td>
                                <td>{d.due_on.map(format::date).unwrap_or_default()}</td>
                                <td>{status}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </TableScroll>
    }
    .into_any()
}

pub(super) async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let (meeting, decisions) = find_meeting(&state, &user, &id).await?;
    if !user.role.allows(Role::Agent) {
        return super::meeting_read::page(&state, user, meeting, decisions).await;
    }
    form_page(
        &state,
        user,
        Some(meeting.id),
        input_of(&meeting),
        FieldErrors::default(),
    )
    .await
}

pub(super) async fn add_decision(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (meeting, _) = find_meeting(&state, &user, &id).await?;
    let values = FormValues::from_pairs(fields);
    let input = DecisionInput {
        action: values.first("action").to_owned(),
        need: values.first("need").to_owned(),
        what: values.first("what").to_owned(),
        owner: values.first("owner").to_owned(),
        due_on: values.first("due_on").to_owned(),
        status: values.first("status").to_owned(),
    };
    match DecisionDraft::parse(&input, &meeting.agenda) {
        Ok(draft) => {
            user.territory(&state)
                .add_decision(meeting.id, &draft, &user.actor())
                .await?;
            Ok(Redirect::to(&format!("/admin/reunions/{}", meeting.id)).into_response())
        }
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&state, user, Some(meeting.id), input_of(&meeting), errors).await?,
        )
            .into_response()),
    }
}

pub(super) async fn decision_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let status = fields
        .get("status")
        .and_then(|s| DecisionStatus::parse(s).ok())
        .ok_or(AppError::NotFound)?;
    let meeting = user
        .territory(&state)
        .set_decision_status(parse_id(&id)?, status, &user.actor())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&format!("/admin/reunions/{meeting}")).into_response())
}

/// Freezes the board as it stood at the meeting date: from 1 January of its year to the
/// end of the meeting day, compared with the same span a year before.
pub(super) async fn freeze(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (meeting, _) = find_meeting(&state, &user, &id).await?;
    let start = time::Date::from_calendar_date(meeting.held_on.year(), time::Month::January, 1)
        .unwrap_or(meeting.held_on);
    let end = meeting.held_on.next_day().unwrap_or(meeting.held_on);
    let previous = start.replace_year(start.year() - 1).unwrap_or(start);
    let label = format!("du 1er janvier au {}", format::date(meeting.held_on));
    let board = user
        .territory(&state)
        .needs_board(&label, (start, end), previous, None)
        .await?;
    let json = serde_json::to_string(&board).map_err(|e| AppError::Internal(e.to_string()))?;
    user.territory(&state)
        .freeze_meeting_board(meeting.id, &json, &user.actor())
        .await?;
    Ok(Redirect::to(&format!("/admin/reunions/{}", meeting.id)).into_response())
}

/// The printable report: the board as frozen, never as it is now.
pub(super) async fn report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let (meeting, decisions) = find_meeting(&state, &user, &id).await?;
    let choices = Choices::load(&user.territory(&state)).await?;
    let needs: Vec<Need> = user
        .territory(&state)
        .needs(None)
        .await?
        .into_iter()
        .filter(|n| meeting.agenda.contains(&n.id))
        .collect();
    let board: Option<Board> = meeting
        .snapshot
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok());
    Ok(render::page(move || {
        let attendance_bars: Vec<Bar> = AttendeeGroup::ALL
            .iter()
            .map(|g| {
                let (invited, present) = meeting.attendance.of(*g);
                Bar {
                    label: g.label().to_owned(),
                    value: present as f64,
                    shown: format!("{present} sur {invited}"),
                }
            })
            .collect();
        let (invited, present) = meeting.attendance.total();
        let rate = if invited > 0 {
            format!(
                "{} %",
                format::decimal(present as f64 * 100.0 / invited as f64, 0)
            )
        } else {
            "–".to_owned()
        };
        let theme_bars: Option<Vec<Bar>> = board.as_ref().map(|b| {
            choices
                .themes
                .iter()
                .map(|(code, label)| {
                    let total = b.theme_total(code).total();
                    Bar {
                        label: label.clone(),
                        value: if Audience::Partner.shows(total) {
                            total as f64
                        } else {
                            0.0
                        },
                        shown: Audience::Partner.count(total).to_string(),
                    }
                })
                .collect()
        });
        view! {
            <Page title=format!("Compte rendu : {}", meeting.title) staff=user.nav() class="report">
                <h1>{format!("{} · {}", meeting.kind.label(), meeting.title)}</h1>
                <p class="lead">{format!("{} · {}", format::date(meeting.held_on), meeting.place)}</p>
                <h2>"Participation"</h2>
                <p>{format!("{present} présents sur {invited} invités ({rate}).")}</p>
                <BarChart summary="Présents par groupe".to_owned() bars=attendance_bars/>
                <TableScroll label="Participation par groupe"><table>
                    <caption class="visually-hidden">"Participation par groupe"</caption>
                    <thead><tr><th scope="col">"Groupe"</th><th scope="col" class="number">"Invités"</th><th scope="col" class="number">"Présents"</th></tr></thead>
                    <tbody>{AttendeeGroup::ALL.iter().map(|g| { let (i, p) = meeting.attendance.of(*g); view! { <tr><td>{g.label()}</td><td class="number">{i}</td><td class="number">{p}</td></tr> } }).collect_view()}</tbody>
                </table></TableScroll>
                <h2>"Besoins examinés"</h2>
                {if needs.is_empty() { view! { <p>"Aucun."</p> }.into_any() } else { view! { <ul>{needs.into_iter().map(|n| view! { <li><strong>{n.title}</strong>" : "{n.description}</li> }).collect_view()}</ul> }.into_any() }}
                <h2>"Notes"</h2>
                <p class="notes">{meeting.notes.clone()}</p>
                <h2>"Tableau de bord des besoins"</h2>
                {match (board, theme_bars) {
                    (Some(board), Some(bars)) => view! {
                        <p>{format!("Tel qu'il était à la réunion ({}). Les nombres de 1 à 4 sont affichés « < 5 ».", board.label)}</p>
                        <BarChart summary="Réponses, remontées et besoins par thème".to_owned() bars/>
                        // Seven themes and a commune column need the width of a landscape page.
                        <section class="landscape-sheet">
                            <h3>{format!("Par commune et par thème ({})", board.label)}</h3>
                            <BoardTable board choices=choices.clone() measure="tout" exact=false links=None/>
                        </section>
                    }.into_any(),
                    _ => view! { <p>"Le tableau de bord n'a pas été figé pour cette réunion."</p> }.into_any(),
                }}
                <h2>"Décisions"</h2>
                <DecisionTable decisions csrf=String::new() editable=false/>
            </Page>
        }
    }))
}
