//! Staff credentials: password hashing (argon2id at OWASP parameters) and session tokens.
//!
//! Hashing is deliberately slow, so the async functions run it on the blocking pool and
//! never on the async workers.

use std::fmt;
use std::sync::LazyLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};

use crate::domain::NewPassword;

/// OWASP's argon2id settings: 19 MiB of memory (the crate counts KiB), 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const LANES: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error("the hashing task was cancelled")]
    Cancelled(#[from] tokio::task::JoinError),
}

fn argon2() -> Argon2<'static> {
    // The constants are valid parameters; `Params::new` only fails on out-of-range values.
    let params = Params::new(MEMORY_KIB, ITERATIONS, LANES, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash to verify against when the account does not exist, so a failed login takes the
/// same time whether or not the email is known.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    argon2()
        .hash_password(b"no such account", &SaltString::generate(&mut OsRng))
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});

/// Hashes a new password into a PHC string (algorithm, parameters, salt and hash).
pub fn hash_password_blocking(password: &NewPassword) -> Result<String, AuthError> {
    argon2()
        .hash_password(
            password.expose().as_bytes(),
            &SaltString::generate(&mut OsRng),
        )
        .map(|hash| hash.to_string())
        .map_err(|e| AuthError::Hashing(e.to_string()))
}

/// Whether `password` matches the stored PHC string `hash`. A stored hash that does not
/// parse never matches.
pub fn verify_password_blocking(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

pub async fn hash_password(password: NewPassword) -> Result<String, AuthError> {
    tokio::task::spawn_blocking(move || hash_password_blocking(&password)).await?
}

/// Verifies `password` against `hash`, or against a dummy hash when there is no account,
/// so both cases cost the same.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, AuthError> {
    let verified = tokio::task::spawn_blocking(move || match hash {
        Some(hash) => verify_password_blocking(&password, &hash),
        None => {
            verify_password_blocking(&password, &DUMMY_HASH);
            false
        }
    })
    .await?;
    Ok(verified)
}

/// 256 random bits as 64 hex characters.
pub fn random_token() -> String {
    to_hex(&rand::random::<[u8; 32]>())
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    use fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// A staff session token, as carried by the cookie. Only its SHA-256 is stored, so a copy
/// of the database does not let anyone into a session.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    pub fn generate() -> Self {
        Self(random_token())
    }

    /// Accepts only what `generate` produces; anything else is no session.
    pub fn from_cookie(value: &str) -> Option<Self> {
        (value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Self(value.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database stores and looks sessions up by.
    pub fn hash(&self) -> String {
        to_hex(&Sha256::digest(self.0.as_bytes()))
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(***)")
    }
}

/// Compares two secrets in time that depends only on their length.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password(text: &str) -> NewPassword {
        NewPassword::parse(text, None).expect("valid password")
    }

    #[test]
    fn hashes_with_argon2id_at_owasp_parameters() {
        let hash = hash_password_blocking(&password("velo rouge sous la pluie")).expect("hash");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password_blocking("velo rouge sous la pluie", &hash));
        assert!(!verify_password_blocking("velo rouge sous la neige", &hash));
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        let a = hash_password_blocking(&password("velo rouge sous la pluie")).expect("hash");
        let b = hash_password_blocking(&password("velo rouge sous la pluie")).expect("hash");
        assert_ne!(a, b, "a fresh salt each time");
    }

    #[test]
    fn a_corrupt_hash_never_matches() {
        assert!(!verify_password_blocking("anything", "not a phc string"));
        assert!(!verify_password_blocking("anything", ""));
    }

    #[tokio::test]
    async fn unknown_accounts_are_verified_against_a_dummy_hash() {
        assert!(DUMMY_HASH.starts_with("$argon2id$"));
        let verified = verify_password("no such account".into(), None)
            .await
            .expect("runs");
        assert!(!verified, "never succeeds without an account");
    }

    #[test]
    fn session_tokens_are_256_random_bits_stored_hashed() {
        let token = SessionToken::generate();
        assert_eq!(token.as_str().len(), 64);
        assert_ne!(token, SessionToken::generate());
        assert_eq!(token.hash().len(), 64);
        assert_ne!(token.hash(), token.as_str());
        assert_eq!(
            SessionToken::from_cookie(token.as_str()),
            Some(token.clone())
        );
        assert_eq!(token.hash(), token.hash(), "hashing is deterministic");
    }

    #[test]
    fn malformed_cookies_are_no_session() {
        for value in ["", "abc", &"g".repeat(64), &"a".repeat(65)] {
            assert!(SessionToken::from_cookie(value).is_none());
        }
    }

    #[test]
    fn constant_time_eq_compares_content_and_length() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
