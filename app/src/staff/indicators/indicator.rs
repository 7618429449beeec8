//! `/admin/indicateurs/{code}`: an indicator's settings, the rules that compute it from
//! answers, the values recorded by staff, and the history of its changes.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use pouls::audit::{AuditEvent, AuditFilter};
use pouls::disclosure::Audience;
use pouls::domain::{FieldErrors, IndicatorCode};
use pouls::indicators::{
    IndicatorSettings, RecordDraft, RecordInput, RuleDraft, RuleKind, SettingsInput,
};
use pouls::plan::IndicatorKind;
use pouls::storage::IndicatorReport;
use pouls::survey::{FormValues, Question, SurveyDefinition};

use super::action::IndicatorSection;
use crate::error::AppError;
use crate::forms::{
    CheckboxField, CheckboxesField, CsrfField, ErrorSummary, SelectField, TextAreaField, TextField,
    title_with_errors,
};
use crate::layout::{Crumb, Page};
use crate::staff::CurrentUser;
use crate::urlencoded::Form;
use crate::{AppState, format, render};

async fn report(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
) -> Result<IndicatorReport, AppError> {
    let code = IndicatorCode::parse(code).map_err(|_| AppError::NotFound)?;
    let action = i32::from(code.action().get());
    user.territory(state)
        .indicator_reports(Some(action), None)
        .await?
        .into_iter()
        .find(|r| r.code == code.to_string())
        .ok_or(AppError::NotFound)
}

/// The surveys that serve the indicator's action, with their questions.
async fn candidate_surveys(
    state: &AppState,
    user: &CurrentUser,
    action: i32,
) -> Result<Vec<SurveyDefinition>, AppError> {
    let mut surveys = Vec::new();
    for summary in user.territory(state).surveys().await? {
        if summary.survey.actions.contains(&action)
            && let Some(definition) = user
                .territory(state)
                .survey_definition(summary.survey.id)
                .await?
        {
            surveys.push(definition);
        }
    }
    Ok(surveys)
}

fn settings_input(settings: &IndicatorSettings) -> SettingsInput {
    SettingsInput {
        kind: settings.kind.as_str().to_owned(),
        unit: settings.unit.clone(),
        baseline_value: settings
            .baseline_value
            .map(format::number)
            .unwrap_or_default(),
        baseline_label: settings.baseline_label.clone(),
        target_value: settings
            .target_value
            .map(format::number)
            .unwrap_or_default(),
        periodicity: settings.periodicity.code().to_owned(),
        published: settings.published,
    }
}

/// What the page shows besides the indicator: form values and errors to redisplay.
#[derive(Default)]
struct Forms {
    settings: Option<SettingsInput>,
    record: RecordInput,
    errors: FieldErrors,
    notice: Option<&'static str>,
}

pub(super) async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let notice = query.get("fait").and_then(|done| {
        Some(match done.as_str() {
            "reglages" => "Les réglages ont été enregistrés.",
            "regle" => "La règle de calcul a été ajoutée.",
            "regle-retiree" => "La règle de calcul a été retirée.",
            "valeur" => "La valeur a été enregistrée.",
            _ => return None,
        })
    });
    render_page(
        &state,
        user,
        &code,
        Forms {
            notice,
            ..Forms::default()
        },
    )
    .await
}

