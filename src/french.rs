//! French typography, shared by pages and exports: dates ("1er juin 2026"), numbers
//! ("1 234", "3,5"), counts ("1 réponse", "2 réponses"), no line break before a colon.

use time::Date;

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// "29 novembre 2026", "1er août 2026" (French writes the first of a month as an ordinal).
pub fn date(date: Date) -> String {
    let month = MONTHS[usize::from(u8::from(date.month())) - 1];
    match date.day() {
        1 => format!("1er {month} {}", date.year()),
        day => format!("{day} {month} {}", date.year()),
    }
}

/// "1 234 567", with a narrow no-break space between thousands as French typography wants.
pub fn integer(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push('\u{202f}');
        }
        grouped.push(digit);
    }
    if value < 0 {
        format!("−{grouped}")
    } else {
        grouped
    }
}

/// "3,5" with `decimals` digits after a decimal comma.
pub fn decimal(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let whole: i64 = whole.parse().unwrap_or(0);
    let sign = if value < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        "−"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{}", integer(whole))
    } else {
        format!("{sign}{},{fraction}", integer(whole))
    }
}

/// A number as people write it: "3", "2,5" (at most two decimals, no trailing zeros).
pub fn number(value: f64) -> String {
    let text = decimal(value, 2);
    if text.contains(',') {
        text.trim_end_matches('0').trim_end_matches(',').to_owned()
    } else {
        text
    }
}

/// A count with its words agreeing: "0 réponse", "1 réponse", "1 200 réponses". French
/// takes the singular below 2. `singular` and `plural` may hold several words
/// ("réponse importée", "réponses importées").
pub fn plural(count: i64, singular: &str, plural: &str) -> String {
    let words = if count.unsigned_abs() < 2 {
        singular
    } else {
        plural
    };
    format!("{} {words}", integer(count))
}

/// The text with no-break spaces where French typography wants them, so a line never
/// starts with a colon or a closing guillemet: U+00A0 before `:` and after `«` or before
/// `»`, the narrow U+202F before `;`, `!` and `?`.
pub fn no_break_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            (' ', Some(':' | '»')) => out.push('\u{a0}'),
            (' ', Some(';' | '!' | '?')) => out.push('\u{202f}'),
            ('«', Some(' ')) => {
                chars.next();
                out.push_str("«\u{a0}");
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_french() {
        assert_eq!(integer(0), "0");
        assert_eq!(integer(999), "999");
        assert_eq!(integer(1234), "1\u{202f}234");
        assert_eq!(integer(1_234_567), "1\u{202f}234\u{202f}567");
        assert_eq!(integer(-1234), "−1\u{202f}234");
        assert_eq!(decimal(3.456, 1), "3,5");
        assert_eq!(decimal(1234.5, 2), "1\u{202f}234,50");
        assert_eq!(decimal(-0.04, 1), "0,0");
        assert_eq!(decimal(-2.5, 1), "−2,5");
        assert_eq!(number(20.0), "20");
        assert_eq!(number(2.5), "2,5");
    }

    #[test]
    fn counts_agree_with_their_words() {
        assert_eq!(plural(0, "réponse", "réponses"), "0 réponse");
        assert_eq!(plural(1, "réponse", "réponses"), "1 réponse");
        assert_eq!(plural(2, "réponse", "réponses"), "2 réponses");
        assert_eq!(
            plural(1200, "réponse importée", "réponses importées"),
            "1\u{202f}200 réponses importées"
        );
    }

    #[test]
    fn no_line_break_before_french_punctuation() {
        assert_eq!(
            no_break_spaces("Ville à Joie 2026 : votre avis compte !"),
            "Ville à Joie 2026\u{a0}: votre avis compte\u{202f}!"
        );
        assert_eq!(
            no_break_spaces("Et si on en parlait ? « Oui » ; bien"),
            "Et si on en parlait\u{202f}? «\u{a0}Oui\u{a0}»\u{202f}; bien"
        );
        assert_eq!(no_break_spaces("Sans rien:ici"), "Sans rien:ici");
    }
}
