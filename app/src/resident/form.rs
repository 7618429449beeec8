//! The resident form: the whole survey on one page, readable at 360 px, without script.
//! Shared by `/q/{code}` and the staff preview.

use leptos::prelude::*;
use pouls::domain::FieldErrors;
use pouls::survey::{FormValues, Question, QuestionKind, SurveyDefinition};

use crate::format;
use crate::forms::{ErrorSummary, TextArea, field_id};

/// What the form needs besides the survey.
#[derive(Debug, Clone, Default)]
pub struct FormState {
    /// The form's one-time token, signed by the server (its nonce kept across a failed
    /// submit).
    pub token: String,
    pub values: FormValues,
    pub errors: FieldErrors,
}

#[component]
pub fn SurveyForm(
    definition: SurveyDefinition,
    /// Where the form posts; `None` for the staff preview (nothing can be sent).
    action: Option<String>,
    state: FormState,
    /// The session's CSRF token, when staff fill the form (paper answers typed in).
    #[prop(optional_no_strip)]
    csrf: Option<String>,
    /// Fields of staff's own before the questions (the collection day of paper answers).
    #[prop(optional_no_strip)]
    leading: Option<AnyView>,
) -> impl IntoView {
    let retention = format::date(definition.survey.retention_until);
    let questions: Vec<_> = definition
        .questions
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let condition = question
                .condition
                .as_ref()
                .and_then(|c| definition.describe_condition(c))
                .map(|(label, option)| format!("À remplir seulement si vous avez répondu « {option} » à la question « {label} »."));
            view! {
                <QuestionField
                    question=question.clone()
                    number=index + 1
                    condition
                    values=state.values.clone()
                    error=state.errors.get(&question.code)
                />
            }
        })
        .collect();
    let submit = match &action {
        Some(_) => view! { <button type="submit" class="submit">"Envoyer mes réponses"</button> }
            .into_any(),
        None => view! { <p class="notice">"Aperçu : ce formulaire ne peut pas être envoyé."</p> }
            .into_any(),
    };
    view! {
        <p class="privacy-note">
            {format!("Anonyme : ni nom, ni adresse, ni cookie. Vos réponses servent à adapter les actions de la communauté de communes et sont conservées jusqu'au {retention}. ")}
            <a href="/confidentialite">"Vos données"</a>
        </p>
        <ErrorSummary errors=state.errors.clone()/>
        <form method="post" action=action.unwrap_or_default() novalidate class="survey-form">
            <input type="hidden" name="jeton" value=state.token/>
            {csrf.map(|token| view! { <input type="hidden" name="csrf" value=token/> })}
            {leading}
            {questions}
            {submit}
        </form>
    }
}

fn legend_text(number: usize, question: &Question) -> String {
    format!("{number}. {}", question.label)
}

