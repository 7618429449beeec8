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

impl QuestionResult {
    /// Adds the results of the same question among other responses (another collection
    /// point's): counts add up; the mean is weighted by the answers, each response giving
    /// a question at most one number.
    pub fn add(&mut self, other: &Self) {
        for (mine, theirs) in self.options.iter_mut().zip(&other.options) {
            mine.count += theirs.count;
        }
        let answered = self.answered + other.answered;
        self.mean = match (self.mean, other.mean) {
            (Some(a), Some(b)) if answered > 0 => {
                Some((a * self.answered as f64 + b * other.answered as f64) / answered as f64)
            }
            (a, b) => a.or(b),
        };
        self.min = match (self.min, other.min) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.max = match (self.max, other.max) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        self.answered = answered;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(counts: &[i64], answered: i64, mean: Option<f64>) -> QuestionResult {
        QuestionResult {
            question_id: 1,
            answered,
            options: counts
                .iter()
                .enumerate()
                .map(|(i, count)| OptionCount {
                    code: format!("O{}", i + 1),
                    label: format!("Option {}", i + 1),
                    count: *count,
                })
                .collect(),
            mean,
            min: mean,
            max: mean,
        }
    }

    #[test]
    fn results_of_two_points_add_up() {
        let mut total = result(&[3, 0, 1], 4, Some(2.0));
        total.add(&result(&[1, 2, 0], 3, Some(4.0)));
        let counts: Vec<i64> = total.options.iter().map(|o| o.count).collect();
        assert_eq!(counts, [4, 2, 1]);
        assert_eq!(total.answered, 7);
        let mean = total.mean.expect("a mean");
        assert!((mean - 20.0 / 7.0).abs() < 1e-9, "{mean}");
        assert_eq!((total.min, total.max), (Some(2.0), Some(4.0)));
    }

    #[test]
    fn a_point_without_answers_changes_nothing() {
        let mut total = result(&[2, 5], 7, Some(3.0));
        total.add(&result(&[0, 0], 0, None));
        assert_eq!(total, result(&[2, 5], 7, Some(3.0)));
    }
}
