//! Storing responses. One code path for a resident's form (through the group-commit
//! [`ResponseWriter`](super::ResponseWriter)), a paper answer typed in, an imported file and
//! the demo data: a batch of responses, their answers, tallies and counters in one
//! transaction, each response once per form token.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::export::pack_answers;
use super::tallies::{
    TallyRows, ThemeRows, add_tallies, add_theme_tallies, upsert_tallies, upsert_theme_tallies,
};
use super::{Storage, StorageError, WritePool, on_pool};
use crate::survey::{Answer, Channel, CollectionPoint, ResponseFacets, SurveyDefinition};
use crate::territory::TerritoryId;

/// What became of a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOutcome {
    Stored(i64),
    /// The form's token was already used: the response is stored once.
    Duplicate,
}

/// A validated response, ready to store.
#[derive(Debug, Clone)]
pub struct NewResponse {
    /// The territory of the survey (its point's): the needs board counts by it.
    pub territory: TerritoryId,
    pub survey_id: i64,
    pub point_id: i64,
    pub channel: Channel,
    /// When it was given, in Unix seconds; only the hour is kept.
    pub at: i64,
    /// The form's one-time token: a second response with it is a duplicate.
    pub token: String,
    pub facets: ResponseFacets,
    pub answers: Vec<Answer>,
}

impl NewResponse {
    pub fn new(
        definition: &SurveyDefinition,
        point: &CollectionPoint,
        channel: Channel,
        token: String,
        answers: Vec<Answer>,
        at: i64,
    ) -> Self {
        Self {
            territory: point.territory,
            survey_id: point.survey_id,
            point_id: point.id,
            channel,
            at,
            token,
            facets: ResponseFacets::of(definition, point, &answers),
            answers,
        }
    }

    fn hour(&self) -> i64 {
        self.at - self.at.rem_euclid(3600)
    }
}

/// Responses per multi-row insert (seven parameters each).
const RESPONSE_CHUNK: usize = 2_000;
/// Answers per multi-row insert (five parameters each).
const ANSWER_CHUNK: usize = 5_000;

impl Storage {
    /// A paper answer typed in by staff: stored like a web answer, channel "papier", at
    /// `at` (Unix seconds: the day the questionnaire was filled in, not the day it is
    /// typed), in its own transaction.
    pub async fn submit_paper_response(
        &self,
        definition: &SurveyDefinition,
        point: &CollectionPoint,
        token: &str,
        answers: &[Answer],
        at: i64,
    ) -> Result<SubmitOutcome, StorageError> {
        let response = NewResponse::new(
            definition,
            point,
            Channel::Paper,
            token.to_owned(),
            answers.to_vec(),
            at,
        );
        self.store_response(&response).await
    }

    /// Stores many responses through one point in a single transaction (paper answers
    /// typed in, demo data). Each comes with its token and its time (Unix seconds); tokens
    /// already used are skipped. Returns how many were stored.
    pub async fn insert_responses(
        &self,
        definition: &SurveyDefinition,
        point: &CollectionPoint,
        responses: &[(String, i64, Vec<Answer>)],
    ) -> Result<u64, StorageError> {
        let channel = point.kind.channel();
        let batch: Vec<NewResponse> = responses
            .iter()
            .map(|(token, at, answers)| {
                NewResponse::new(
                    definition,
                    point,
                    channel,
                    token.clone(),
                    answers.clone(),
                    *at,
                )
            })
            .collect();
        let outcomes = self.store_responses(&batch).await?;
        let stored = outcomes
            .iter()
            .filter(|o| matches!(o, SubmitOutcome::Stored(_)))
            .count();
        Ok(u64::try_from(stored).unwrap_or(u64::MAX))
    }

    /// Stores `batch` in one transaction: the responses, their answers, the tallies and
    /// the counters. Returns one outcome per response, in order; a token seen earlier (in
    /// the database or in the batch) is a duplicate and stores nothing. Whether the
    /// database took it is recorded for [`Storage::writes_failing`].
    pub(crate) async fn store_responses(
        &self,
        batch: &[NewResponse],
    ) -> Result<Vec<SubmitOutcome>, StorageError> {
        let mut outcomes = vec![SubmitOutcome::Duplicate; batch.len()];
        self.store_into(batch, &mut outcomes).await?;
        Ok(outcomes)
    }

