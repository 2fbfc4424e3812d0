//! The one error type of the client and the facts each variant keeps.

use std::fmt;

use http::StatusCode;

use crate::pacing::PacingError;
use crate::validate::ValidationError;

/// Everything that can go wrong with a call.
///
/// Each variant keeps what the caller needs to decide what to do next; in
/// particular [`Error::delivery`] tells whether the request may have reached
/// the server, so a message is never repeated blindly.
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
    /// The request never left the client (invalid, unencodable, or the
    /// connection could not be made). Repeating it cannot duplicate anything.
    NotSent,
    /// The server answered and did not act on the request (a 4xx answer such
    /// as a bad parameter, a bad signature or a rate limit).
    Rejected,
    /// The server may have acted on the request: the connection was lost
    /// after the request was written, the answer timed out, the server
    /// answered 5xx, or answered 200 with a body that could not be read.
    /// Repeating a non-idempotent call (a publish) may deliver it twice.
    Unknown,
}

impl Error {
    /// Whether the request may have reached the server and been acted on.
    pub fn delivery(&self) -> Delivery {
        match self {
            Error::Validation(_) | Error::Encode(_) | Error::Config(_) | Error::Pacing(_) => {
                Delivery::NotSent
            }
            Error::Api(api) => api.delivery(),
            Error::Transport(transport) => transport.delivery(),
            Error::Decode(_) => Delivery::Unknown,
        }
    }

    /// Whether sending the very same request again is safe for every
    /// endpoint and may succeed: the request provably was not acted on and the
    /// cause is transient (a connection that could not be made, or HTTP 429 /
    /// code 1008).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(transport) => transport.delivery() == Delivery::NotSent,
            Error::Api(api) => api.code() == ErrorCode::RateLimited,
            _ => false,
        }
    }

    /// Whether repeating the request is worthwhile for an idempotent endpoint
    /// (setting tags, say): everything [`is_retryable`](Self::is_retryable)
    /// accepts, plus transient failures whose outcome is unknown (timeouts,
    /// lost connections, 5xx answers).
    pub fn is_retryable_if_idempotent(&self) -> bool {
        self.is_retryable()
            || match self {
                Error::Transport(_) => true,
                Error::Api(api) => api.status().is_server_error(),
                _ => false,
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

/// A documented result code of the Server API (the body's `code` field).
///
/// Codes the documentation does not list are kept in
/// [`ErrorCode::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// 200: success.
    Success,
    /// 1000 (HTTP 500): internal server error, try later.
    InternalError,
    /// 1001 (HTTP 401): App Key and App Secret do not match.
    AppKeyMismatch,
    /// 1002 (HTTP 400): a parameter is missing or invalid.
    InvalidParameter,
    /// 1003 (HTTP 400): the POST body is missing.
    MissingBody,
    /// 1004 (HTTP 401): the signature check failed.
    SignatureMismatch,
    /// 1005 (HTTP 400): a parameter is too long.
    ParameterTooLong,
    /// 1006 (HTTP 401): the app is locked or deleted.
    AppLocked,
    /// 1007 (HTTP 401): this method is restricted for the app.
    MethodRestricted,
    /// 1008 (HTTP 429): rate limit exceeded.
    RateLimited,
    /// 1009 (HTTP 430): the service is not enabled for this App Key.
    ServiceNotEnabled,
    /// 1050 (HTTP 504): internal timeout.
    InternalTimeout,
    /// 2007 (HTTP 403): test-user limit reached.
    TestUserLimit,
    /// A code the documentation does not list.
    Other(i64),
}

impl ErrorCode {
    /// The code for a numeric value.
    pub fn from_code(code: i64) -> Self {
        match code {
            200 => Self::Success,
            1000 => Self::InternalError,
            1001 => Self::AppKeyMismatch,
            1002 => Self::InvalidParameter,
            1003 => Self::MissingBody,
            1004 => Self::SignatureMismatch,
            1005 => Self::ParameterTooLong,
            1006 => Self::AppLocked,
            1007 => Self::MethodRestricted,
            1008 => Self::RateLimited,
            1009 => Self::ServiceNotEnabled,
            1050 => Self::InternalTimeout,
            2007 => Self::TestUserLimit,
            other => Self::Other(other),
        }
    }

    /// The numeric value.
    pub fn code(self) -> i64 {
        match self {
            Self::Success => 200,
            Self::InternalError => 1000,
            Self::AppKeyMismatch => 1001,
            Self::InvalidParameter => 1002,
            Self::MissingBody => 1003,
            Self::SignatureMismatch => 1004,
            Self::ParameterTooLong => 1005,
            Self::AppLocked => 1006,
            Self::MethodRestricted => 1007,
            Self::RateLimited => 1008,
            Self::ServiceNotEnabled => 1009,
            Self::InternalTimeout => 1050,
            Self::TestUserLimit => 2007,
            Self::Other(other) => other,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

/// The server answered with a result code other than 200.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "server answered code {code} (HTTP {status}): {message}{}",
    request_id.as_deref().map(|id| format!(" [request id {id}]")).unwrap_or_default()
)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
    status: StatusCode,
    request_id: Option<String>,
}

impl ApiError {
    /// An API error (used by transports and test servers).
    pub fn new(
        code: ErrorCode,
        message: impl Into<String>,
        status: StatusCode,
        request_id: Option<String>,
    ) -> Self {
        Self {
            code,
            message: message.into(),
            status,
            request_id,
        }
    }

    /// The body's `code`.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The body's `errorMessage`.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The call's `X-Request-ID`.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Rate limiting and client errors were not acted on; server errors may
    /// have been.
    pub fn delivery(&self) -> Delivery {
        if self.status.is_server_error()
            || matches!(
                self.code,
                ErrorCode::InternalError | ErrorCode::InternalTimeout
            )
        {
            Delivery::Unknown
        } else {
            Delivery::Rejected
        }
    }
}

/// What went wrong in the transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be made (refused, DNS, TLS handshake, or a
    /// connect timeout). The request was not sent.
    Connect,
    /// No complete answer arrived within the per-attempt timeout after the
    /// request may have been written.
    Timeout,
    /// The connection failed while the request or its answer was in flight.
    Connection,
    /// Anything else the HTTP stack reported.
    Other,
}

/// The request could not be sent, or its answer could not be read.
#[derive(Debug, thiserror::Error)]
#[error(
    "{} ({}) to {host}: {detail}{}",
    kind_text(*kind),
    delivery_text(*delivery),
    request_id.as_deref().map(|id| format!(" [request id {id}]")).unwrap_or_default()
)]
pub struct TransportError {
    kind: TransportErrorKind,
    delivery: Delivery,
    host: String,
    detail: String,
    request_id: Option<String>,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

fn kind_text(kind: TransportErrorKind) -> &'static str {
    match kind {
        TransportErrorKind::Connect => "could not connect",
        TransportErrorKind::Timeout => "timed out",
        TransportErrorKind::Connection => "connection failed",
        TransportErrorKind::Other => "transport error",
    }
}

