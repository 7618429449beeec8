use std::fmt;

use crate::domain::ParseError;

/// The code of a collection point, printed under its QR code: 6 characters without the
/// easily confused 0, 1, i, l and o. Matched case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CollectionCode(String);

impl CollectionCode {
    pub const ALPHABET: &'static [u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    pub const LEN: usize = 6;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let code = input.trim().to_ascii_lowercase();
        let valid = code.len() == Self::LEN && code.bytes().all(|b| Self::ALPHABET.contains(&b));
        if valid {
            Ok(Self(code))
        } else {
            Err(ParseError::new("Code de questionnaire inconnu."))
        }
    }

    /// A fresh random code (31^6, about 887 million possibilities).
    pub fn generate() -> Self {
        let code = (0..Self::LEN)
            .map(|_| {
                let index = rand::random_range(0..Self::ALPHABET.len());
                char::from(Self::ALPHABET[index])
            })
            .collect();
        Self(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CollectionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_case_insensitively() {
        assert_eq!(
            CollectionCode::parse(" 7KQ3MZ ").map(|c| c.to_string()),
            Ok("7kq3mz".to_owned())
        );
    }

    #[test]
    fn refuses_ambiguous_or_malformed_codes() {
        for input in [
            "7kq3m", "7kq3mzz", "0kq3mz", "1kq3mz", "ikq3mz", "lkq3mz", "okq3mz", "7kq-mz", "",
        ] {
            assert!(CollectionCode::parse(input).is_err(), "{input:?} accepted");
        }
    }

    #[test]
    fn generated_codes_parse() {
        for _ in 0..200 {
            let code = CollectionCode::generate();
            assert_eq!(CollectionCode::parse(code.as_str()), Ok(code));
        }
    }
}
