//! The disclosure rule: who may see how few residents said something.
//!
//! Counts of residents' answers from 1 to 4 could point at a person in a small commune,
//! so everyone but agents and admins sees them as "< 5". A rule that can be undone by
//! subtracting two views protects nothing, so restricted audiences also filter by whole
//! months only: two periods they can ask for differ by at least a month, never by the
//! answers of one day.
//!
//! Counts that are not residents' answers (meetings held, field reports, people invited)
//! are not covered by this rule: they are shown as they are, to everyone.

mod breakdown;

use std::fmt;

use time::Date;

pub use breakdown::{Breakdown, Cell, Summary, WITHHELD, WITHHELD_NOTICE};

use crate::domain::Role;
use crate::french;

/// Counts from 1 to `THRESHOLD - 1` are hidden from restricted audiences.
pub const THRESHOLD: i64 = 5;

/// What restricted audiences read instead of a small count.
pub const HIDDEN: &str = "< 5";

/// Who is looking at a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Agents and admins: exact figures, to do their work.
    Staff,
    /// Partenaires (elected officials, partners), logged in.
    Partner,
    /// Everyone: public pages, the live screen at an event.
    Public,
}

impl Audience {
    /// The audience of a logged-in staff member.
    pub fn of_role(role: Role) -> Self {
        if role.allows(Role::Agent) {
            Self::Staff
        } else {
            Self::Partner
        }
    }

    /// Whether this audience sees exact counts.
    pub fn is_exact(self) -> bool {
        self == Self::Staff
    }

    /// A count of residents' answers as this audience may see it.
    pub fn count(self, n: i64) -> Count {
        if self.is_exact() || n <= 0 || n >= THRESHOLD {
            Count::Shown(n)
        } else {
            Count::Hidden
        }
    }

    /// Whether this audience may see a figure computed from `n` answers (a share, a
    /// mean, a bar's length).
    pub fn shows(self, n: i64) -> bool {
        matches!(self.count(n), Count::Shown(_))
    }

    /// Whether a breakdown of `n` answers (shares, a chart) may be shown: there is none
    /// of no answers at all.
    pub fn shows_breakdown(self, n: i64) -> bool {
        n > 0 && self.shows(n)
    }

    /// The period this audience may filter on: for restricted audiences the first day is
    /// moved back to the first of its month and the last forward to the end of its month.
    pub fn period(self, from: Option<Date>, to: Option<Date>) -> Period {
        if self.is_exact() {
            return Period {
                from,
                to,
                widened: false,
            };
        }
        let widened_from = from.map(first_of_month);
        let widened_to = to.map(last_of_month);
        Period {
            widened: widened_from != from || widened_to != to,
            from: widened_from,
            to: widened_to,
        }
    }
}

/// A date filter as applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Whether the dates asked for were moved to whole months.
    pub widened: bool,
}

fn first_of_month(day: Date) -> Date {
    day.replace_day(1).unwrap_or(day)
}

fn last_of_month(day: Date) -> Date {
    let last = day.month().length(day.year());
    day.replace_day(last).unwrap_or(day)
}

/// A count as shown to its audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Count {
    Shown(i64),
    /// From 1 to 4, for a restricted audience.
    Hidden,
}

impl Count {
    /// "1234" or "< 5", for CSV files, where numbers carry no thousands separator.
    pub fn plain(self) -> String {
        match self {
            Self::Shown(n) => n.to_string(),
            Self::Hidden => HIDDEN.to_owned(),
        }
    }

    /// "1 réponse", "1 234 réponses", "moins de 5 réponses".
    pub fn answers(self) -> String {
        match self {
            Self::Shown(n @ 0..=1) => format!("{n} réponse"),
            Self::Shown(n) => format!("{} réponses", french::integer(n)),
            Self::Hidden => "moins de 5 réponses".to_owned(),
        }
    }

    /// The number, when it may be shown.
    pub fn value(self) -> Option<i64> {
        match self {
            Self::Shown(n) => Some(n),
            Self::Hidden => None,
        }
    }
}

/// "1 234" or "< 5".
impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Shown(n) => f.write_str(&french::integer(*n)),
            Self::Hidden => f.write_str(HIDDEN),
        }
    }
}

/// The sentence that tells a restricted audience what the rule does.
pub const NOTICE: &str =
    "Pour préserver l'anonymat, les nombres de réponses de 1 à 4 sont affichés « < 5 ».";

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn staff_see_exact_counts_others_see_small_ones_hidden() {
        for n in [0, 1, 4, 5, 1234] {
            assert_eq!(Audience::Staff.count(n), Count::Shown(n));
        }
        for audience in [Audience::Partner, Audience::Public] {
            assert_eq!(audience.count(0), Count::Shown(0));
            assert_eq!(audience.count(1), Count::Hidden);
            assert_eq!(audience.count(4), Count::Hidden);
            assert_eq!(audience.count(5), Count::Shown(5));
            assert!(!audience.shows(3));
            assert!(audience.shows(12));
            assert!(!audience.shows_breakdown(0));
            assert!(!audience.shows_breakdown(4));
            assert!(audience.shows_breakdown(5));
        }
    }

    #[test]
    fn counts_read_in_french_for_every_audience() {
        assert_eq!(Audience::Staff.count(1234).to_string(), "1\u{202f}234");
        assert_eq!(Audience::Partner.count(1234).to_string(), "1\u{202f}234");
        assert_eq!(Audience::Public.count(3).to_string(), "< 5");
        assert_eq!(Audience::Staff.count(3).to_string(), "3");
        assert_eq!(Audience::Partner.count(1234).plain(), "1234");
        assert_eq!(Audience::Partner.count(2).plain(), "< 5");
        assert_eq!(
            Audience::Public.count(1200).answers(),
            "1\u{202f}200 réponses"
        );
        assert_eq!(Audience::Public.count(3).answers(), "moins de 5 réponses");
        assert_eq!(Audience::Staff.count(1).answers(), "1 réponse");
    }

    #[test]
    fn roles_map_to_audiences() {
        assert_eq!(Audience::of_role(Role::Admin), Audience::Staff);
        assert_eq!(Audience::of_role(Role::Agent), Audience::Staff);
        assert_eq!(Audience::of_role(Role::Partenaire), Audience::Partner);
    }

    #[test]
    fn restricted_periods_are_whole_months() {
        let days = (Some(date!(2026 - 06 - 14)), Some(date!(2026 - 06 - 18)));
        let one_more = (Some(date!(2026 - 06 - 14)), Some(date!(2026 - 06 - 19)));
        let partner = Audience::Partner.period(days.0, days.1);
        assert_eq!(partner.from, Some(date!(2026 - 06 - 01)));
        assert_eq!(partner.to, Some(date!(2026 - 06 - 30)));
        assert!(partner.widened);
        assert_eq!(partner, Audience::Partner.period(one_more.0, one_more.1));
        let february = Audience::Public.period(None, Some(date!(2028 - 02 - 03)));
        assert_eq!(february.to, Some(date!(2028 - 02 - 29)));
        assert_eq!(february.from, None);
        let staff = Audience::Staff.period(days.0, days.1);
        assert_eq!(
            (staff.from, staff.to, staff.widened),
            (days.0, days.1, false)
        );
        let whole =
            Audience::Partner.period(Some(date!(2026 - 06 - 01)), Some(date!(2026 - 07 - 31)));
        assert!(!whole.widened);
    }
}
