//! `/plan/actions/{n}`: one action of the plan, its indicators with their latest public
//! values (each in its unit; distributions as a chart and a table), and the surveys and
//! decisions tied to it.

use std::collections::HashMap;

use axum::extract::Path;
use axum::response::Html;
use leptos::prelude::*;
use pouls::disclosure::{Audience, Breakdown};
use pouls::domain::ActionNumber;
use pouls::indicators::RuleKind;
use pouls::needs::NeedStatus;
use pouls::plan::{ActionDetail, Indicator};
use pouls::storage::{IndicatorReport, PublicDecision};
use pouls::survey::SurveyStatus;

use super::public::Public;
use crate::charts::DistributionTable;
use crate::error::AppError;
use crate::layout::{Crumb, Page};
use crate::tables::TableScroll;
use crate::text::{BulletList, RichText};
use crate::values::{category_heading, distribution, figure};
use crate::{format, render};

pub(super) async fn action(
    Public {
        territory,
        base,
        name,
    }: Public,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let number = params.get("number").ok_or(AppError::NotFound)?;
    let number = ActionNumber::parse(number).map_err(|_| AppError::NotFound)?;
    let number = i32::from(number.get());
    let detail = territory
        .action_detail(number)
        .await?
        .ok_or(AppError::NotFound)?;
    let reports = territory.indicator_reports(Some(number), None).await?;
    let published: Vec<Published> = reports.iter().map(published_value).collect();
    let surveys: Vec<Heard> = territory
        .surveys()
        .await?
        .into_iter()
        .filter(|s| s.survey.actions.contains(&number) && s.survey.status != SurveyStatus::Draft)
        .map(|s| Heard {
            id: s.survey.id,
            title: s.survey.title,
            answers: Audience::Public.count(s.survey.response_count).answers(),
        })
        .collect();
    let needs: HashMap<i64, (String, NeedStatus)> = territory
        .needs(None)
        .await?
        .into_iter()
        .map(|n| (n.id, (n.title, n.status)))
        .collect();
    let decisions: Vec<(PublicDecision, Option<(String, NeedStatus)>)> = territory
        .public_decisions()
        .await?
        .into_iter()
        .filter(|d| d.decision.action_number == number)
        .map(|d| {
            let need = d.decision.need_id.and_then(|id| needs.get(&id).cloned());
            (d, need)
        })
        .collect();
    let last = territory
        .action_titles()
        .await?
        .last()
        .map_or(number, |(last, _)| *last);
    Ok(render::page(move || {
        view! { <ActionPage detail published surveys decisions last base name=name.clone()/> }
    }))
}

/// A survey serving the action, as the public sees it.
#[derive(Debug, Clone)]
struct Heard {
    id: i64,
    title: String,
    answers: String,
}

/// A distribution the public may see: its caption, the categories' heading and labels.
#[derive(Debug, Clone)]
struct Shown {
    caption: String,
    heading: &'static str,
    labels: Vec<String>,
    breakdown: Breakdown,
}

/// An indicator's latest value as the public may see it.
#[derive(Debug, Clone, Default)]
struct Published {
    value: String,
    detail: String,
    distribution: Option<Shown>,
}

fn published_value(report: &IndicatorReport) -> Published {
    if !report.settings.published {
        return Published::default();
    }
    let Some(latest) = report.latest() else {
        return Published {
            value: "Pas encore mesuré".to_owned(),
            ..Published::default()
        };
    };
    let Some(shown) = figure(report, latest, Audience::Public) else {
        return Published::default();
    };
    let detail = match &shown.basis {
        Some(basis) => format!("{}, {basis}", latest.period.label()),
        None => latest.period.label(),
    };
    let distribution = latest
        .computed
        .as_ref()
        .filter(|c| latest.recorded.is_none() && c.kind == RuleKind::Distribution)
        .map(|c| Shown {
            caption: format!("{} : répartition, {}", report.code, latest.period.label()),
            heading: category_heading(report),
            labels: c.breakdown.iter().map(|(label, _)| label.clone()).collect(),
            breakdown: distribution(c, Audience::Public),
        })
        .filter(|d| d.breakdown.is_shown());
    Published {
        value: shown.value,
        detail,
        distribution,
    }
}

