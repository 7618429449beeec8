//! French typography for numbers, shared by pages and exports: "1 234", "3,5".

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
}
