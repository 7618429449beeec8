//! A meeting as a partenaire reads it: when and where, who came, the needs reviewed, the
//! notes, the decisions with their need and state, and the needs board of the year up to
//! the meeting. That board counts whole months (up to the end of the meeting's month):
//! the board frozen on the meeting day would let two meetings' boards be subtracted
//! into the answers of a few days.

use axum::response::Html;
use leptos::prelude::*;
use pouls::disclosure::{self, Audience};
use pouls::needs::{AttendeeGroup, Decision, Meeting, Need};

use super::Choices;
use super::board::BoardTable;
use super::meetings::DecisionTable;
use crate::error::AppError;
use crate::layout::{Crumb, Page};
use crate::staff::CurrentUser;
use crate::tables::TableScroll;
use crate::{AppState, format, render};

pub(super) async fn page(
    state: &AppState,
    user: CurrentUser,
    meeting: Meeting,
    decisions: Vec<Decision>,
) -> Result<Html<String>, AppError> {
    let choices = Choices::load(&user.territory(state)).await?;
    let agenda: Vec<Need> = user
        .territory(state)
        .needs(None)
        .await?
        .into_iter()
        .filter(|n| meeting.agenda.contains(&n.id))
        .collect();
    let first = time::Date::from_calendar_date(meeting.held_on.year(), time::Month::January, 1)
        .unwrap_or(meeting.held_on);
    let months = Audience::Partner.period(Some(first), Some(meeting.held_on));
    let (start, last) = (
        months.from.unwrap_or(first),
        months.to.unwrap_or(meeting.held_on),
    );
    let end = last.next_day().unwrap_or(last);
    let previous = start.replace_year(start.year() - 1).unwrap_or(start);
    let label = format!("du {} au {}", format::date(start), format::date(last));
    let board = user
        .territory(state)
        .needs_board(&label, (start, end), previous, None)
        .await?;
    let heading = format!("{} · {}", meeting.kind.label(), meeting.title);
    Ok(render::page(move || {
        let (invited, present) = meeting.attendance.total();
        view! {
            <Page title=heading.clone() staff=user.nav() breadcrumbs=vec![Crumb::link("Réunions", "/admin/reunions"), Crumb::here(heading.clone())]>
                <h1>{heading.clone()}</h1>
                <p class="lead">{if meeting.place.is_empty() { format::date(meeting.held_on) } else { format!("{} · {}", format::date(meeting.held_on), meeting.place) }}</p>
                <h2>"Participation"</h2>
                <p>{format!("{present} présents sur {invited} invités.")}</p>
                <TableScroll label="Participation par groupe"><table>
                    <caption class="visually-hidden">"Participation par groupe"</caption>
                    <thead><tr><th scope="col">"Groupe"</th><th scope="col" class="number">"Invités"</th><th scope="col" class="number">"Présents"</th></tr></thead>
                    <tbody>{AttendeeGroup::ALL.iter().map(|g| { let (i, p) = meeting.attendance.of(*g); view! { <tr><td>{g.label()}</td><td class="number">{i}</td><td class="number">{p}</td></tr> } }).collect_view()}</tbody>
                </table></TableScroll>
                <h2>"Besoins examinés"</h2>
                {if agenda.is_empty() { view! { <p>"Aucun."</p> }.into_any() } else { view! {
                    <ul class="link-list">{agenda.into_iter().map(|n| view! {
                        <li><a href=format!("/admin/besoins/{}", n.id)>{n.title}</a>{format!(" ({})", n.status.label().to_lowercase())}</li>
                    }).collect_view()}</ul>
                }.into_any() }}
                <h2>"Notes"</h2>
                <p class="notes">{if meeting.notes.is_empty() { "Aucune note.".to_owned() } else { meeting.notes.clone() }}</p>
                <h2>"Décisions"</h2>
                <DecisionTable decisions csrf=String::new() editable=false/>
                <h2>"Tableau de bord des besoins"</h2>
                <p>{format!("Par mois entiers, {} : tel qu'il est aujourd'hui.", board.label)}</p>
                <p class="muted">{disclosure::NOTICE}</p>
                <BoardTable board choices measure="tout" exact=false links=None/>
            </Page>
        }
    }))
}
