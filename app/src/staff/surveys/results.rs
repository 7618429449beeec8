//! A survey's results: per-question charts with their tables, filters, the review of
//! free-text answers below them (see [`super::review`]) and a link to the print view.
//! Partenaires see counts under 5 as "< 5" and only reviewed texts.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Html;
use leptos::prelude::*;
use pouls::disclosure::{self, Audience, Count};
use pouls::storage::Quote;
use pouls::survey::{CollectionPoint, OUTSIDE_TERRITORY, Question, QuestionKind, QuestionResult};

use super::filters::{Filters, with_query};
use super::find_survey;
use super::review::{ReviewList, TextReview};
use crate::charts::{Bar, BarChart};
use crate::error::AppError;
use crate::forms::{ErrorSummary, FormErrors, SelectField, TextField, title_with_errors};
use crate::layout::{Crumb, Page};
use crate::staff::CurrentUser;
use crate::tables::TableScroll;
use crate::{AppState, format, render};

pub(super) async fn results(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    results_page(&state, user, &id, &query, FormErrors::default()).await
}

/// The results page for the filters of `query`; `review_errors` are the mistakes of a
/// review form posted from it, shown next to their fields.
pub(super) async fn results_page(
    state: &AppState,
    user: CurrentUser,
    id: &str,
    query: &HashMap<String, String>,
    review_errors: FormErrors,
) -> Result<Html<String>, AppError> {
    let definition = find_survey(state, &user, id).await?;
    let points = user.territory(state).points(definition.survey.id).await?;
    let audience = Audience::of_role(user.role);
    let agent = audience.is_exact();
    let filters = Filters::parse(query, audience);
    let (total, results) = if filters.errors.is_empty() {
        user.territory(state)
            .survey_results(&definition, &filters.filter)
            .await?
    } else {
        (0, Vec::new())
    };
    let review = ReviewList::load(state, &user, &definition, &filters, query, audience).await?;
    let communes = user.territory(state).communes().await?;
    let publics = user.territory(state).publics().await?;
    let mut errors = FormErrors::default();
    for (field, message) in filters.errors.iter().chain(review_errors.iter()) {
        errors.add(field, message);
    }
    let title = title_with_errors(&format!("Résultats : {}", definition.survey.title), &errors);
    Ok(render::page(move || {
        let survey = definition.survey.clone();
        let field = |name: &str| filters.field(name);
        let (du_error, au_error) = (filters.errors.get("du"), filters.errors.get("au"));
        let widened = filters.widened.clone();
        let no_filter_error = filters.errors.is_empty();
        let print = with_query(
            &format!("/admin/enquetes/{}/resultats/imprimer", survey.id),
            &filters.query(),
        );
        let (point, commune, public, du, au) = (
            field("point"),
            field("commune"),
            field("public"),
            field("du"),
            field("au"),
        );
        let mut point_options = vec![(String::new(), "Tous les points".to_owned())];
        point_options.extend(
            points
                .iter()
                .map(|p: &CollectionPoint| (p.id.to_string(), p.label.clone())),
        );
        let mut commune_options = vec![(String::new(), "Toutes les communes".to_owned())];
        commune_options.extend(communes.into_iter().map(|c| (c.code, c.label)));
        commune_options.push((
            OUTSIDE_TERRITORY.0.to_owned(),
            OUTSIDE_TERRITORY.1.to_owned(),
        ));
        let mut public_options = vec![(String::new(), "Tous les publics".to_owned())];
        public_options.extend(publics.into_iter().map(|p| (p.code, p.label)));
        let questions: Vec<(Question, QuestionResult)> =
            definition.questions.iter().cloned().zip(results).collect();
        view! {
            <Page
                title=title
                staff=user.nav()
                breadcrumbs=vec![Crumb::link("Enquêtes", "/admin/enquetes"), Crumb::here(format!("Résultats : {}", survey.title))]
            >
                <h1>{format!("Résultats : {}", survey.title)}</h1>
                <form method="get" action=format!("/admin/enquetes/{}/resultats", survey.id) class="filters-form">
                    <SelectField name="point" label="Point de collecte".to_owned() options=point_options selected=point/>
                    <SelectField name="commune" label="Commune (déclarée)".to_owned() options=commune_options selected=commune/>
                    <SelectField name="public" label="Public (déclaré)".to_owned() options=public_options selected=public/>
                    <TextField name="du" label="Du".to_owned() kind="date" value=du error=du_error/>
                    <TextField name="au" label="Au".to_owned() kind="date" value=au error=au_error/>
                    <input type="hidden" name="relecture" value=review.state_code()/>
                    <button type="submit">"Filtrer"</button>
                </form>
                <ErrorSummary errors=errors.clone()/>
                <p><a href=print>"Version à imprimer"</a>" (graphiques, tableaux et citations relues, sans les formulaires)"</p>
                {widened.map(|text| view! { <p class="notice" role="status">{text}</p> })}
                {no_filter_error.then(|| view! {
                    <p class="lead"><strong>{total_text(audience, total)}</strong>" correspondent à ces filtres."</p>
                    {(!agent).then(|| view! { <p class="muted">{disclosure::NOTICE}</p> })}
                    {questions.into_iter().map(|(question, result)| view! { <QuestionResults question result audience links=true/> }).collect_view()}
                })}
                <h2 id="reponses-libres">"Réponses libres"</h2>
                <TextReview review definition=definition.clone() csrf=user.csrf_token.clone() errors=review_errors.clone()/>
            </Page>
        }
    }))
}

