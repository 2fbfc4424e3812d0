//! The `Endpoint` trait: what one documented call is, without any I/O.

use serde::de::DeserializeOwned;

use crate::encode::Encoding;
use crate::error::EncodeError;
use crate::rate::RateLimit;
use crate::validate::Validate;

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
    /// The body encoding.
    const ENCODING: Encoding;
    /// The most recipients one call may name, when the call has recipients.
    const MAX_RECIPIENTS: Option<usize>;
    /// Whether sending the same request twice has the same effect as once
    /// (setting a user's tags overwrites them: yes; publishing a message:
    /// no). Only idempotent calls are repeated after the request may have
    /// reached the server.
    const IDEMPOTENT: bool = false;
    /// The documented rate limits of the call, all of which apply.
    const RATE_LIMITS: &'static [RateLimit] = &[];
    /// Calls with the same quota key share their rate limits: the three uses
    /// of `/push.json` share one quota. Defaults to the path.
    const QUOTA: &'static str = Self::PATH;
    /// What a successful answer decodes into.
    type Response: DeserializeOwned + Send + 'static;

    /// Writes the body. Call [`Validate::validate`] first: encoding does not
    /// check limits.
    fn encode_body(&self) -> Result<Vec<u8>, EncodeError>;

    /// The recipients of the call, for endpoints that have a recipients field.
    fn recipients(&self) -> Option<&[String]> {
        None
    }
}

/// The answer of calls whose documentation gives only the result code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
pub struct CodeOnly {}
