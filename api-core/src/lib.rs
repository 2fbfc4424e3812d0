//! Runtime of the RongCloud IM Server API client.
//!
//! - [`Credentials`] and the [`Signer`]: `App-Key`, `Nonce`, `Timestamp`,
//!   `Signature` on every attempt, with a fresh nonce from a CSPRNG.
//! - [`Endpoint`]: one documented call, turned into a signed
//!   `http::Request` by [`PreparedRequest`] with no I/O, and its answer read
//!   by [`decode_response`].
//! - Encoders for form bodies with repeated keys and for JSON bodies
//!   ([`encode`]), and message contents ([`Message`], [`MessageContent`]).
//! - The [`Client`], with its configuration (regions, base URLs, timeouts, environment)
//!   and an HTTP [`Transport`]: [`HyperTransport`], on hyper's client
//!   connections, keeps them short-lived as the provider asks (fewer than
//!   80 requests, idle under 55 s), caps open connections per host and the
//!   size of answers, and goes through the proxy that `HTTPS_PROXY` and the
//!   other standard variables name ([`Proxies`]); TLS by rustls.
//! - Delivery at scale ([`delivery`]): each call a sans-IO state machine
//!   driven by the client; host failover ([`FailoverPolicy`]), retries that
//!   never repeat a call that may have been processed unless it is
//!   idempotent ([`RetryPolicy`]), pacing under the documented rate limits
//!   ([`Pacing`]) with accounts in a [`QuotaStore`] (in the process, or
//!   shared by a fleet), and bulk sends to recipient lists of any size
//!   ([`Client::bulk`]).
//! - One [`Error`] type that keeps codes, statuses and request ids, and one
//!   function, [`classify`], that says what any failure means: whether the
//!   request was processed, whether its host is unhealthy, whether and when
//!   it may be repeated.
//! - Inbound callbacks ([`callback`]): the [`CallbackVerifier`] of the
//!   provider's signed callbacks and their typed payloads, with an axum
//!   extractor and layer behind the `axum` feature.
//!
//! Endpoints are declared with the `#[endpoint]` attribute re-exported here;
//! see the `api-endpoints` crate for every documented one. Their typed parts
//! get their builder setters from `#[derive(Setters)]`, also re-exported.

#![warn(missing_docs)]

// The sans-IO layer: what a call is, how it is checked, encoded, signed,
// and what its answer or its failure means. It imports nothing below.
pub mod callback;
mod credentials;
pub mod encode;
mod endpoint;
mod error;
mod hosts;
mod message;
mod rate;
mod request;
mod response;
mod signer;
pub mod validate;

// The delivery layer: the client, its engine, and the transport.
mod client;
pub mod delivery;
mod transport;

pub use api_macros::{IntEnum, Setters, Validate, endpoint};
pub use callback::CallbackVerifier;
pub use client::{CallOptions, Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
pub use credentials::{AppSecret, Credentials};
pub use delivery::bulk::{
    BulkProgress, BulkReport, BulkSend, DEFAULT_BULK_CONCURRENCY, Delivered, FailedBatch,
    PerRecipientIds, Recipients,
};
pub use delivery::failover::{
    DEFAULT_FAILOVER_COOLDOWN, DEFAULT_RETURN_TO_PRIMARY, FailoverPolicy,
};
pub use delivery::pacing::{
    DEFAULT_PACING_MARGIN, LocalQuotaStore, Pacing, QuotaStore, QuotaStoreError, Reservation,
    ReservationId, ReserveRequest,
};
#[cfg(feature = "redis")]
pub use delivery::pacing::{FailurePolicy, RedisQuotaStore, RedisQuotaStoreBuilder};
pub use delivery::retry::{
    DEFAULT_BASE_BACKOFF, DEFAULT_DEADLINE, DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_BACKOFF,
    DEFAULT_MAX_RATE_LIMIT_WAIT, RetryPolicy,
};
pub use delivery::timer::{Timer, TokioTimer};
pub use encode::Encoding;
pub use endpoint::{CodeOnly, Endpoint, HttpMethod, IsSet};
pub use error::{
    ApiError, ConfigError, DecodeError, Delivery, Disposition, EncodeError, Error, ErrorCode,
    MAX_BODY_EXCERPT, PacingError, Processed, Repeat, TransportError, TransportErrorKind, classify,
};
pub use hosts::{BaseUrl, Region};
pub use message::{
    BUILT_IN_PREFIX, CustomMessage, MAX_CONTENT_BYTES, MAX_OBJECT_NAME_CHARS, Message,
    MessageContent,
};
pub use rate::{CountedField, RateCount, RateLimit, RateUnit};
pub use request::{MAX_REQUEST_ID_LEN, PreparedRequest, RequestId, USER_AGENT_VALUE};
pub use response::{ResponseShape, decode_response, decode_response_as};
pub use signer::{
    Clock, MAX_NONCE_LEN, NonceSource, RandomNonce, Signature, SignedHeaders, Signer, SystemClock,
};
pub use transport::{
    BoxFuture, DEFAULT_MAX_ANSWER_BYTES, DEFAULT_MAX_CONNECTIONS_PER_HOST,
    DEFAULT_MAX_IDLE_PER_HOST, HyperTransport, HyperTransportBuilder, MAX_REQUESTS_PER_CONNECTION,
    POOL_IDLE_TIMEOUT, Proxies, Transport,
};
pub use validate::{Actual, Report, Rule, Validate, ValidationError, Violation};

/// The `rustls` that [`HyperTransport`] uses: build a configuration for
/// [`HyperTransport::with_tls`] from this one, since another version's
/// types would not fit.
pub use rustls;

/// Header names sent on every request.
pub mod headers {
    pub use crate::request::{APP_KEY, NONCE, REQUEST_ID, SIGNATURE, TIMESTAMP};
}

/// What code generated by `#[endpoint]` and `#[derive(Validate)]` names.
/// Not a public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use crate::client::Client;
    pub use crate::delivery::bulk::Recipients;
    pub use crate::encode::Encoding;
    pub use crate::encode::form::{FormEncoder, FormFields, FormMap, FormName, FormValue, IntBool};
    pub use crate::encode::json::{JsonFields, JsonString};
    pub use crate::endpoint::{CodeOnly, Endpoint, HttpMethod, IsSet};
    pub use crate::error::{EncodeError, Error};
    pub use crate::rate::{CountedField, RateCount, RateLimit};
    pub use crate::response::ResponseShape;
    pub use crate::validate::{CharSet, Report, Validate, rules};
    pub use core::time::Duration;
    pub use serde;
    pub use serde_json;

    /// Serializes a JSON endpoint's body.
    pub fn to_json_body<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, EncodeError> {
        serde_json::to_vec(value).map_err(|error| EncodeError::new("body", error))
    }
}
