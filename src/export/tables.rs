//! The other exports: field reports, needs and decisions (the indicators have their own
//! module). They are small (hundreds of rows), so each is built in one buffer.

use std::collections::HashMap;

use super::{CsvOut, Dialect, ExportError};
use crate::needs::{FieldReport, Need};
use crate::storage::PublicDecision;

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
        "intitule_besoin",
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
            d.decision.need_title.clone().unwrap_or_default(),
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
