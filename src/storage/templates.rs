//! Creating a survey from a template: the survey, its questions and its indicator rules.

use time::Date;

use super::{StorageError, TerritoryStorage};
use crate::audit::Actor;
use crate::indicators::RuleDraft;
use crate::survey::templates::Template;
use crate::survey::{QuestionDraft, QuestionInput, SurveyDraft};

impl TerritoryStorage {
    /// Creates a draft survey from `template`, open from `opens_on` to `closes_on`.
    /// If a step fails, the half-made draft is deleted again.
    pub async fn create_survey_from_template(
        &self,
        template: &Template,
        opens_on: Date,
        closes_on: Date,
        actor: &Actor,
    ) -> Result<i64, StorageError> {
        let draft = SurveyDraft {
            title: template.title.to_owned(),
            intro: template.intro.to_owned(),
            why: template.why.to_owned(),
            actions: template.actions.to_vec(),
            themes: template.themes.iter().map(|t| (*t).to_owned()).collect(),
            opens_on,
            closes_on,
            retention_until: closes_on
                .replace_year(closes_on.year() + 2)
                .unwrap_or(closes_on),
        };
        let id = self.create_survey(&draft, actor).await?;
        match self.fill_from_template(id, template, actor).await {
            Ok(()) => Ok(id),
            Err(error) => {
                self.delete_survey_draft(id, actor).await?;
                Err(error)
            }
        }
    }

    async fn fill_from_template(
        &self,
        id: i64,
        template: &Template,
        actor: &Actor,
    ) -> Result<(), StorageError> {
        let invalid = |reason: String| StorageError::InvalidTemplate {
            slug: template.slug,
            reason,
        };
        let themes: Vec<String> = self.themes().await?.into_iter().map(|t| t.code).collect();
        let themes: Vec<&str> = themes.iter().map(String::as_str).collect();
        for question in template.questions {
            let earlier = self
                .survey_definition(id)
                .await?
                .map(|d| d.questions)
                .unwrap_or_default();
            let input = QuestionInput {
                kind: question.kind.to_owned(),
                label: question.label.trim().to_owned(),
                help: question.help.to_owned(),
                required: question.required,
                max_choices: question
                    .max_choices
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                scale_min_label: question.scale.map(|s| s.0.to_owned()).unwrap_or_default(),
                scale_max_label: question.scale.map(|s| s.1.to_owned()).unwrap_or_default(),
                new_options: question.options.join("\n"),
                condition: question
                    .condition
                    .and_then(|(index, option)| {
                        earlier.get(index).map(|q| format!("{}={option}", q.code))
                    })
                    .unwrap_or_default(),
                ..QuestionInput::default()
            };
            let draft = QuestionDraft::parse(&input, &earlier, &themes)
                .map_err(|e| invalid(format!("{e:?}")))?;
            self.add_question(id, &draft, actor).await?;
        }
        let definition = self
            .survey_definition(id)
            .await?
            .ok_or(StorageError::SurveyGone(id))?;
        for rule in template.rules {
            let question = definition
                .questions
                .get(rule.question)
                .ok_or_else(|| invalid(format!("question {}", rule.question)))?;
            let action: i32 = rule.indicator[1..]
                .split('.')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let options: Vec<String> = rule.options.iter().map(|o| (*o).to_owned()).collect();
            let draft = RuleDraft::parse(
                rule.kind.code(),
                &options,
                question,
                template.actions,
                action,
            )
            .map_err(|e| invalid(format!("rule {}: {e:?}", rule.indicator)))?;
            // An indicator already computed another way keeps its rules; the survey is
            // still made, without that rule.
            if let Err(kind) = self.add_rule(rule.indicator, &draft, actor).await? {
                tracing::warn!(
                    indicator = rule.indicator,
                    existing = kind.code(),
                    "template rule skipped"
                );
            }
        }
        Ok(())
    }
}
