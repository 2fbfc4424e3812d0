//! Answers in the documented JSON shape that carry an error code.

use std::fmt;
use std::time::Duration;

use http::StatusCode;

use super::Delivery;

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
    /// 1015 (HTTP 200): the data to delete does not exist (a keep-alive
    /// chatroom id).
    NotFound,
    /// 1016 (HTTP 403): too many keep-alive chatrooms.
    KeepAliveChatroomLimit,
    /// 1019: too many sensitive words (the quota is 50 by default).
    SensitiveWordLimit,
    /// 1050 (HTTP 504): internal timeout.
    InternalTimeout,
    /// 1501: a parameter has the wrong type.
    ParameterType,
    /// 1502: a quantity is out of range (a ban of more than 43200 minutes).
    QuantityExceeded,
    /// 1508: the body is too large (it must be under 100 KB).
    BodyTooLarge,
    /// 2007 (HTTP 403): test-user limit reached.
    TestUserLimit,
    /// 405 (HTTP 405): the group would pass its member limit (3000 by
    /// default); nothing was done.
    GroupCapacityExceeded,
    /// A code the documentation does not list.
    Other(i64),
}

impl ErrorCode {
    /// The code for a numeric value.
    pub fn from_code(code: i64) -> Self {
        match code {
            200 => Self::Success,
            405 => Self::GroupCapacityExceeded,
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
            1015 => Self::NotFound,
            1016 => Self::KeepAliveChatroomLimit,
            1019 => Self::SensitiveWordLimit,
            1050 => Self::InternalTimeout,
            1501 => Self::ParameterType,
            1502 => Self::QuantityExceeded,
            1508 => Self::BodyTooLarge,
            2007 => Self::TestUserLimit,
            other => Self::Other(other),
        }
    }

    /// The numeric value.
    pub fn code(self) -> i64 {
        match self {
            Self::Success => 200,
            Self::GroupCapacityExceeded => 405,
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
            Self::NotFound => 1015,
            Self::KeepAliveChatroomLimit => 1016,
            Self::SensitiveWordLimit => 1019,
            Self::InternalTimeout => 1050,
            Self::ParameterType => 1501,
            Self::QuantityExceeded => 1502,
            Self::BodyTooLarge => 1508,
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
    retry_after: Option<Duration>,
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
            retry_after: None,
        }
    }

    /// The same error, with the wait the server asked for in `Retry-After`.
    pub fn with_retry_after(mut self, wait: Option<Duration>) -> Self {
        self.retry_after = wait;
        self
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

    /// How long the server asked the client to wait (`Retry-After`), when
    /// it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// Rate limiting and client errors were not acted on; server errors may
    /// have been ([`classify`](super::classify) decides).
    pub fn delivery(&self) -> Delivery {
        super::disposition::of_api(self).processed.delivery()
    }
}