/// "12 réponses", "1 réponse", or "Moins de 5 réponses".
pub(super) fn total_text(audience: Audience, total: i64) -> String {
    match audience.count(total) {
        Count::Shown(1) => "1 réponse".to_owned(),
        Count::Shown(n) => format!("{} réponses", format::integer(n)),
        Count::Hidden => "Moins de 5 réponses".to_owned(),
    }
}

/// One question's results. `links` adds the links of the screen version; `quotes` (print
/// view) lists the reviewed answers of a text question instead of linking to them.
#[component]
pub(super) fn QuestionResults(
    question: Question,
    result: QuestionResult,
    audience: Audience,
    links: bool,
    #[prop(optional)] quotes: Option<Vec<Quote>>,
) -> impl IntoView {
    let exact = audience.is_exact();
    let heading = format!("{} · {}", question.code, question.label);
    let answered = {
        let count = audience.count(result.answered).answers();
        let mut letters = count.chars();
        let first = letters
            .next()
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_default();
        format!("{first}{} à cette question", letters.as_str())
    };
    let average = result
        .mean
        .filter(|_| audience.shows(result.answered))
        .map(|mean| {
            let scale = if question.kind == QuestionKind::Scale {
                " sur 5"
            } else {
                ""
            };
            format!("Moyenne : {}{scale}", format::decimal(mean, 1))
        });
    let body = if question.kind.has_options() {
        let base = result.answered.max(1) as f64;
        let bars: Vec<Bar> = result
            .options
            .iter()
            .map(|o| Bar {
                label: o.label.clone(),
                value: if audience.shows(o.count) {
                    o.count as f64
                } else {
                    0.0
                },
                shown: audience.count(o.count).to_string(),
            })
            .collect();
        let rows = result
            .options
            .iter()
            .map(|o| {
                // A share of a hidden total would give the total away.
                let share = if audience.shows(o.count) && audience.shows(result.answered) { format!("{} %", format::decimal(o.count as f64 * 100.0 / base, 1)) } else { "–".to_owned() };
                view! { <tr><td>{o.label.clone()}</td><td class="number">{audience.count(o.count).to_string()}</td><td class="number">{share}</td></tr> }
            })
            .collect_view();
        view! {
            <div class="result-figures">
            <BarChart summary=format!("Répartition des réponses à « {} »", question.label) bars/>
            <TableScroll label={format!("Réponses à « {} »", question.label)}>
                <table>
                    <caption class="visually-hidden">{format!("Réponses à « {} »", question.label)}</caption>
                    <thead><tr><th scope="col">"Réponse"</th><th scope="col" class="number">"Nombre"</th><th scope="col" class="number">"Part"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableScroll>
            </div>
        }
        .into_any()
    } else if let Some(quotes) = quotes.filter(|_| question.kind.is_text()) {
        view! { <Quotes quotes/> }.into_any()
    } else if question.kind.is_text() {
        view! { <p><a href="#reponses-libres">"Voir les réponses libres"</a></p> }.into_any()
    } else {
        let range = match (result.min, result.max) {
            (Some(min), Some(max)) if exact => {
                format!("De {} à {}.", format::number(min), format::number(max))
            }
            _ => String::new(),
        };
        view! { <p>{range}</p> }.into_any()
    };
    let need_link = (links && exact && question.kind.has_options()).then(|| {
        view! {
            <p><a href=format!("/admin/besoins/nouveau?question={}", question.id)>
                "Qualifier un besoin à partir de ces résultats"<span class="visually-hidden">{format!(" ({})", question.code)}</span>
            </a></p>
        }
    });
    view! {
        <section class="result">
            <h2>{heading}</h2>
            <p class="muted">{answered}</p>
            {average.map(|a| view! { <p><strong>{a}</strong></p> })}
            {body}
            {need_link}
        </section>
    }
}

/// The reviewed answers to one question, as quoted on paper.
#[component]
fn Quotes(quotes: Vec<Quote>) -> impl IntoView {
    let Some(of_question) = quotes.first().map(|q| q.of_question) else {
        return view! { <p>"Aucune réponse relue à citer."</p> }.into_any();
    };
    let shown = quotes.len() as i64;
    let more = (of_question > shown).then(|| {
        let others = of_question - shown;
        format!(
            "{} autre{} réponse{} relue{} non reproduite{}.",
            format::integer(others),
            plural(others),
            plural(others),
            plural(others),
            plural(others)
        )
    });
    view! {
        <ul class="quotes">
            {quotes.into_iter().map(|q| view! { <li><blockquote>{q.answer.text}</blockquote></li> }).collect_view()}
        </ul>
        {more.map(|text| view! { <p class="muted">{text}</p> })}
    }
    .into_any()
}

fn plural(n: i64) -> &'static str {
    if n > 1 { "s" } else { "" }
}
