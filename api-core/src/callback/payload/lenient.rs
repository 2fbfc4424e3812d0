//! Serde helpers for numbers that some writers send as strings.
//!
//! The provider's pages give the status fields' types (`status` a String,
//! `time` a long), but the demo servers that read them are Java, whose JSON
//! mapper accepts `"1"` for an integer and `1` for a string; a receiver
//! should not be stricter than the readers the provider tested against.

use std::fmt;

use serde::Deserializer;
use serde::de::{self, Visitor};

/// A JSON scalar read as text: a string as it is, a number in decimal.
pub(super) fn scalar_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    struct Scalar;

    impl Visitor<'_> for Scalar {
        type Value = String;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string or a number")
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
            Ok(value.to_owned())
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<String, E> {
            Ok(value.to_string())
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<String, E> {
            Ok(value.to_string())
        }
    }

    deserializer.deserialize_any(Scalar)
}

/// An integer sent as a number or as a string of digits.
pub(super) fn i64_or_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    let text = scalar_text(deserializer)?;
    text.trim()
        .parse()
        .map_err(|_| de::Error::invalid_value(de::Unexpected::Str(&text), &"an integer"))
}

/// A non-negative integer (a time in milliseconds) sent as a number or as a
/// string of digits.
pub(super) fn u64_or_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let text = scalar_text(deserializer)?;
    text.trim().parse().map_err(|_| {
        de::Error::invalid_value(de::Unexpected::Str(&text), &"a non-negative integer")
    })
}
