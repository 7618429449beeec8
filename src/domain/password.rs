use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

use super::{Email, ParseError};

const COMMON_PASSWORDS: &str = include_str!("../../data/common-passwords.txt");

/// The shipped list of common passwords, lowercase. Only entries long enough to pass the
/// length rule are kept: shorter ones are refused anyway.
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    COMMON_PASSWORDS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter(|line| line.chars().count() >= NewPassword::MIN_CHARS)
        .collect()
});

/// A password someone chose for a staff account, checked against the policy. Its `Debug`
/// never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    /// Long enough for any passphrase, short enough that hashing stays cheap.
    pub const MAX_CHARS: usize = 256;

    pub fn parse(input: &str, email: Option<&Email>) -> Result<Self, ParseError> {
        let length = input.chars().count();
        if length < Self::MIN_CHARS {
            return Err(ParseError::new(format!(
                "Le mot de passe doit compter au moins {} caractères.",
                Self::MIN_CHARS
            )));
        }
        if length > Self::MAX_CHARS {
            return Err(ParseError::new(format!(
                "Le mot de passe doit compter au plus {} caractères.",
                Self::MAX_CHARS
            )));
        }
        let lowercase = input.to_lowercase();
        if COMMON.contains(lowercase.as_str()) {
            return Err(ParseError::new(
                "Ce mot de passe est trop courant. Choisissez-en un autre, par exemple une phrase de plusieurs mots.",
            ));
        }
        if let Some(email) = email {
            let local = email.local_part();
            if lowercase == email.as_str() || (local.len() >= 4 && lowercase.contains(local)) {
                return Err(ParseError::new(
                    "Le mot de passe ne doit pas reprendre l'adresse électronique.",
                ));
            }
        }
        Ok(Self(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_short_passwords() {
        assert!(NewPassword::parse("court", None).is_err());
        assert!(NewPassword::parse("onze-caract", None).is_err());
        assert!(NewPassword::parse("douze-caract", None).is_ok());
    }

    #[test]
    fn counts_characters_not_bytes() {
        // 12 characters, more bytes.
        assert!(NewPassword::parse("éléphantéété", None).is_ok());
        assert!(NewPassword::parse("éléphantété", None).is_err());
    }

    #[test]
    fn refuses_common_passwords_whatever_the_case() {
        assert!(COMMON.len() > 1000, "the list is loaded");
        for common in [
            "qwerty123456",
            "QWERTY123456",
            "azertyuiop123",
            "motdepasse2026",
        ] {
            assert!(
                NewPassword::parse(common, None).is_err(),
                "{common} accepted"
            );
        }
    }

    #[test]
    fn refuses_passwords_built_on_the_email() {
        let email = Email::parse("marie.dupont@ccyn.fr").expect("valid");
        assert!(NewPassword::parse("marie.dupont@ccyn.fr", Some(&email)).is_err());
        assert!(NewPassword::parse("Marie.Dupont-2026!", Some(&email)).is_err());
        assert!(NewPassword::parse("velo rouge sous la pluie", Some(&email)).is_ok());
    }

    #[test]
    fn debug_hides_the_value() {
        let password = NewPassword::parse("velo rouge sous la pluie", None).expect("valid");
        assert!(!format!("{password:?}").contains("velo"));
    }
}
