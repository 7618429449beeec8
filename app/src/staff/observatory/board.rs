//! `/admin/observatoire`: the needs board, communes by themes, for a period and a
//! public, with the change against the period before; each cell links to its sources.
//! Partenaires and printed boards show counts under 5 as "< 5".

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::Html;
use leptos::prelude::*;
use pouls::disclosure::{self, Audience};
use pouls::domain::{Role, paris};
use pouls::indicators::{Period, Periodicity};
use pouls::needs::{Board, Counts, UNKNOWN_COMMUNE, WHOLE_TERRITORY};
use pouls::survey::OUTSIDE_TERRITORY;

use super::Choices;
use crate::error::AppError;
use crate::forms::SelectField;
use crate::layout::{Crumb, Page};
use crate::staff::CurrentUser;
use crate::tables::TableScroll;
use crate::{AppState, format, query, render};

/// Which count a cell shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Measure {
    All,
    Responses,
    Reports,
    Needs,
}

impl Measure {
    const ALL: [Self; 4] = [Self::All, Self::Responses, Self::Reports, Self::Needs];

    fn label(self) -> &'static str {
        match self {
            Self::All => "Tout",
            Self::Responses => "Réponses d'habitants",
            Self::Reports => "Remontées de terrain",
            Self::Needs => "Besoins",
        }
    }

    fn code(self) -> &'static str {
        match self {
            Self::All => "tout",
            Self::Responses => "reponses",
            Self::Reports => "remontees",
            Self::Needs => "besoins",
        }
    }

    fn parse(value: &str) -> Self {
        match value {
            "reponses" => Self::Responses,
            "remontees" => Self::Reports,
            "besoins" => Self::Needs,
            _ => Self::All,
        }
    }

    fn of(self, counts: Counts) -> i64 {
        match self {
            Self::All => counts.total(),
            Self::Responses => counts.responses,
            Self::Reports => counts.reports,
            Self::Needs => counts.needs,
        }
    }
}

/// The period asked for, or the current year.
pub(crate) fn period_of(query: &HashMap<String, String>) -> Period {
    query
        .get("periode")
        .and_then(|p| Period::parse(p).ok())
        .or_else(|| Period::containing(paris::today(), Periodicity::Year))
        .unwrap_or_else(|| Period::year(pouls::indicators::FIRST_YEAR))
}

/// The board of a period, compared with the span of the same length just before.
pub(crate) async fn load_board(
    state: &AppState,
    user: &CurrentUser,
    period: Period,
    public: Option<&str>,
) -> Result<Board, AppError> {
    let (start, end) = period.bounds();
    let previous_start = start.checked_sub(end - start).unwrap_or(start);
    Ok(user
        .territory(state)
        .needs_board(&period.label(), (start, end), previous_start, public)
        .await?)
}

/// The board's rows: the 23 communes, then the other rows that have something.
pub(crate) fn rows(board: &Board, choices: &Choices) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = choices.communes.clone();
    for (code, label) in [
        OUTSIDE_TERRITORY,
        (WHOLE_TERRITORY, "Tout le territoire"),
        (UNKNOWN_COMMUNE, "Commune non précisée"),
    ] {
        if board.cells.contains_key(code) {
            rows.push((code.to_owned(), label.to_owned()));
        }
    }
    rows
}

