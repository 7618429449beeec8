//! `/admin/departement`: the departmental view, read-only, across the territories of the
//! reader's scope: each territory's activity this year, then its needs by theme. Every
//! cell follows the "< 5" rule, whatever the reader's role (see `pouls::department`).

use axum::extract::State;
use axum::response::Html;
use leptos::prelude::*;
use pouls::department::{self, NeedCells, TerritoryOverview};
use pouls::disclosure::{self, Cell};
use pouls::domain::{Role, paris};
use pouls::needs::NeedStatus;
use pouls::territory::{InstanceRole, Territory, TerritoryId};

use super::guard::{CurrentUser, StaffRoutes};
use crate::error::AppError;
use crate::layout::{Crumb, Page};
use crate::tables::TableScroll;
use crate::{AppState, render};

pub(super) fn routes() -> StaffRoutes {
    // Declared at the least role: who may read it, and which territories, is
    // `department_scope`'s alone.
    StaffRoutes::new().get("/admin/departement", Role::Lecteur, page)
}

/// The territories this reader may see in the departmental view; a French 404 for anyone
/// else, so the page's existence is not confirmed. The only access rule of the page.
async fn department_scope(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<Territory>, AppError> {
    match user.instance_role {
        Some(InstanceRole::Admin) => Ok(state.storage.territories().await?),
        // The lecteur départemental reads the territories it was given a role in.
        Some(InstanceRole::Lecteur) => Ok(state
            .storage
            .staff_territories(user.id)
            .await?
            .into_iter()
            .map(|(territory, _)| territory)
            .collect()),
        None => Err(AppError::NotFound),
    }
}

/// A territory's needs as shown: their total, by status (in [`NeedStatus::ALL`] order)
/// and by board row (`None` where its plan lacks the theme).
struct NeedTexts {
    total: String,
    statuses: Vec<String>,
    themes: Vec<Option<String>>,
    /// Whether a cell reads "≥ 5", or "s", so that the page says what they mean.
    withheld: bool,
    secret: bool,
}

fn need_texts(overview: &TerritoryOverview, column: &[Option<i64>]) -> NeedTexts {
    let statuses: Vec<i64> = NeedStatus::ALL
        .iter()
        .map(|s| overview.needs_of(*s))
        .collect();
    let present: Vec<i64> = column.iter().flatten().copied().collect();
    let text = |cells: &[Cell]| cells.iter().map(Cell::to_string).collect::<Vec<_>>();
    let (total, statuses, shown, withheld, secret) =
        match department::disclose_needs(&statuses, &present) {
            NeedCells::Shown {
                total,
                statuses,
                themes,
            } => {
                let withheld = total == Cell::Withheld
                    || statuses.contains(&Cell::Withheld)
                    || themes.contains(&Cell::Withheld);
                (
                    total.to_string(),
                    text(&statuses),
                    text(&themes),
                    withheld,
                    false,
                )
            }
            NeedCells::Secret => {
                let secret = |n: usize| vec![department::SECRET.to_owned(); n];
                (
                    department::SECRET.to_owned(),
                    secret(statuses.len()),
                    secret(present.len()),
                    false,
                    true,
                )
            }
        };
    let mut shown = shown.into_iter();
    let themes = column
        .iter()
        .map(|count| count.and_then(|_| shown.next()))
        .collect();
    NeedTexts {
        total,
        statuses,
        themes,
        withheld,
        secret,
    }
}

fn cell_text(cell: Option<String>) -> AnyView {
    match cell {
        Some(text) => view! { {text} }.into_any(),
        None => view! {
            <span aria-hidden="true">"—"</span>
            <span class="visually-hidden">"thème absent de ce plan"</span>
        }
        .into_any(),
    }
}

async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>, AppError> {
    let territories = department_scope(&state, &user).await?;
    let ids: Vec<TerritoryId> = territories.iter().map(|t| t.id).collect();
    let year = paris::today().year();
    let overviews = state.storage.department_overview(&ids, year).await?;
    let board = state.storage.department_needs_board(&ids).await?;
    let rows: Vec<(Territory, TerritoryOverview, NeedTexts)> = territories
        .into_iter()
        .zip(overviews)
        .map(|(territory, overview)| {
            let cells = need_texts(&overview, &board.column(territory.id));
            (territory, overview, cells)
        })
        .collect();
    let withholds = rows.iter().any(|(_, _, cells)| cells.withheld);
    let secret = rows.iter().any(|(_, _, cells)| cells.secret);
    let labels: Vec<String> = board.rows.iter().map(|r| r.label.clone()).collect();
    Ok(render::page(move || {
        let heading = "Vue départementale".to_owned();
        let activity_caption = format!("Activité par territoire en {year}");
        let board_caption = "Besoins par thème et par territoire".to_owned();
        let status_headings = NeedStatus::ALL
            .iter()
            .map(|s| view! { <th scope="col" class="number">{format!("Besoins : {}", s.label().to_lowercase())}</th> })
            .collect_view();
        let activity = rows
            .iter()
            .map(|(territory, o, cells)| {
                let shown = |n: i64| department::shown(n).to_string();
                view! {
                    <tr>
                        <th scope="row">{territory.name.clone()}</th>
                        <td class="number">{shown(o.open_surveys)}</td>
                        <td class="number">{shown(o.responses)}</td>
                        <td class="number">{shown(o.field_reports)}</td>
                        <td class="number">{cells.total.clone()}</td>
                        {cells.statuses.iter().map(|c| view! { <td class="number">{c.clone()}</td> }).collect_view()}
                        <td class="number">{shown(o.meetings)}</td>
                        <td class="number">{shown(o.decisions)}</td>
                    </tr>
                }
            })
            .collect_view();
        let territory_headings = rows
            .iter()
            .map(|(t, _, _)| view! { <th scope="col" class="number">{t.name.clone()}</th> })
            .collect_view();
        let board_rows = labels
            .iter()
            .enumerate()
            .map(|(index, label)| {
                let cells = rows
                    .iter()
                    .map(|(_, _, cells)| {
                        let cell = cells.themes.get(index).cloned().flatten();
                        view! { <td class="number">{cell_text(cell)}</td> }
                    })
                    .collect_view();
                view! { <tr><th scope="row">{label.clone()}</th>{cells}</tr> }
            })
            .collect_view();
        view! {
            <Page title=heading.clone() staff=user.nav() class="board-page" breadcrumbs=vec![Crumb::link("Tableau de bord", "/admin"), Crumb::here("Vue départementale")]>
                <h1>{heading.clone()}</h1>
                <p>{format!("Chaque territoire de l'instance, en lecture seule : les enquêtes ouvertes aujourd'hui, puis ce qui a été reçu, remonté et décidé en {year} ; les besoins sont comptés quelle que soit leur date.")}</p>
                <p class="muted">"Pour préserver l'anonymat, les nombres de 1 à 4 sont affichés « < 5 », et aucun nombre affiché ne permet de les retrouver par addition ou soustraction."
                    {withholds.then(|| format!(" {}", disclosure::WITHHELD_NOTICE))}
                    {secret.then(|| format!(" {}", department::SECRET_NOTICE))}</p>
                <h2>{activity_caption.clone()}</h2>
                <TableScroll label=activity_caption.clone()>
                    <table class="board">
                        <caption class="visually-hidden">{activity_caption.clone()}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Territoire"</th>
                                <th scope="col" class="number">"Enquêtes ouvertes"</th>
                                <th scope="col" class="number">{format!("Réponses en {year}")}</th>
                                <th scope="col" class="number">{format!("Remontées de terrain en {year}")}</th>
                                <th scope="col" class="number">"Besoins, tous statuts"</th>
                                {status_headings}
                                <th scope="col" class="number">{format!("Réunions tenues en {year}")}</th>
                                <th scope="col" class="number">{format!("Décisions prises en {year}")}</th>
                            </tr>
                        </thead>
                        <tbody>{activity}</tbody>
                    </table>
                </TableScroll>
                <h2>{board_caption.clone()}</h2>
                <p>"Chaque plan a ses thèmes : une ligne réunit les thèmes de même nom ; « — » : le plan du territoire n'a pas ce thème."</p>
                <TableScroll label=board_caption.clone()>
                    <table class="board">
                        <caption class="visually-hidden">{board_caption.clone()}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Thème"</th>
                                {territory_headings}
                            </tr>
                        </thead>
                        <tbody>{board_rows}</tbody>
                    </table>
                </TableScroll>
            </Page>
        }
    }))
}
