//! Reading stored values back into domain types. The database only holds what the
//! domain wrote, so a value the domain refuses is corrupt data, not bad input.

use time::Date;
use time::macros::format_description;

use super::StorageError;

/// What a stored value was meant to be, for the message of corrupt data.
pub(crate) fn corrupt(what: &str) -> StorageError {
    StorageError::Corrupt(what.to_owned())
}

/// A stored day (`YYYY-MM-DD`).
pub(crate) fn parse_date(text: &str) -> Result<Date, StorageError> {
    Date::parse(text, format_description!("[year]-[month]-[day]"))
        .map_err(|_| StorageError::Corrupt(format!("date {text:?}")))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn stored_days_are_iso_dates() {
        assert_eq!(parse_date("2026-03-01").ok(), Some(date!(2026 - 03 - 01)));
        for text in ["01/03/2026", "2026-02-30", ""] {
            assert!(
                matches!(parse_date(text), Err(StorageError::Corrupt(_))),
                "{text:?}"
            );
        }
    }
}
