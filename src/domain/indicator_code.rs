use std::fmt;

use super::{ActionNumber, ParseError};

/// The stable code of an evaluation indicator: `A{action}.{position}`, for example `A14.2`.
///
/// Exports and indicator rules refer to indicators by this code, so it never changes once
/// the plan is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IndicatorCode {
    action: ActionNumber,
    position: u8,
}

impl IndicatorCode {
    pub fn new(action: ActionNumber, position: u8) -> Result<Self, ParseError> {
        if position == 0 {
            return Err(ParseError::new("Le rang de l'indicateur commence à 1."));
        }
        Ok(Self { action, position })
    }

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let invalid = || ParseError::new("Code d'indicateur attendu sous la forme A14.2.");
        let rest = input.trim().strip_prefix(['A', 'a']).ok_or_else(invalid)?;
        let (action, position) = rest.split_once('.').ok_or_else(invalid)?;
        let action = ActionNumber::parse(action)?;
        let position: u8 = position.parse().map_err(|_| invalid())?;
        Self::new(action, position)
    }

    pub fn action(self) -> ActionNumber {
        self.action
    }

    pub fn position(self) -> u8 {
        self.position
    }
}

impl fmt::Display for IndicatorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "A{}.{}", self.action, self.position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        let code = IndicatorCode::parse("A14.2").expect("valid code");
        assert_eq!(code.action().get(), 14);
        assert_eq!(code.position(), 2);
        assert_eq!(code.to_string(), "A14.2");
        assert_eq!(
            IndicatorCode::parse(" a3.1 ").map(|c| c.to_string()),
            Ok("A3.1".into())
        );
    }

    #[test]
    fn refuses_malformed_codes() {
        for input in [
            "14.2", "A14", "A18.1", "A0.1", "A14.0", "A14.x", "B14.2", "",
        ] {
            assert!(IndicatorCode::parse(input).is_err(), "{input} accepted");
        }
    }
}
