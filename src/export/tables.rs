//! The other exports: indicators, field reports, needs and decisions. They are small
//! (hundreds of rows), so each is built in one buffer.

use std::collections::HashMap;

use super::{CsvOut, Dialect, ExportError};
use crate::indicators::describe_source;
use crate::needs::{FieldReport, Need};
use crate::storage::{IndicatorReport, PublicDecision};

/// Code → label, for the Excel dialect (the standard one keeps codes).
pub type Labels = HashMap<String, String>;

fn named(dialect: Dialect, labels: &Labels, code: &str) -> String {
    match dialect {
        Dialect::ExcelFr => labels.get(code).cloned().unwrap_or_else(|| code.to_owned()),
        Dialect::Standard => code.to_owned(),
    }
}

fn joined(dialect: Dialect, labels: &Labels, codes: &[String]) -> String {
    let separator = if dialect == Dialect::ExcelFr {
        ", "
    } else {
        "|"
    };
    codes
        .iter()
        .map(|c| named(dialect, labels, c))
        .collect::<Vec<_>>()
        .join(separator)
}

fn finish(csv: CsvOut<Vec<u8>>) -> Result<Vec<u8>, ExportError> {
    csv.into_inner()
}

/// The indicators' columns: stable names for scripts, French ones for a spreadsheet.
const INDICATOR_COLUMNS: [(&str, &str); 7] = [
    ("code", "Code"),
    ("action", "Action"),
    ("label", "Indicateur"),
    ("period", "Période"),
    ("value", "Valeur"),
    ("n", "Effectif (n)"),
    ("source", "Source"),
];

/// A computed figure as people read it: two decimals at most (a share of 74.666...% is
/// 74.67), whole numbers as they are.
fn rounded(value: f64) -> f64 {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded.is_finite() { rounded } else { value }
}

/// One row per indicator and period: code, action, label, period, value, n, source.
pub fn indicators_csv(
    reports: &[IndicatorReport],
    dialect: Dialect,
) -> Result<Vec<u8>, ExportError> {
    let mut csv = CsvOut::new(Vec::new(), dialect)?;
    let header = INDICATOR_COLUMNS.map(|(standard, excel)| match dialect {
        Dialect::ExcelFr => excel,
        Dialect::Standard => standard,
    });
    csv.write_row(&header)?;
    for report in reports {
        for value in &report.values {
            let figure = value
                .figure()
                .map(|v| dialect.number(rounded(v)))
                .or_else(|| value.recorded.as_ref().map(|r| r.text.clone()))
                .unwrap_or_default();
            let n = match (&value.recorded, &value.computed) {
                (None, Some(computed)) => computed.n.to_string(),
                _ => String::new(),
            };
            let source = if value.has_value() {
                describe_source(&report.rules, value)
            } else {
                String::new()
            };
            let period = match dialect {
                Dialect::ExcelFr => value.period.label(),
                Dialect::Standard => value.period.code(),
            };
            csv.write_row(&[
                report.code.clone(),
                report.action_number.to_string(),
                report.label.clone(),
                period,
                figure,
                n,
                source,
            ])?;
        }
    }
    finish(csv)
}

pub fn reports_csv(
    reports: &[FieldReport],
    labels: &Labels,
    dialect: Dialect,
) -> Result<Vec<u8>, ExportError> {
    let mut csv = CsvOut::new(Vec::new(), dialect)?;
    csv.write_row(&[
        "remontee",
        "date",
        "structure",
        "commune",
        "themes",
        "publics",
        "personnes",
        "observation",
        "auteur",
    ])?;
    for report in reports {
        let organisation = match dialect {
            Dialect::ExcelFr => report.organisation.label(),
            Dialect::Standard => report.organisation.code(),
        };
        csv.write_row(&[
            report.id.to_string(),
            dialect.date(report.observed_on),
            organisation.to_owned(),
            report
                .commune
                .as_deref()
                .map_or_else(|| "territoire".to_owned(), |c| named(dialect, labels, c)),
            joined(dialect, labels, &report.themes),
            joined(dialect, labels, &report.publics),
            report
                .people_count
                .map(|n| n.to_string())
                .unwrap_or_default(),
            report.observed.clone(),
            report.created_by_label.clone(),
        ])?;
    }
    finish(csv)
}

pub fn needs_csv(
    needs: &[Need],
    labels: &Labels,
    dialect: Dialect,
) -> Result<Vec<u8>, ExportError> {
    let mut csv = CsvOut::new(Vec::new(), dialect)?;
    csv.write_row(&[
        "besoin",
        "intitule",
        "theme",
        "communes",
        "publics",
        "etat",
        "cree",
        "modifie",
        "description",
    ])?;
    for need in needs {
        let status = match dialect {
            Dialect::ExcelFr => need.status.label(),
            Dialect::Standard => need.status.code(),
        };
        csv.write_row(&[
            need.id.to_string(),
            need.title.clone(),
            named(dialect, labels, &need.theme),
            joined(dialect, labels, &need.communes),
            joined(dialect, labels, &need.publics),
            status.to_owned(),
            dialect.datetime(need.created_at),
            dialect.datetime(need.updated_at),
            need.description.clone(),
        ])?;
    }
    finish(csv)
}

pub fn decisions_csv(
    decisions: &[PublicDecision],
    dialect: Dialect,
) -> Result<Vec<u8>, ExportError> {
    let mut csv = CsvOut::new(Vec::new(), dialect)?;
    csv.write_row(&[
        "decision",
        "reunion",
        "type_reunion",
        "date_reunion",
        "action",
        "besoin",
        "ce_qui_change",
        "porteur",
        "echeance",
        "etat",
    ])?;
    for d in decisions {
        let (kind, status) = match dialect {
            Dialect::ExcelFr => (d.meeting_kind.label(), d.decision.status.label()),
            Dialect::Standard => (d.meeting_kind.code(), d.decision.status.code()),
        };
        csv.write_row(&[
            d.decision.id.to_string(),
            d.meeting_title.clone(),
            kind.to_owned(),
            dialect.date(d.held_on),
            d.decision.action_number.to_string(),
            d.decision
                .need_id
                .map(|n| n.to_string())
                .unwrap_or_default(),
            d.decision.what.clone(),
            d.decision.owner.clone(),
            d.decision
                .due_on
                .map(|day| dialect.date(day))
                .unwrap_or_default(),
            status.to_owned(),
        ])?;
    }
    finish(csv)
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
