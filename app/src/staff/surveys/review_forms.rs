//! The review forms of the results page: one answer's buttons or the bulk buttons of the
//! checked ones (marked reviewed, published, hidden or back to review, in one transaction),
//! and attaching an answer to the need chosen beside it. A mistake brings the results
//! page back with a French message next to the field.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pouls::needs::NeedStatus;
use pouls::storage::NewSource;
use pouls::survey::{FormValues, ReviewAction};

use super::filters::query_of;
use super::find_survey;
use super::results::results_page;
use crate::AppState;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::staff::CurrentUser;
use crate::staff::guard::local_path;
use crate::urlencoded::Form;

/// More than a page or two at once is a forged form.
const MAX_SELECTION: usize = 200;

/// "response:question" of a check box or a button.
pub(super) fn parse_item(value: &str) -> Option<(i64, i64)> {
    let (response, question) = value.split_once(':')?;
    Some((response.parse().ok()?, question.parse().ok()?))
}

pub(super) fn need_field(response: i64, question: i64) -> String {
    format!("besoin-{response}-{question}")
}

/// Where a review form goes back to: the results page it came from, or the survey's.
fn back_to(values: &FormValues, survey_id: i64) -> String {
    let results = format!("/admin/enquetes/{survey_id}/resultats");
    local_path(values.first("retour"))
        .filter(|back| back.starts_with(&results))
        .map_or(results.clone(), str::to_owned)
}

/// The results page again, with the review form's mistakes next to their fields.
async fn refused(
    state: &AppState,
    user: CurrentUser,
    id: &str,
    back: &str,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let page = results_page(state, user, id, &query_of(back), errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// One answer (its button names it) or the checked ones (a bulk button): marked reviewed,
/// published, hidden or back to review, in one transaction.
pub(super) async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let definition = find_survey(&state, &user, &id).await?;
    let values = FormValues::from_pairs(fields);
    let back = back_to(&values, definition.survey.id);
    let mut errors = FormErrors::default();
    let (action, items) = match values.first("une").split_once(':') {
        Some((action, item)) => {
            let action = ReviewAction::parse(action).ok_or(AppError::NotFound)?;
            (action, vec![parse_item(item).ok_or(AppError::NotFound)?])
        }
        None => {
            let items = values
                .all("choix")
                .iter()
                .map(|item| parse_item(item))
                .collect::<Option<Vec<_>>>()
                .ok_or(AppError::NotFound)?;
            if items.is_empty() {
                errors.add("choix", "Cochez au moins une réponse.");
            } else if items.len() > MAX_SELECTION {
                errors.add(
                    "choix",
                    format!("Cochez au plus {MAX_SELECTION} réponses à la fois."),
                );
            }
            let Some(action) = ReviewAction::parse(values.first("action")) else {
                errors.add(
                    "choix",
                    "Choisissez ce qu'il faut faire des réponses cochées.",
                );
                return refused(&state, user, &id, &back, errors).await;
            };
            (action, items)
        }
    };
    if !errors.is_empty() {
        return refused(&state, user, &id, &back, errors).await;
    }
    user.territory(&state)
        .review_texts(definition.survey.id, &items, action, &user.actor())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&format!("{back}#reponses-libres")).into_response())
}

/// Attaches one answer to the need chosen beside it; without a choice, nothing is
/// attached and the page says so next to the list.
pub(super) async fn attach(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let definition = find_survey(&state, &user, &id).await?;
    let values = FormValues::from_pairs(fields);
    let back = back_to(&values, definition.survey.id);
    let (response_id, question_id) =
        parse_item(values.first("source")).ok_or(AppError::NotFound)?;
    definition.question(question_id).ok_or(AppError::NotFound)?;
    let field = need_field(response_id, question_id);
    let chosen = values.first(&field).trim();
    let need = match chosen.parse::<i64>() {
        Ok(need) => user
            .territory(&state)
            .need(need)
            .await?
            .filter(|(n, _, _)| n.status != NeedStatus::Clos)
            .map(|(n, _, _)| n.id),
        Err(_) => None,
    };
    let mut errors = FormErrors::default();
    match need {
        None if chosen.is_empty() => errors.add(
            &field,
            "Choisissez le besoin auquel rattacher cette réponse.",
        ),
        None => errors.add(&field, "Choisissez un besoin ouvert de la liste."),
        Some(need) => {
            let source = NewSource::Answer {
                response_id,
                question_id,
            };
            if !user
                .territory(&state)
                .add_need_source(need, &source, &user.actor())
                .await?
            {
                errors.add(&field, "Cette réponse est déjà rattachée à ce besoin.");
            }
        }
    }
    if !errors.is_empty() {
        return refused(&state, user, &id, &back, errors).await;
    }
    Ok(Redirect::to(&format!("{back}#reponse-{response_id}-{question_id}")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_name_a_response_and_a_question() {
        assert_eq!(parse_item("12:7"), Some((12, 7)));
        assert_eq!(parse_item("12"), None);
        assert_eq!(parse_item("a:7"), None);
        assert_eq!(parse_item("12:7:1"), None);
    }
}
