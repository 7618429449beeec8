use std::fmt;

use super::ParseError;

/// The priority phase of an action; the plan orders its work by phase rather than by date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    Found,
    Deploy,
    Consolidate,
}

impl Phase {
    pub const ALL: [Phase; 3] = [Phase::Found, Phase::Deploy, Phase::Consolidate];

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        match input.trim() {
            "1" => Ok(Self::Found),
            "2" => Ok(Self::Deploy),
            "3" => Ok(Self::Consolidate),
            _ => Err(ParseError::new("La phase doit être 1, 2 ou 3.")),
        }
    }

    pub fn from_number(number: i32) -> Result<Self, ParseError> {
        Self::parse(&number.to_string())
    }

    pub fn number(self) -> u8 {
        match self {
            Self::Found => 1,
            Self::Deploy => 2,
            Self::Consolidate => 3,
        }
    }

    /// The phase in words, as the plan names it ("Phase 1 : fonder et structurer").
    pub fn label(self) -> &'static str {
        match self {
            Self::Found => "Phase 1 : fonder et structurer",
            Self::Deploy => "Phase 2 : déployer et aller vers",
            Self::Consolidate => "Phase 3 : consolider, prévenir et sécuriser",
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_numbers() {
        for phase in Phase::ALL {
            assert_eq!(Phase::parse(&phase.number().to_string()), Ok(phase));
        }
    }

    #[test]
    fn labels_are_the_plan_wording() {
        assert_eq!(Phase::Deploy.label(), "Phase 2 : déployer et aller vers");
    }

    #[test]
    fn refuses_other_values() {
        for input in ["0", "4", "un", ""] {
            assert!(Phase::parse(input).is_err());
        }
    }
}