pub(super) async fn board(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let period = period_of(&query);
    let public = query.get("public").filter(|p| !p.is_empty()).cloned();
    let measure = Measure::parse(query.get("vue").map_or("", String::as_str));
    let print = query.contains_key("impression");
    let exact = user.role.allows(Role::Agent) && !print;
    let board = load_board(&state, &user, period, public.as_deref()).await?;
    let choices = Choices::load(&user.territory(&state)).await?;
    let query_string = query::encode([
        ("periode", period.code().as_str()),
        ("public", public.as_deref().unwrap_or_default()),
        ("vue", measure.code()),
    ]);
    Ok(render::page(move || {
        let periods: Vec<(String, String)> = Periodicity::Year
            .periods()
            .into_iter()
            .chain(Periodicity::HalfYear.periods())
            .map(|p| (p.code(), p.label()))
            .collect();
        let publics: Vec<(String, String)> =
            std::iter::once((String::new(), "Tous les publics".to_owned()))
                .chain(choices.publics.iter().cloned())
                .collect();
        let views: Vec<(String, String)> = Measure::ALL
            .iter()
            .map(|m| (m.code().to_owned(), m.label().to_owned()))
            .collect();
        let heading = format!("Tableau de bord des besoins : {}", period.label());
        let public_label = public.as_deref().map_or("Tous les publics", |code| {
            Choices::label(&choices.publics, code)
        });
        let summary = format!(
            "Période : {} · Public : {public_label} · Compté : {}",
            period.label(),
            measure.label()
        );
        let explanation = "Chaque case compte les réponses d'habitants qui touchent le thème, les remontées de terrain et les besoins qualifiés, pour la commune et la période ; entre parenthèses, l'écart avec la période précédente.";
        if print {
            // Made for paper: no menu, the filters as a sentence, the table on a landscape page.
            return view! {
                <Page title=heading.clone() bare=true class="board-page">
                    <p class="screen-only">
                        "Imprimez cette page (commande Imprimer du navigateur) : le tableau tient sur une page A4 à l'italienne. "
                        <a href=format!("/admin/observatoire?{query_string}")>"Retour au tableau de bord"</a>
                    </p>
                    <section class="landscape-sheet">
                        <h1>{heading.clone()}</h1>
                        <p>{summary}</p>
                        <p class="muted">{explanation}" "{disclosure::NOTICE}</p>
                        <BoardTable board choices measure=measure.code() exact links=Some(query_string)/>
                    </section>
                </Page>
            }
            .into_any();
        }
        view! {
            <Page title=heading.clone() staff=user.nav() class="board-page" breadcrumbs=vec![Crumb::link("Tableau de bord", "/admin"), Crumb::here("Observatoire des besoins")]>
                <h1>{heading.clone()}</h1>
                <form method="get" action="/admin/observatoire" class="filters-form screen-only">
                    <SelectField name="periode" label="Période".to_owned() options=periods selected=period.code()/>
                    <SelectField name="public" label="Public".to_owned() options=publics selected=public.clone().unwrap_or_default()/>
                    <SelectField name="vue" label="Compter".to_owned() options=views selected=measure.code().to_owned()/>
                    <button type="submit">"Afficher"</button>
                </form>
                <p class="screen-only"><a href=format!("/admin/observatoire?{query_string}&impression=1")>"Version à imprimer"</a></p>
                <p>{explanation}" Chaque case mène à ses sources."</p>
                {(!exact).then(|| view! { <p class="muted">{disclosure::NOTICE}</p> })}
                <BoardTable board choices measure=measure.code() exact links=Some(query_string)/>
            </Page>
        }
        .into_any()
    }))
}

/// A shorter column heading for themes whose name would widen the board, with the full
/// name in `<abbr title>` on screen and in full on paper.
fn short_theme(code: &str) -> Option<&'static str> {
    match code {
        "vie-sociale" => Some("Vie sociale"),
        _ => None,
    }
}

