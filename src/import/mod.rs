//! Import of paper answers typed into a spreadsheet, as a CSV file in the wide layout of
//! either dialect. Every row is checked like a resident's form; nothing is imported unless
//! every row is right, so the file can be fixed and sent again. Each row gets a token
//! ([`token`]) so that importing a file again stores nothing twice.

mod header;
mod row;
mod scan;
mod token;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;

use time::Date;

use crate::export::{BOM, Dialect, encode_row, wide_columns};
use crate::survey::{Answer, CollectionDate, CollectionPoint, SurveyDefinition};
pub use header::DATE_COLUMN;
use header::Slot;
use token::Tokens;

/// One valid row, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedRow {
    /// The file line the row starts on (the header is line 1).
    pub line: usize,
    /// The same for the same questionnaire, whatever its line: importing a file again
    /// (reordered, with blank lines) stores its answers once.
    pub token: String,
    pub answers: Vec<Answer>,
    /// The day the questionnaire was filled in: its own `date_collecte`, or the file's.
    pub collected: CollectionDate,
}

/// Where imported rows go and how they are dated.
#[derive(Debug, Clone, Copy)]
pub struct ImportTarget<'a> {
    /// The paper collection point the responses are stored through.
    pub point: &'a CollectionPoint,
    /// The collection day of the rows without a `date_collecte` of their own.
    pub collected: Option<CollectionDate>,
    /// Today in Paris: no questionnaire was filled in later.
    pub today: Date,
}

/// What dates the rows of one file.
pub(crate) struct Dating<'a> {
    definition: &'a SurveyDefinition,
    target: &'a ImportTarget<'a>,
}

impl Dating<'_> {
    /// The collection day of a row whose `date_collecte` cell holds `cell`.
    fn day(&self, cell: &str) -> Result<CollectionDate, String> {
        if cell.is_empty() {
            return self.target.collected.ok_or_else(|| MISSING_DATE.to_owned());
        }
        CollectionDate::parse(
            cell,
            &self.definition.survey,
            self.target.point,
            self.target.today,
        )
        .map_err(|e| e.0)
    }
}

const MISSING_DATE: &str = "Date de collecte manquante : indiquez le jour où ce questionnaire a été rempli dans la colonne date_collecte, ou la date de collecte de tout le fichier à l'import.";

/// Why a file or a row cannot be imported; the message is French.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    pub line: usize,
    /// The column code (`Q1`, `Q2_O3`), or the question code for a multiple-choice
    /// question as a whole; `None` for the whole line or file.
    pub column: Option<String>,
    pub message: String,
}

impl ImportProblem {
    fn new(line: usize, column: Option<String>, message: impl Into<String>) -> Self {
        Self {
            line,
            column,
            message: message.into(),
        }
    }

    /// Whether the file could not be dated: no collection day for the file, and rows
    /// without one of their own. The day asked for with the file fixes it.
    pub fn is_missing_date(&self) -> bool {
        self.column.as_deref() == Some(DATE_COLUMN)
            && (self.message == MISSING_DATE || self.message == NO_DATE)
    }
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(
                f,
                "Ligne {}, colonne {column} : {}",
                self.line, self.message
            ),
            None => write!(f, "Ligne {} : {}", self.line, self.message),
        }
    }
}

/// Past this many problems the reading stops: it is the wrong file, not a few typos.
const MAX_PROBLEMS: usize = 500;

const SAVE_AS_CSV: &str = "Dans Excel, choisissez « Fichier › Enregistrer sous » puis le type « CSV UTF-8 (délimité par des virgules) ».";

const NO_DATE: &str = "Indiquez la date de collecte des questionnaires : pour tout le fichier à l'import, ou ligne par ligne dans une colonne date_collecte.";

