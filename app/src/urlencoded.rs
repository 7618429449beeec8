//! The url-encoded form extractor of every handler, public and staff. It is axum's `Form`
//! less what nobody types: C0 control characters (NUL and the like; tab, line feed and
//! carriage return stay) are dropped from every name and value before the fields are
//! read, so a NUL can neither reach PostgreSQL (which refuses it in text) nor come back
//! in a page. What it refuses gets the status alone, and [`crate::error::error_pages`]
//! turns it into a French page.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use pouls::domain::strip_controls;
use serde::de::DeserializeOwned;

/// A url-encoded form body, cleaned of control characters.
#[derive(Debug, Clone)]
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let url_encoded = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|mime| {
                mime.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        if !url_encoded {
            return Err(StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response());
        }
        // Too large (past `DefaultBodyLimit`) or cut off: its status, nothing else.
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| rejection.status().into_response())?;
        decode(&body)
            .map(Form)
            .ok_or_else(|| StatusCode::BAD_REQUEST.into_response())
    }
}

/// The fields of `body`, control characters removed, read as `T`.
fn decode<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    let cleaned: Vec<(String, String)> = fields
        .into_iter()
        .map(|(name, value)| {
            (
                strip_controls(&name).into_owned(),
                strip_controls(&value).into_owned(),
            )
        })
        .collect();
    // Encoded again and read as `T` by the same rules as axum's `Form`.
    let encoded = serde_urlencoded::to_string(&cleaned).ok()?;
    serde_urlencoded::from_str(&encoded).ok()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Login {
        email: String,
        #[serde(default)]
        remember: bool,
    }

    #[test]
    fn control_characters_are_dropped_from_names_and_values() {
        let pairs: Vec<(String, String)> =
            decode(b"Q%005=mer%00credi&Q7=ligne+1%0D%0Aligne%092%1B&Q7=%01").expect("valid");
        assert_eq!(
            pairs,
            vec![
                ("Q5".to_owned(), "mercredi".to_owned()),
                ("Q7".to_owned(), "ligne 1\r\nligne\t2".to_owned()),
                ("Q7".to_owned(), String::new()),
            ]
        );
        let login: Login = decode(b"email=agent%00%40ccyn.fr&remember=true").expect("valid");
        assert_eq!(
            login,
            Login {
                email: "agent@ccyn.fr".into(),
                remember: true
            }
        );
        let map: HashMap<String, String> = decode(b"a=%C3%A9t%C3%A9&b=").expect("valid");
        assert_eq!(map["a"], "été");
        assert_eq!(decode::<Login>(b"remember=peut-etre"), None);
    }
}