#[component]
fn ActionPage(
    detail: ActionDetail,
    published: Vec<Published>,
    surveys: Vec<Heard>,
    decisions: Vec<(PublicDecision, Option<(String, NeedStatus)>)>,
    /// The number of the plan's last action.
    last: i32,
    base: String,
    name: String,
) -> impl IntoView {
    let number = detail.summary.number;
    let heading = format!("Action {number} : {}", detail.summary.title);
    let ambition = format!(
        "Ambition {} : {}",
        detail.ambition_number, detail.ambition_title
    );
    let themes: Vec<String> = detail.themes.into_iter().map(|t| t.label).collect();
    let distributions: Vec<Shown> = published
        .iter()
        .filter_map(|p| p.distribution.clone())
        .collect();
    let neighbours = view! {
        <nav class="pager" aria-label="Actions voisines">
            <ul>
                {(number > 1).then(|| view! { <li><a href=format!("{base}/plan/actions/{}", number - 1)>{format!("Action précédente ({})", number - 1)}</a></li> })}
                {(number < last).then(|| view! { <li><a href=format!("{base}/plan/actions/{}", number + 1)>{format!("Action suivante ({})", number + 1)}</a></li> })}
            </ul>
        </nav>
    };
    view! {
        <Page
            title=format!("Action {number}")
            breadcrumbs=vec![
                Crumb::link("Accueil", format!("{base}/")),
                Crumb::link("Plan d'actions", format!("{base}/plan")),
                Crumb::here(format!("Action {number}")),
            ]
            base=base.clone()
            territory=name
        >
            <h1>{heading}</h1>
            <dl class="facts">
                <dt>"Ambition"</dt>
                <dd>{ambition}</dd>
                <dt>"Orientation"</dt>
                <dd>{detail.orientation_title}</dd>
                <dt>"Priorité"</dt>
                <dd>{detail.summary.phase.label()}</dd>
                <dt>"Champs d'intervention"</dt>
                <dd>{themes.join(", ")}</dd>
            </dl>
            <p class="lead">{format!("Objectif : {}", detail.summary.objective)}</p>
            <h2>"Indicateurs d'évaluation"</h2>
            <IndicatorTable indicators=detail.indicators published/>
            {distributions.into_iter().map(|d| view! {
                <h3>{d.caption.clone()}</h3>
                <DistributionTable caption=d.caption category=d.heading labels=d.labels breakdown=d.breakdown/>
            }).collect_view()}
            <h2 id="enquetes">"Ce que les habitants ont dit"</h2>
            {if surveys.is_empty() {
                view! { <p>"Aucun questionnaire n'a encore servi cette action."</p> }.into_any()
            } else {
                view! {
                    <ul class="link-list">
                        {surveys.into_iter().map(|s| view! {
                            <li><a href=format!("{base}/resultats#enquete-{}", s.id)>{s.title}</a>{format!(" : {}", s.answers)}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h2 id="decisions">"Ce qui a été décidé"</h2>
            <Decisions decisions/>
            <p><a href=format!("{base}/resultats#action-{number}")>{format!("Vous avez dit, nous avons fait : l'action {number}")}</a></p>
            <h2>"Finalité"</h2>
            <RichText text=detail.finality/>
            <h2>"Diagnostic initial et enjeux"</h2>
            <RichText text=detail.diagnostic/>
            <h2>"Objectifs opérationnels"</h2>
            <BulletList items=detail.operational_objectives/>
            <h2>"Publics cibles"</h2>
            <BulletList items=detail.target_publics/>
            <h2>"Modalités de mise en œuvre"</h2>
            <RichText text=detail.implementation/>
            <h2>"Services mobilisés"</h2>
            <BulletList items=detail.services/>
            <h2>"Partenaires"</h2>
            <BulletList items=detail.partners/>
            <h2>"Résultats attendus"</h2>
            <BulletList items=detail.expected_results/>
            {neighbours}
        </Page>
    }
}

#[component]
fn Decisions(decisions: Vec<(PublicDecision, Option<(String, NeedStatus)>)>) -> impl IntoView {
    if decisions.is_empty() {
        return view! { <p>"Aucune décision n'a encore ajusté cette action."</p> }.into_any();
    }
    view! {
        <ul class="decisions">
            {decisions.into_iter().map(|(d, need)| view! {
                <li>
                    {d.decision.what}" : "<strong>{d.decision.status.label()}</strong>
                    <br/>
                    <span class="muted">
                        {need.map(|(title, status)| format!("En réponse au besoin « {title} » ({}). ", status.label().to_lowercase()))}
                        {format!("{}, {}.", d.meeting_kind.label(), format::date(d.held_on))}
                    </span>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn IndicatorTable(indicators: Vec<Indicator>, published: Vec<Published>) -> impl IntoView {
    view! {
        <TableScroll label="Indicateurs d'évaluation de l'action">
            <table>
                <caption class="visually-hidden">"Indicateurs d'évaluation de l'action"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Code"</th>
                        <th scope="col">"Indicateur"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Dernière valeur"</th>
                    </tr>
                </thead>
                <tbody>
                    {indicators
                        .into_iter()
                        .zip(published.into_iter().chain(std::iter::repeat(Published::default())))
                        .map(|(indicator, published)| {
                            view! {
                                <tr>
                                    <td>{indicator.code}</td>
                                    <td>{indicator.label}</td>
                                    <td>{indicator.kind.label()}</td>
                                    <td>
                                        {published.value}
                                        {(!published.detail.is_empty()).then(|| view! { <br/><span class="muted">{published.detail}</span> })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableScroll>
    }
}