/// Reads a wide CSV file of answers to `definition`, to be stored through the target's
/// collection point, row by row. Either every row is valid, or every problem found comes
/// back in line order.
pub fn parse_wide(
    definition: &SurveyDefinition,
    target: &ImportTarget<'_>,
    bytes: &[u8],
) -> Result<Vec<ImportedRow>, Vec<ImportProblem>> {
    let (body, excel) = check_file(bytes).map_err(|problem| vec![problem])?;
    let delimiter = if excel { b';' } else { b',' };
    let unclosed = scan::unclosed_quote(body, delimiter);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(body);
    let mut record = csv::StringRecord::new();
    let mut lines = Lines::new(body);
    let columns = wide_columns(definition);

    let header_line = match reader.read_record(&mut record) {
        Ok(true) => lines.of(&record),
        Ok(false) => return Err(vec![ImportProblem::new(1, None, EMPTY)]),
        Err(error) => return Err(vec![unreadable(&error)]),
    };
    if let Some((line, _)) = unclosed.filter(|(line, _)| *line == header_line) {
        return Err(vec![unclosed_quote(line, None)]);
    }
    let header = header::read(&columns, &record, header_line)?;
    if let Some((line, cell)) = unclosed {
        let column = match header.get(cell.saturating_sub(1)) {
            Some(Slot::Answer(index)) => Some(columns[*index].code()),
            Some(Slot::Meta(name) | Slot::Id(name)) => Some((*name).to_owned()),
            Some(Slot::Date) => Some(DATE_COLUMN.to_owned()),
            Some(Slot::Extra) | None => None,
        };
        return Err(vec![unclosed_quote(line, column)]);
    }
    // Without a day for the file nor a column for each row, say it once, not per row.
    if target.collected.is_none() && !header.contains(&Slot::Date) {
        return Err(vec![ImportProblem::new(
            header_line,
            Some(DATE_COLUMN.to_owned()),
            NO_DATE,
        )]);
    }
    let dating = Dating { definition, target };

    let mut tokens = Tokens::new(definition.survey.id, target.point.id);
    // The line of each identifier seen, and the name of their column.
    let mut ids: HashMap<String, usize> = HashMap::new();
    let id_column = header.iter().find_map(|slot| match slot {
        Slot::Id(name) => Some((*name).to_owned()),
        _ => None,
    });
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                problems.push(unreadable(&error));
                break;
            }
        }
        let line = lines.of(&record);
        match row::read(definition, &columns, &header, &record, excel, line, &dating) {
            Ok(None) => {}
            Ok(Some(row::ReadRow {
                answers,
                id,
                collected,
            })) => {
                if let Some(id) = id {
                    match ids.entry(id.to_owned()) {
                        Entry::Vacant(slot) => {
                            slot.insert(line);
                        }
                        Entry::Occupied(first) => problems.push(ImportProblem::new(
                            line,
                            id_column.clone(),
                            format!(
                                "L'identifiant « {id} » est déjà celui de la ligne {} : chaque questionnaire a le sien.",
                                first.get()
                            ),
                        )),
                    }
                }
                // Once a row is wrong nothing will be stored: keep checking, stop keeping.
                if problems.is_empty() {
                    let token = match id {
                        Some(id) => tokens.of_id(id),
                        None => tokens.of_answers(&answers, collected.date()),
                    };
                    rows.push(ImportedRow {
                        line,
                        token,
                        answers,
                        collected,
                    });
                }
            }
            Err(found) => {
                problems.extend(found);
                if problems.len() >= MAX_PROBLEMS {
                    problems.push(ImportProblem::new(
                        line,
                        None,
                        format!(
                            "Plus de {MAX_PROBLEMS} erreurs : la lecture s'arrête ici. Vérifiez que le fichier est bien celui de cette enquête."
                        ),
                    ));
                    break;
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if rows.is_empty() {
        return Err(vec![ImportProblem::new(
            header_line,
            None,
            "Le fichier ne contient aucune réponse : ajoutez une ligne par questionnaire sous la ligne d'en-tête.",
        )]);
    }
    Ok(rows)
}

/// The empty file to type paper answers into: the collection day (which may stay empty
/// when the whole file has one), then the answer columns of the wide layout, without the
/// columns an import ignores.
pub fn template(definition: &SurveyDefinition, dialect: Dialect) -> Vec<u8> {
    let date = match dialect {
        Dialect::ExcelFr => format!("{DATE_COLUMN} - Date de collecte (jj/mm/aaaa)"),
        Dialect::Standard => DATE_COLUMN.to_owned(),
    };
    let header: Vec<String> = std::iter::once(date)
        .chain(
            wide_columns(definition)
                .iter()
                .map(|column| column.header(dialect)),
        )
        .collect();
    let mut out = dialect.preamble().to_vec();
    encode_row(&mut out, dialect, &header);
    out
}

const EMPTY: &str = "Le fichier est vide : il doit contenir la ligne d'en-tête du modèle puis une ligne par questionnaire.";

/// The body after any byte order mark, and whether it is in the Excel dialect; or why
/// it is not a CSV file we can read.
fn check_file(bytes: &[u8]) -> Result<(&[u8], bool), ImportProblem> {
    let problem = |message: String| ImportProblem::new(1, None, message);
    let not_utf8 = |detail: &str| {
        problem(format!(
            "Le fichier n'est pas encodé en UTF-8{detail} : les accents seraient mal lus. {SAVE_AS_CSV}"
        ))
    };
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(not_utf8(" (il est en UTF-16)"));
    }
    let (body, bom) = match bytes.strip_prefix(BOM) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(problem(EMPTY.to_owned()));
    }
    // Zip (xlsx, ods) and the old binary Excel format.
    if body.starts_with(b"PK\x03\x04") || body.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(problem(format!(
            "Ce fichier est un classeur, pas un fichier CSV. {SAVE_AS_CSV}"
        )));
    }
    let first_line = body
        .iter()
        .position(|b| *b == b'\n')
        .map_or(body, |end| &body[..end]);
    // A NUL in the header is a binary file; further down, the cell it is in is named.
    if first_line.contains(&0) {
        return Err(problem(format!(
            "Ce fichier n'est pas un fichier CSV. {SAVE_AS_CSV}"
        )));
    }
    if let Err(error) = std::str::from_utf8(body) {
        let valid = body.get(..error.valid_up_to()).unwrap_or_default();
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let detail = if line > 1 {
            format!(" (premier caractère illisible ligne {line})")
        } else {
            String::new()
        };
        return Err(not_utf8(&detail));
    }
    Ok((body, bom || first_line.contains(&b';')))
}

