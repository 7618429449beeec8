//! `/admin/journal`: the audit log, filterable, newest first (admins).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::Html;
use leptos::prelude::*;
use pouls::audit::{AuditAction, AuditEvent, AuditFilter};
use pouls::domain::{Role, paris};
use time::Date;
use time::macros::format_description;

use super::guard::{CurrentUser, StaffRoutes};
use crate::error::AppError;
use crate::forms::{ErrorSummary, FormErrors, SelectField, TextField};
use crate::layout::{Crumb, Page};
use crate::tables::TableScroll;
use crate::{AppState, format, query, render};

const PAGE_SIZE: i64 = 50;

pub fn routes() -> StaffRoutes {
    StaffRoutes::new().get("/admin/journal", Role::Admin, journal)
}

fn parse_day(value: &str) -> Result<Option<Date>, ()> {
    if value.is_empty() {
        return Ok(None);
    }
    Date::parse(value, format_description!("[year]-[month]-[day]"))
        .map(Some)
        .map_err(|_| ())
}

async fn journal(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let field = |name: &str| {
        query
            .get(name)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let (action, actor, from, to) = (field("action"), field("acteur"), field("du"), field("au"));
    let mut errors = FormErrors::default();
    let from_day = parse_day(&from)
        .map_err(|()| errors.add("du", "Date attendue au format jj/mm/aaaa."))
        .unwrap_or(None);
    let to_day = parse_day(&to)
        .map_err(|()| errors.add("au", "Date attendue au format jj/mm/aaaa."))
        .unwrap_or(None);
    // An end before the start would list nothing, as if nothing had happened.
    if let (Some(from), Some(to)) = (from_day, to_day)
        && from > to
    {
        errors.add("au", "La date de fin doit suivre la date de début.");
    }
    let filter = AuditFilter {
        action: AuditAction::from_code(&action),
        actor: Some(actor.clone()).filter(|a| !a.is_empty()),
        from: from_day.map(paris::start_of_day),
        to: to_day
            .and_then(|day| day.next_day())
            .map(paris::start_of_day),
        object: None,
        before_id: query.get("avant").and_then(|v| v.parse().ok()),
        limit: PAGE_SIZE,
        territory: (!user.is_instance_admin()).then_some(user.territory_id),
    };
    let events = state.storage.audit_events(&filter).await?;
    let next = (events.len() as i64 == PAGE_SIZE)
        .then(|| events.last().map(|e| e.id))
        .flatten()
        .map(|last| {
            let last = last.to_string();
            let params = query::encode([
                ("action", action.as_str()),
                ("acteur", actor.as_str()),
                ("du", from.as_str()),
                ("au", to.as_str()),
                ("avant", last.as_str()),
            ]);
            format!("/admin/journal?{params}")
        });
    let mut actions = vec![(String::new(), "Toutes les actions".to_owned())];
    actions.extend(
        AuditAction::ALL
            .into_iter()
            .map(|a| (a.code().to_owned(), a.label().to_owned())),
    );
    Ok(render::page(move || {
        view! {
            <Page
                title="Journal des actions".to_owned()
                staff=user.nav()
                breadcrumbs=vec![Crumb::link("Tableau de bord", "/admin"), Crumb::here("Journal")]
            >
                <h1>"Journal des actions"</h1>
                <p>"Qui a fait quoi, et quand. Les mots de passe et les jetons de session n'y figurent jamais."</p>
                <ErrorSummary errors=errors.clone()/>
                <form method="get" novalidate action="/admin/journal" class="filters-form">
                    <SelectField name="action" label="Action".to_owned() options=actions selected=action/>
                    <TextField name="acteur" label="Auteur (adresse ou partie d'adresse)".to_owned() value=actor/>
                    <TextField name="du" label="Du".to_owned() kind="date" value=from error=errors.get("du")/>
                    <TextField name="au" label="Au".to_owned() kind="date" value=to error=errors.get("au")/>
                    <button type="submit">"Filtrer"</button>
                </form>
                {errors.is_empty().then(|| view! { <EventTable events/> })}
                {next.map(|href| view! { <p><a href=href>"Entrées plus anciennes"</a></p> })}
            </Page>
        }
    }))
}

#[component]
fn EventTable(events: Vec<AuditEvent>) -> impl IntoView {
    if events.is_empty() {
        return view! { <p>"Aucune entrée ne correspond à ces critères."</p> }.into_any();
    }
    view! {
        <TableScroll label="Entrées du journal">
            <table>
                <caption class="visually-hidden">"Entrées du journal, les plus récentes d'abord"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Auteur"</th>
                        <th scope="col">"Action"</th>
                        <th scope="col">"Objet"</th>
                        <th scope="col">"Détail"</th>
                    </tr>
                </thead>
                <tbody>
                    {events
                        .into_iter()
                        .map(|event| {
                            let action = AuditAction::from_code(&event.action)
                                .map_or(event.action.clone(), |a| a.label().to_owned());
                            let object = match (event.object_kind, event.object_id) {
                                (Some(kind), Some(id)) => format!("{kind} {id}"),
                                _ => String::new(),
                            };
                            view! {
                                <tr>
                                    <td>{format::datetime_short(event.at)}</td>
                                    <td>{event.actor}</td>
                                    <td>{action}</td>
                                    <td>{object}</td>
                                    <td>{event.detail}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableScroll>
    }
    .into_any()
}
