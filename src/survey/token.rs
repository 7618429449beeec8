//! The resident form's one-time token, issued by the server: a random nonce, an expiry and
//! an HMAC-SHA256 over both and the collection point's code, with a key only the server
//! knows. A script can no longer make up tokens to store answers without loading the
//! form, nor reuse one point's token at another, nor keep one for ever.
//!
//! Only the nonce identifies the response (a second submission with it is a duplicate);
//! the expiry and the signature are checked, then dropped, so nothing stored tells when
//! the form was shown.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::CollectionCode;
use crate::auth::to_hex;
use crate::domain::ParseError;

/// How long a form can stay open before it is sent: long enough for a slow reader or a
/// kiosk left on the form for an afternoon.
pub const FORM_TOKEN_LIFETIME: i64 = 12 * 3600;

/// Hex digits of the nonce: 128 random bits.
const NONCE_LEN: usize = 32;
/// Hex digits of the signature: HMAC-SHA256 truncated to its first 128 bits.
const MAC_LEN: usize = 32;
/// Fewest bytes of a key given by the operator.
const MIN_KEY_LEN: usize = 32;
/// Separates the signed token from any other use of the key.
const DOMAIN: &[u8] = b"pouls form token v1";

/// The server's key for form tokens. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct FormKey(String);

impl FormKey {
    /// A key given by the operator (`POULS_FORM_KEY`): at least 32 characters, used as
    /// they are.
    pub fn parse(secret: &str) -> Result<Self, ParseError> {
        if secret.len() < MIN_KEY_LEN || secret.trim() != secret {
            return Err(ParseError::new(
                "the form key needs at least 32 characters and no surrounding spaces, for example the output of `openssl rand -hex 32`",
            ));
        }
        Ok(Self(secret.to_owned()))
    }

    /// 256 random bits, as made at first start.
    pub fn generate() -> Self {
        Self(to_hex(&rand::random::<[u8; 32]>()))
    }

    /// The text kept in the database, which [`FormKey::parse`] reads back.
    pub fn as_stored(&self) -> &str {
        &self.0
    }

    /// A token for a new form at `code`, valid for [`FORM_TOKEN_LIFETIME`] from `now`
    /// (Unix seconds).
    pub fn issue(&self, code: &CollectionCode, now: i64) -> String {
        let nonce = to_hex(&rand::random::<[u8; 16]>());
        self.sign(code, &nonce, now + FORM_TOKEN_LIFETIME)
    }

    /// The same form again (it came back with an error): the same nonce, so a later
    /// double submission still counts once, and a new expiry.
    pub fn renew(&self, code: &CollectionCode, token: &FormToken, now: i64) -> String {
        self.sign(code, &token.nonce, now + FORM_TOKEN_LIFETIME)
    }

    /// `nonce.expiry.signature`, all of it safe in an HTML attribute and a form body.
    pub fn sign(&self, code: &CollectionCode, nonce: &str, expires: i64) -> String {
        let mac = self.mac(code, nonce, expires).finalize().into_bytes();
        format!("{nonce}.{expires}.{}", to_hex(&mac[..MAC_LEN / 2]))
    }

    /// The token sent with a form at `code`, if this server issued it for that point and
    /// it has not expired at `now`.
    pub fn verify(
        &self,
        code: &CollectionCode,
        token: &str,
        now: i64,
    ) -> Result<FormToken, TokenError> {
        let mut parts = token.split('.');
        let (Some(nonce), Some(expires), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed);
        };
        let hex = |text: &str, len: usize| {
            text.len() == len && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        };
        let expires = expires
            .parse::<i64>()
            .ok()
            .filter(|_| expires.bytes().all(|b| b.is_ascii_digit()));
        let (Some(expires), true, true) = (expires, hex(nonce, NONCE_LEN), hex(signature, MAC_LEN))
        else {
            return Err(TokenError::Malformed);
        };
        let signature = from_hex(signature).ok_or(TokenError::Malformed)?;
        // Constant time: the comparison tells nothing about how much of a guess was right.
        self.mac(code, nonce, expires)
            .verify_truncated_left(&signature)
            .map_err(|_| TokenError::BadSignature)?;
        if now > expires {
            return Err(TokenError::Expired);
        }
        Ok(FormToken {
            nonce: nonce.to_owned(),
        })
    }

    fn mac(&self, code: &CollectionCode, nonce: &str, expires: i64) -> Hmac<Sha256> {
        // Any key length is valid for HMAC: this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.0.as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        for part in [DOMAIN, code.as_str().as_bytes(), nonce.as_bytes()] {
            mac.update(part);
            mac.update(b"\n");
        }
        mac.update(expires.to_string().as_bytes());
        mac
    }
}

impl fmt::Debug for FormKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FormKey(***)")
    }
}

