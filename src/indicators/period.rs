//! Reporting periods: calendar years 2026 to 2030 and their halves, in Paris time.

use std::fmt;

use time::{Date, Month};

use crate::domain::ParseError;

pub const FIRST_YEAR: i32 = 2026;
pub const LAST_YEAR: i32 = 2030;

/// A year, or one of its halves (`S1`: January to June, `S2`: July to December).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    year: i32,
    half: Option<u8>,
}

/// How often an indicator is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Periodicity {
    Year,
    HalfYear,
}

impl Periodicity {
    pub fn code(self) -> &'static str {
        match self {
            Self::Year => "year",
            Self::HalfYear => "half",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Year => "Annuelle",
            Self::HalfYear => "Semestrielle",
        }
    }

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        match input.trim() {
            "year" => Ok(Self::Year),
            "half" => Ok(Self::HalfYear),
            _ => Err(ParseError::new(
                "Choisissez une périodicité annuelle ou semestrielle.",
            )),
        }
    }

    /// Every period of the plan at this periodicity, in order.
    pub fn periods(self) -> Vec<Period> {
        (FIRST_YEAR..=LAST_YEAR)
            .flat_map(|year| match self {
                Self::Year => vec![Period { year, half: None }],
                Self::HalfYear => vec![
                    Period {
                        year,
                        half: Some(1),
                    },
                    Period {
                        year,
                        half: Some(2),
                    },
                ],
            })
            .collect()
    }
}

impl Period {
    /// `2026`, `2026-S1` or `2026-S2` (lowercase `s` accepted), within 2026 to 2030.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let invalid = || {
            ParseError::new(
                "Période attendue : une année de 2026 à 2030, ou un semestre comme 2026-S1.",
            )
        };
        let input = input.trim();
        let (year, half) = match input.split_once('-') {
            Some((year, half)) => {
                let half = match half {
                    "S1" | "s1" => 1,
                    "S2" | "s2" => 2,
                    _ => return Err(invalid()),
                };
                (year, Some(half))
            }
            None => (input, None),
        };
        let year: i32 = year.parse().map_err(|_| invalid())?;
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return Err(invalid());
        }
        Ok(Self { year, half })
    }

    pub fn year(year: i32) -> Self {
        Self { year, half: None }
    }

    /// The stored code: `2026` or `2026-S1`.
    pub fn code(self) -> String {
        match self.half {
            None => self.year.to_string(),
            Some(half) => format!("{}-S{half}", self.year),
        }
    }

    /// "2026", "1er semestre 2026".
    pub fn label(self) -> String {
        match self.half {
            None => self.year.to_string(),
            Some(1) => format!("1er semestre {}", self.year),
            Some(_) => format!("2e semestre {}", self.year),
        }
    }

    /// The first day of the period and the first day after it (Paris dates).
    pub fn bounds(self) -> (Date, Date) {
        let date =
            |year: i32, month: Month| Date::from_calendar_date(year, month, 1).unwrap_or(Date::MIN);
        match self.half {
            None => (
                date(self.year, Month::January),
                date(self.year + 1, Month::January),
            ),
            Some(1) => (
                date(self.year, Month::January),
                date(self.year, Month::July),
            ),
            Some(_) => (
                date(self.year, Month::July),
                date(self.year + 1, Month::January),
            ),
        }
    }

    /// The period of this periodicity that contains `day`, if within the plan.
    pub fn containing(day: Date, periodicity: Periodicity) -> Option<Self> {
        let year = day.year();
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return None;
        }
        Some(match periodicity {
            Periodicity::Year => Self { year, half: None },
            Periodicity::HalfYear => Self {
                year,
                half: Some(if u8::from(day.month()) <= 6 { 1 } else { 2 }),
            },
        })
    }

    /// The period just before, at the same periodicity.
    pub fn previous(self) -> Option<Self> {
        let previous = match self.half {
            None => Self {
                year: self.year - 1,
                half: None,
            },
            Some(2) => Self {
                year: self.year,
                half: Some(1),
            },
            Some(_) => Self {
                year: self.year - 1,
                half: Some(2),
            },
        };
        (previous.year >= FIRST_YEAR).then_some(previous)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn parses_years_and_halves_of_the_plan() {
        assert_eq!(Period::parse("2026").map(Period::code), Ok("2026".into()));
        assert_eq!(
            Period::parse("2027-s2").map(Period::code),
            Ok("2027-S2".into())
        );
        for bad in ["2025", "2031", "2026-S3", "S1", "", "deux mille"] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bounds_are_paris_days() {
        let s2 = Period::parse("2026-S2").expect("valid");
        assert_eq!(s2.bounds(), (date!(2026 - 07 - 01), date!(2027 - 01 - 01)));
        assert_eq!(s2.label(), "2e semestre 2026");
        assert_eq!(
            Period::containing(date!(2026 - 06 - 30), Periodicity::HalfYear).map(Period::code),
            Some("2026-S1".into())
        );
        assert_eq!(
            Period::containing(date!(2026 - 07 - 01), Periodicity::HalfYear).map(Period::code),
            Some("2026-S2".into())
        );
        assert_eq!(
            Period::containing(date!(2031 - 01 - 01), Periodicity::Year),
            None
        );
    }

    #[test]
    fn lists_and_steps_back() {
        assert_eq!(Periodicity::Year.periods().len(), 5);
        assert_eq!(Periodicity::HalfYear.periods().len(), 10);
        assert_eq!(
            Period::parse("2027-S1")
                .ok()
                .and_then(Period::previous)
                .map(Period::code),
            Some("2026-S2".into())
        );
        assert_eq!(Period::year(2026).previous(), None);
    }
}
