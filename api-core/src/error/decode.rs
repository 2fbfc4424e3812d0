//! Answers that are not the documented JSON: a gateway's HTML page, an
//! empty or truncated body, a success whose fields do not fit.

use std::time::Duration;

use http::StatusCode;

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
    retry_after: Option<Duration>,
    /// The body said `"code":200`: the server acted on the request, only
    /// its answer did not fit the documented shape.
    success_code: bool,
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
            retry_after: None,
            success_code: false,
        }
    }

    /// The same error, with the wait the server asked for in `Retry-After`.
    pub fn with_retry_after(mut self, wait: Option<Duration>) -> Self {
        self.retry_after = wait;
        self
    }

    /// The same error, for a body whose `code` said success: the server
    /// acted on the request, and only the rest of its answer is unreadable.
    pub fn with_success_code(mut self) -> Self {
        self.success_code = true;
        self
    }

    /// Whether the body's `code` said success (the request was processed).
    pub fn has_success_code(&self) -> bool {
        self.success_code
    }

    /// How long the server asked the client to wait (`Retry-After`), when
    /// it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
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
