//! Domain newtypes: each value is parsed once at the edge and trusted afterwards.

mod action_number;
mod indicator_code;
mod phase;

pub use action_number::ActionNumber;
pub use indicator_code::IndicatorCode;
pub use phase::Phase;

/// Why a value could not be parsed; the message is French, shown next to the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

impl ParseError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}
