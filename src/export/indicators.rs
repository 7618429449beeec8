//! The indicators CSV: one row per indicator and period, each figure with its unit and
//! what it rests on; a distribution adds one row per category after its total row.
//!
//! Columns: `code`, `action`, `libelle`, `periode`, `categorie` (empty on the total
//! row), `valeur`, `unite`, `n` (what the figure rests on), `unite_n`, `source`; the Excel
//! dialect names them in French and writes periods as words ("1er semestre 2026").
//! Figures keep two decimals at most.
//! For restricted audiences, counts of residents' answers from 1 to 4 read "< 5", and
//! categories held back so that a small one cannot be worked out from the total "≥ 5".

use super::{CsvOut, Dialect, ExportError};
use crate::disclosure::{Audience, Breakdown, Cell, HIDDEN};
use crate::indicators::{Computed, PeriodValue, RuleKind, Unit, describe_source};
use crate::storage::IndicatorReport;
use crate::survey::QuestionKind;

/// Stable names for scripts (standard dialect), French ones for a spreadsheet (Excel).
const HEADER: [(&str, &str); 10] = [
    ("code", "Code"),
    ("action", "Action"),
    ("libelle", "Indicateur"),
    ("periode", "Période"),
    ("categorie", "Catégorie"),
    ("valeur", "Valeur"),
    ("unite", "Unité"),
    ("n", "Effectif (n)"),
    ("unite_n", "Unité de l'effectif"),
    ("source", "Source"),
];

/// A computed figure as people read it: two decimals at most (a share of 74.666...% is
/// 74.67), whole numbers as they are.
fn rounded(value: f64) -> f64 {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded.is_finite() { rounded } else { value }
}

/// What a computed figure is counted in: "réunions", "%", "moyenne sur 5"...
fn unit_of(report: &IndicatorReport, computed: &Computed, value: f64) -> String {
    if computed.kind.is_rate() {
        return "%".to_owned();
    }
    if computed.kind == RuleKind::Mean {
        let scale = report
            .rules
            .iter()
            .all(|r| r.question_kind == QuestionKind::Scale);
        return if scale {
            "moyenne sur 5".to_owned()
        } else if report.settings.unit.is_empty() {
            "moyenne".to_owned()
        } else {
            report.settings.unit.clone()
        };
    }
    computed
        .kind
        .value_unit()
        .map(|unit| unit.word(value.round() as i64).to_owned())
        .unwrap_or_default()
}

/// The value, unit, n and n's unit of one period's total row.
fn total_row(
    report: &IndicatorReport,
    value: &PeriodValue,
    dialect: Dialect,
    audience: Audience,
) -> [String; 4] {
    if let Some(recorded) = &value.recorded {
        return match recorded.value {
            Some(v) => [
                dialect.number(rounded(v)),
                report.settings.unit.clone(),
                String::new(),
                String::new(),
            ],
            None => [
                recorded.text.clone(),
                String::new(),
                String::new(),
                String::new(),
            ],
        };
    }
    let Some(computed) = &value.computed else {
        return Default::default();
    };
    let basis = computed.kind.basis();
    let n_unit = basis.word(computed.n).to_owned();
    if computed.kind.counts_answers() && !audience.shows(computed.n) {
        // The plural whatever n is: "réponse" would say there is one.
        return [
            String::new(),
            String::new(),
            audience.count(computed.n).plain(),
            basis.many.to_owned(),
        ];
    }
    if computed.kind == RuleKind::Distribution {
        let total = distribution(computed, audience).total;
        if total == Cell::Withheld {
            let many = basis.many.to_owned();
            return [total.plain(), many.clone(), total.plain(), many];
        }
    }
    match computed.value {
        Some(v) => [
            dialect.number(rounded(v)),
            unit_of(report, computed, v),
            computed.n.to_string(),
            n_unit,
        ],
        None => [String::new(), String::new(), computed.n.to_string(), n_unit],
    }
}

fn distribution(computed: &Computed, audience: Audience) -> Breakdown {
    let counts: Vec<i64> = computed.breakdown.iter().map(|(_, n)| *n).collect();
    audience.breakdown(&counts, computed.n, true)
}

pub fn indicators_csv(
    reports: &[IndicatorReport],
    dialect: Dialect,
    audience: Audience,
) -> Result<Vec<u8>, ExportError> {
    let mut csv = CsvOut::new(Vec::new(), dialect)?;
    csv.write_row(&HEADER.map(|(standard, excel)| match dialect {
        Dialect::ExcelFr => excel,
        Dialect::Standard => standard,
    }))?;
    for report in reports {
        for value in &report.values {
            let source = if value.has_value() {
                describe_source(&report.rules, value)
            } else {
                String::new()
            };
            let fields = |category: String, [figure, unit, n, n_unit]: [String; 4]| {
                vec![
                    report.code.clone(),
                    report.action_number.to_string(),
                    report.label.clone(),
                    match dialect {
                        Dialect::ExcelFr => value.period.label(),
                        Dialect::Standard => value.period.code(),
                    },
                    category,
                    figure,
                    unit,
                    n,
                    n_unit,
                    source.clone(),
                ]
            };
            let total = total_row(report, value, dialect, audience);
            let (n, n_unit) = (total[2].clone(), total[3].clone());
            let shown = !total[0].is_empty() && n != HIDDEN;
            csv.write_row(&fields(String::new(), total))?;
            let categories = value
                .computed
                .as_ref()
                .filter(|c| shown && value.recorded.is_none() && c.kind == RuleKind::Distribution);
            if let Some(computed) = categories {
                let breakdown = distribution(computed, audience);
                for ((label, _), cell) in computed.breakdown.iter().zip(&breakdown.cells) {
                    let unit = cell
                        .value()
                        .map_or(Unit::ANSWERS.many, |n| Unit::ANSWERS.word(n));
                    let cells = [cell.plain(), unit.to_owned(), n.clone(), n_unit.clone()];
                    csv.write_row(&fields(label.clone(), cells))?;
                }
            }
        }
    }
    csv.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_keep_two_decimals_at_most() {
        assert_eq!(rounded(74.666_666_666_666_67), 74.67);
        assert_eq!(rounded(4.033_333_333_333_333), 4.03);
        assert_eq!(rounded(12.0), 12.0);
        assert_eq!(Dialect::ExcelFr.number(rounded(2.0 / 3.0)), "0,67");
        assert_eq!(Dialect::Standard.number(rounded(0.1 + 0.2)), "0.3");
        assert!(rounded(f64::MAX).is_finite());
    }
}
