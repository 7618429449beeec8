//! CSV exports of survey responses, in two dialects: one that opens cleanly in a French
//! Excel, one for R and Python. Everything here works a row at a time so the callers can
//! stream files of any size.

mod indicators;
mod job;
mod layout;
mod tables;
mod wide;
mod writer;

#[cfg(test)]
pub(crate) mod fixture;

use time::Date;

pub use indicators::indicators_csv;
pub use job::{ExportJobError, Layout, responses_csv};
pub use layout::{META_COLUMNS, ResponseRecord, codebook_rows, long_header, long_rows};
pub use tables::{Labels, decisions_csv, needs_csv, reports_csv};
pub use wide::{WideColumn, WideRows, wide_columns, wide_header, wide_row};
pub(crate) use writer::encode_row;
pub use writer::{CsvOut, ExportError};

use crate::domain::{ParseError, paris};

/// The two CSV dialects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dialect {
    /// UTF-8 with BOM, `;`, CRLF, decimal comma, French dates, formulas neutralised.
    #[default]
    ExcelFr,
    /// UTF-8, `,`, LF, decimal point, ISO 8601 dates, values exactly as stored.
    Standard,
}

/// The UTF-8 byte order mark: without it Excel reads the file as Windows-1252.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What a spreadsheet may run as a formula when a cell starts with it (OWASP list).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

impl Dialect {
    pub const ALL: [Dialect; 2] = [Dialect::ExcelFr, Dialect::Standard];

    /// The value in URLs and forms.
    pub fn code(self) -> &'static str {
        match self {
            Self::ExcelFr => "excel",
            Self::Standard => "standard",
        }
    }

    /// The French label people choose from.
    pub fn label(self) -> &'static str {
        match self {
            Self::ExcelFr => "Excel (France)",
            Self::Standard => "Standard (R, Python)",
        }
    }

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let input = input.trim();
        Self::ALL
            .into_iter()
            .find(|d| d.code().eq_ignore_ascii_case(input))
            .ok_or_else(|| ParseError::new("Choisissez le format Excel (France) ou standard."))
    }

    pub fn delimiter(self) -> u8 {
        match self {
            Self::ExcelFr => b';',
            Self::Standard => b',',
        }
    }

    pub fn terminator(self) -> &'static [u8] {
        match self {
            Self::ExcelFr => b"\r\n",
            Self::Standard => b"\n",
        }
    }

    /// What the file starts with.
    pub fn preamble(self) -> &'static [u8] {
        match self {
            Self::ExcelFr => BOM,
            Self::Standard => b"",
        }
    }

    pub fn file_extension(self) -> &'static str {
        "csv"
    }

    pub fn content_type(self) -> &'static str {
        "text/csv; charset=utf-8"
    }

    /// "2,5" or "2.5"; whole numbers without decimals ("3"); never an exponent.
    pub fn number(self, n: f64) -> String {
        if !n.is_finite() {
            return String::new();
        }
        // Rust prints the shortest text that reads back as the same f64.
        let text = if n == 0.0 {
            "0".to_owned()
        } else {
            n.to_string()
        };
        match self {
            Self::ExcelFr => text.replace('.', ","),
            Self::Standard => text,
        }
    }

    /// A Unix time in Paris: "29/11/2026 14:00" or "2026-11-29T14:00:00+01:00".
    pub fn datetime(self, unix: i64) -> String {
        let t = paris::local(unix);
        let (day, month, year) = (t.day(), u8::from(t.month()), t.year());
        match self {
            Self::ExcelFr => format!(
                "{day:02}/{month:02}/{year:04} {:02}:{:02}",
                t.hour(),
                t.minute()
            ),
            Self::Standard => {
                let offset = t.offset();
                let sign = if offset.is_negative() { '-' } else { '+' };
                format!(
                    "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
                    t.hour(),
                    t.minute(),
                    t.second(),
                    offset.whole_hours().unsigned_abs(),
                    offset.minutes_past_hour().unsigned_abs()
                )
            }
        }
    }

    /// "29/11/2026" or "2026-11-29".
    pub fn date(self, date: Date) -> String {
        let (day, month, year) = (date.day(), u8::from(date.month()), date.year());
        match self {
            Self::ExcelFr => format!("{day:02}/{month:02}/{year:04}"),
            Self::Standard => format!("{year:04}-{month:02}-{day:02}"),
        }
    }
}

