//! A survey's results: per-question charts with their tables, filters, and the review of
//! free-text answers. Partenaires see counts under 5 as "< 5" and only reviewed texts.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use pouls::disclosure::{self, Audience, Count};
use pouls::survey::{
    CollectionPoint, Question, QuestionKind, QuestionResult, ResultsFilter, SurveyDefinition,
    TextAnswer, parse_french_date,
};

use super::{find_survey, parse_id};
use crate::charts::{Bar, BarChart};
use crate::error::AppError;
use crate::forms::{CsrfField, ErrorSummary, FormErrors, SelectField, TextField};
use crate::layout::{Crumb, Page};
use crate::staff::CurrentUser;
use crate::staff::guard::local_path;
use crate::tables::TableScroll;
use crate::urlencoded::Form;
use crate::{AppState, format, render};

const TEXT_LIMIT: i64 = 300;

pub(super) async fn results(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let definition = find_survey(&state, &id).await?;
    let points = state.storage.points(definition.survey.id).await?;
    let query_values = query.clone();
    let field = move |name: &str| {
        query_values
            .get(name)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let audience = Audience::of_role(user.role);
    let agent = audience.is_exact();
    let mut errors = FormErrors::default();
    let mut date = |name: &str| {
        let typed = field(name);
        if typed.is_empty() {
            return None;
        }
        parse_french_date(&typed)
            .map_err(|e| errors.add(name, e.0))
            .ok()
    };
    let (from, to) = (date("du"), date("au"));
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        errors.add("au", "La date de fin doit suivre la date de début.");
    }
    // Partenaires filter by whole months, so two views never differ by one day's answers.
    let period = audience.period(from, to);
    let filter = ResultsFilter {
        point_id: field("point").parse().ok(),
        commune: Some(field("commune")).filter(|c| !c.is_empty()),
        public: Some(field("public")).filter(|c| !c.is_empty()),
        from: period.from,
        to: period.to,
    };
    let (total, results) = if errors.is_empty() {
        state.storage.survey_results(&definition, &filter).await?
    } else {
        (0, Vec::new())
    };
    let texts: Vec<TextAnswer> = state
        .storage
        .text_answers(definition.survey.id, &filter, TEXT_LIMIT)
        .await?
        .into_iter()
        .filter(|t| agent || t.reviewed)
        .collect();
    let communes = state.storage.communes().await?;
    let publics = state.storage.publics().await?;
    let open_needs: Vec<(i64, String)> = if agent {
        state
            .storage
            .needs(None)
            .await?
            .into_iter()
            .filter(|n| n.status != pouls::needs::NeedStatus::Clos)
            .map(|n| (n.id, n.title))
            .collect()
    } else {
        Vec::new()
    };
    let here = format!(
        "/admin/enquetes/{}/resultats?{}",
        definition.survey.id,
        crate::query::encode(&query)
    );
    Ok(render::page(move || {
        let survey = definition.survey.clone();
        let mut point_options = vec![(String::new(), "Tous les points".to_owned())];
        point_options.extend(
            points
                .iter()
                .map(|p: &CollectionPoint| (p.id.to_string(), p.label.clone())),
        );
        let mut commune_options = vec![(String::new(), "Toutes les communes".to_owned())];
        commune_options.extend(communes.into_iter().map(|c| (c.code, c.label)));
        commune_options.push(("hors-ccyn".to_owned(), "Hors CCYN".to_owned()));
        let mut public_options = vec![(String::new(), "Tous les publics".to_owned())];
        public_options.extend(publics.into_iter().map(|p| (p.code, p.label)));
        let questions: Vec<(Question, QuestionResult)> =
            definition.questions.iter().cloned().zip(results).collect();
        let total_text = match audience.count(total) {
            Count::Shown(1) => "1 réponse".to_owned(),
            Count::Shown(n) => format!("{} réponses", format::integer(n)),
            Count::Hidden => "Moins de 5 réponses".to_owned(),
        };
        let widened = period.widened.then(|| {
            let day = |d: Option<time::Date>| d.map(format::date);
            let span = match (day(period.from), day(period.to)) {
                (Some(from), Some(to)) => format!("du {from} au {to}"),
                (Some(from), None) => format!("à partir du {from}"),
                (None, Some(to)) => format!("jusqu'au {to}"),
                (None, None) => String::new(),
            };
            format!("Pour préserver l'anonymat, la période est arrondie au mois entier : {span}.")
        });
        let du_error = errors.get("du");
        let au_error = errors.get("au");
        view! {
            <Page
                title=format!("Résultats : {}", survey.title)
                staff=user.nav()
                breadcrumbs=vec![Crumb::link("Enquêtes", "/admin/enquetes"), Crumb::here(format!("Résultats : {}", survey.title))]
            >
                <h1>{format!("Résultats : {}", survey.title)}</h1>
                <form method="get" action=format!("/admin/enquetes/{}/resultats", survey.id) class="filters-form">
                    <SelectField name="point" label="Point de collecte".to_owned() options=point_options selected=field("point")/>
                    <SelectField name="commune" label="Commune (déclarée)".to_owned() options=commune_options selected=field("commune")/>
                    <SelectField name="public" label="Public (déclaré)".to_owned() options=public_options selected=field("public")/>
                    <TextField name="du" label="Du".to_owned() kind="date" value=field("du") error=du_error/>
                    <TextField name="au" label="Au".to_owned() kind="date" value=field("au") error=au_error/>
                    <button type="submit">"Filtrer"</button>
                </form>
                <ErrorSummary errors=errors.clone()/>
                {widened.map(|text| view! { <p class="notice" role="status">{text}</p> })}
                {errors.is_empty().then(|| view! {
                    <p class="lead"><strong>{total_text}</strong>" correspondent à ces filtres."</p>
                    {(!agent).then(|| view! { <p class="muted">{disclosure::NOTICE}</p> })}
                    {questions.into_iter().map(|(question, result)| view! { <QuestionResults question result audience/> }).collect_view()}
                })}
                <h2 id="reponses-libres">"Réponses libres"</h2>
                <TextReview texts definition=definition.clone() csrf=user.csrf_token.clone() agent back=here.clone() needs=open_needs.clone()/>
            </Page>
        }
    }))
}

