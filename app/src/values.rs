//! Indicator values as people read them, shared by the staff and public pages: each
//! figure names its unit, and the disclosure rule hides only what counts residents'
//! answers.

use pouls::disclosure::{Audience, Breakdown, Cell, THRESHOLD, WITHHELD};
use pouls::indicators::{Computed, PeriodValue, Rule, RuleKind, Unit};
use pouls::storage::IndicatorReport;
use pouls::survey::QuestionKind;

use crate::format;

/// A period's figure as its audience may read it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Figure {
    /// "72,4 %", "3,9 / 5", "3 réunions", "moins de 5 réponses", or the words recorded
    /// for a qualitative indicator.
    pub value: String,
    /// What it rests on, when that says more than the value: "88 personnes invitées".
    pub basis: Option<String>,
    /// The length of its bar in a chart: 0 when the figure is hidden.
    pub bar: f64,
}

/// "moins de 5 réponses", "moins de 5 contributions d'habitants".
fn fewer_than_threshold(unit: Unit) -> String {
    format!("moins de {THRESHOLD} {}", unit.many)
}

/// The distribution of a "répartition" rule's answers as `audience` may see it:
/// categories as computed (largest first), with the period's n as total.
pub(crate) fn distribution(computed: &Computed, audience: Audience) -> Breakdown {
    let counts: Vec<i64> = computed.breakdown.iter().map(|(_, n)| *n).collect();
    audience.breakdown(&counts, computed.n, true)
}

/// The heading of a distribution's categories, from the question its rules count.
pub(crate) fn category_heading(report: &IndicatorReport) -> &'static str {
    match report.rules.first().map(|r| r.question_kind) {
        Some(QuestionKind::Commune) => "Commune",
        Some(QuestionKind::Public) => "Public",
        Some(QuestionKind::AgeBracket) => "Tranche d'âge",
        _ => "Réponse",
    }
}

/// The figure of one period, or `None` when nothing is known for it.
pub(crate) fn figure(
    report: &IndicatorReport,
    value: &PeriodValue,
    audience: Audience,
) -> Option<Figure> {
    let with_unit = |text: String| {
        if report.settings.unit.is_empty() {
            text
        } else {
            format!("{text} {}", report.settings.unit)
        }
    };
    if let Some(recorded) = &value.recorded {
        // Typed in by staff from their own sources: not residents' answers.
        return Some(match recorded.value {
            Some(v) => Figure {
                value: with_unit(format::number(v)),
                basis: None,
                bar: v,
            },
            None => Figure {
                value: recorded.text.clone(),
                basis: None,
                bar: 0.0,
            },
        });
    }
    let computed = value.computed.as_ref()?;
    let figure = computed.value?;
    let kind = computed.kind;
    let basis = kind.basis();
    if kind.counts_answers() && !audience.shows(computed.n) {
        return Some(Figure {
            value: fewer_than_threshold(basis),
            basis: None,
            bar: 0.0,
        });
    }
    if kind == RuleKind::Distribution && distribution(computed, audience).total == Cell::Withheld {
        // The total would give a small category away.
        return Some(Figure {
            value: format!("{WITHHELD} {}", basis.many),
            basis: None,
            bar: 0.0,
        });
    }
    let text = match kind {
        kind if kind.is_rate() => format!("{} %", format::decimal(figure, 1)),
        RuleKind::Mean => {
            let scale = report
                .rules
                .iter()
                .all(|r: &Rule| r.question_kind == QuestionKind::Scale);
            if scale {
                format!("{} / 5", format::decimal(figure, 1))
            } else {
                with_unit(format::decimal(figure, 1))
            }
        }
        _ => {
            let count = figure.round() as i64;
            match kind.value_unit() {
                Some(unit) => unit.count(count),
                None => format::integer(count),
            }
        }
    };
    let repeats = kind.value_is_basis() && figure.round() as i64 == computed.n;
    Some(Figure {
        value: text,
        basis: (!repeats).then(|| basis.count(computed.n)),
        bar: figure,
    })
}

#[cfg(test)]
mod tests {
    use pouls::indicators::{IndicatorSettings, Period, Periodicity};
    use pouls::plan::IndicatorKind;

    use super::*;

    fn report(unit: &str) -> IndicatorReport {
        IndicatorReport {
            code: "A14.3".into(),
            action_number: 14,
            label: "Fréquence des temps de partage".into(),
            settings: IndicatorSettings {
                code: "A14.3".into(),
                kind: IndicatorKind::Count,
                unit: unit.into(),
                baseline_value: None,
                baseline_label: String::new(),
                target_value: None,
                periodicity: Periodicity::Year,
                published: true,
            },
            rules: Vec::new(),
            values: Vec::new(),
        }
    }

    fn computed(kind: RuleKind, value: f64, n: i64) -> PeriodValue {
        PeriodValue {
            period: Period::year(2026),
            computed: Some(Computed {
                kind,
                value: Some(value),
                n,
                breakdown: Vec::new(),
            }),
            recorded: None,
        }
    }

    #[test]
    fn activity_is_shown_as_it_is_with_its_unit() {
        let meetings = figure(
            &report(""),
            &computed(RuleKind::Meetings, 3.0, 3),
            Audience::Public,
        );
        assert_eq!(
            meetings.map(|f| (f.value, f.basis)),
            Some(("3 réunions".to_owned(), None))
        );
        let attendance = figure(
            &report("%"),
            &computed(RuleKind::Attendance, 60.0, 88),
            Audience::Public,
        )
        .expect("a figure");
        assert_eq!(attendance.value, "60,0 %");
        assert_eq!(attendance.basis.as_deref(), Some("88 personnes invitées"));
        let adjusted = figure(
            &report(""),
            &computed(RuleKind::AdjustedActions, 2.0, 3),
            Audience::Public,
        )
        .expect("a figure");
        assert_eq!(
            (adjusted.value.as_str(), adjusted.basis.as_deref()),
            ("2 actions ajustées", Some("3 décisions"))
        );
    }

    #[test]
    fn few_answers_are_hidden_outside_staff_views() {
        let few = computed(RuleKind::ResponseCount, 3.0, 3);
        assert_eq!(
            figure(&report(""), &few, Audience::Public).map(|f| f.value),
            Some("moins de 5 réponses".to_owned())
        );
        assert_eq!(
            figure(&report(""), &few, Audience::Staff).map(|f| f.value),
            Some("3 réponses".to_owned())
        );
        let communes = figure(
            &report(""),
            &computed(RuleKind::CommunesReached, 12.0, 245),
            Audience::Public,
        )
        .expect("a figure");
        assert_eq!(
            (communes.value.as_str(), communes.basis.as_deref()),
            ("12 communes", Some("245 réponses"))
        );
    }
}
