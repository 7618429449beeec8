//! Indicator values as people read them, shared by the staff and public pages.

use pouls::indicators::{PeriodValue, Rule, RuleKind};
use pouls::storage::IndicatorReport;
use pouls::survey::QuestionKind;

use crate::format;

/// A period's figure as people read it: "72,4 %", "3,9 / 5", "1 234", or the words
/// recorded for a qualitative indicator; `None` when nothing is known.
pub(crate) fn show_value(report: &IndicatorReport, value: &PeriodValue) -> Option<String> {
    let unit = |text: String| {
        if report.settings.unit.is_empty() {
            text
        } else {
            format!("{text} {}", report.settings.unit)
        }
    };
    if let Some(recorded) = &value.recorded {
        return Some(match recorded.value {
            Some(v) => unit(format::number(v)),
            None => recorded.text.clone(),
        });
    }
    let computed = value.computed.as_ref()?;
    let figure = computed.value?;
    Some(match computed.kind {
        kind if kind.is_rate() => format!("{} %", format::decimal(figure, 1)),
        RuleKind::Mean => {
            let scale = report
                .rules
                .iter()
                .all(|r: &Rule| r.question_kind == QuestionKind::Scale);
            if scale {
                format!("{} / 5", format::decimal(figure, 1))
            } else {
                unit(format::decimal(figure, 1))
            }
        }
        _ => unit(format::integer(figure.round() as i64)),
    })
}
