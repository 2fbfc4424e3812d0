//! Body encoders: `application/x-www-form-urlencoded` and JSON.
//!
//! Both are driven by code that `#[endpoint]` generates from the same field
//! list, so a field means the same thing in either encoding: a wire name,
//! left out when `None`, and optionally sent as a JSON string.

pub mod form;
pub mod json;

use serde::Serialize;

use crate::error::EncodeError;

/// The body encoding of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// `application/x-www-form-urlencoded`, sequences as repeated keys.
    Form,
    /// `application/json`.
    Json,
}

impl Encoding {
    /// The `Content-Type` header value.
    pub const fn content_type(self) -> &'static str {
        match self {
            Encoding::Form => "application/x-www-form-urlencoded",
            Encoding::Json => "application/json",
        }
    }
}

/// Serializes a value to a JSON string (for fields the documentation defines
/// as "a JSON string": `pushExt`, `extraContent`, ...).
pub fn to_json_string<T: Serialize + ?Sized>(
    field: &str,
    value: &T,
) -> Result<String, EncodeError> {
    serde_json::to_string(value).map_err(|error| EncodeError::new(field, error))
}
