//! The review of free-text answers, below a survey's results: 50 a page, by review state
//! (those to review first), each to mark, publish, hide or attach to a need, or many at
//! once. One form holds the whole list, so it all works without script: the check boxes
//! choose the answers a bulk button acts on, and each answer's own buttons name it in
//! their value (see [`super::review_forms`] for what they post to).

use std::collections::HashMap;

use leptos::prelude::*;
use pouls::disclosure::Audience;
use pouls::needs::NeedStatus;
use pouls::storage::{ReviewCounts, TextQuery};
use pouls::survey::{ReviewAction, ReviewFilter, SurveyDefinition, TextAnswer, review_label};

use super::filters::{Filters, with_query};
use super::review_forms::need_field;
use crate::error::AppError;
use crate::forms::{CsrfField, FormErrors, field_id};
use crate::staff::CurrentUser;
use crate::{AppState, format};

/// Answers on one page of the review list.
const PER_PAGE: i64 = 50;

/// What the review list shows: one page of answers in one review state.
#[derive(Clone)]
pub(super) struct ReviewList {
    state: ReviewFilter,
    agent: bool,
    /// Staff only: how many answers each state has.
    counts: Option<ReviewCounts>,
    total: i64,
    page: i64,
    pages: i64,
    texts: Vec<TextAnswer>,
    /// Open needs an answer can be attached to: (id, title).
    needs: Vec<(i64, String)>,
    /// The results page with its filters, without the review state and page.
    base: String,
}

impl ReviewList {
    pub async fn load(
        state: &AppState,
        user: &CurrentUser,
        definition: &SurveyDefinition,
        filters: &Filters,
        query: &HashMap<String, String>,
        audience: Audience,
    ) -> Result<Self, AppError> {
        let agent = audience.is_exact();
        let asked = query.get("relecture").and_then(|s| ReviewFilter::parse(s));
        // Partenaires read reviewed answers only: "all" is all of those.
        let review_state = match asked {
            Some(ReviewFilter::ToReview) | None if !agent => ReviewFilter::All,
            Some(asked) => asked,
            None => ReviewFilter::ToReview,
        };
        let survey_id = definition.survey.id;
        let counts = if agent {
            Some(
                user.territory(state)
                    .review_counts(survey_id, &filters.filter)
                    .await?,
            )
        } else {
            None
        };
        let asked_page: i64 = query
            .get("page")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(1);
        let text_query = |page: i64| TextQuery {
            state: review_state,
            reviewed_only: !agent,
            offset: (page - 1) * PER_PAGE,
            limit: PER_PAGE,
        };
        let (total, mut texts) = user
            .territory(state)
            .text_answers_page(survey_id, &filters.filter, text_query(asked_page.max(1)))
            .await?;
        let (page, pages) = page_bounds(asked_page, total, PER_PAGE);
        if page != asked_page.max(1) {
            // Asked past the last page (after a bulk change emptied it): show the last.
            texts = user
                .territory(state)
                .text_answers_page(survey_id, &filters.filter, text_query(page))
                .await?
                .1;
        }
        let needs = if agent {
            user.territory(state)
                .needs(None)
                .await?
                .into_iter()
                .filter(|n| n.status != NeedStatus::Clos)
                .map(|n| (n.id, n.title))
                .collect()
        } else {
            Vec::new()
        };
        Ok(Self {
            state: review_state,
            agent,
            counts,
            total,
            page,
            pages,
            texts,
            needs,
            base: with_query(
                &format!("/admin/enquetes/{survey_id}/resultats"),
                &filters.query(),
            ),
        })
    }

    pub fn state_code(&self) -> String {
        self.state.code().to_owned()
    }

    /// The address of a page of the list in a state, filters kept.
    fn link(&self, state: ReviewFilter, page: i64) -> String {
        let separator = if self.base.contains('?') { '&' } else { '?' };
        let page = if page > 1 {
            format!("&page={page}")
        } else {
            String::new()
        };
        format!("{}{separator}relecture={}{page}", self.base, state.code())
    }

    /// The states a reader may list: partenaires never see answers to review.
    fn offered(&self) -> Vec<ReviewFilter> {
        ReviewFilter::ALL
            .into_iter()
            .filter(|f| self.agent || *f != ReviewFilter::ToReview)
            .collect()
    }
}