fn unclosed_quote(line: usize, column: Option<String>) -> ImportProblem {
    ImportProblem::new(
        line,
        column,
        "Guillemet non fermé : cette cellule commence par un guillemet (\") que rien ne referme, si bien que la suite du fichier y serait lue. Ajoutez le guillemet fermant à la fin de la cellule, ou retirez celui du début.",
    )
}

fn unreadable(error: &csv::Error) -> ImportProblem {
    let line = error.position().map_or(1, |p| to_usize(p.line()));
    ImportProblem::new(
        line,
        None,
        format!("Le fichier n'a pas pu être lu comme un CSV ({error})."),
    )
}

/// The file line each record starts on, counting from 1, as a text editor or a
/// spreadsheet numbers them. The `csv` reader's own line count skips some line ends
/// (CRLF, blank lines before a record), so lines are counted here from byte offsets.
struct Lines<'b> {
    body: &'b [u8],
    offset: usize,
    line: usize,
}

impl<'b> Lines<'b> {
    fn new(body: &'b [u8]) -> Self {
        Self {
            body,
            offset: 0,
            line: 1,
        }
    }

    fn of(&mut self, record: &csv::StringRecord) -> usize {
        let from = record
            .position()
            .map_or(self.offset, |p| to_usize(p.byte()));
        // The reader's position is where the previous record stopped: skip the rest of
        // its line end and any blank lines.
        let start = self
            .body
            .iter()
            .skip(from)
            .position(|b| !matches!(b, b'\r' | b'\n'))
            .map_or(self.body.len(), |n| from + n);
        if start > self.offset {
            let between = self.body.get(self.offset..start).unwrap_or_default();
            self.line += line_ends(between);
            self.offset = start;
        }
        self.line
    }
}

/// Line ends: LF, CRLF or a lone CR.
fn line_ends(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\n' || (**b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
