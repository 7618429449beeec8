use std::fmt;

use super::ParseError;

/// A staff email address, normalised (trimmed, lowercase) so that it is unique whatever
/// the case someone types it in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let email = input.trim().to_lowercase();
        if email.is_empty() {
            return Err(ParseError::new("Saisissez une adresse électronique."));
        }
        let invalid = || {
            ParseError::new(
                "Saisissez une adresse électronique valide, par exemple prenom.nom@ccyn.fr.",
            )
        };
        if email.len() > Self::MAX_LEN || email.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(invalid());
        }
        let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
        let domain_ok = !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        if local.is_empty() || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the `@`, to refuse passwords built from it.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_spaces() {
        let email = Email::parse("  Marie.Dupont@CCYN.fr ").expect("valid");
        assert_eq!(email.as_str(), "marie.dupont@ccyn.fr");
        assert_eq!(email.local_part(), "marie.dupont");
    }

    #[test]
    fn refuses_malformed_addresses() {
        for input in [
            "",
            "   ",
            "marie",
            "@ccyn.fr",
            "marie@",
            "marie@ccyn",
            "marie@@ccyn.fr",
            "ma rie@ccyn.fr",
            "marie@ccyn..fr",
            "marie@.ccyn.fr",
        ] {
            assert!(Email::parse(input).is_err(), "{input:?} accepted");
        }
        let long = format!("{}@ccyn.fr", "a".repeat(250));
        assert!(Email::parse(&long).is_err());
    }
}
