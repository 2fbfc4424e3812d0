//! JSON bodies: helpers the `Serialize` impls that `#[endpoint]` generates use.

use serde::ser::{Error as _, SerializeMap};
use serde::{Serialize, Serializer};

/// Serializes the wrapped value as a JSON *string* holding its JSON text
/// (`#[endpoint(json)]` fields of JSON endpoints).
pub struct JsonString<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> Serialize for JsonString<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(self.0).map_err(S::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

/// Serializes a `bool` or `Option<bool>` as `1` / `0` (`#[endpoint(int_bool)]`).
pub struct IntBoolJson<'a, T: ?Sized>(pub &'a T);

impl<T: super::form::IntBool + ?Sized> Serialize for IntBoolJson<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.as_int() {
            Some(value) => serializer.serialize_u8(value),
            None => serializer.serialize_none(),
        }
    }
}

/// Several JSON members held by one struct field (`#[endpoint(flatten)]`).
pub trait JsonFields {
    /// Writes every member into `map`.
    fn serialize_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}