/// A verified token: what identifies the response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormToken {
    nonce: String,
}

impl FormToken {
    /// The random part, stored with the response so the same form counts once.
    pub fn nonce(&self) -> &str {
        &self.nonce
    }
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("no form token, or not one this server makes")]
    Malformed,
    #[error("the form token was not signed by this server for this collection point")]
    BadSignature,
    #[error("the form token has expired")]
    Expired,
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000;

    fn code(text: &str) -> CollectionCode {
        CollectionCode::parse(text).expect("valid code")
    }

    fn key() -> FormKey {
        FormKey::parse("une clé de test assez longue pour signer").expect("valid key")
    }

    #[test]
    fn a_token_issued_for_a_point_is_accepted_there_until_it_expires() {
        let key = key();
        let token = key.issue(&code("7kq3mz"), NOW);
        let verified = key.verify(&code("7KQ3MZ"), &token, NOW).expect("valid");
        assert_eq!(verified.nonce().len(), 32);
        assert!(token.starts_with(verified.nonce()));
        let last_second = NOW + FORM_TOKEN_LIFETIME;
        assert!(key.verify(&code("7kq3mz"), &token, last_second).is_ok());
        assert_eq!(
            key.verify(&code("7kq3mz"), &token, last_second + 1),
            Err(TokenError::Expired)
        );
        assert_ne!(
            key.issue(&code("7kq3mz"), NOW),
            token,
            "a new nonce each time"
        );
    }

    #[test]
    fn another_point_another_key_or_a_made_up_token_is_refused() {
        let key = key();
        let token = key.issue(&code("7kq3mz"), NOW);
        assert_eq!(
            key.verify(&code("abcdef"), &token, NOW),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            FormKey::generate().verify(&code("7kq3mz"), &token, NOW),
            Err(TokenError::BadSignature)
        );
        for made_up in [
            "",
            "0123456789abcdef0123456789abcdef",
            "0123456789abcdef0123456789abcdef.1780000000",
            "0123456789abcdef0123456789abcdef.+1780000000.0123456789abcdef0123456789abcdef",
            "0123456789ABCDEF0123456789abcdef.1780000000.0123456789abcdef0123456789abcdef",
            "a.b.c.d",
        ] {
            assert_eq!(
                key.verify(&code("7kq3mz"), made_up, NOW),
                Err(TokenError::Malformed),
                "{made_up:?}"
            );
        }
        assert_eq!(
            key.verify(
                &code("7kq3mz"),
                "0123456789abcdef0123456789abcdef.1780000000.0123456789abcdef0123456789abcdef",
                NOW
            ),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn a_tampered_token_is_refused() {
        let key = key();
        let token = key.issue(&code("7kq3mz"), NOW);
        let (nonce, rest) = token.split_once('.').expect("three parts");
        let (expires, signature) = rest.split_once('.').expect("three parts");
        // A later expiry, another nonce, a flipped signature digit.
        let later = format!("{nonce}.{}.{signature}", NOW + 10 * FORM_TOKEN_LIFETIME);
        let other_nonce = format!(
            "{}{}.{expires}.{signature}",
            &nonce[..31],
            flip(&nonce[31..])
        );
        let other_mac = format!(
            "{nonce}.{expires}.{}{}",
            &signature[..31],
            flip(&signature[31..])
        );
        for tampered in [later, other_nonce, other_mac] {
            assert_eq!(
                key.verify(&code("7kq3mz"), &tampered, NOW),
                Err(TokenError::BadSignature),
                "{tampered}"
            );
        }
    }

    #[test]
    fn a_renewed_token_keeps_its_nonce_with_a_new_expiry() {
        let key = key();
        let first = key.issue(&code("7kq3mz"), NOW);
        let verified = key.verify(&code("7kq3mz"), &first, NOW).expect("valid");
        let later = NOW + FORM_TOKEN_LIFETIME - 1;
        let renewed = key.renew(&code("7kq3mz"), &verified, later);
        let again = key
            .verify(&code("7kq3mz"), &renewed, later + FORM_TOKEN_LIFETIME)
            .expect("valid for another lifetime");
        assert_eq!(again, verified);
    }

    #[test]
    fn an_operator_key_is_long_enough_and_never_printed() {
        assert!(FormKey::parse("trop courte").is_err());
        assert!(FormKey::parse(" une clé de test assez longue pour signer").is_err());
        let key = key();
        assert_eq!(format!("{key:?}"), "FormKey(***)");
        assert_eq!(FormKey::parse(key.as_stored()), Ok(key));
        let generated = FormKey::generate();
        assert_eq!(FormKey::parse(generated.as_stored()), Ok(generated));
    }

    fn flip(digit: &str) -> &'static str {
        if digit == "0" { "1" } else { "0" }
    }
}
