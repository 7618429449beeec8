//! Writing CSV rows one at a time.
//!
//! The `csv` crate's writer cannot force quotes on one field, which the Excel dialect needs
//! for neutralised cells (OWASP: quote and prefix), so rows are encoded here; the tests
//! read everything back with the `csv` crate's reader.

use std::io::Write;

use super::{Dialect, needs_prefix};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("Écriture du fichier CSV impossible : {0}")]
    Io(#[from] std::io::Error),
}

/// A CSV file being written in one dialect. Each row is written to `W` in one call, so
/// wrap a socket or a file in a `BufWriter` if rows are small.
pub struct CsvOut<W: Write> {
    inner: W,
    dialect: Dialect,
    row: Vec<u8>,
}

impl<W: Write> CsvOut<W> {
    /// Starts the file: the byte order mark for Excel.
    pub fn new(mut inner: W, dialect: Dialect) -> Result<Self, ExportError> {
        inner.write_all(dialect.preamble())?;
        Ok(Self {
            inner,
            dialect,
            row: Vec::new(),
        })
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Writes one row; in the Excel dialect, cells that could run as formulas are
    /// neutralised and quoted.
    pub fn write_row<S: AsRef<str>>(&mut self, cells: &[S]) -> Result<(), ExportError> {
        self.row.clear();
        encode_row(&mut self.row, self.dialect, cells);
        self.inner.write_all(&self.row)?;
        Ok(())
    }

    pub fn flush(&mut self) -> Result<(), ExportError> {
        self.inner.flush()?;
        Ok(())
    }

    /// Flushes and hands back the writer.
    pub fn into_inner(mut self) -> Result<W, ExportError> {
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl CsvOut<Vec<u8>> {
    /// The bytes written so far, leaving the buffer empty: for streaming a file in chunks.
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.inner)
    }

    pub fn buffered(&self) -> usize {
        self.inner.len()
    }
}

/// Appends one row, with its line end, to `out`.
pub(crate) fn encode_row<S: AsRef<str>>(out: &mut Vec<u8>, dialect: Dialect, cells: &[S]) {
    let delimiter = dialect.delimiter();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        let cell = cell.as_ref();
        let neutralised = dialect == Dialect::ExcelFr && needs_prefix(cell);
        let special = cell
            .bytes()
            .any(|b| b == delimiter || matches!(b, b'"' | b'\r' | b'\n'));
        // A lone empty cell would be a blank line, which readers skip.
        let lone_empty = cells.len() == 1 && cell.is_empty();
        if neutralised || special || lone_empty {
            out.push(b'"');
            if neutralised {
                out.push(b'\'');
            }
            for (j, piece) in cell.split('"').enumerate() {
                if j > 0 {
                    out.extend_from_slice(b"\"\"");
                }
                out.extend_from_slice(piece.as_bytes());
            }
            out.push(b'"');
        } else {
            out.extend_from_slice(cell.as_bytes());
        }
    }
    out.extend_from_slice(dialect.terminator());
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::export::{FORMULA_STARTS, unneutralise};

    fn write(dialect: Dialect, rows: &[Vec<String>]) -> Vec<u8> {
        let mut out = CsvOut::new(Vec::new(), dialect).expect("vec");
        for row in rows {
            out.write_row(row).expect("vec");
        }
        out.into_inner().expect("vec")
    }

    /// Reads a file back with the `csv` crate, as a spreadsheet or R would.
    fn read(dialect: Dialect, bytes: &[u8]) -> Vec<Vec<String>> {
        let body = bytes
            .strip_prefix(dialect.preamble())
            .expect("the file starts with its preamble");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(dialect.delimiter())
            .from_reader(body)
            .records()
            .map(|r| r.expect("valid CSV").iter().map(str::to_owned).collect())
            .collect()
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn excel_dialect_bytes() {
        let bytes = write(
            Dialect::ExcelFr,
            &[row(&["a", "b;c", "d,e"]), row(&["-2", "2,5", "=SOMME(A1)"])],
        );
        let expected = "\u{feff}a;\"b;c\";d,e\r\n\"'-2\";2,5;\"'=SOMME(A1)\"\r\n";
        assert_eq!(String::from_utf8(bytes).expect("utf-8"), expected);
    }

    #[test]
    fn standard_dialect_bytes() {
        let bytes = write(
            Dialect::Standard,
            &[row(&["a", "b;c", "d,e"]), row(&["-2", "2.5", "=1"])],
        );
        let expected = "a,b;c,\"d,e\"\n-2,2.5,=1\n";
        assert_eq!(String::from_utf8(bytes).expect("utf-8"), expected);
    }

    #[test]
    fn quotes_line_breaks_accents_and_emoji_are_kept() {
        let cells = row(&[
            "Il a dit \"bonjour\"",
            "ligne 1\r\nligne 2",
            "retour\rseul",
            "saut\n",
            "Crèche à Charny, été 😀👩‍👩‍👧",
            "",
            "point;virgule,",
        ]);
        for dialect in Dialect::ALL {
            let rows = vec![cells.clone(), row(&[""]), row(&["", ""])];
            assert_eq!(read(dialect, &write(dialect, &rows)), rows, "{dialect:?}");
        }
    }

    #[test]
    fn excel_cells_are_read_as_text_by_spreadsheets() {
        // A quoted "'=1" is the text '=1 in Excel and LibreOffice: never a formula.
        let bytes = write(Dialect::ExcelFr, &[row(&["=1", "+33 6", "@x", "\tx"])]);
        let text = String::from_utf8(bytes).expect("utf-8");
        assert_eq!(text, "\u{feff}\"'=1\";\"'+33 6\";\"'@x\";\"'\tx\"\r\n");
    }

    fn text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a",
            "é",
            "Ç",
            "œ",
            "😀",
            "👩‍👩‍👧",
            ";",
            ",",
            "\"",
            "'",
            "\r\n",
            "\n",
            "\r",
            "=",
            "+",
            "-",
            "@",
            "\t",
            " ",
            "Yonne",
            "2,5",
        ]);
        prop_oneof![
            prop::collection::vec(pieces, 0..12).prop_map(|p| p.concat()),
            any::<String>(),
        ]
    }

    fn rows() -> impl Strategy<Value = Vec<Vec<String>>> {
        prop::collection::vec(prop::collection::vec(text(), 1..6), 1..6)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn excel_cells_never_start_a_formula(rows in rows()) {
            let read_back = read(Dialect::ExcelFr, &write(Dialect::ExcelFr, &rows));
            prop_assert_eq!(read_back.len(), rows.len());
            for (read_row, row) in read_back.iter().zip(&rows) {
                prop_assert_eq!(read_row.len(), row.len());
                for (cell, original) in read_row.iter().zip(row) {
                    prop_assert!(!cell.starts_with(FORMULA_STARTS), "{:?}", cell);
                    prop_assert_eq!(unneutralise(cell), original.as_str());
                }
            }
        }

        #[test]
        fn standard_cells_come_back_exactly(rows in rows()) {
            let read_back = read(Dialect::Standard, &write(Dialect::Standard, &rows));
            prop_assert_eq!(read_back, rows);
        }
    }
}
