//! A request body that could not be written.

use std::fmt;

/// A value could not be encoded into the request body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("could not encode `{field}`: {reason}")]
pub struct EncodeError {
    field: String,
    reason: String,
}

impl EncodeError {
    /// An encode error for the field with that wire name.
    pub fn new(field: impl Into<String>, reason: impl fmt::Display) -> Self {
        Self {
            field: field.into(),
            reason: reason.to_string(),
        }
    }

    /// The wire name of the field.
    pub fn field(&self) -> &str {
        &self.field
    }
}