/// The hint, condition and error paragraphs of a question, and their ids.
fn descriptions(
    id: &str,
    question: &Question,
    condition: Option<String>,
    error: Option<String>,
) -> (Option<String>, AnyView) {
    let mut hints: Vec<String> = Vec::new();
    if !question.help.is_empty() {
        hints.push(question.help.clone());
    }
    match question.kind {
        QuestionKind::Multiple => hints.push(match question.max_choices {
            Some(1) => "Une seule réponse possible.".to_owned(),
            Some(max) => format!("Plusieurs réponses possibles, {max} au plus."),
            None => "Plusieurs réponses possibles.".to_owned(),
        }),
        QuestionKind::Scale
            if !question.scale_min_label.is_empty() || !question.scale_max_label.is_empty() =>
        {
            hints.push(format!(
                "1 : {} ; 5 : {}",
                question.scale_min_label, question.scale_max_label
            ));
        }
        QuestionKind::Number => match (question.min_value, question.max_value) {
            (Some(min), Some(max)) => hints.push(format!(
                "Un nombre entre {} et {}.",
                format::number(min),
                format::number(max)
            )),
            _ => hints.push("Un nombre.".to_owned()),
        },
        QuestionKind::ShortText | QuestionKind::LongText => {
            hints.push(format!(
                "{} caractères au plus.",
                question.kind.max_text_chars()
            ));
        }
        _ => {}
    }
    let hint_id = format!("{id}-aide");
    let condition_id = format!("{id}-condition");
    let error_id = format!("{id}-erreur");
    let ids: Vec<&str> = [
        condition.as_ref().map(|_| condition_id.as_str()),
        (!hints.is_empty()).then_some(hint_id.as_str()),
        error.as_ref().map(|_| error_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let described_by = (!ids.is_empty()).then(|| ids.join(" "));
    let hint = (!hints.is_empty()).then(|| hints.join(" "));
    let view = view! {
        {condition.map(|text| view! { <p class="condition" id=condition_id.clone()>{text}</p> })}
        {hint.map(|text| view! { <p class="hint" id=hint_id.clone()>{text}</p> })}
        {error.map(|text| view! {
            <p class="error-message" id=error_id.clone()><span class="visually-hidden">"Erreur : "</span>{text}</p>
        })}
    }
    .into_any();
    (described_by, view)
}

#[component]
fn QuestionField(
    question: Question,
    number: usize,
    condition: Option<String>,
    values: FormValues,
    error: Option<String>,
) -> impl IntoView {
    let id = field_id(&question.code);
    let invalid = error.is_some();
    let class = if invalid {
        "question field-error"
    } else {
        "question"
    };
    let (described_by, messages) = descriptions(&id, &question, condition, error);
    let required = question
        .required
        .then(|| view! { <span class="required">" (obligatoire)"</span> });
    let name = question.code.clone();
    let typed = values.first(&name).to_owned();

    match question.kind {
        QuestionKind::Commune => {
            let options = question
                .options
                .iter()
                .map(|o| {
                    let selected = o.code == typed;
                    view! { <option value=o.code.clone() selected=selected>{o.label.clone()}</option> }
                })
                .collect_view();
            view! {
                <div class=class>
                    <label for=id.clone() class="question-label">{legend_text(number, &question)}{required}</label>
                    {messages}
                    // The commune where the person lives: its purpose is given to browsers
                    // and assistive technologies (RGAA 11.13, WCAG 1.3.5).
                    <select id=id name=name autocomplete="address-level2" aria-describedby=described_by aria-invalid=invalid.then_some("true")>
                        <option value="">"Choisissez votre commune"</option>
                        {options}
                    </select>
                </div>
            }
            .into_any()
        }
        kind if kind.has_options() => {
            let multiple = kind == QuestionKind::Multiple;
            let choices = question
                .options
                .iter()
                .enumerate()
                .map(|(index, option)| {
                    let input_id = if index == 0 { id.clone() } else { format!("{id}-{}", index + 1) };
                    let checked = values.contains(&name, &option.code);
                    view! {
                        <div class="choice">
                            <input
                                type=if multiple { "checkbox" } else { "radio" }
                                id=input_id.clone()
                                name=name.clone()
                                value=option.code.clone()
                                checked=checked
                            />
                            <label for=input_id>{option.label.clone()}</label>
                        </div>
                    }
                })
                .collect_view();
            let layout = if kind == QuestionKind::Scale { "choices scale" } else { "choices" };
            view! {
                <fieldset class=class aria-describedby=described_by>
                    <legend class="question-label">{legend_text(number, &question)}{required}</legend>
                    {messages}
                    <div class=layout>{choices}</div>
                </fieldset>
            }
            .into_any()
        }
        QuestionKind::LongText => view! {
            <div class=class>
                <label for=id.clone() class="question-label">{legend_text(number, &question)}{required}</label>
                {messages}
                <TextArea id name value=typed rows=4 maxlength=Some(question.kind.max_text_chars())
                    autocomplete="off" described_by invalid/>
            </div>
        }
        .into_any(),
        _ => {
            let (inputmode, maxlength) = if question.kind == QuestionKind::Number {
                (Some("decimal"), None)
            } else {
                (None, Some(question.kind.max_text_chars()))
            };
            view! {
                <div class=class>
                    <label for=id.clone() class="question-label">{legend_text(number, &question)}{required}</label>
                    {messages}
                    <input type="text" id=id name=name value=typed inputmode=inputmode maxlength=maxlength autocomplete="off"
                        aria-describedby=described_by aria-invalid=invalid.then_some("true")/>
                </div>
            }
            .into_any()
        }
    }
}
