//! Indicator settings and recorded values, with their forms.

use super::{Computed, Period, Periodicity};
use crate::domain::FieldErrors;
use crate::plan::IndicatorKind;
use crate::survey::parse_number;

/// How an indicator is measured and what it aims at.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorSettings {
    pub code: String,
    pub kind: IndicatorKind,
    pub unit: String,
    pub baseline_value: Option<f64>,
    /// Where the baseline comes from, for example "CTG 2022-2025".
    pub baseline_label: String,
    pub target_value: Option<f64>,
    pub periodicity: Periodicity,
    /// Whether the public action page shows its values.
    pub published: bool,
}

#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    pub kind: String,
    pub unit: String,
    pub baseline_value: String,
    pub baseline_label: String,
    pub target_value: String,
    pub periodicity: String,
    pub published: bool,
}

impl IndicatorSettings {
    pub fn parse(code: &str, input: &SettingsInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = input
            .kind
            .parse::<IndicatorKind>()
            .map_err(|_| errors.add("kind", "Choisissez le type d'indicateur."))
            .ok();
        let periodicity = Periodicity::parse(&input.periodicity)
            .map_err(|e| errors.add("periodicity", e.0))
            .ok();
        let mut number = |field: &str, value: &str| -> Option<f64> {
            if value.trim().is_empty() {
                return None;
            }
            let parsed = parse_number(value);
            if parsed.is_none() {
                errors.add(field, "Saisissez un nombre, par exemple 120 ou 72,5.");
            }
            parsed
        };
        let baseline_value = number("baseline_value", &input.baseline_value);
        let target_value = number("target_value", &input.target_value);
        let unit = input.unit.trim().to_owned();
        if unit.chars().count() > 40 {
            errors.add("unit", "40 caractères au plus.");
        }
        let baseline_label = input.baseline_label.trim().to_owned();
        if baseline_label.chars().count() > 80 {
            errors.add("baseline_label", "80 caractères au plus.");
        }
        match (kind, periodicity) {
            (Some(kind), Some(periodicity)) if errors.is_empty() => Ok(Self {
                code: code.to_owned(),
                kind,
                unit,
                baseline_value,
                baseline_label,
                target_value,
                periodicity,
                published: input.published,
            }),
            _ => Err(errors),
        }
    }
}

/// A value recorded by staff for one period.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedValue {
    pub indicator_code: String,
    pub period: Period,
    pub value: Option<f64>,
    /// For qualitative indicators: the assessment in words.
    pub text: String,
    pub source: String,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: i64,
}

#[derive(Debug, Clone, Default)]
pub struct RecordInput {
    pub period: String,
    pub value: String,
    pub text: String,
    pub source: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecordDraft {
    pub period: Period,
    pub value: Option<f64>,
    pub text: String,
    pub source: String,
    pub note: String,
}

impl RecordDraft {
    pub fn parse(input: &RecordInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let period = Period::parse(&input.period)
            .map_err(|e| errors.add("period", e.0))
            .ok();
        let value = match input.value.trim() {
            "" => None,
            typed => {
                let parsed = parse_number(typed);
                if parsed.is_none() {
                    errors.add("value", "Saisissez un nombre, par exemple 12 ou 72,5.");
                }
                parsed
            }
        };
        let text = input.text.trim().to_owned();
        if value.is_none() && text.is_empty() && errors.get("value").is_none() {
            errors.add(
                "value",
                "Saisissez une valeur, ou une appréciation pour un indicateur qualitatif.",
            );
        }
        if text.chars().count() > 1000 {
            errors.add("text", "1 000 caractères au plus.");
        }
        let source = input.source.trim().to_owned();
        if source.is_empty() {
            errors.add(
                "source",
                "Indiquez la source, par exemple « bilan du RPE » ou « comptage France Services ».",
            );
        } else if source.chars().count() > 200 {
            errors.add("source", "200 caractères au plus.");
        }
        let note = input.note.trim().to_owned();
        if note.chars().count() > 1000 {
            errors.add("note", "1 000 caractères au plus.");
        }
        match period {
            Some(period) if errors.is_empty() => Ok(Self {
                period,
                value,
                text,
                source,
                note,
            }),
            _ => Err(errors),
        }
    }
}

/// One period of an indicator: what rules computed and what staff recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodValue {
    pub period: Period,
    pub computed: Option<Computed>,
    pub recorded: Option<RecordedValue>,
}

impl PeriodValue {
    /// The figure that counts: a recorded value wins over a computed one.
    pub fn figure(&self) -> Option<f64> {
        self.recorded
            .as_ref()
            .and_then(|r| r.value)
            .or_else(|| self.computed.as_ref().and_then(|c| c.value))
    }

    /// Whether anything is known for the period (a number, or words for a qualitative one).
    pub fn has_value(&self) -> bool {
        self.figure().is_some() || self.recorded.as_ref().is_some_and(|r| !r.text.is_empty())
    }
}

/// Whether the latest figure is further from the target than the one before it.
pub fn away_from_target(values: &[PeriodValue], target: Option<f64>) -> bool {
    let Some(target) = target else {
        return false;
    };
    let figures: Vec<f64> = values.iter().filter_map(PeriodValue::figure).collect();
    match figures.as_slice() {
        [.., before, latest] => (latest - target).abs() > (before - target).abs(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_need_a_kind_and_a_periodicity() {
        let input = SettingsInput {
            kind: "rate".into(),
            unit: "%".into(),
            baseline_value: "61,5".into(),
            baseline_label: "CTG 2022-2025".into(),
            target_value: "75".into(),
            periodicity: "half".into(),
            published: true,
        };
        let settings = IndicatorSettings::parse("A2.5", &input).expect("valid");
        assert_eq!(settings.baseline_value, Some(61.5));
        assert_eq!(settings.periodicity, Periodicity::HalfYear);
        let errors = IndicatorSettings::parse(
            "A2.5",
            &SettingsInput {
                baseline_value: "beaucoup".into(),
                ..input
            },
        )
        .expect_err("bad");
        assert!(errors.get("baseline_value").is_some());
    }

    #[test]
    fn a_recorded_value_needs_a_period_a_value_and_a_source() {
        let errors = RecordDraft::parse(&RecordInput::default()).expect_err("empty");
        for field in ["period", "value", "source"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        let draft = RecordDraft::parse(&RecordInput {
            period: "2026".into(),
            value: "1 200".into(),
            source: "Imprimeur".into(),
            ..RecordInput::default()
        })
        .expect("valid");
        assert_eq!(draft.value, Some(1200.0));
        let words = RecordDraft::parse(&RecordInput {
            period: "2026-S2".into(),
            text: "Bonne appropriation".into(),
            source: "COPIL".into(),
            ..RecordInput::default()
        });
        assert!(words.is_ok(), "qualitative: words without a number");
    }

    fn at(period: &str, value: f64) -> PeriodValue {
        PeriodValue {
            period: Period::parse(period).expect("period"),
            computed: Some(Computed {
                kind: super::super::RuleKind::ResponseCount,
                value: Some(value),
                n: 10,
                breakdown: vec![],
            }),
            recorded: None,
        }
    }

    #[test]
    fn moving_away_from_the_target() {
        assert!(away_from_target(
            &[at("2026", 60.0), at("2027", 55.0)],
            Some(75.0)
        ));
        assert!(!away_from_target(
            &[at("2026", 60.0), at("2027", 70.0)],
            Some(75.0)
        ));
        assert!(!away_from_target(&[at("2026", 60.0)], Some(75.0)));
        assert!(!away_from_target(
            &[at("2026", 60.0), at("2027", 50.0)],
            None
        ));
    }
}
