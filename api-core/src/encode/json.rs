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

/// Several JSON members held by one struct field (`#[endpoint(flatten)]`).
pub trait JsonFields {
    /// Writes every member into `map`.
    fn serialize_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// An optional part writes its members only when present.
impl<T: JsonFields> JsonFields for Option<T> {
    fn serialize_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        match self {
            Some(part) => part.serialize_fields(map),
            None => Ok(()),
        }
    }
}