async fn render_page(
    state: &AppState,
    user: CurrentUser,
    code: &str,
    forms: Forms,
) -> Result<Html<String>, AppError> {
    let report = report(state, &user, code).await?;
    let surveys = candidate_surveys(state, &user, report.action_number).await?;
    let history = state
        .storage
        .audit_events(&AuditFilter {
            object: Some(("indicator".to_owned(), report.code.clone())),
            limit: 50,
            territory: Some(user.territory_id),
            ..AuditFilter::default()
        })
        .await?;
    let settings = forms
        .settings
        .unwrap_or_else(|| settings_input(&report.settings));
    let record = forms.record;
    let errors = forms.errors;
    let notice = forms.notice;
    let title = title_with_errors(&format!("Indicateur {}", report.code), &errors);
    Ok(render::page(move || {
        let lookup = errors.clone();
        let e = move |field: &str| lookup.get(field);
        let base = format!("/admin/indicateurs/{}", report.code);
        let csrf = user.csrf_token.clone();
        let kinds: Vec<(String, String)> = [
            IndicatorKind::Count,
            IndicatorKind::Rate,
            IndicatorKind::Score,
            IndicatorKind::Qualitative,
        ]
        .into_iter()
        .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
        .collect();
        let periodicities = vec![
            ("year".to_owned(), "Annuelle".to_owned()),
            ("half".to_owned(), "Semestrielle".to_owned()),
        ];
        let periods: Vec<(String, String)> = report
            .settings
            .periodicity
            .periods()
            .into_iter()
            .map(|p| (p.code(), p.label()))
            .collect();
        let questions: Vec<(String, String)> = surveys
            .iter()
            .flat_map(|d| {
                d.questions.iter().map(move |q| {
                    (
                        q.id.to_string(),
                        format!(
                            "{} · {} · {} ({})",
                            d.survey.title,
                            q.code,
                            q.label,
                            q.kind.label()
                        ),
                    )
                })
            })
            .collect();
        let rules = report.rules.clone();
        let action = report.action_number;
        view! {
            <Page
                title=title
                staff=user.nav()
                breadcrumbs=vec![
                    Crumb::link("Suivi du plan", "/admin/plan"),
                    Crumb::link(format!("Action {action}"), format!("/admin/plan/actions/{action}")),
                    Crumb::here(report.code.clone()),
                ]
            >
                <h1>{format!("Indicateur {}", report.code)}</h1>
                {notice.map(|text| view! { <p class="notice" role="status">{text}</p> })}
                <ErrorSummary errors=errors.clone()/>
                <IndicatorSection report=report.clone() can_edit=false audience=Audience::Staff/>

                <h2>"Réglages"</h2>
                <form method="post" novalidate action=format!("{base}/reglages") class="stack narrow">
                    <CsrfField token=csrf.clone()/>
                    <SelectField name="kind" label="Type".to_owned() options=kinds selected=settings.kind.clone() error=e("kind")/>
                    <TextField name="unit" label="Unité (facultatif)".to_owned() value=settings.unit.clone() error=e("unit") hint="Par exemple : participants, guides, %.".to_owned()/>
                    <TextField name="baseline_value" label="Valeur de référence (facultatif)".to_owned() value=settings.baseline_value.clone() error=e("baseline_value")/>
                    <TextField name="baseline_label" label="Origine de la valeur de référence".to_owned() value=settings.baseline_label.clone() error=e("baseline_label") hint="Par exemple : bilan CTG 2022-2025.".to_owned()/>
                    <TextField name="target_value" label="Cible 2030 (facultatif)".to_owned() value=settings.target_value.clone() error=e("target_value")/>
                    <SelectField name="periodicity" label="Périodicité".to_owned() options=periodicities selected=settings.periodicity.clone() error=e("periodicity")/>
                    <CheckboxField name="published" label="Publier les valeurs sur la fiche publique de l'action".to_owned() checked=settings.published/>
                    <button type="submit">"Enregistrer les réglages"</button>
                </form>

                <h2>"Calcul à partir des réponses"</h2>
                {if rules.is_empty() {
                    view! { <p>"Aucune règle : l'indicateur n'est pas calculé à partir des enquêtes."</p> }.into_any()
                } else {
                    view! {
                        <ul class="question-list">
                            {rules.into_iter().map(|rule| {
                                let options = if rule.options.is_empty() { String::new() } else { format!(" · options : {}", rule.options.join(", ")) };
                                view! {
                                    <li class="question-item">
                                        <p><strong>{rule.kind.label()}</strong>{options}</p>
                                        <p class="muted">{format!("Enquête « {} », {} « {} »", rule.survey_title, rule.question_code, rule.question_label)}</p>
                                        <form method="post" action=format!("{base}/regles/{}/supprimer", rule.id) class="inline-form">
                                            <CsrfField token=csrf.clone()/>
                                            <button type="submit" class="secondary">"Retirer cette règle"</button>
                                        </form>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                {if questions.is_empty() {
                    view! { <p>{format!("Aucune enquête ne sert encore l'action {action}. Cochez cette action dans une enquête pour pouvoir calculer l'indicateur à partir de ses réponses.")}</p> }.into_any()
                } else {
                    view! {
                        <form method="get" action=format!("{base}/regle") class="stack narrow">
                            <SelectField name="question" label="Ajouter une règle sur la question".to_owned() options=questions error=e("question")/>
                            <button type="submit" class="secondary">"Choisir le calcul"</button>
                        </form>
                    }.into_any()
                }}

                <h2>"Saisir une valeur"</h2>
                <p>"Pour ce que la plateforme ne voit pas : nombre de guides imprimés, de formations tenues… Une valeur saisie remplace la valeur calculée pour sa période ; l'ancienne reste dans l'historique."</p>
                <form method="post" novalidate action=format!("{base}/valeurs") class="stack narrow">
                    <CsrfField token=csrf.clone()/>
                    <SelectField name="period" label="Période".to_owned() options=periods selected=record.period.clone() error=e("period")/>
                    <TextField name="value" label="Valeur".to_owned() value=record.value.clone() error=e("value") hint="Un nombre. Pour un indicateur qualitatif, laissez vide et écrivez l'appréciation ci-dessous.".to_owned()/>
                    <TextAreaField name="text" label="Appréciation (indicateur qualitatif)".to_owned() value=record.text.clone() error=e("text") rows=3/>
                    <TextField name="source" label="Source".to_owned() value=record.source.clone() error=e("source") required=true/>
                    <TextAreaField name="note" label="Note (facultatif)".to_owned() value=record.note.clone() error=e("note") rows=2/>
                    <button type="submit">"Enregistrer la valeur"</button>
                </form>

                <h2>"Historique"</h2>
                <History events=history/>
            </Page>
        }
    }))
}

#[component]
fn History(events: Vec<AuditEvent>) -> impl IntoView {
    if events.is_empty() {
        return view! { <p>"Aucune modification pour l'instant."</p> }.into_any();
    }
    view! {
        <ul class="link-list">
            {events.into_iter().map(|event| {
                let action = pouls::audit::AuditAction::from_code(&event.action).map_or(event.action.clone(), |a| a.label().to_owned());
                view! { <li>{format!("{} · {} · {action} {}", format::datetime_short(event.at), event.actor, event.detail)}</li> }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

pub(super) async fn save_settings(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let report = report(&state, &user, &code).await?;
    let values = FormValues::from_pairs(fields);
    let input = SettingsInput {
        kind: values.first("kind").to_owned(),
        unit: values.first("unit").to_owned(),
        baseline_value: values.first("baseline_value").to_owned(),
        baseline_label: values.first("baseline_label").to_owned(),
        target_value: values.first("target_value").to_owned(),
        periodicity: values.first("periodicity").to_owned(),
        published: values.first("published") == "1",
    };
    match IndicatorSettings::parse(&report.code, &input) {
        Ok(settings) => {
            user.territory(&state)
                .update_indicator_settings(&settings, &user.actor())
                .await?;
            Ok(
                Redirect::to(&format!("/admin/indicateurs/{}?fait=reglages", report.code))
                    .into_response(),
            )
        }
        Err(errors) => {
            let page = render_page(
                &state,
                user,
                &report.code,
                Forms {
                    settings: Some(input),
                    errors,
                    ..Forms::default()
                },
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub(super) async fn record(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let report = report(&state, &user, &code).await?;
    let values = FormValues::from_pairs(fields);
    let input = RecordInput {
        period: values.first("period").to_owned(),
        value: values.first("value").to_owned(),
        text: values.first("text").to_owned(),
        source: values.first("source").to_owned(),
        note: values.first("note").to_owned(),
    };
    match RecordDraft::parse(&input) {
        Ok(draft) => {
            user.territory(&state)
                .record_value(&report.code, &draft, &user.actor())
                .await?;
            Ok(
                Redirect::to(&format!("/admin/indicateurs/{}?fait=valeur", report.code))
                    .into_response(),
            )
        }
        Err(errors) => {
            let page = render_page(
                &state,
                user,
                &report.code,
                Forms {
                    record: input,
                    errors,
                    ..Forms::default()
                },
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// The question a rule would be set on, with its survey's actions.
async fn rule_question(
    state: &AppState,
    user: &CurrentUser,
    question: &str,
    action: i32,
) -> Result<(SurveyDefinition, Question), AppError> {
    let id: i64 = question.parse().map_err(|_| AppError::NotFound)?;
    for definition in candidate_surveys(state, user, action).await? {
        if let Some(question) = definition.question(id).cloned() {
            return Ok((definition, question));
        }
    }
    Err(AppError::NotFound)
}

pub(super) async fn rule_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let report = report(&state, &user, &code).await?;
    let question = query
        .get("question")
        .map(String::as_str)
        .unwrap_or_default();
    let (definition, question) =
        rule_question(&state, &user, question, report.action_number).await?;
    Ok(rule_page(
        user,
        &report,
        &definition,
        &question,
        FieldErrors::default(),
        &[],
    )
    .into_response())
}

fn rule_page(
    user: CurrentUser,
    report: &IndicatorReport,
    definition: &SurveyDefinition,
    question: &Question,
    errors: FieldErrors,
    checked: &[String],
) -> Html<String> {
    let title = title_with_errors(&format!("Règle de calcul pour {}", report.code), &errors);
    let kinds: Vec<(String, String)> = RuleKind::FOR_QUESTIONS
        .iter()
        .map(|k| (k.code().to_owned(), k.label().to_owned()))
        .collect();
    let options: Vec<(String, String)> = question
        .options
        .iter()
        .map(|o| (o.code.clone(), o.label.clone()))
        .collect();
    let code = report.code.clone();
    let label = report.label.clone();
    let source = format!(
        "Enquête « {} », {} « {} » ({})",
        definition.survey.title,
        question.code,
        question.label,
        question.kind.label()
    );
    let question_id = question.id.to_string();
    let checked = checked.to_vec();
    render::page(move || {
        let lookup = errors.clone();
        let e = move |field: &str| lookup.get(field);
        view! {
            <Page title=title staff=user.nav() breadcrumbs=vec![Crumb::link("Suivi du plan", "/admin/plan"), Crumb::link(code.clone(), format!("/admin/indicateurs/{code}")), Crumb::here("Règle de calcul")]>
                <h1>{format!("Calculer {} à partir d'une question", code)}</h1>
                <p class="lead">{label}</p>
                <p>{source}</p>
                <ErrorSummary errors=errors.clone()/>
                <form method="post" novalidate action=format!("/admin/indicateurs/{code}/regles") class="stack narrow">
                    <CsrfField token=user.csrf_token.clone()/>
                    <input type="hidden" name="question" value=question_id/>
                    <SelectField name="rule_kind" label="Calcul".to_owned() options=kinds error=e("rule_kind")/>
                    {(!options.is_empty()).then(|| view! {
                        <CheckboxesField name="options" legend="Options à compter (part, ou nombre limité à une option)".to_owned() options=options checked=checked error=e("options")
                            hint="Par exemple 4 et 5 pour « satisfait » sur une échelle de 1 à 5.".to_owned()/>
                    })}
                    <button type="submit">"Ajouter la règle"</button>
                </form>
            </Page>
        }
    })
}

pub(super) async fn add_rule(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let report = report(&state, &user, &code).await?;
    let values = FormValues::from_pairs(fields);
    let (definition, question) = rule_question(
        &state,
        &user,
        values.first("question"),
        report.action_number,
    )
    .await?;
    let options = values.all("options").to_vec();
    let outcome = RuleDraft::parse(
        values.first("rule_kind"),
        &options,
        &question,
        &definition.survey.actions,
        report.action_number,
    );
    let errors = match outcome {
        Ok(draft) => match user
            .territory(&state)
            .add_rule(&report.code, &draft, &user.actor())
            .await?
        {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/admin/indicateurs/{}?fait=regle", report.code))
                        .into_response(),
                );
            }
            Err(existing) => {
                let mut errors = FieldErrors::default();
                errors.add("rule_kind", format!("Cet indicateur est déjà calculé ainsi : « {} ». Les règles d'un même indicateur s'additionnent et doivent utiliser le même calcul.", existing.label()));
                errors
            }
        },
        Err(errors) => errors,
    };
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        rule_page(user, &report, &definition, &question, errors, &options),
    )
        .into_response())
}

pub(super) async fn delete_rule(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let report = report(&state, &user, &code).await?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    if !user
        .territory(&state)
        .delete_rule(&report.code, id, &user.actor())
        .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!(
        "/admin/indicateurs/{}?fait=regle-retiree",
        report.code
    ))
    .into_response())
}
