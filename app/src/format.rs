//! French formatting of dates and numbers.

use pouls::domain::paris;
pub use pouls::french::{date, decimal, integer, no_break_spaces, number, plural};

/// "29/11/2026 14:35", Paris time: compact, for tables.
pub fn datetime_short(unix: i64) -> String {
    let t = paris::local(unix);
    format!(
        "{:02}/{:02}/{} {:02}:{:02}",
        t.day(),
        u8::from(t.month()),
        t.year(),
        t.hour(),
        t.minute()
    )
}

/// "14 h 35", Paris time.
pub fn time_of_day(unix: i64) -> String {
    let t = paris::local(unix);
    format!("{} h {:02}", t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn dates_in_french() {
        assert_eq!(date(date!(2026 - 08 - 01)), "1er août 2026");
        assert_eq!(date(date!(2026 - 08 - 02)), "2 août 2026");
        let summer = datetime!(2026-07-14 12:05 UTC).unix_timestamp();
        assert_eq!(datetime_short(summer), "14/07/2026 14:05");
        assert_eq!(time_of_day(summer), "14 h 05");
    }
}
