//! Surveys as the builder, the resident form and the results read them.

use time::Date;

use super::{CollectionCode, PointKind, QuestionKind, SurveyStatus};

#[derive(Debug, Clone, PartialEq)]
pub struct Survey {
    pub id: i64,
    pub title: String,
    /// A short introduction in plain language, shown above the questions.
    pub intro: String,
    /// One sentence on why it matters, for the poster.
    pub why: String,
    pub status: SurveyStatus,
    pub opens_on: Date,
    pub closes_on: Date,
    /// Responses are deleted after this day.
    pub retention_until: Date,
    pub actions: Vec<i32>,
    pub themes: Vec<String>,
    pub response_count: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub territory: crate::territory::TerritoryId,
}

/// Whether a survey takes answers on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acceptance {
    Open,
    NotYetOpen,
    Closed,
}

impl Survey {
    /// Open means opened by staff and within its dates (Paris days, inclusive).
    pub fn acceptance_on(&self, today: Date) -> Acceptance {
        match self.status {
            SurveyStatus::Draft => Acceptance::NotYetOpen,
            SurveyStatus::Closed => Acceptance::Closed,
            SurveyStatus::Open if today < self.opens_on => Acceptance::NotYetOpen,
            SurveyStatus::Open if today > self.closes_on => Acceptance::Closed,
            SurveyStatus::Open => Acceptance::Open,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionOption {
    pub id: i64,
    /// Stable code: `O1`, `O2`... for options written by staff; the commune, public or
    /// age bracket code, `oui` / `non`, or `1`..`5` for the fixed lists.
    pub code: String,
    pub label: String,
}

/// "Show this question only if question X was answered with option Y."
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub question_id: i64,
    pub question_code: String,
    pub option_code: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: i64,
    /// Stable code (`Q1`, `Q2`...), kept when questions are reordered.
    pub code: String,
    pub position: i32,
    pub kind: QuestionKind,
    pub label: String,
    pub help: String,
    pub required: bool,
    pub theme: Option<String>,
    /// Multiple choice: the most options one may tick.
    pub max_choices: Option<i32>,
    /// Number: inclusive bounds.
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    /// Scale: what 1 and 5 mean.
    pub scale_min_label: String,
    pub scale_max_label: String,
    pub condition: Option<Condition>,
    pub options: Vec<QuestionOption>,
}

impl Question {
    pub fn option_by_code(&self, code: &str) -> Option<&QuestionOption> {
        self.options.iter().find(|option| option.code == code)
    }
}

/// A survey with its questions in order: what the resident form is built from.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyDefinition {
    pub survey: Survey,
    pub questions: Vec<Question>,
}

impl SurveyDefinition {
    pub fn question(&self, id: i64) -> Option<&Question> {
        self.questions.iter().find(|question| question.id == id)
    }

    /// The label of the option a condition waits for, with its question, for the
    /// sentence shown under a conditional question.
    pub fn describe_condition(&self, condition: &Condition) -> Option<(String, String)> {
        let question = self.question(condition.question_id)?;
        let option = question.option_by_code(&condition.option_code)?;
        Some((question.label.clone(), option.label.clone()))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CollectionPoint {
    pub id: i64,
    pub survey_id: i64,
    pub code: CollectionCode,
    pub label: String,
    pub kind: PointKind,
    pub commune: Option<String>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    /// Whether `/q/{code}/direct` shows live results for a projector.
    pub live_screen: bool,
    pub response_count: i64,
    /// The territory of the point's survey.
    pub territory: crate::territory::TerritoryId,
}

impl CollectionPoint {
    /// Whether residents may answer here on `today`, by the point's own dates (Paris
    /// days, inclusive; none means every day of the survey). The survey's status and
    /// dates are checked on their own, by [`Survey::acceptance_on`].
    pub fn acceptance_on(&self, today: Date) -> Acceptance {
        match (self.starts_on, self.ends_on) {
            (Some(start), _) if today < start => Acceptance::NotYetOpen,
            (_, Some(end)) if today > end => Acceptance::Closed,
            _ => Acceptance::Open,
        }
    }
}

/// A survey in the staff list.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveySummary {
    pub survey: Survey,
    pub question_count: i64,
    pub point_count: i64,
}

/// What the needs board counts a response by: its commune (declared, or else its
/// collection point's), its public, and the themes of the questions it answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseFacets {
    /// A commune code, `hors-ccyn`, or empty when unknown.
    pub commune: String,
    /// A public code, or empty.
    pub public: String,
    pub themes: Vec<String>,
}

impl ResponseFacets {
    pub fn of(
        definition: &SurveyDefinition,
        point: &CollectionPoint,
        answers: &[super::Answer],
    ) -> Self {
        let mut commune = None;
        let mut public = None;
        let mut themes: Vec<String> = Vec::new();
        for answer in answers {
            let Some(question) = definition.question(answer.question_id) else {
                continue;
            };
            let option = answer
                .option_id
                .and_then(|id| question.options.iter().find(|o| o.id == id));
            match question.kind {
                QuestionKind::Commune => commune = option.map(|o| o.code.clone()),
                QuestionKind::Public => public = option.map(|o| o.code.clone()),
                _ => {}
            }
            if let Some(theme) = &question.theme
                && !themes.contains(theme)
            {
                themes.push(theme.clone());
            }
        }
        Self {
            commune: commune
                .or_else(|| point.commune.clone())
                .unwrap_or_default(),
            public: public.unwrap_or_default(),
            themes,
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn point(starts_on: Option<Date>, ends_on: Option<Date>) -> CollectionPoint {
        CollectionPoint {
            id: 1,
            survey_id: 1,
            code: CollectionCode::parse("7kq3mz").expect("code"),
            label: "Foire de printemps".into(),
            kind: PointKind::Event,
            commune: None,
            starts_on,
            ends_on,
            live_screen: false,
            response_count: 0,
            territory: crate::territory::TerritoryId::new(1),
        }
    }

    #[test]
    fn a_point_takes_answers_only_within_its_own_days() {
        let fair = point(Some(date!(2026 - 06 - 13)), Some(date!(2026 - 06 - 14)));
        assert_eq!(
            fair.acceptance_on(date!(2026 - 06 - 12)),
            Acceptance::NotYetOpen
        );
        assert_eq!(fair.acceptance_on(date!(2026 - 06 - 13)), Acceptance::Open);
        assert_eq!(fair.acceptance_on(date!(2026 - 06 - 14)), Acceptance::Open);
        assert_eq!(
            fair.acceptance_on(date!(2026 - 06 - 15)),
            Acceptance::Closed
        );
        let always = point(None, None);
        assert_eq!(
            always.acceptance_on(date!(2099 - 01 - 01)),
            Acceptance::Open
        );
        let until = point(None, Some(date!(2026 - 06 - 14)));
        assert_eq!(until.acceptance_on(date!(2020 - 01 - 01)), Acceptance::Open);
        assert_eq!(
            until.acceptance_on(date!(2026 - 06 - 15)),
            Acceptance::Closed
        );
    }
}