fn delivery_text(delivery: Delivery) -> &'static str {
    match delivery {
        Delivery::NotSent => "request not sent",
        Delivery::Rejected => "request rejected",
        Delivery::Unknown => "outcome unknown: the server may have processed the request",
    }
}

impl TransportError {
    /// A transport error. `delivery` must be [`Delivery::NotSent`] only when
    /// the transport knows that no byte of the request reached the server.
    pub fn new(
        kind: TransportErrorKind,
        delivery: Delivery,
        host: impl Into<String>,
        detail: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            kind,
            delivery,
            host: host.into(),
            detail: detail.into(),
            request_id: None,
            source,
        }
    }

    /// Attaches the call's request id.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the request may have reached the server.
    pub fn delivery(&self) -> Delivery {
        self.delivery
    }

    /// The host the attempt went to.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The call's `X-Request-ID`.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

/// The longest part of an undecodable body kept in a [`DecodeError`].
pub const MAX_BODY_EXCERPT: usize = 1024;

/// The server answered something that is not the documented JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "could not decode the answer (HTTP {status}): {reason}; body: {body:?}{}",
    request_id.as_deref().map(|id| format!(" [request id {id}]")).unwrap_or_default()
)]
pub struct DecodeError {
    status: StatusCode,
    body: String,
    reason: String,
    request_id: Option<String>,
}

impl DecodeError {
    /// A decode error keeping at most [`MAX_BODY_EXCERPT`] bytes of the body.
    pub fn new(
        status: StatusCode,
        body: &[u8],
        reason: impl Into<String>,
        request_id: Option<String>,
    ) -> Self {
        let mut end = body.len().min(MAX_BODY_EXCERPT);
        let text = loop {
            // Cut on a character boundary; lossy beyond that.
            match std::str::from_utf8(&body[..end]) {
                Ok(text) => break text.to_owned(),
                Err(e) if e.error_len().is_none() => end = e.valid_up_to(),
                Err(_) => break String::from_utf8_lossy(&body[..end]).into_owned(),
            }
        };
        Self {
            status,
            body: text,
            reason: reason.into(),
            request_id,
        }
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The start of the body, at most [`MAX_BODY_EXCERPT`] bytes.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// Why it could not be decoded.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The call's `X-Request-ID`.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

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

/// The client is misconfigured.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(pub(crate) String);

impl ConfigError {
    /// A configuration error with that explanation.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_keep_unknown_values() {
        for code in [
            200, 1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1050, 2007,
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
