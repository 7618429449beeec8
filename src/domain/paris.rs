//! Europe/Paris local time, for dates people read and periods they count in.
//!
//! France follows the EU rule since 1996: summer time (UTC+2) from the last Sunday of
//! March at 01:00 UTC to the last Sunday of October at 01:00 UTC, UTC+1 otherwise.
//! Written out here rather than pulling in a time zone database for one zone.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

const WINTER: UtcOffset = match UtcOffset::from_hms(1, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};
const SUMMER: UtcOffset = match UtcOffset::from_hms(2, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

fn last_sunday(year: i32, month: Month) -> Date {
    let last_day = Date::from_calendar_date(year, month, month.length(year)).unwrap_or(Date::MIN);
    let back = last_day.weekday().number_days_from_sunday();
    last_day
        .checked_sub(time::Duration::days(i64::from(back)))
        .unwrap_or(last_day)
}

/// The UTC instants summer time starts and ends in `year`, as Unix seconds.
fn summer_bounds(year: i32) -> (i64, i64) {
    let at_one_utc = |date: Date| {
        PrimitiveDateTime::new(date, Time::from_hms(1, 0, 0).unwrap_or(Time::MIDNIGHT))
            .assume_utc()
            .unix_timestamp()
    };
    (
        at_one_utc(last_sunday(year, Month::March)),
        at_one_utc(last_sunday(year, Month::October)),
    )
}

/// The offset from UTC in force in Paris at this instant.
pub fn offset_at(unix: i64) -> UtcOffset {
    let year = OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| t.year())
        .unwrap_or(1970);
    let (start, end) = summer_bounds(year);
    if (start..end).contains(&unix) {
        SUMMER
    } else {
        WINTER
    }
}

/// This instant as Paris local time.
pub fn local(unix: i64) -> OffsetDateTime {
    let utc = OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    utc.to_offset(offset_at(unix))
}

/// The Unix time of midnight at the start of `date` in Paris.
pub fn start_of_day(date: Date) -> i64 {
    // Midnight is never inside a DST change in France (changes happen at 02:00 / 03:00).
    let naive = PrimitiveDateTime::new(date, Time::MIDNIGHT);
    let guess = naive.assume_offset(WINTER).unix_timestamp();
    naive.assume_offset(offset_at(guess)).unix_timestamp()
}

/// The Unix time of noon on `date` in Paris, the time given to answers known only by
/// their day (paper questionnaires).
pub fn noon(date: Date) -> i64 {
    // Noon is never inside a DST change either.
    let naive = PrimitiveDateTime::new(date, Time::from_hms(12, 0, 0).unwrap_or(Time::MIDNIGHT));
    let guess = naive.assume_offset(WINTER).unix_timestamp();
    naive.assume_offset(offset_at(guess)).unix_timestamp()
}

/// Today's date in Paris.
pub fn today() -> Date {
    local(OffsetDateTime::now_utc().unix_timestamp()).date()
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn summer_time_starts_and_ends_on_the_last_sundays() {
        assert_eq!(last_sunday(2026, Month::March), date!(2026 - 03 - 29));
        assert_eq!(last_sunday(2026, Month::October), date!(2026 - 10 - 25));
        assert_eq!(
            last_sunday(2027, Month::March).weekday(),
            time::Weekday::Sunday
        );
    }

    #[test]
    fn offsets_around_the_changes() {
        let before = datetime!(2026-03-29 00:59:59 UTC).unix_timestamp();
        let after = datetime!(2026-03-29 01:00:00 UTC).unix_timestamp();
        assert_eq!(offset_at(before), WINTER);
        assert_eq!(offset_at(after), SUMMER);
        let before = datetime!(2026-10-25 00:59:59 UTC).unix_timestamp();
        let after = datetime!(2026-10-25 01:00:00 UTC).unix_timestamp();
        assert_eq!(offset_at(before), SUMMER);
        assert_eq!(offset_at(after), WINTER);
    }

    #[test]
    fn local_time_and_midnight() {
        let noon_utc = datetime!(2026-07-14 12:00 UTC).unix_timestamp();
        assert_eq!(local(noon_utc).hour(), 14);
        assert_eq!(
            start_of_day(date!(2026 - 01 - 01)),
            datetime!(2025-12-31 23:00 UTC).unix_timestamp()
        );
        assert_eq!(
            start_of_day(date!(2026 - 07 - 01)),
            datetime!(2026-06-30 22:00 UTC).unix_timestamp()
        );
        assert_eq!(
            noon(date!(2026 - 06 - 13)),
            datetime!(2026-06-13 10:00 UTC).unix_timestamp()
        );
        assert_eq!(
            noon(date!(2026 - 12 - 02)),
            datetime!(2026-12-02 11:00 UTC).unix_timestamp()
        );
        // The days the clocks change.
        assert_eq!(local(noon(date!(2026 - 03 - 29))).hour(), 12);
        assert_eq!(local(noon(date!(2026 - 10 - 25))).hour(), 12);
    }
}
