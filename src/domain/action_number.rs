use std::fmt;

use super::ParseError;

/// The number of one of the plan's actions (1 to 17 in the CTG 2026-2030).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActionNumber(u8);

impl ActionNumber {
    pub const FIRST: u8 = 1;
    pub const LAST: u8 = 17;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let number: u8 = input
            .trim()
            .parse()
            .map_err(|_| ParseError::new("Le numéro d'action doit être un nombre entier."))?;
        Self::new(number)
    }

    pub fn new(number: u8) -> Result<Self, ParseError> {
        if (Self::FIRST..=Self::LAST).contains(&number) {
            Ok(Self(number))
        } else {
            Err(ParseError::new(format!(
                "Le numéro d'action doit être compris entre {} et {}.",
                Self::FIRST,
                Self::LAST
            )))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// Every action of the plan, in order.
    pub fn all() -> impl Iterator<Item = Self> {
        (Self::FIRST..=Self::LAST).map(Self)
    }
}

impl fmt::Display for ActionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_one_to_seventeen() {
        assert_eq!(ActionNumber::parse("1").map(ActionNumber::get), Ok(1));
        assert_eq!(ActionNumber::parse(" 17 ").map(ActionNumber::get), Ok(17));
        assert_eq!(ActionNumber::all().count(), 17);
    }

    #[test]
    fn refuses_out_of_range_and_garbage() {
        for input in ["0", "18", "-1", "abc", "", "1.5", "256"] {
            assert!(ActionNumber::parse(input).is_err(), "{input} accepted");
        }
    }
}