    /// [`Storage::store_responses`] for one response.
    pub(crate) async fn store_response(
        &self,
        response: &NewResponse,
    ) -> Result<SubmitOutcome, StorageError> {
        let mut outcome = [SubmitOutcome::Duplicate];
        self.store_into(std::slice::from_ref(response), &mut outcome)
            .await?;
        let [outcome] = outcome;
        Ok(outcome)
    }

    /// Stores `batch`, setting the outcome of each stored response in `outcomes` (as long
    /// as `batch`, every one `Duplicate`), and records whether the database took it.
    async fn store_into(
        &self,
        batch: &[NewResponse],
        outcomes: &mut [SubmitOutcome],
    ) -> Result<(), StorageError> {
        let stored = self.store_batch(batch, outcomes).await;
        match &stored {
            Ok(()) => self.writes.succeeded(),
            Err(StorageError::Unavailable(_)) => self.writes.failed(),
            // A response the database refuses says nothing of the database.
            Err(_) => {}
        }
        stored
    }

    async fn store_batch(
        &self,
        batch: &[NewResponse],
        outcomes: &mut [SubmitOutcome],
    ) -> Result<(), StorageError> {
        let mut seen = HashSet::new();
        let fresh: Vec<usize> = (0..batch.len())
            .filter(|&i| seen.insert(batch[i].token.as_str()))
            .collect();
        if fresh.is_empty() {
            return Ok(());
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mut ids: HashMap<String, i64> = HashMap::with_capacity(fresh.len());
            for chunk in fresh.chunks(RESPONSE_CHUNK) {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO response (survey_id, point_id, channel, submitted_hour, token, commune_code, public_code, answers_json) ",
                );
                insert.push_values(chunk, |mut row, &i| {
                    let response = &batch[i];
                    row.push_bind(response.survey_id)
                        .push_bind(response.point_id)
                        .push_bind(response.channel.code())
                        .push_bind(response.hour())
                        .push_bind(response.token.as_str())
                        .push_bind(response.facets.commune.as_str())
                        .push_bind(response.facets.public.as_str())
                        .push_bind(pack_answers(&response.answers));
                });
                insert.push(" ON CONFLICT (token) DO NOTHING RETURNING id, token");
                let inserted: Vec<(i64, String)> =
                    insert.build_query_as().fetch_all(&mut *tx).await?;
                ids.extend(inserted.into_iter().map(|(id, token)| (token, id)));
            }
            let mut answers: Vec<(i64, &Answer)> = Vec::new();
            let mut tallies = TallyRows::new();
            let mut themes = ThemeRows::new();
            // Sorted like the tallies: rows are locked in one order by every writer.
            let mut per_survey: BTreeMap<i64, i64> = BTreeMap::new();
            let mut per_point: BTreeMap<i64, i64> = BTreeMap::new();
            for &i in &fresh {
                let response = &batch[i];
                let Some(&id) = ids.get(&response.token) else { continue };
                outcomes[i] = SubmitOutcome::Stored(id);
                answers.extend(response.answers.iter().map(|answer| (id, answer)));
                add_tallies(&mut tallies, &response.answers, response.at);
                add_theme_tallies(
                    &mut themes,
                    response.territory.get(),
                    &response.facets,
                    response.at,
                );
                *per_survey.entry(response.survey_id).or_default() += 1;
                *per_point.entry(response.point_id).or_default() += 1;
            }
            for chunk in answers.chunks(ANSWER_CHUNK) {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO answer (response_id, question_id, option_id, value_text, value_number) ",
                );
                insert.push_values(chunk, |mut row, (id, answer)| {
                    row.push_bind(*id)
                        .push_bind(answer.question_id)
                        .push_bind(answer.option_id)
                        .push_bind(answer.text.as_deref())
                        .push_bind(answer.number);
                });
                insert.build().execute(&mut *tx).await?;
            }
            upsert_tallies!(tx, &tallies);
            upsert_theme_tallies!(tx, &themes);
            for (survey_id, added) in per_survey {
                sqlx::query("UPDATE survey SET response_count = response_count + $2 WHERE id = $1")
                    .bind(survey_id)
                    .bind(added)
                    .execute(&mut *tx)
                    .await?;
            }
            for (point_id, added) in per_point {
                sqlx::query("UPDATE collection_point SET response_count = response_count + $2 WHERE id = $1")
                    .bind(point_id)
                    .bind(added)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
