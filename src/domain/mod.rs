//! Domain newtypes: each value is parsed once at the edge and trusted afterwards.

mod action_number;
mod date_range;
mod email;
mod guessable;
mod indicator_code;
pub mod paris;
mod password;
mod phase;
mod role;

pub use action_number::ActionNumber;
pub use date_range::DateRange;
pub use email::Email;
pub use indicator_code::IndicatorCode;
pub use password::NewPassword;
pub use phase::Phase;
pub use role::Role;

/// `text` without the C0 control characters (NUL and the like) that nobody types, that
/// PostgreSQL refuses in text and that could confuse what reads exports; tab, line feed
/// and carriage return stay. Borrowed when there is nothing to remove, as nearly always.
pub fn strip_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let unwanted = |c: char| matches!(c, '\0'..='\u{1f}') && !matches!(c, '\t' | '\n' | '\r');
    if text.contains(unwanted) {
        text.replace(unwanted, "").into()
    } else {
        text.into()
    }
}

/// Why a value could not be parsed; the message is French, shown next to the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

impl ParseError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

/// Validation errors by field name, in the order of the form; the messages are French.
/// An empty field name is an error about the whole form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push((field.into(), message.into()));
    }

    /// The first message for `field`.
    pub fn get(&self, field: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, message)| message.clone())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(f, m)| (f.as_str(), m.as_str()))
    }

    /// An error about the whole form, for example a failed login.
    pub fn general(message: impl Into<String>) -> Self {
        Self(vec![(String::new(), message.into())])
    }

    /// `Ok(value)` when no error was added.
    pub fn into_result<T>(self, value: T) -> Result<T, Self> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_go_but_tabs_and_line_breaks_stay() {
        assert_eq!(strip_controls("a\0b\u{1}c\u{1b}[0m\u{1f}"), "abc[0m");
        assert_eq!(
            strip_controls("ligne 1\r\nligne 2\tfin"),
            "ligne 1\r\nligne 2\tfin"
        );
        assert!(matches!(
            strip_controls("rien à retirer, même « é »"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