/// The board as a table; `links` (the query of the period and public) makes cells link
/// to their sources.
#[component]
pub(crate) fn BoardTable(
    board: Board,
    choices: Choices,
    measure: &'static str,
    exact: bool,
    links: Option<String>,
) -> impl IntoView {
    let measure = Measure::parse(measure);
    let themes = choices.themes.clone();
    let rows = rows(&board, &choices);
    let audience = if exact {
        Audience::Staff
    } else {
        Audience::Partner
    };
    let show = move |n: i64| audience.count(n).to_string();
    let delta = move |now: i64, before: i64| {
        let hidden = !audience.shows(now) || !audience.shows(before);
        (now != before && !hidden).then(|| {
            format!(
                " ({}{})",
                if now > before { "+" } else { "−" },
                (now - before).abs()
            )
        })
    };
    let headings = themes
        .iter()
        .map(|(code, label)| match short_theme(code) {
            Some(short) => view! {
                <th scope="col" class="number">
                    <abbr class="screen-only" title=label.clone()>{short}</abbr>
                    <span class="print-only">{label.clone()}</span>
                </th>
            }
            .into_any(),
            None => view! { <th scope="col" class="number">{label.clone()}</th> }.into_any(),
        })
        .collect_view();
    view! {
        <TableScroll label={format!("Tableau de bord des besoins, {}", board.label)}>
            <table class="board">
                <caption class="visually-hidden">{format!("Réponses, remontées et besoins par commune et par thème, {}", board.label)}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Commune"</th>
                        {headings}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|(row, label)| {
                        let cells = themes.iter().map(|(theme, _)| {
                            let now = measure.of(board.cell(&row, theme));
                            let before = measure.of(board.previous_cell(&row, theme));
                            let text = format!("{}{}", show(now), delta(now, before).unwrap_or_default());
                            let href = links.as_ref().filter(|_| now > 0).map(|query| {
                                format!("/admin/observatoire/sources?{query}&{}", query::encode([("ligne", row.as_str()), ("theme", theme.as_str())]))
                            });
                            view! {
                                <td class="number">
                                    {match href { Some(href) => view! { <a href=href>{text}</a> }.into_any(), None => view! { {text} }.into_any() }}
                                </td>
                            }
                        }).collect_view();
                        view! { <tr><th scope="row">{label}</th>{cells}</tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </TableScroll>
    }
}

pub(super) async fn sources(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let period = period_of(&query);
    let public = query.get("public").filter(|p| !p.is_empty()).cloned();
    let row = query.get("ligne").cloned().unwrap_or_default();
    let theme = query.get("theme").cloned().unwrap_or_default();
    let agent = user.role.allows(Role::Agent);
    let choices = Choices::load(&user.territory(&state)).await?;
    let board = load_board(&state, &user, period, public.as_deref()).await?;
    let responses = board.cell(&row, &theme).responses;
    let mut sources = user
        .territory(&state)
        .board_sources(&row, &theme, period.bounds(), public.as_deref(), !agent)
        .await?;
    if !agent {
        // A partenaire sees their own reports only, and residents' words only where
        // enough people answered.
        let own = user.territory(&state).reports(Some(user.id)).await?;
        sources.reports.retain(|r| own.iter().any(|o| o.id == r.0));
        if !Audience::Partner.shows(responses) {
            sources.answers.clear();
        }
    }
    let row_label = match row.as_str() {
        WHOLE_TERRITORY => "Tout le territoire".to_owned(),
        UNKNOWN_COMMUNE => "Commune non précisée".to_owned(),
        "hors-ccyn" => OUTSIDE_TERRITORY.1.to_owned(),
        code => Choices::label(&choices.communes, code).to_owned(),
    };
    let heading = format!(
        "{} · {} · {}",
        row_label,
        Choices::label(&choices.themes, &theme),
        period.label()
    );
    Ok(render::page(move || {
        view! {
            <Page title=heading.clone() staff=user.nav() breadcrumbs=vec![Crumb::link("Observatoire des besoins", format!("/admin/observatoire?periode={}", period.code())), Crumb::here("Sources")]>
                <h1>{heading.clone()}</h1>
                <p>{format!("Réponses d'habitants touchant ce thème : {}.", Audience::of_role(user.role).count(responses))}</p>
                <h2>"Besoins"</h2>
                {if sources.needs.is_empty() { view! { <p>"Aucun."</p> }.into_any() } else { view! {
                    <ul class="link-list">{sources.needs.into_iter().map(|(id, title, status)| view! {
                        <li>{if agent { view! { <a href=format!("/admin/besoins/{id}")>{title}</a> }.into_any() } else { view! { {title} }.into_any() }}{format!(" ({status})")}</li>
                    }).collect_view()}</ul>
                }.into_any() }}
                <h2>"Remontées de terrain"</h2>
                {if sources.reports.is_empty() { view! { <p>"Aucune à afficher."</p> }.into_any() } else { view! {
                    <ul class="text-answers">{sources.reports.into_iter().map(|(id, organisation, observed, day)| view! {
                        <li class="text-answer"><p class="muted">{format!("{} · {organisation}", format::date(day))}" · "<a href=format!("/admin/remontees/{id}")>{format!("remontée {id}")}</a></p><blockquote>{observed}</blockquote></li>
                    }).collect_view()}</ul>
                }.into_any() }}
                <h2>"Réponses libres"</h2>
                {if sources.answers.is_empty() { view! { <p>"Aucune à afficher."</p> }.into_any() } else { view! {
                    <ul class="text-answers">{sources.answers.into_iter().map(|(survey, question, text, _)| view! {
                        <li class="text-answer"><p class="muted">{question}" · "<a href=format!("/admin/enquetes/{survey}/resultats#reponses-libres")>"résultats de l'enquête"</a></p><blockquote>{text}</blockquote></li>
                    }).collect_view()}</ul>
                }.into_any() }}
            </Page>
        }
    }))
}
