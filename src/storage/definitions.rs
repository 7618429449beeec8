//! A survey's definition: the survey with its questions, their options and conditions,
//! in order, as the resident form and every reader of answers need it.

use std::collections::HashMap;

use sqlx::FromRow;

use super::decode::corrupt;
use super::{StorageError, TerritoryStorage, on_pool};
use crate::survey::{Condition, Question, QuestionKind, QuestionOption, SurveyDefinition};

#[derive(FromRow)]
struct QuestionRow {
    id: i64,
    code: String,
    position: i32,
    kind: String,
    label: String,
    help: String,
    required: bool,
    theme_code: Option<String>,
    max_choices: Option<i32>,
    min_value: Option<f64>,
    max_value: Option<f64>,
    scale_min_label: String,
    scale_max_label: String,
    condition_question_id: Option<i64>,
    condition_question_code: Option<String>,
    condition_option_code: Option<String>,
}

#[derive(FromRow)]
struct OptionRow {
    id: i64,
    question_id: i64,
    code: String,
    label: String,
}

const QUESTION_QUERY: &str = "SELECT q.id, q.code, q.position, q.kind, q.label, q.help, q.required, \
     q.theme_code, q.max_choices, q.min_value, q.max_value, q.scale_min_label, q.scale_max_label, \
     q.condition_question_id, c.code AS condition_question_code, q.condition_option_code \
     FROM question q LEFT JOIN question c ON c.id = q.condition_question_id \
     WHERE q.survey_id = $1 ORDER BY q.position";

/// The outcome of a change to a survey.
impl TerritoryStorage {
    /// A survey with its questions and their options, in order.
    pub async fn survey_definition(
        &self,
        id: i64,
    ) -> Result<Option<SurveyDefinition>, StorageError> {
        let Some(survey) = self.survey(id).await? else {
            return Ok(None);
        };
        let (questions, options) = on_pool!(self.storage, pool => {
            let questions: Vec<QuestionRow> = sqlx::query_as(QUESTION_QUERY).bind(id).fetch_all(pool).await?;
            let options: Vec<OptionRow> = sqlx::query_as(
                "SELECT o.id, o.question_id, o.code, o.label FROM question_option o \
                 JOIN question q ON q.id = o.question_id WHERE q.survey_id = $1 ORDER BY o.question_id, o.position",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            (questions, options)
        });
        let mut by_question: HashMap<i64, Vec<QuestionOption>> = HashMap::new();
        for option in options {
            by_question
                .entry(option.question_id)
                .or_default()
                .push(QuestionOption {
                    id: option.id,
                    code: option.code,
                    label: option.label,
                });
        }
        let questions = questions
            .into_iter()
            .map(|row| {
                let condition = match (
                    row.condition_question_id,
                    row.condition_question_code,
                    row.condition_option_code,
                ) {
                    (Some(question_id), Some(question_code), Some(option_code)) => {
                        Some(Condition {
                            question_id,
                            question_code,
                            option_code,
                        })
                    }
                    _ => None,
                };
                Ok(Question {
                    kind: QuestionKind::parse(&row.kind).map_err(|_| corrupt("question kind"))?,
                    options: by_question.remove(&row.id).unwrap_or_default(),
                    id: row.id,
                    code: row.code,
                    position: row.position,
                    label: row.label,
                    help: row.help,
                    required: row.required,
                    theme: row.theme_code,
                    max_choices: row.max_choices,
                    min_value: row.min_value,
                    max_value: row.max_value,
                    scale_min_label: row.scale_min_label,
                    scale_max_label: row.scale_max_label,
                    condition,
                })
            })
            .collect::<Result<_, StorageError>>()?;
        Ok(Some(SurveyDefinition { survey, questions }))
    }
}
