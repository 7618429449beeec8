//! Evaluating rules on the per-day answer tallies of a period. Each variant has one
//! evaluation; rules of the same indicator (several surveys feeding one indicator) merge.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Rule, RuleKind};
use crate::survey::OUTSIDE_TERRITORY;

/// Answer counts of one question over a period: per option, and `option_id = 0` for
/// "answered at all" (with the sum of the numbers typed, for number questions).
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    pub question_id: i64,
    pub option_id: i64,
    pub option_code: String,
    pub option_label: String,
    pub responses: i64,
    pub value_sum: f64,
}

/// What the rules of one indicator computed for one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Computed {
    pub kind: RuleKind,
    /// The figure: a count, a percentage (share), a mean, a number of communes.
    pub value: Option<f64>,
    /// How many responses it rests on.
    pub n: i64,
    /// Distributions: each category with its count, largest first.
    pub breakdown: Vec<(String, i64)>,
}

/// Evaluates the rules of one indicator (all of the same kind) on the tallies.
pub fn evaluate(rules: &[&Rule], tallies: &[Tally]) -> Option<Computed> {
    let kind = rules.first()?.kind;
    let mut by_question: HashMap<i64, Vec<&Tally>> = HashMap::new();
    for tally in tallies {
        by_question
            .entry(tally.question_id)
            .or_default()
            .push(tally);
    }
    let empty = Vec::new();
    let mut n = 0;
    let mut numerator = 0.0;
    let mut categories: BTreeMap<String, (String, i64)> = BTreeMap::new();
    for rule in rules.iter().filter(|r| r.kind == kind) {
        let tallies = by_question.get(&rule.question_id).unwrap_or(&empty);
        let answered: i64 = tallies
            .iter()
            .filter(|t| t.option_id == 0)
            .map(|t| t.responses)
            .sum();
        let of = |codes: &[String]| -> i64 {
            tallies
                .iter()
                .filter(|t| t.option_id != 0 && codes.contains(&t.option_code))
                .map(|t| t.responses)
                .sum()
        };
        match kind {
            RuleKind::ResponseCount => {
                let count = if rule.options.is_empty() {
                    answered
                } else {
                    of(&rule.options)
                };
                n += count;
                numerator += count as f64;
            }
            RuleKind::OptionShare => {
                n += answered;
                numerator += of(&rule.options) as f64;
            }
            RuleKind::Mean => {
                let options: Vec<&&Tally> = tallies.iter().filter(|t| t.option_id != 0).collect();
                if options.is_empty() {
                    // A number question: the sum of the values typed.
                    n += answered;
                    numerator += tallies
                        .iter()
                        .filter(|t| t.option_id == 0)
                        .map(|t| t.value_sum)
                        .sum::<f64>();
                } else {
                    for tally in options {
                        if let Ok(score) = tally.option_code.parse::<f64>() {
                            n += tally.responses;
                            numerator += score * tally.responses as f64;
                        }
                    }
                }
            }
            RuleKind::Distribution | RuleKind::CommunesReached => {
                n += answered;
                for tally in tallies
                    .iter()
                    .filter(|t| t.option_id != 0 && t.responses > 0)
                {
                    let entry = categories
                        .entry(tally.option_code.clone())
                        .or_insert_with(|| (tally.option_label.clone(), 0));
                    entry.1 += tally.responses;
                }
            }
            // Activity variants are evaluated by `evaluate_activity`.
            _ => {}
        }
    }
    let value = match kind {
        _ if kind.is_activity() => None,
        RuleKind::ResponseCount => Some(numerator),
        RuleKind::OptionShare | RuleKind::Mean => (n > 0).then(|| {
            let ratio = numerator / n as f64;
            if kind == RuleKind::OptionShare {
                ratio * 100.0
            } else {
                ratio
            }
        }),
        RuleKind::Distribution => Some(n as f64),
        _ => {
            let communes: BTreeSet<&String> = categories
                .keys()
                .filter(|code| code.as_str() != OUTSIDE_TERRITORY.0)
                .collect();
            Some(communes.len() as f64)
        }
    };
    let mut breakdown: Vec<(String, i64)> = categories.into_values().collect();
    breakdown.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Some(Computed {
        kind,
        value,
        n,
        breakdown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::QuestionKind;

    fn rule(kind: RuleKind, question_id: i64, options: &[&str]) -> Rule {
        Rule {
            id: 1,
            indicator_code: "A2.5".into(),
            kind,
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            survey_id: 1,
            survey_title: "S".into(),
            question_id,
            question_code: "Q1".into(),
            question_label: "Q".into(),
            question_kind: QuestionKind::Scale,
        }
    }

    fn tally(question_id: i64, option_id: i64, code: &str, responses: i64) -> Tally {
        Tally {
            question_id,
            option_id,
            option_code: code.into(),
            option_label: code.to_uppercase(),
            responses,
            value_sum: 0.0,
        }
    }

    /// A 1-5 scale: 2 × 5, 3 × 4, 1 × 2 (6 answers).
    fn scale() -> Vec<Tally> {
        vec![
            tally(1, 0, "", 6),
            tally(1, 15, "5", 2),
            tally(1, 14, "4", 3),
            tally(1, 12, "2", 1),
        ]
    }

    #[test]
    fn share_mean_and_count_on_a_scale() {
        let share = rule(RuleKind::OptionShare, 1, &["4", "5"]);
        let computed = evaluate(&[&share], &scale()).expect("computed");
        assert_eq!(computed.n, 6);
        assert!((computed.value.unwrap_or_default() - 500.0 / 6.0).abs() < 1e-9);
        let mean = evaluate(&[&rule(RuleKind::Mean, 1, &[])], &scale()).expect("computed");
        assert!((mean.value.unwrap_or_default() - 24.0 / 6.0).abs() < 1e-9);
        let count =
            evaluate(&[&rule(RuleKind::ResponseCount, 1, &["5"])], &scale()).expect("computed");
        assert_eq!(count.value, Some(2.0));
    }

    #[test]
    fn an_empty_period_has_no_share_and_a_zero_count() {
        let share = evaluate(&[&rule(RuleKind::OptionShare, 1, &["5"])], &[]).expect("computed");
        assert_eq!((share.value, share.n), (None, 0));
        let count = evaluate(&[&rule(RuleKind::ResponseCount, 1, &[])], &[]).expect("computed");
        assert_eq!(count.value, Some(0.0));
    }

    #[test]
    fn rules_of_several_surveys_merge() {
        let tallies = vec![
            tally(1, 0, "", 4),
            tally(1, 11, "sergines", 3),
            tally(1, 12, "hors-ccyn", 1),
            tally(2, 0, "", 2),
            tally(2, 21, "sergines", 1),
            tally(2, 22, "michery", 1),
        ];
        let communes = evaluate(
            &[
                &rule(RuleKind::CommunesReached, 1, &[]),
                &rule(RuleKind::CommunesReached, 2, &[]),
            ],
            &tallies,
        )
        .expect("computed");
        assert_eq!(
            communes.value,
            Some(2.0),
            "Hors CCYN is not a commune of the territory"
        );
        assert_eq!(communes.n, 6);
        let distribution = evaluate(
            &[
                &rule(RuleKind::Distribution, 1, &[]),
                &rule(RuleKind::Distribution, 2, &[]),
            ],
            &tallies,
        )
        .expect("computed");
        assert_eq!(distribution.breakdown[0], ("SERGINES".into(), 4));
        assert_eq!(distribution.value, Some(6.0));
    }

    #[test]
    fn the_mean_of_a_number_question_uses_the_sum_typed() {
        let mut answered = tally(3, 0, "", 4);
        answered.value_sum = 10.0;
        let mean = evaluate(&[&rule(RuleKind::Mean, 3, &[])], &[answered]).expect("computed");
        assert_eq!(mean.value, Some(2.5));
    }
}

/// What the platform did in a period, for the indicators fed by activity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Activity {
    pub field_reports: i64,
    pub meetings: i64,
    pub invited: i64,
    pub present: i64,
    pub partners_invited: i64,
    pub partners_present: i64,
    pub decisions: i64,
    pub adjusted_actions: i64,
    pub integrated_contributions: i64,
}

/// Evaluates an activity variant on a period's activity.
pub fn evaluate_activity(kind: RuleKind, activity: &Activity) -> Computed {
    let rate =
        |present: i64, invited: i64| (invited > 0).then(|| present as f64 * 100.0 / invited as f64);
    let (value, n) = match kind {
        RuleKind::FieldReports => (Some(activity.field_reports as f64), activity.field_reports),
        RuleKind::Meetings => (Some(activity.meetings as f64), activity.meetings),
        RuleKind::Attendance => (rate(activity.present, activity.invited), activity.invited),
        RuleKind::PartnerAttendance => (
            rate(activity.partners_present, activity.partners_invited),
            activity.partners_invited,
        ),
        RuleKind::AdjustedActions => (Some(activity.adjusted_actions as f64), activity.decisions),
        RuleKind::IntegratedContributions => (
            Some(activity.integrated_contributions as f64),
            activity.integrated_contributions,
        ),
        _ => (None, 0),
    };
    Computed {
        kind,
        value,
        n,
        breakdown: Vec::new(),
    }
}
