//! A span of Paris days typed into a filter ("du ... au ..."), either end optional.

use time::Date;

use super::FieldErrors;
use crate::survey::parse_french_date;

/// Days from `from` to `to`, both included; an end left empty is open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl DateRange {
    /// Reads the two fields as typed (`29/11/2026` or `2026-11-29`, or empty). Errors come
    /// under the fields' names: a date that is not one, or an end before the start, which
    /// would otherwise select nothing without saying why.
    pub fn parse(from: &str, to: &str, names: (&str, &str)) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut day = |value: &str, name: &str| {
            let value = value.trim();
            if value.is_empty() {
                return None;
            }
            parse_french_date(value)
                .map_err(|e| errors.add(name, e.0))
                .ok()
        };
        let range = Self {
            from: day(from, names.0),
            to: day(to, names.1),
        };
        if let (Some(from), Some(to)) = (range.from, range.to)
            && from > to
        {
            errors.add(names.1, "La date de fin doit suivre la date de début.");
        }
        if errors.is_empty() {
            Ok(range)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const NAMES: (&str, &str) = ("du", "au");

    #[test]
    fn both_ends_are_optional_and_inclusive() {
        assert_eq!(DateRange::parse("", " ", NAMES), Ok(DateRange::default()));
        let range = DateRange::parse("01/06/2026", "2026-06-30", NAMES).expect("valid");
        assert_eq!(range.from, Some(date!(2026 - 06 - 01)));
        assert_eq!(range.to, Some(date!(2026 - 06 - 30)));
        let one_day = DateRange::parse("2026-06-13", "13/06/2026", NAMES).expect("one day");
        assert_eq!(one_day.from, one_day.to);
    }

    #[test]
    fn an_inverted_or_unreadable_range_is_an_error_on_its_field() {
        let errors = DateRange::parse("30/06/2026", "01/06/2026", NAMES).expect_err("inverted");
        assert_eq!(
            errors.get("au").as_deref(),
            Some("La date de fin doit suivre la date de début.")
        );
        assert_eq!(errors.get("du"), None);
        let errors = DateRange::parse("31/02/2026", "hier", ("from", "to")).expect_err("bad");
        assert_eq!(errors.len(), 2);
        assert!(errors.get("from").is_some_and(|m| m.contains("29/11/2026")));
    }
}
