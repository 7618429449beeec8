//! Domain newtypes: each value is parsed once at the edge and trusted afterwards.

mod action_number;
mod email;
mod indicator_code;
pub mod paris;
mod password;
mod phase;
mod role;

pub use action_number::ActionNumber;
pub use email::Email;
pub use indicator_code::IndicatorCode;
pub use password::NewPassword;
pub use phase::Phase;
pub use role::Role;

/// Why a value could not be parsed; the message is French, shown next to the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

impl ParseError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}
