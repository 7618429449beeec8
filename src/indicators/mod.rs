//! Indicators of the plan: settings, rules computed from answers, values recorded by
//! staff, per period. Every figure says what it rests on (n, source, period).

mod evaluate;
mod period;
mod rule;
mod settings;
mod unit;

pub use evaluate::{Activity, Computed, Tally, evaluate, evaluate_activity};
pub use period::{FIRST_YEAR, LAST_YEAR, Period, Periodicity};
pub use rule::{Rule, RuleDraft, RuleKind};
pub use settings::{
    IndicatorSettings, PeriodValue, RecordDraft, RecordInput, RecordedValue, SettingsInput,
    away_from_target,
};
pub use unit::Unit;

/// Where a period's figure comes from, in French: the surveys and questions of the rules,
/// or who recorded the value and from what source.
pub fn describe_source(rules: &[Rule], value: &PeriodValue) -> String {
    if let Some(recorded) = &value.recorded {
        return format!("Saisi par {} : {}", recorded.recorded_by, recorded.source);
    }
    if let Some(computed) = value.computed.as_ref().filter(|c| c.kind.is_activity()) {
        return format!(
            "Calculé par la plateforme : {}",
            computed.kind.label().to_lowercase()
        );
    }
    let questions: Vec<String> = rules
        .iter()
        .map(|rule| {
            format!(
                "enquête « {} », {} « {} »",
                rule.survey_title, rule.question_code, rule.question_label
            )
        })
        .collect();
    match rules.first() {
        Some(rule) => format!("{} : {}", rule.kind.label(), questions.join(" ; ")),
        None => String::new(),
    }
}
