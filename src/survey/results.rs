//! Results of a survey as staff read them.

use time::Date;

/// Which responses the results count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultsFilter {
    pub point_id: Option<i64>,
    /// A commune option code: responses that answered a commune question with it.
    pub commune: Option<String>,
    /// A public option code: responses that answered a public question with it.
    pub public: Option<String>,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OptionCount {
    pub code: String,
    pub label: String,
    pub count: i64,
}

/// One question's results among the filtered responses.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionResult {
    pub question_id: i64,
    /// How many responses answered this question.
    pub answered: i64,
    /// Choice questions: every option with its count, in the question's order.
    pub options: Vec<OptionCount>,
    /// Scale and number questions: the mean of the answers.
    pub mean: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// A free-text answer, for review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextAnswer {
    pub response_id: i64,
    pub question_id: i64,
    pub text: String,
    pub submitted_hour: i64,
    pub reviewed: bool,
    pub publishable: bool,
}
