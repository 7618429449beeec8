//! Staff credentials: password hashing (argon2id at OWASP parameters) and session tokens.
//!
//! Hashing is deliberately slow and takes 19 MiB, so the async functions run it on the
//! blocking pool, never on the async workers, and only as many at once as there are cores:
//! a burst of logins waits briefly for a turn or is turned away, instead of queueing
//! hundreds of 19 MiB hashes.

use std::fmt;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::domain::NewPassword;

/// OWASP's argon2id settings: 19 MiB of memory (the crate counts KiB), 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const LANES: u32 = 1;

/// How long a request waits for a turn to check a password before it is turned away.
const CHECK_WAIT: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error("the hashing task was cancelled")]
    Cancelled(#[from] tokio::task::JoinError),
    #[error("every password check slot stayed busy")]
    Busy,
}

/// Turns to run a password check: one per core, since each check keeps a core busy and
/// holds 19 MiB. The server keeps one for all its requests (in its state); the command
/// line, which checks one password at a time, uses a process-wide one.
pub struct PasswordChecks {
    turns: Arc<Semaphore>,
    wait: Duration,
}

impl PasswordChecks {
    /// One turn per core of this machine, waited for at most two seconds.
    pub fn per_core() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self::new(cores, CHECK_WAIT)
    }

    fn new(turns: usize, wait: Duration) -> Self {
        Self {
            turns: Arc::new(Semaphore::new(turns.max(1))),
            wait,
        }
    }

    /// Waits (briefly) for a turn to check a password; [`AuthError::Busy`] when none came.
    pub async fn permit(&self) -> Result<CheckPermit, AuthError> {
        match tokio::time::timeout(self.wait, Arc::clone(&self.turns).acquire_owned()).await {
            Ok(Ok(turn)) => Ok(CheckPermit { _turn: turn }),
            // Timed out, or the semaphore was closed (it never is).
            Ok(Err(_)) | Err(_) => Err(AuthError::Busy),
        }
    }

    /// Hashes a new password when a turn comes.
    pub async fn hash(&self, password: NewPassword) -> Result<String, AuthError> {
        self.permit().await?.hash(password).await
    }

    /// [`CheckPermit::verify`] when a turn comes.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, AuthError> {
        self.permit().await?.verify(password, hash).await
    }
}

static COMMAND_LINE_CHECKS: LazyLock<PasswordChecks> = LazyLock::new(PasswordChecks::per_core);

/// A turn to hash or verify one password. It moves into the blocking task, so it is given
/// back when the hash is done, even if the request was dropped meanwhile.
pub struct CheckPermit {
    _turn: OwnedSemaphorePermit,
}

impl CheckPermit {
    pub async fn hash(self, password: NewPassword) -> Result<String, AuthError> {
        tokio::task::spawn_blocking(move || {
            let _turn = self;
            hash_password_blocking(&password)
        })
        .await?
    }

    /// Verifies `password` against `hash`, or against a dummy hash when there is no
    /// account, so both cases cost the same.
    pub async fn verify(self, password: String, hash: Option<String>) -> Result<bool, AuthError> {
        let verified = tokio::task::spawn_blocking(move || {
            let _turn = self;
            match hash {
                Some(hash) => verify_password_blocking(&password, &hash),
                None => {
                    verify_password_blocking(&password, &DUMMY_HASH);
                    false
                }
            }
        })
        .await?;
        Ok(verified)
    }
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

/// Hashes a new password outside the server (command line, demo).
pub async fn hash_password(password: NewPassword) -> Result<String, AuthError> {
    COMMAND_LINE_CHECKS.hash(password).await
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
        let verified = PasswordChecks::per_core()
            .verify("no such account".into(), None)
            .await
            .expect("runs");
        assert!(!verified, "never succeeds without an account");
    }

    #[tokio::test]
    async fn checks_beyond_the_cores_wait_briefly_then_are_turned_away() {
        let limit = PasswordChecks::new(2, Duration::from_millis(50));
        let first = limit.permit().await.expect("a free turn");
        let second = limit.permit().await.expect("a free turn");
        assert!(matches!(limit.permit().await, Err(AuthError::Busy)));
        drop(first);
        let third = limit.permit().await.expect("a turn given back");
        // A turn stays taken while its hash runs, and comes back when it is done.
        let verifying = tokio::spawn(third.verify("essai".into(), None));
        assert_eq!(limit.turns.available_permits(), 0);
        assert!(!verifying.await.expect("joins").expect("verifies"));
        assert_eq!(limit.turns.available_permits(), 1);
        drop(second);
        assert_eq!(limit.turns.available_permits(), 2);
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
