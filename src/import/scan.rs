//! What the `csv` reader lets through silently: a quote never closed, which makes it read
//! the rest of the file into one cell, and control characters in cells.

/// Where a quoted cell opens that no quote closes: its line (counted from 1 as an editor
/// shows them) and its position in the row (from 1). The states follow the `csv` reader's:
/// a quote opens a quoted cell only as the cell's first character; inside, `""` is a
/// quote; after the closing quote the cell goes on unquoted.
pub(super) fn unclosed_quote(body: &[u8], delimiter: u8) -> Option<(usize, usize)> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        CellStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::CellStart;
    let mut line = 1;
    let mut cell = 1;
    let mut opened = (1, 1);
    for (i, &byte) in body.iter().enumerate() {
        let line_end = byte == b'\n' || (byte == b'\r' && body.get(i + 1) != Some(&b'\n'));
        let record_end = byte == b'\n' || byte == b'\r';
        state = match (state, byte) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::CellStart, b'"') => {
                opened = (line, cell);
                State::Quoted
            }
            (_, _) if byte == delimiter => {
                cell += 1;
                State::CellStart
            }
            (_, _) if record_end => {
                cell = 1;
                State::CellStart
            }
            (_, _) => State::Unquoted,
        };
        if line_end {
            line += 1;
        }
    }
    (state == State::Quoted).then_some(opened)
}

/// The first control character of `cell` other than tab and line ends, which a spreadsheet
/// never writes and PostgreSQL refuses (NUL) or a page would show as garbage.
pub(super) fn control_character(cell: &str) -> Option<char> {
    cell.chars()
        .find(|c| c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r') && *c != '\u{7f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_left_open_is_found_where_it_opens() {
        assert_eq!(unclosed_quote(b"a,b\n1,\"x\n2,3\n", b','), Some((2, 2)));
        assert_eq!(
            unclosed_quote(b"a;b\r\n1;2\r\n\"x;y\r\n", b';'),
            Some((3, 1))
        );
        // Lines inside the open cell count, with every kind of line end.
        assert_eq!(unclosed_quote(b"\"a\rb\",\"c\n", b','), Some((2, 2)));
    }

    #[test]
    fn closed_escaped_and_literal_quotes_are_fine() {
        for body in [
            &b"a,b\n\"x, \"\"y\"\"\",2\n"[..],
            b"\"deux\nlignes\",2\n",
            // Quotes inside an unquoted cell are text.
            b"a,5\" d'ecran\n",
            // After a closing quote the cell goes on unquoted: no quote is open.
            b"\"a\"b\"c,d\n",
            b"",
        ] {
            assert_eq!(unclosed_quote(body, b','), None, "{body:?}");
        }
        // A quote in the middle of a cell does not open one, whatever follows.
        assert_eq!(unclosed_quote(b"a,b\"c\n", b','), None);
    }

    #[test]
    fn control_characters_but_tab_and_line_ends() {
        assert_eq!(control_character("abc\0"), Some('\0'));
        assert_eq!(control_character("a\u{1}b"), Some('\u{1}'));
        assert_eq!(control_character("a\u{1b}[31m"), Some('\u{1b}'));
        assert_eq!(control_character("deux\r\nlignes\tet une tabulation"), None);
        assert_eq!(control_character("Égriselles"), None);
    }
}
