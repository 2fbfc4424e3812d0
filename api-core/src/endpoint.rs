//! The `Endpoint` trait: what one documented call is, without any I/O.

use serde::de::DeserializeOwned;

use crate::encode::Encoding;
use crate::error::EncodeError;
use crate::rate::RateLimit;
use crate::response::ResponseShape;
use crate::validate::Validate;

/// The HTTP method of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HttpMethod {
    /// `POST` with the parameters in the body (nearly every call).
    #[default]
    Post,
    /// `GET` with the parameters form-encoded in the query string and no
    /// body (`/conversation/attribute/get.json`, ...). Signed like any
    /// call: the signature covers headers only.
    Get,
}

impl HttpMethod {
    /// As `http` names it.
    pub fn as_http(self) -> http::Method {
        match self {
            HttpMethod::Post => http::Method::POST,
            HttpMethod::Get => http::Method::GET,
        }
    }
}

/// One documented Server API call.
///
/// Implemented by `#[endpoint(...)]`; a request value knows its path, its
/// encoding, how to check itself and how to write its body. Turning it into
/// an HTTP request ([`PreparedRequest`](crate::PreparedRequest)) and reading
/// the answer ([`decode_response`](crate::decode_response)) need no network,
/// so both are tested without one.
pub trait Endpoint: Validate {
    /// The path below the base URL, such as `/message/private/publish.json`.
    const PATH: &'static str;
    /// The body encoding (for a `GET`, how the query string is written:
    /// always [`Encoding::Form`]).
    const ENCODING: Encoding;
    /// The HTTP method.
    const METHOD: HttpMethod = HttpMethod::Post;
    /// The most recipients one call may name, when the call has recipients.
    const MAX_RECIPIENTS: Option<usize>;
    /// Whether sending the same request twice has the same effect as once,
    /// for every request of this type (setting a user's tags overwrites
    /// them: yes; publishing a message: no). Only idempotent calls are
    /// repeated after the request may have reached the server; the client
    /// asks [`is_idempotent`](Self::is_idempotent), which answers this
    /// unless the endpoint decides per request.
    const IDEMPOTENT: bool = false;
    /// The documented rate limits of the call, all of which apply.
    const RATE_LIMITS: &'static [RateLimit] = &[];
    /// Calls with the same quota key share their rate limits: the three uses
    /// of `/push.json` share one quota. Defaults to the path.
    const QUOTA: &'static str = Self::PATH;
    /// How answers tell success from failure (the success `code` and the
    /// error message member); most calls use the standard shape.
    const RESPONSE_SHAPE: ResponseShape = ResponseShape::STANDARD;
    /// What a successful answer decodes into.
    type Response: DeserializeOwned + Send + 'static;

    /// Writes the body (for a `GET`, the query string). Call
    /// [`Validate::validate`] first: encoding does not check limits.
    fn encode_body(&self) -> Result<Vec<u8>, EncodeError>;

    /// Whether this request is safe to repeat: [`IDEMPOTENT`](Self::IDEMPOTENT)
    /// by default. `#[endpoint(idempotent_unless = field)]` answers `true`
    /// only while `field` is unset: joining a group again is harmless, but
    /// not when the join also sends a notification message, which a repeat
    /// would send twice.
    fn is_idempotent(&self) -> bool {
        Self::IDEMPOTENT
    }

    /// The recipients of the call, for endpoints that have a recipients field.
    fn recipients(&self) -> Option<&[String]> {
        None
    }

    /// How much this call counts against the endpoint's rate limits that
    /// are weighted by a count ([`RateUnit::Recipients`] and
    /// [`RateUnit::Items`](crate::RateUnit::Items)): the number of
    /// recipients by default; `#[endpoint]` overrides it with the length of
    /// the field a limit is `counted_by` (a group message to 3 groups
    /// counts 3). Limits counted in calls ignore it.
    ///
    /// [`RateUnit::Recipients`]: crate::RateUnit::Recipients
    fn rate_weight(&self) -> usize {
        self.recipients().map_or(0, <[String]>::len)
    }
}

/// A field `#[endpoint(idempotent_unless = field)]` can name: whether it is
/// set, which makes the request unsafe to repeat.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot say whether it is set, so `idempotent_unless` cannot name it",
    label = "`idempotent_unless` names a field holding an `Option`, a `bool`, a `Vec` or a map"
)]
pub trait IsSet {
    /// Whether the field is set (`Some`, `true`, or not empty).
    fn is_set(&self) -> bool;
}

impl<T> IsSet for Option<T> {
    fn is_set(&self) -> bool {
        self.is_some()
    }
}
impl IsSet for bool {
    fn is_set(&self) -> bool {
        *self
    }
}
impl<T> IsSet for Vec<T> {
    fn is_set(&self) -> bool {
        !self.is_empty()
    }
}
impl<K, V> IsSet for std::collections::BTreeMap<K, V> {
    fn is_set(&self) -> bool {
        !self.is_empty()
    }
}

/// The answer of calls whose documentation gives only the result code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
pub struct CodeOnly {}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::IsSet;

    #[test]
    fn a_field_is_set_when_present_true_or_not_empty() {
        assert!(Some(0).is_set() && !None::<u8>.is_set());
        assert!(true.is_set() && !false.is_set());
        assert!(vec![1].is_set() && !Vec::<u8>::new().is_set());
        assert!(BTreeMap::from([(1, 2)]).is_set() && !BTreeMap::<u8, u8>::new().is_set());
    }
}
