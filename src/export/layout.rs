//! The layouts of a survey's responses: wide (one row per response), long (one row per
//! answer) and the codebook that explains the codes.

use std::fmt::Write as _;

use super::Dialect;
use crate::survey::{Answer, Channel, Question, QuestionKind, QuestionOption, SurveyDefinition};

/// The columns before the answers in the wide layout; the importer ignores them.
pub const META_COLUMNS: [&str; 4] = ["reponse", "point", "canal", "date"];

/// One stored response, as the exports read it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseRecord {
    pub id: i64,
    pub point_code: String,
    /// The channel code (`web`, `kiosque`, `papier`).
    pub channel: String,
    /// Unix time, rounded down to the hour when stored.
    pub submitted_hour: i64,
    pub answers: Vec<Answer>,
}

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
        meta[2].clear();
        match (dialect, Channel::parse(&record.channel)) {
            (Dialect::ExcelFr, Ok(channel)) => meta[2].push_str(channel.label()),
            _ => meta[2].push_str(&record.channel),
        }
        if self.last_hour != Some(record.submitted_hour) {
            meta[3] = dialect.datetime(record.submitted_hour);
            self.last_hour = Some(record.submitted_hour);
        }
        for (cell, column) in answers.iter_mut().zip(&self.columns) {
            cell.clear();
            column.write_cell(dialect, &record.answers, cell);
        }
        &self.cells
    }
}

pub fn long_header() -> Vec<String> {
    ["reponse", "question", "option", "valeur"]
        .map(str::to_owned)
        .to_vec()
}

/// One row per answer, in question order: response, question code, option code (empty
/// for texts and numbers), value.
pub fn long_rows(
    definition: &SurveyDefinition,
    dialect: Dialect,
    record: &ResponseRecord,
) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for question in &definition.questions {
        // The options of a multiple choice in the question's order, however they were
        // stored: the same response always gives the same lines.
        let mut own: Vec<&Answer> = record
            .answers
            .iter()
            .filter(|a| a.question_id == question.id)
            .collect();
        own.sort_by_key(|a| {
            a.option_id
                .and_then(|id| question.options.iter().position(|o| o.id == id))
        });
        for answer in own {
            let option = answer
                .option_id
                .and_then(|id| question.options.iter().find(|o| o.id == id))
                .map(|o| o.code.clone())
                .unwrap_or_default();
            rows.push(vec![
                record.id.to_string(),
                question.code.clone(),
                option,
                answer_value(question, dialect, answer),
            ]);
        }
    }
    rows
}

/// The codebook, header first: one row per question, each followed by its options.
pub fn codebook_rows(definition: &SurveyDefinition) -> Vec<Vec<String>> {
    let header = [
        "question",
        "libelle",
        "type",
        "obligatoire",
        "option",
        "libelle_option",
    ];
    let mut rows = vec![header.map(str::to_owned).to_vec()];
    for question in &definition.questions {
        rows.push(vec![
            question.code.clone(),
            question.label.clone(),
            question.kind.label().to_owned(),
            if question.required { "oui" } else { "non" }.to_owned(),
            String::new(),
            String::new(),
        ]);
        for option in &question.options {
            rows.push(vec![
                question.code.clone(),
                String::new(),
                String::new(),
                String::new(),
                option.code.clone(),
                option.label.clone(),
            ]);
        }
    }
    rows
}

/// An option's code for R, its label for Excel; a number per dialect; a text as typed.
fn answer_value(question: &Question, dialect: Dialect, answer: &Answer) -> String {
    let mut value = String::new();
    write_answer_value(question, dialect, answer, &mut value);
    value
}

fn write_answer_value(question: &Question, dialect: Dialect, answer: &Answer, out: &mut String) {
    if let Some(id) = answer.option_id {
        // An option deleted since gives an empty cell rather than a dangling id.
        if let Some(option) = question.options.iter().find(|o| o.id == id) {
            out.push_str(match dialect {
                Dialect::ExcelFr => &option.label,
                Dialect::Standard => &option.code,
            });
        }
        return;
    }
    if let Some(number) = answer.number {
        out.push_str(&dialect.number(number));
        return;
    }
    if let Some(text) = &answer.text {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixture::{answer_values, definition};

    fn record(id: i64, pairs: &[(&str, &str)]) -> ResponseRecord {
        ResponseRecord {
            id,
            point_code: "MARCHE-CHARNY".into(),
            channel: "papier".into(),
            submitted_hour: 1_795_957_200, // 2026-11-29 13:00 UTC
            answers: answer_values(&definition(), pairs),
        }
    }

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
        assert_eq!(standard[..5], ["reponse", "point", "canal", "date", "Q1"]);
        let excel = wide_header(&d, Dialect::ExcelFr);
        assert_eq!(excel[4], "Q1 - Quel mode de garde utilisez-vous ?");
        assert_eq!(
            excel[5],
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

    #[test]
    fn long_rows_one_per_answer() {
        let d = definition();
        let r = record(
            7,
            &[
                ("Q1", "O3"),
                ("Q2", "O2"),
                ("Q2", "O3"),
                ("Q4", "non"),
                ("Q6", "3"),
            ],
        );
        assert_eq!(long_header(), ["reponse", "question", "option", "valeur"]);
        let standard = long_rows(&d, Dialect::Standard, &r);
        assert_eq!(
            standard,
            [
                ["7", "Q1", "O3", "O3"],
                ["7", "Q2", "O2", "O2"],
                ["7", "Q2", "O3", "O3"],
                ["7", "Q4", "non", "non"],
                ["7", "Q6", "", "3"],
            ]
        );
        // Stored in another order (as an older database may hold them): same lines.
        let mut shuffled = r.clone();
        shuffled.answers.reverse();
        assert_eq!(long_rows(&d, Dialect::Standard, &shuffled), standard);
        let excel = long_rows(&d, Dialect::ExcelFr, &r);
        assert_eq!(excel[0][3], "- de 2 km");
        assert_eq!(excel[1][3], "Piscine, l'été");
        assert_eq!(excel[3][3], "Non");
    }

    #[test]
    fn codebook_lists_questions_then_their_options() {
        let d = definition();
        let rows = codebook_rows(&d);
        assert_eq!(
            rows[0],
            [
                "question",
                "libelle",
                "type",
                "obligatoire",
                "option",
                "libelle_option"
            ]
        );
        assert_eq!(
            rows[1],
            [
                "Q1",
                "Quel mode de garde utilisez-vous ?",
                "Choix unique",
                "oui",
                "",
                ""
            ]
        );
        assert_eq!(rows[2], ["Q1", "", "", "", "O1", "Assistante maternelle"]);
        let options: usize = d.questions.iter().map(|q| q.options.len()).sum();
        assert_eq!(rows.len(), 1 + d.questions.len() + options);
        assert!(rows.iter().any(|r| r[2] == "Échelle de 1 à 5"));
    }
}
