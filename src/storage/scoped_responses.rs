//! Responses seen from one territory: results, free text and its review, exports. The
//! queries themselves (in `responses`, `review` and `export`) work on a survey id; these
//! calls first make sure the survey is this territory's, and answer as if it had no
//! responses when it is not.

use tokio::sync::mpsc;

use super::review::{Quote, ReviewCounts, TextQuery};
use super::{ExportFilter, StorageError, TerritoryStorage, on_pool};
use crate::audit::Actor;
use crate::export::ResponseRecord;
use crate::survey::{QuestionResult, ResultsFilter, ReviewAction, SurveyDefinition, TextAnswer};

impl TerritoryStorage {
    async fn owns_survey(&self, survey_id: i64) -> Result<bool, StorageError> {
        let found: Option<i64> = on_pool!(self.storage, pool => sqlx::query_scalar(
            "SELECT id FROM survey WHERE id = $1 AND territory_id = $2",
        )
        .bind(survey_id)
        .bind(self.key())
        .fetch_optional(pool)
        .await)?;
        Ok(found.is_some())
    }

    /// How many responses match `filter`, and each question's results among them.
    pub async fn survey_results(
        &self,
        definition: &SurveyDefinition,
        filter: &ResultsFilter,
    ) -> Result<(i64, Vec<QuestionResult>), StorageError> {
        if definition.survey.territory != self.id {
            return Ok((0, Vec::new()));
        }
        self.storage.survey_results(definition, filter).await
    }

    /// Free-text answers matching `filter`, newest first (at most `limit`).
    pub async fn text_answers(
        &self,
        survey_id: i64,
        filter: &ResultsFilter,
        limit: i64,
    ) -> Result<Vec<TextAnswer>, StorageError> {
        if !self.owns_survey(survey_id).await? {
            return Ok(Vec::new());
        }
        self.storage.text_answers(survey_id, filter, limit).await
    }

    /// Marks a free-text answer as read, and whether it may be published; `false` when
    /// the answer is not one of this territory's.
    pub async fn review_text(
        &self,
        response_id: i64,
        question_id: i64,
        reviewed: bool,
        publishable: bool,
        actor: &Actor,
    ) -> Result<bool, StorageError> {
        let ours: Option<i64> = on_pool!(self.storage, pool => sqlx::query_scalar(
            "SELECT id FROM question WHERE id = $1 AND territory_id = $2",
        )
        .bind(question_id)
        .bind(self.key())
        .fetch_optional(pool)
        .await)?;
        if ours.is_none() {
            return Ok(false);
        }
        self.storage
            .review_text(response_id, question_id, reviewed, publishable, actor)
            .await
    }

    pub async fn text_answers_page(
        &self,
        survey_id: i64,
        filter: &ResultsFilter,
        query: TextQuery,
    ) -> Result<(i64, Vec<TextAnswer>), StorageError> {
        if !self.owns_survey(survey_id).await? {
            return Ok((0, Vec::new()));
        }
        self.storage
            .text_answers_page(survey_id, filter, query)
            .await
    }

    pub async fn review_counts(
        &self,
        survey_id: i64,
        filter: &ResultsFilter,
    ) -> Result<ReviewCounts, StorageError> {
        if !self.owns_survey(survey_id).await? {
            return Ok(ReviewCounts::default());
        }
        self.storage.review_counts(survey_id, filter).await
    }

    /// `None` when the survey is not this territory's, as when it does not exist.
    pub async fn review_texts(
        &self,
        survey_id: i64,
        items: &[(i64, i64)],
        action: ReviewAction,
        actor: &Actor,
    ) -> Result<Option<usize>, StorageError> {
        if !self.owns_survey(survey_id).await? {
            return Ok(None);
        }
        self.storage
            .review_texts(survey_id, items, action, actor)
            .await
    }

    pub async fn reviewed_quotes(
        &self,
        survey_id: i64,
        filter: &ResultsFilter,
        per_question: i64,
    ) -> Result<Vec<Quote>, StorageError> {
        if !self.owns_survey(survey_id).await? {
            return Ok(Vec::new());
        }
        self.storage
            .reviewed_quotes(survey_id, filter, per_question)
            .await
    }

    /// Streams the survey's responses; none when it is not this territory's.
    pub async fn stream_responses(
        &self,
        survey_id: i64,
        filter: &ExportFilter,
        out: mpsc::Sender<Vec<ResponseRecord>>,
    ) -> Result<u64, StorageError> {
        if !self.owns_survey(survey_id).await? {
            return Ok(0);
        }
        self.storage.stream_responses(survey_id, filter, out).await
    }
}
