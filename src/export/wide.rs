//! The wide layout: one row per response, one column per question (or per option of a
//! multiple choice), in question order.

use std::fmt::Write as _;

use super::Dialect;
use super::layout::{META_COLUMNS, ResponseRecord, write_answer_value};
use crate::survey::{Answer, Channel, Question, QuestionKind, QuestionOption, SurveyDefinition};

/// One answer column of the wide layout. The columns depend on the survey only, never
/// on which answers exist, so files of one survey always line up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WideColumn<'a> {
    /// The one value of a question: an option, a number or a text.
    Question(&'a Question),
    /// Whether one option of a multiple-choice question was ticked: `1` or `0`.
    Option(&'a Question, &'a QuestionOption),
}

impl<'a> WideColumn<'a> {
    pub fn question(&self) -> &'a Question {
        match self {
            Self::Question(question) | Self::Option(question, _) => question,
        }
    }

    /// `Q1`, or `Q2_O1` for an option.
    pub fn code(&self) -> String {
        match self {
            Self::Question(question) => question.code.clone(),
            Self::Option(question, option) => format!("{}_{}", question.code, option.code),
        }
    }

    /// The bare code for R and Python; the code and labels for Excel. Readers take the
    /// code before ` - `.
    pub fn header(&self, dialect: Dialect) -> String {
        match (dialect, self) {
            (Dialect::Standard, _) => self.code(),
            (Dialect::ExcelFr, Self::Question(question)) => {
                format!("{} - {}", question.code, question.label)
            }
            (Dialect::ExcelFr, Self::Option(question, option)) => {
                format!("{} - {} : {}", self.code(), question.label, option.label)
            }
        }
    }

    /// Appends this column's cell for a response's answers to `out`.
    fn write_cell(&self, dialect: Dialect, answers: &[Answer], out: &mut String) {
        let question = self.question();
        let mut own = answers.iter().filter(|a| a.question_id == question.id);
        match self {
            Self::Question(_) => {
                if let Some(answer) = own.next() {
                    write_answer_value(question, dialect, answer, out);
                }
            }
            Self::Option(_, option) => {
                // Empty when the question was not answered at all.
                let mut own = own.peekable();
                if own.peek().is_some() {
                    out.push(if own.any(|a| a.option_id == Some(option.id)) {
                        '1'
                    } else {
                        '0'
                    });
                }
            }
        }
    }
}

/// The answer columns, in question order; one per option for multiple choice.
pub fn wide_columns(definition: &SurveyDefinition) -> Vec<WideColumn<'_>> {
    let mut columns = Vec::new();
    for question in &definition.questions {
        if question.kind == QuestionKind::Multiple {
            columns.extend(
                question
                    .options
                    .iter()
                    .map(|option| WideColumn::Option(question, option)),
            );
        } else {
            columns.push(WideColumn::Question(question));
        }
    }
    columns
}

pub fn wide_header(definition: &SurveyDefinition, dialect: Dialect) -> Vec<String> {
    META_COLUMNS
        .iter()
        .map(|name| (*name).to_owned())
        .chain(wide_columns(definition).iter().map(|c| c.header(dialect)))
        .collect()
}

/// One response in the wide layout: as many cells as [`wide_header`], empty where a
/// question was not answered.
pub fn wide_row(
    definition: &SurveyDefinition,
    dialect: Dialect,
    record: &ResponseRecord,
) -> Vec<String> {
    WideRows::new(definition, dialect).row(record).to_vec()
}

/// Wide rows for a whole export: the columns are worked out once, the cells of the
/// previous row are reused as buffers, and the date is formatted again only when the
/// hour changes (responses come in id order, so mostly hour by hour).
pub struct WideRows<'a> {
    columns: Vec<WideColumn<'a>>,
    dialect: Dialect,
    cells: Vec<String>,
    last_hour: Option<i64>,
}