#[component]
fn QuestionResults(
    question: Question,
    result: QuestionResult,
    audience: Audience,
) -> impl IntoView {
    let exact = audience.is_exact();
    let heading = format!("{} · {}", question.code, question.label);
    let answered = match audience.count(result.answered) {
        Count::Shown(1) => "1 réponse à cette question".to_owned(),
        count => format!("{count} réponses à cette question"),
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
                let share = if audience.shows(o.count) { format!("{} %", format::decimal(o.count as f64 * 100.0 / base, 1)) } else { "–".to_owned() };
                view! { <tr><td>{o.label.clone()}</td><td class="number">{audience.count(o.count).to_string()}</td><td class="number">{share}</td></tr> }
            })
            .collect_view();
        view! {
            <BarChart summary=format!("Répartition des réponses à « {} »", question.label) bars/>
            <TableScroll label={format!("Réponses à « {} »", question.label)}>
                <table>
                    <caption class="visually-hidden">{format!("Réponses à « {} »", question.label)}</caption>
                    <thead><tr><th scope="col">"Réponse"</th><th scope="col" class="number">"Nombre"</th><th scope="col" class="number">"Part"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableScroll>
        }
        .into_any()
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
    let need_link = (exact && question.kind.has_options()).then(|| {
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

#[component]
fn TextReview(
    texts: Vec<TextAnswer>,
    definition: SurveyDefinition,
    csrf: String,
    agent: bool,
    back: String,
    /// Open needs an answer can be attached to: (id, title).
    needs: Vec<(i64, String)>,
) -> impl IntoView {
    if texts.is_empty() {
        return view! { <p>"Aucune réponse libre à afficher."</p> }.into_any();
    }
    let action = format!("/admin/enquetes/{}/relecture", definition.survey.id);
    view! {
        <ul class="text-answers">
            {texts.into_iter().map(|text| {
                let question = definition.question(text.question_id).map(|q| format!("{} · {}", q.code, q.label)).unwrap_or_default();
                let status = if text.publishable { "Relue, publiable" } else if text.reviewed { "Relue" } else { "À relire" };
                // Read after each button's label, so that the buttons repeated for every
                // answer each have a distinct name (RGAA 11.9).
                let excerpt: String = text.text.chars().take(40).collect();
                let more = if text.text.chars().count() > 40 { "…" } else { "" };
                let context = format!(" : « {}{more} »", excerpt.trim());
                let buttons = agent.then(|| {
                    let form = |state: &'static str, label: &'static str| view! {
                        <form method="post" action=action.clone() class="inline-form">
                            <CsrfField token=csrf.clone()/>
                            <input type="hidden" name="response" value=text.response_id.to_string()/>
                            <input type="hidden" name="question" value=text.question_id.to_string()/>
                            <input type="hidden" name="etat" value=state/>
                            <input type="hidden" name="retour" value=back.clone()/>
                            <button type="submit" class="secondary">{label}<span class="visually-hidden">{context.clone()}</span></button>
                        </form>
                    };
                    let source = format!("a:{}:{}", text.response_id, text.question_id);
                    let select_id = format!("besoin-{}-{}", text.response_id, text.question_id);
                    view! {
                        <div class="button-row">
                            {(!text.reviewed).then(|| form("relue", "Marquer relue"))}
                            {(!text.publishable).then(|| form("publiable", "Relue et publiable"))}
                            {text.reviewed.then(|| form("a-relire", "Remettre à relire"))}
                            <a href=format!("/admin/besoins/nouveau?reponse={}-{}", text.response_id, text.question_id)>
                                "Créer un besoin"<span class="visually-hidden">{format!(" à partir de la réponse{}", context.clone())}</span>
                            </a>
                        </div>
                        {(!needs.is_empty()).then(|| view! {
                            <form method="post" action="/admin/besoins/rattacher" class="inline-fields">
                                <CsrfField token=csrf.clone()/>
                                <input type="hidden" name="source" value=source.clone()/>
                                <input type="hidden" name="retour" value=back.clone()/>
                                <div class="field">
                                    <label for=select_id.clone()>"Rattacher à un besoin"<span class="visually-hidden">{context.clone()}</span></label>
                                    <select id=select_id.clone() name="need">
                                        {needs.iter().map(|(id, title)| view! { <option value=id.to_string()>{title.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit" class="secondary">"Rattacher"<span class="visually-hidden">{context.clone()}</span></button>
                            </form>
                        })}
                    }
                });
                view! {
                    <li class="text-answer">
                        <p class="muted">{format!("{question} · {} · {status}", format::datetime_short(text.submitted_hour))}</p>
                        <blockquote>{text.text}</blockquote>
                        {buttons}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

pub(super) async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let survey_id = parse_id(&id)?;
    let field = |name: &str| fields.get(name).map(String::as_str).unwrap_or_default();
    let response: i64 = field("response").parse().map_err(|_| AppError::NotFound)?;
    let question: i64 = field("question").parse().map_err(|_| AppError::NotFound)?;
    let (reviewed, publishable) = match field("etat") {
        "relue" => (true, false),
        "publiable" => (true, true),
        _ => (false, false),
    };
    // Only answers of this survey's questions.
    let definition = state
        .storage
        .survey_definition(survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    definition.question(question).ok_or(AppError::NotFound)?;
    if !state
        .storage
        .review_text(response, question, reviewed, publishable, &user.actor())
        .await?
    {
        return Err(AppError::NotFound);
    }
    let back = local_path(field("retour"))
        .unwrap_or("/admin/enquetes")
        .to_owned();
    Ok(Redirect::to(&format!("{back}#reponses-libres")).into_response())
}
