use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

use super::guessable::{self, MIN_UNPREDICTABLE, Pattern};
use super::{Email, ParseError};

const COMMON_PASSWORDS: &str = include_str!("../../data/common-passwords.txt");

/// The shipped list of common passwords, lowercase. Short entries are kept too: a
/// password is also compared without its separators ("mot de passe").
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    COMMON_PASSWORDS
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .collect()
});

/// Why a password built on a pattern is refused, and what to do instead.
fn pattern_message(pattern: Option<Pattern>) -> String {
    let why = match pattern {
        Some(Pattern::Name) => {
            "Ce mot de passe repose sur des noms liés à la plateforme ou au territoire (Pouls, CCYN, Yonne, les communes…), parmi les premiers essayés par un attaquant."
        }
        Some(Pattern::Keyboard) => {
            "Ce mot de passe suit des touches voisines du clavier (comme « azerty », « qwerty » ou « 1qaz »), parmi les premières essayées par un attaquant."
        }
        Some(Pattern::Sequence) => {
            "Ce mot de passe contient des suites de caractères (comme « abcd » ou « 1234 »), faciles à deviner."
        }
        Some(Pattern::Year) => {
            "Ce mot de passe repose sur une année (comme « 2026 »), facile à deviner."
        }
        Some(Pattern::Repeat) => {
            "Ce mot de passe répète les mêmes caractères ou le même motif (comme « aaaa » ou « abcabc »), faciles à deviner."
        }
        None => "Ce mot de passe est trop facile à deviner.",
    };
    format!(
        "{why} Gardez au moins {MIN_UNPREDICTABLE} caractères en dehors de ces motifs ; une phrase de plusieurs mots sans rapport entre eux convient bien."
    )
}

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
        let common = [
            lowercase.clone(),
            guessable::compact(input),
            guessable::base_word(input),
        ];
        if common.iter().any(|form| COMMON.contains(form.as_str())) {
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
        let estimate = guessable::estimate(input);
        if estimate.unpredictable < MIN_UNPREDICTABLE {
            return Err(ParseError::new(pattern_message(estimate.main)));
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
        assert!(NewPassword::parse("éléphant été", None).is_ok());
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
    fn refuses_common_passwords_written_with_separators_or_digits_for_letters() {
        for common in [
            "Mot de passe !",
            "mot-de-passe-2026",
            "P@ssw0rd-2026!!",
            "Marseille1234!",
            "2026-B0NJOUR-2026",
        ] {
            let error = NewPassword::parse(common, None).expect_err(common);
            assert!(error.0.contains("trop courant"), "{common}: {error}");
        }
    }

    /// The refusal of `password`, which must name `why`.
    fn refused(password: &str, why: &str) {
        match NewPassword::parse(password, None) {
            Ok(_) => panic!("{password} accepted"),
            Err(error) => {
                assert!(error.0.contains(why), "{password}: {error}");
                assert!(error.0.contains("au moins 10 caractères"), "{error}");
                assert!(!error.0.contains(password), "never echoed");
            }
        }
    }

    #[test]
    fn refuses_keyboard_walks_on_azerty_and_qwerty() {
        for walk in [
            "azertyuiopqsdf",
            "AZERTYuiop&é",
            "poiuytrezaqs",
            "4rfv5tgb6yhn",
            "1aqw2zsx3edc",
            "Qwerty-uiop-asdf",
            "wxcvbn&é\"'(-",
        ] {
            refused(walk, "touches voisines du clavier");
        }
    }

    #[test]
    fn refuses_sequences_and_repetitions() {
        refused("abcdefghijklm", "suites de caractères");
        refused("0123456789-9876", "suites de caractères");
        refused("zzzzzzzzzzzzzz", "répète");
        refused("chatchatchatchat", "répète");
        refused("Vacances!!!!!!!!", "répète");
        refused("19851986-2026!", "année");
    }

    #[test]
    fn refuses_names_of_the_product_and_territory_whatever_the_case_and_accents() {
        for name in [
            "Pouls-CCYN-2026",
            "pouls pouls pouls",
            "P0ULS-Y0NNE-89",
            "Communauté de Communes",
            "COMMUNAUTE DE COMMUNES",
            "Yonne Nord Sergines",
            "Saint-Sérotin-Évry",
            "saint serotin evry",
            "Villeneuve-la-Guyard",
            "Pont-sur-Yonne 89",
        ] {
            refused(name, "noms liés à la plateforme ou au territoire");
        }
    }

    #[test]
    fn accepts_passphrases_even_with_a_name_or_a_digit_in_them() {
        for phrase in [
            "velo rouge sous la pluie",
            "le pouls de la vallée bat fort",
            "trois hérons sur la berge",
            "douze-caract",
            "Ma tante adore les 4 saisons",
        ] {
            assert!(NewPassword::parse(phrase, None).is_ok(), "{phrase}");
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