impl<'a> WideRows<'a> {
    pub fn new(definition: &'a SurveyDefinition, dialect: Dialect) -> Self {
        let columns = wide_columns(definition);
        let cells = vec![String::new(); META_COLUMNS.len() + columns.len()];
        Self {
            columns,
            dialect,
            cells,
            last_hour: None,
        }
    }

    /// The cells of `record`, valid until the next call.
    pub fn row(&mut self, record: &ResponseRecord) -> &[String] {
        let dialect = self.dialect;
        let (meta, answers) = self.cells.split_at_mut(META_COLUMNS.len());
        meta[0].clear();
        let _ = write!(meta[0], "{}", record.id);
        meta[1].clone_from(&record.point_code);
        meta[2].clone_from(&record.point_name);
        meta[3].clear();
        match (dialect, Channel::parse(&record.channel)) {
            (Dialect::ExcelFr, Ok(channel)) => meta[3].push_str(channel.label()),
            _ => meta[3].push_str(&record.channel),
        }
        if self.last_hour != Some(record.submitted_hour) {
            meta[4] = dialect.datetime(record.submitted_hour);
            self.last_hour = Some(record.submitted_hour);
        }
        for (cell, column) in answers.iter_mut().zip(&self.columns) {
            cell.clear();
            column.write_cell(dialect, &record.answers, cell);
        }
        &self.cells
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixture::{definition, record};

    #[test]
    fn wide_columns_follow_the_survey() {
        let d = definition();
        let codes: Vec<String> = wide_columns(&d).iter().map(WideColumn::code).collect();
        assert_eq!(
            codes,
            [
                "Q1", "Q2_O1", "Q2_O2", "Q2_O3", "Q2_O4", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8", "Q9"
            ]
        );
        let standard = wide_header(&d, Dialect::Standard);
        assert_eq!(
            standard[..6],
            ["reponse", "point", "point_nom", "canal", "date", "Q1"]
        );
        let excel = wide_header(&d, Dialect::ExcelFr);
        assert_eq!(excel[5], "Q1 - Quel mode de garde utilisez-vous ?");
        assert_eq!(
            excel[6],
            "Q2_O1 - Quels lieux fréquentez-vous ? : Médiathèque"
        );
    }

    #[test]
    fn rows_have_the_same_columns_whatever_was_answered() {
        let d = definition();
        let full = record(
            1,
            &[
                ("Q1", "O2"),
                ("Q2", "O1"),
                ("Q2", "O4"),
                ("Q3", "4"),
                ("Q4", "oui"),
                ("Q5", "Le mardi; vers 18h"),
                ("Q6", "-2,5"),
                ("Q7", "Ligne 1\r\nLigne 2"),
                ("Q8", "hors-ccyn"),
                ("Q9", "26-39"),
            ],
        );
        let minimal = record(2, &[("Q1", "O1"), ("Q4", "non")]);
        for dialect in Dialect::ALL {
            let width = wide_header(&d, dialect).len();
            assert_eq!(wide_row(&d, dialect, &full).len(), width);
            assert_eq!(wide_row(&d, dialect, &minimal).len(), width);
        }
        let standard = wide_row(&d, Dialect::Standard, &full);
        assert_eq!(
            standard,
            [
                "1",
                "MARCHE-CHARNY",
                "Marché de Charny",
                "papier",
                "2026-11-29T14:00:00+01:00",
                "O2",
                "1",
                "0",
                "0",
                "1",
                "4",
                "oui",
                "Le mardi; vers 18h",
                "-2.5",
                "Ligne 1\r\nLigne 2",
                "hors-ccyn",
                "26-39"
            ]
        );
        let excel = wide_row(&d, Dialect::ExcelFr, &minimal);
        assert_eq!(
            excel,
            [
                "2",
                "MARCHE-CHARNY",
                "Marché de Charny",
                "Papier",
                "29/11/2026 14:00",
                "Assistante maternelle",
                "",
                "",
                "",
                "",
                "",
                "Non",
                "",
                "",
                "",
                "",
                ""
            ]
        );
    }
}
