//! The one error type of the client, the facts each variant keeps, and
//! what each failure means ([`classify`]).
//!
//! This is the sans-IO layer: it imports nothing from the delivery engine.

mod api;
mod config;
mod decode;
mod disposition;
mod encode;
mod pacing;
mod transport;

use std::time::Duration;

pub use api::{ApiError, ErrorCode};
pub use config::ConfigError;
pub use decode::{DecodeError, MAX_BODY_EXCERPT};
pub use disposition::{Disposition, Processed, Repeat, classify};
pub use encode::EncodeError;
pub use pacing::PacingError;
pub use transport::{TransportError, TransportErrorKind};

use crate::validate::ValidationError;

/// Everything that can go wrong with a call.
///
/// Each variant keeps what the caller needs to decide what to do next; in
/// particular [`Error::delivery`] tells whether the request may have reached
/// the server, so a message is never repeated blindly. What a failure means
/// for retries, failover and pacing is decided in one place,
/// [`Error::disposition`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request broke one or more documented rules; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The server answered with an error code.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The request could not be sent, or its answer could not be read.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The server answered something that is not the documented JSON.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The request could not be encoded (a content's `Serialize` failed).
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// The client is misconfigured (bad base URL, missing variable, ...).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The call was not sent: waiting for its turn under the rate limit
    /// would have taken it past its deadline.
    #[error(transparent)]
    Pacing(#[from] PacingError),
}

/// What is known about whether the server acted on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Delivery {
    /// The request never left the client (invalid, unencodable, held back
    /// by pacing, or the connection could not be made). Repeating it cannot
    /// duplicate anything.
    NotSent,
    /// The server answered and did not act on the request (a 4xx answer such
    /// as a bad parameter, a bad signature or a rate limit).
    Rejected,
    /// The server may have acted on the request: the connection was lost
    /// after the request was written, the answer timed out, the server
    /// answered 5xx, or answered with a body that could not be read.
    /// Repeating a non-idempotent call (a publish) may deliver it twice.
    Unknown,
}

impl Error {
    /// What this failure means: whether the request was processed, whether
    /// its host is unhealthy, whether and when it may be repeated. See
    /// [`classify`].
    pub fn disposition(&self) -> Disposition {
        classify(self)
    }

    /// Whether the request may have reached the server and been acted on.
    pub fn delivery(&self) -> Delivery {
        self.disposition().processed.delivery()
    }

    /// Whether sending the very same request again is safe for every
    /// endpoint and may succeed: the request provably was not acted on and
    /// the cause is transient (a connection that could not be made, or a
    /// rate-limit refusal: HTTP 429, whatever its body, or code 1008).
    pub fn is_retryable(&self) -> bool {
        self.disposition().may_repeat(false)
    }

    /// Whether repeating the request is worthwhile for an idempotent
    /// endpoint (setting tags, say): everything
    /// [`is_retryable`](Self::is_retryable) accepts, plus transient failures
    /// whose outcome is unknown (timeouts, lost connections, 5xx answers,
    /// a gateway's HTML 502/503/504).
    pub fn is_retryable_if_idempotent(&self) -> bool {
        self.disposition().may_repeat(true)
    }

    /// How long the server asked the client to wait before another try
    /// (`Retry-After`), when it answered with one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(e) => e.retry_after(),
            Error::Decode(e) => e.retry_after(),
            _ => None,
        }
    }

    /// The `X-Request-ID` of the call, when it got as far as having one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id(),
            Error::Transport(e) => e.request_id(),
            Error::Decode(e) => e.request_id(),
            Error::Pacing(e) => e.request_id(),
            Error::Validation(_) | Error::Encode(_) | Error::Config(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::StatusCode;

    #[test]
    fn codes_round_trip_and_keep_unknown_values() {
        for code in [
            200, 405, 1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1015, 1016, 1019,
            1050, 1501, 1502, 1508, 2007,
        ] {
            let typed = ErrorCode::from_code(code);
            assert!(!matches!(typed, ErrorCode::Other(_)), "{code}");
            assert_eq!(typed.code(), code);
        }
        assert_eq!(ErrorCode::from_code(4242), ErrorCode::Other(4242));
        assert_eq!(ErrorCode::Other(4242).code(), 4242);
    }

    #[test]
    fn retryability_follows_delivery() {
        let rate = Error::Api(ApiError::new(
            ErrorCode::RateLimited,
            "too many",
            StatusCode::TOO_MANY_REQUESTS,
            Some("rid".into()),
        ));
        assert!(rate.is_retryable());
        assert_eq!(rate.delivery(), Delivery::Rejected);
        assert_eq!(rate.request_id(), Some("rid"));

        let internal = Error::Api(ApiError::new(
            ErrorCode::InternalError,
            "boom",
            StatusCode::INTERNAL_SERVER_ERROR,
            None,
        ));
        assert!(!internal.is_retryable());
        assert!(internal.is_retryable_if_idempotent());
        assert_eq!(internal.delivery(), Delivery::Unknown);

        let bad = Error::Api(ApiError::new(
            ErrorCode::InvalidParameter,
            "toUserId",
            StatusCode::BAD_REQUEST,
            None,
        ));
        assert!(!bad.is_retryable() && !bad.is_retryable_if_idempotent());

        let refused = Error::Transport(TransportError::new(
            TransportErrorKind::Connect,
            Delivery::NotSent,
            "api.rong-api.com",
            "connection refused",
            None,
        ));
        assert!(refused.is_retryable());
        let lost = Error::Transport(TransportError::new(
            TransportErrorKind::Timeout,
            Delivery::Unknown,
            "api.rong-api.com",
            "read timed out",
            None,
        ));
        assert!(!lost.is_retryable());
        assert!(lost.is_retryable_if_idempotent());
        assert!(lost.to_string().contains("outcome unknown"), "{lost}");
    }

    #[test]
    fn decode_error_caps_the_body_on_a_char_boundary() {
        let body = "é".repeat(MAX_BODY_EXCERPT); // 2 bytes each
        let error = DecodeError::new(StatusCode::BAD_GATEWAY, body.as_bytes(), "not JSON", None);
        assert_eq!(error.body().len(), MAX_BODY_EXCERPT);
        assert!(error.body().chars().all(|c| c == 'é'));
        let odd = DecodeError::new(
            StatusCode::OK,
            &body.as_bytes()[..MAX_BODY_EXCERPT + 1],
            "x",
            None,
        );
        assert_eq!(odd.body().len(), MAX_BODY_EXCERPT);
    }
}