/// A page of `per_page` items: the page asked for, kept within the pages there are; and
/// how many pages there are.
fn page_bounds(asked: i64, total: i64, per_page: i64) -> (i64, i64) {
    let pages = ((total + per_page - 1) / per_page).max(1);
    (asked.clamp(1, pages), pages)
}

#[component]
pub(super) fn TextReview(
    review: ReviewList,
    definition: SurveyDefinition,
    csrf: String,
    errors: FormErrors,
) -> impl IntoView {
    let tabs = review
        .offered()
        .into_iter()
        .map(|state| {
            let count = review
                .counts
                .map(|c| format!(" ({})", format::integer(c.of(state))))
                .unwrap_or_default();
            let current = (state == review.state).then_some("page");
            view! { <li><a href=format!("{}#reponses-libres", review.link(state, 1)) aria-current=current>{state.label()}{count}</a></li> }
        })
        .collect_view();
    let tabs = view! { <nav class="filters" aria-label="Réponses libres par état de relecture"><ul>{tabs}</ul></nav> };
    if review.texts.is_empty() {
        return view! { {tabs}<p>"Aucune réponse libre à afficher."</p> }.into_any();
    }
    let here = review.link(review.state, review.page);
    let listed = match review.total {
        1 => "1 réponse libre dans cette liste.".to_owned(),
        n => format!(
            "{} réponses libres dans cette liste, {PER_PAGE} par page.",
            format::integer(n)
        ),
    };
    let tabs = view! { {tabs}<p class="muted">{listed}</p> };
    let pager = pager(&review);
    let items = review
        .texts
        .iter()
        .cloned()
        .map(|text| {
            view! { <TextItem text definition=definition.clone() agent=review.agent needs=review.needs.clone() errors=errors.clone()/> }
        })
        .collect_view();
    if !review.agent {
        return view! { {tabs}<ul class="text-answers">{items}</ul>{pager} }.into_any();
    }
    let action = format!("/admin/enquetes/{}/relecture", definition.survey.id);
    let selection_error = errors.get("choix");
    let described = selection_error.as_ref().map(|_| "choix-erreur");
    let bulk = ReviewAction::ALL
        .into_iter()
        .map(|a| view! { <button type="submit" class="secondary" name="action" value=a.code()>{bulk_label(a)}</button> })
        .collect_view();
    view! {
        {tabs}
        <form method="post" action=action class="review-form">
            <CsrfField token=csrf/>
            <input type="hidden" name="retour" value=here/>
            <fieldset class="bulk-actions" id=field_id("choix") aria-describedby=described>
                <legend>"Pour les réponses cochées ci-dessous"</legend>
                {selection_error.map(|message| view! { <p class="error-message" id="choix-erreur"><span class="visually-hidden">"Erreur : "</span>{message}</p> })}
                <div class="button-row">{bulk}</div>
            </fieldset>
            <ul class="text-answers">{items}</ul>
        </form>
        {pager}
    }
    .into_any()
}

fn bulk_label(action: ReviewAction) -> &'static str {
    match action {
        ReviewAction::MarkReviewed => "Marquer relues",
        ReviewAction::Publish => "Publier",
        ReviewAction::Hide => "Masquer du public",
        ReviewAction::Unreview => "Remettre à relire",
    }
}

/// "Page 2 sur 6" with the pages before and after, filters kept.
fn pager(review: &ReviewList) -> Option<AnyView> {
    (review.pages > 1).then(|| {
        let link = |page: i64| format!("{}#reponses-libres", review.link(review.state, page));
        let previous = (review.page > 1).then(|| view! { <li><a href=link(review.page - 1) rel="prev">"Page précédente"</a></li> });
        let next = (review.page < review.pages).then(|| view! { <li><a href=link(review.page + 1) rel="next">"Page suivante"</a></li> });
        view! {
            <nav class="pager" aria-label="Pages des réponses libres">
                <ul>
                    {previous}
                    <li aria-current="page">{format!("Page {} sur {}", review.page, review.pages)}</li>
                    {next}
                </ul>
            </nav>
        }
        .into_any()
    })
}