/// Whether a cell needs the quote prefix. Cells already starting with quotes before a
/// formula character get one more, so that [`unneutralise`] restores every text exactly.
fn needs_prefix(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// The inverse of the Excel dialect's neutralising (a `'` before any cell that would
/// start with `=`, `+`, `-`, `@`, a tab or a carriage return, as OWASP's CSV injection
/// guidance asks): drops the quote the writer added, leaves anything else alone.
pub fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_prefix(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn dialects_parse_from_their_codes() {
        assert_eq!(Dialect::parse("excel"), Ok(Dialect::ExcelFr));
        assert_eq!(Dialect::parse(" Standard "), Ok(Dialect::Standard));
        assert!(Dialect::parse("xlsx").is_err());
        assert_eq!(Dialect::default(), Dialect::ExcelFr);
        for dialect in Dialect::ALL {
            assert_eq!(Dialect::parse(dialect.code()), Ok(dialect));
            assert_eq!(dialect.content_type(), "text/csv; charset=utf-8");
            assert_eq!(dialect.file_extension(), "csv");
        }
    }

    #[test]
    fn numbers_per_dialect() {
        let cases = [
            (2.5, "2,5", "2.5"),
            (3.0, "3", "3"),
            (-2.0, "-2", "-2"),
            (-0.0, "0", "0"),
            (1200.25, "1200,25", "1200.25"),
            (1e21, "1000000000000000000000", "1000000000000000000000"),
            (0.1 + 0.2, "0,30000000000000004", "0.30000000000000004"),
            (f64::NAN, "", ""),
        ];
        for (n, excel, standard) in cases {
            assert_eq!(Dialect::ExcelFr.number(n), excel);
            assert_eq!(Dialect::Standard.number(n), standard);
        }
    }

    #[test]
    fn datetimes_in_paris_time() {
        let winter = datetime!(2026-11-29 13:00 UTC).unix_timestamp();
        assert_eq!(Dialect::ExcelFr.datetime(winter), "29/11/2026 14:00");
        assert_eq!(
            Dialect::Standard.datetime(winter),
            "2026-11-29T14:00:00+01:00"
        );
        let summer = datetime!(2026-07-04 07:05 UTC).unix_timestamp();
        assert_eq!(Dialect::ExcelFr.datetime(summer), "04/07/2026 09:05");
        assert_eq!(
            Dialect::Standard.datetime(summer),
            "2026-07-04T09:05:00+02:00"
        );
        // New Year's Eve in UTC is already the next year in Paris.
        let new_year = datetime!(2026-12-31 23:30 UTC).unix_timestamp();
        assert_eq!(Dialect::ExcelFr.datetime(new_year), "01/01/2027 00:30");
    }

    #[test]
    fn dates_per_dialect() {
        assert_eq!(Dialect::ExcelFr.date(date!(2026 - 03 - 05)), "05/03/2026");
        assert_eq!(Dialect::Standard.date(date!(2026 - 03 - 05)), "2026-03-05");
    }

    /// What the Excel writer makes of a cell's text, before CSV quoting.
    fn neutralise(cell: &str) -> String {
        if needs_prefix(cell) {
            format!("'{cell}")
        } else {
            cell.to_owned()
        }
    }

    #[test]
    fn every_formula_start_is_neutralised() {
        for start in FORMULA_STARTS {
            let cell = format!("{start}1+1");
            assert_eq!(neutralise(&cell), format!("'{cell}"));
            assert_eq!(unneutralise(&neutralise(&cell)), cell);
        }
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        for safe in ["", "Crèche", "2,5", " =1", "'texte", "a=b", "😀", "\n=1"] {
            assert_eq!(neutralise(safe), safe);
            assert_eq!(unneutralise(safe), safe);
        }
    }

    #[test]
    fn quotes_before_a_formula_survive_the_round_trip() {
        for text in ["'=1", "''-2", "'@x", "'", "''", "'a"] {
            let out = neutralise(text);
            assert!(!out.starts_with(FORMULA_STARTS));
            assert_eq!(unneutralise(&out), text);
        }
        assert_eq!(neutralise("'=1"), "''=1");
    }
}