#[component]
fn TextItem(
    text: TextAnswer,
    definition: SurveyDefinition,
    agent: bool,
    needs: Vec<(i64, String)>,
    errors: FormErrors,
) -> impl IntoView {
    let question = definition
        .question(text.question_id)
        .map(|q| format!("{} · {}", q.code, q.label))
        .unwrap_or_default();
    let status = review_label(text.reviewed, text.publishable);
    let item = format!("{}:{}", text.response_id, text.question_id);
    let anchor = format!("reponse-{}-{}", text.response_id, text.question_id);
    // Read after each control's label, so that the controls repeated for every answer each
    // have a distinct name (RGAA 11.9).
    let excerpt: String = text.text.chars().take(40).collect();
    let more = if text.text.chars().count() > 40 {
        "…"
    } else {
        ""
    };
    let context = format!(" : « {}{more} »", excerpt.trim());
    let controls = agent.then(|| {
        let button = |action: ReviewAction, label: &'static str| {
            view! {
                <button type="submit" class="secondary" name="une" value=format!("{}:{item}", action.code())>
                    {label}<span class="visually-hidden">{context.clone()}</span>
                </button>
            }
        };
        let field = need_field(text.response_id, text.question_id);
        let id = field_id(&field);
        let error = errors.get(&field);
        let error_id = format!("{id}-erreur");
        let attach = (!needs.is_empty()).then(|| view! {
            <div class="inline-fields">
                <div class=if error.is_some() { "field field-error" } else { "field" }>
                    <label for=id.clone()>"Rattacher à un besoin"<span class="visually-hidden">{context.clone()}</span></label>
                    {error.clone().map(|message| view! { <p class="error-message" id=error_id.clone()><span class="visually-hidden">"Erreur : "</span>{message}</p> })}
                    <select id=id.clone() name=field.clone() aria-describedby=error.as_ref().map(|_| error_id.clone()) aria-invalid=error.as_ref().map(|_| "true")>
                        <option value="">"Choisissez un besoin"</option>
                        {needs.iter().map(|(id, title)| view! { <option value=id.to_string()>{title.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="secondary" formaction=format!("/admin/enquetes/{}/rattacher", definition.survey.id) name="source" value=item.clone()>
                    "Rattacher"<span class="visually-hidden">{context.clone()}</span>
                </button>
            </div>
        });
        view! {
            <div class="choice">
                <input type="checkbox" id=format!("choix-{anchor}") name="choix" value=item.clone()/>
                <label for=format!("choix-{anchor}")>"Cocher"<span class="visually-hidden">{format!(" la réponse{context}")}</span></label>
            </div>
            <p class="muted">{format!("{question} · {} · {status}", format::datetime_short(text.submitted_hour))}</p>
            <blockquote>{text.text.clone()}</blockquote>
            <div class="button-row">
                {(!text.reviewed).then(|| button(ReviewAction::MarkReviewed, "Marquer relue"))}
                {(!text.publishable).then(|| button(ReviewAction::Publish, "Publier"))}
                {text.publishable.then(|| button(ReviewAction::Hide, "Masquer du public"))}
                {text.reviewed.then(|| button(ReviewAction::Unreview, "Remettre à relire"))}
                <a href=format!("/admin/besoins/nouveau?reponse={}-{}", text.response_id, text.question_id)>
                    "Créer un besoin"<span class="visually-hidden">{format!(" à partir de la réponse{context}")}</span>
                </a>
            </div>
            {attach}
        }
        .into_any()
    });
    let body = controls.unwrap_or_else(|| {
        view! {
            <p class="muted">{format!("{question} · {} · {status}", format::datetime_short(text.submitted_hour))}</p>
            <blockquote>{text.text.clone()}</blockquote>
        }
        .into_any()
    });
    view! { <li class="text-answer" id=anchor>{body}</li> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_stay_within_what_there_is() {
        assert_eq!(page_bounds(1, 0, 50), (1, 1));
        assert_eq!(page_bounds(2, 300, 50), (2, 6));
        assert_eq!(page_bounds(9, 301, 50), (7, 7));
        assert_eq!(page_bounds(0, 120, 50), (1, 3));
        assert_eq!(page_bounds(-4, 50, 50), (1, 1));
    }
}
