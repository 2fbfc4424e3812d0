//! What a failure means: the one place that decides it.
//!
//! Retries, host failover, pacing and the public [`Error`] methods
//! ([`delivery`](Error::delivery), [`is_retryable`](Error::is_retryable),
//! [`is_retryable_if_idempotent`](Error::is_retryable_if_idempotent)) all
//! read [`classify`]; nothing else looks at a status code or an error kind
//! to decide what to do next. Before this module, three places decided and
//! disagreed: a gateway's HTML 502 moved the client to its backup host but
//! was never retried, and an HTML 429 was retried while `is_retryable()`
//! said no.

use std::time::Duration;

use http::StatusCode;

use super::{
    ApiError, DecodeError, Delivery, Error, ErrorCode, TransportError, TransportErrorKind,
};

/// Whether the server acted on a failed request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Processed {
    /// The request never reached the server (invalid, not encodable, held
    /// back by pacing, or no connection).
    No,
    /// The server answered and did not act on it: a bad parameter or
    /// signature, a rate-limit refusal.
    Refused,
    /// It may have acted on it: a timeout or a connection lost after the
    /// request may have been written, a 5xx answer, an unreadable answer.
    Maybe,
    /// It acted on it (the answer's `code` said success), but the rest of
    /// the answer could not be read.
    Yes,
}

impl Processed {
    /// The public summary: [`Delivery::NotSent`], [`Delivery::Rejected`],
    /// or [`Delivery::Unknown`] for anything that may have been processed
    /// (the caller must not repeat a publish blindly).
    pub fn delivery(self) -> Delivery {
        match self {
            Processed::No => Delivery::NotSent,
            Processed::Refused => Delivery::Rejected,
            Processed::Maybe | Processed::Yes => Delivery::Unknown,
        }
    }
}

/// When the very same request may be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Repeat {
    /// Repeating cannot help (a bad parameter, a bad signature, a body too
    /// large to read) or is never safe (the server acted on it).
    Never,
    /// It was not processed and the cause is transient (no connection):
    /// any call may be repeated.
    Any,
    /// The server refused it under its rate limit (HTTP 429 or code 1008):
    /// any call may be repeated after a wait, and every call of the same
    /// quota should wait too.
    AfterRateLimit,
    /// It may have been processed and may succeed if repeated (a timeout,
    /// a 5xx): only an idempotent call may be repeated.
    IfIdempotent,
}

/// What one failure means for the call, derived by [`classify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Disposition {
    /// Whether the server acted on the request.
    pub processed: Processed,
    /// Whether the failure says the host is unhealthy, so that calls
    /// should move to another one.
    pub host_unhealthy: bool,
    /// Whether, and for which calls, repeating is safe and worthwhile.
    pub repeat: Repeat,
    /// How long the server asked the client to wait (`Retry-After`).
    pub retry_after: Option<Duration>,
}

impl Disposition {
    /// Whether a call that is (or is not) idempotent may be repeated.
    pub fn may_repeat(&self, idempotent: bool) -> bool {
        match self.repeat {
            Repeat::Never => false,
            Repeat::Any | Repeat::AfterRateLimit => true,
            Repeat::IfIdempotent => idempotent,
        }
    }

    /// Whether the server refused the call under its rate limit.
    pub fn is_rate_limited(&self) -> bool {
        self.repeat == Repeat::AfterRateLimit
    }

    fn new(processed: Processed, host_unhealthy: bool, repeat: Repeat) -> Self {
        Self {
            processed,
            host_unhealthy,
            repeat,
            retry_after: None,
        }
    }

    fn after(mut self, wait: Option<Duration>) -> Self {
        self.retry_after = wait;
        self
    }
}

/// What `error` means: whether the request was processed, whether its host
/// is unhealthy, whether the call may be repeated, and after how long.
///
/// ```
/// use api_core::{classify, DecodeError, Error, Processed, Repeat};
/// use http::StatusCode;
///
/// // A gateway's HTML 502: the request may have been processed, the host
/// // is unhealthy, and only an idempotent call may be repeated.
/// let html = DecodeError::new(StatusCode::BAD_GATEWAY, b"<html>502</html>", "not JSON", None);
/// let meaning = classify(&Error::Decode(html));
/// assert_eq!(meaning.processed, Processed::Maybe);
/// assert!(meaning.host_unhealthy);
/// assert_eq!(meaning.repeat, Repeat::IfIdempotent);
/// assert!(meaning.may_repeat(true) && !meaning.may_repeat(false));
/// ```
pub fn classify(error: &Error) -> Disposition {
    match error {
        // Nothing left the client, and sending the same thing again would
        // fail the same way (pacing already waited all it could).
        Error::Validation(_) | Error::Encode(_) | Error::Config(_) | Error::Pacing(_) => {
            Disposition::new(Processed::No, false, Repeat::Never)
        }
        Error::Transport(transport) => of_transport(transport),
        Error::Api(api) => of_api(api),
        Error::Decode(decode) => of_decode(decode),
    }
}

fn of_transport(error: &TransportError) -> Disposition {
    use TransportErrorKind::*;
    let kind = error.kind();
    // A timeout or a broken connection says the host (or the way to it) is
    // unhealthy; an answer over the size cap or an unusable URL does not.
    let unhealthy = matches!(kind, Connect | Timeout | Connection);
    match error.delivery() {
        Delivery::NotSent if matches!(kind, Connect | Timeout | Connection) => {
            Disposition::new(Processed::No, unhealthy, Repeat::Any)
        }
        // Our own connection cap was full for the whole attempt, or the
        // proxy failed: nothing was sent, and another attempt may find a
        // free connection or a proxy that answers; neither says anything of
        // the API host.
        Delivery::NotSent if matches!(kind, ConnectionLimit | Proxy) => {
            Disposition::new(Processed::No, false, Repeat::Any)
        }
        Delivery::NotSent => Disposition::new(Processed::No, false, Repeat::Never),
        Delivery::Rejected => Disposition::new(Processed::Refused, false, Repeat::Never),
        Delivery::Unknown => match kind {
            Connect | Timeout | Connection => {
                Disposition::new(Processed::Maybe, unhealthy, Repeat::IfIdempotent)
            }
            // An answer too large to read would be as large again.
            AnswerTooLarge => Disposition::new(Processed::Maybe, false, Repeat::Never),
            _ => Disposition::new(Processed::Maybe, false, Repeat::IfIdempotent),
        },
    }
}

pub(super) fn of_api(error: &ApiError) -> Disposition {
    let status = error.status();
    let after = error.retry_after();
    if status == StatusCode::TOO_MANY_REQUESTS || error.code() == ErrorCode::RateLimited {
        return Disposition::new(Processed::Refused, false, Repeat::AfterRateLimit).after(after);
    }
    if status.is_server_error()
        || matches!(
            error.code(),
            ErrorCode::InternalError | ErrorCode::InternalTimeout
        )
    {
        return Disposition::new(Processed::Maybe, true, Repeat::IfIdempotent).after(after);
    }
    of_refusal(status).after(after)
}

fn of_decode(error: &DecodeError) -> Disposition {
    let status = error.status();
    let after = error.retry_after();
    if status == StatusCode::TOO_MANY_REQUESTS {
        // A proxy's or gateway's 429 page is a refusal like the server's.
        return Disposition::new(Processed::Refused, false, Repeat::AfterRateLimit).after(after);
    }
    if status.is_server_error() {
        // A gateway's 502/503/504 page: the gateway may have passed the
        // request on before failing.
        return Disposition::new(Processed::Maybe, true, Repeat::IfIdempotent).after(after);
    }
    if status.is_success() {
        let processed = if error.has_success_code() {
            Processed::Yes
        } else {
            Processed::Maybe
        };
        // The same request would get the same unreadable answer.
        return Disposition::new(processed, false, Repeat::Never);
    }
    of_refusal(status).after(after)
}

/// A 1xx, 3xx or 4xx answer other than 429: the server (or whatever
/// answered in its place) did not act on the request.
fn of_refusal(status: StatusCode) -> Disposition {
    if status == StatusCode::REQUEST_TIMEOUT {
        // The server gave up waiting for the request itself: transient.
        Disposition::new(Processed::Refused, false, Repeat::Any)
    } else {
        Disposition::new(Processed::Refused, false, Repeat::Never)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ConfigError, EncodeError, PacingError};
    use crate::validate::{Actual, Report, Rule};

    const NONE: Option<Duration> = None;

    fn api(status: u16, code: i64, after: Option<Duration>) -> Error {
        let status = StatusCode::from_u16(status).unwrap();
        ApiError::new(ErrorCode::from_code(code), "m", status, None)
            .with_retry_after(after)
            .into()
    }

    fn decode(status: u16, body: &[u8], after: Option<Duration>) -> Error {
        let status = StatusCode::from_u16(status).unwrap();
        DecodeError::new(status, body, "not JSON", None)
            .with_retry_after(after)
            .into()
    }

    fn transport(kind: TransportErrorKind, delivery: Delivery) -> Error {
        TransportError::new(kind, delivery, "h", "x", None).into()
    }

    /// (what, error, processed, host unhealthy, repeat, retry after).
    type Row = (
        &'static str,
        Error,
        Processed,
        bool,
        Repeat,
        Option<Duration>,
    );

    fn matrix() -> Vec<Row> {
        use Processed::*;
        use Repeat::*;
        use TransportErrorKind::*;
        let s3 = Some(Duration::from_secs(3));
        let html = b"<html><body><h1>502 Bad Gateway</h1></body></html>".as_slice();
        let truncated = br#"{"code":200,"messageUIDs":[{"userId":"#.as_slice();
        let mut report = Report::new();
        report.field("to_user_id", |report| {
            report.violation(Rule::MaxItems(1000), Actual::Size(1001))
        });
        let validation = report.finish().unwrap_err();
        vec![
            // Nothing left the client.
            ("validation", validation.into(), No, false, Never, NONE),
            (
                "encode",
                EncodeError::new("content", "x").into(),
                No,
                false,
                Never,
                NONE,
            ),
            (
                "config",
                ConfigError::new("x").into(),
                No,
                false,
                Never,
                NONE,
            ),
            (
                "pacing",
                PacingError::too_late("q", None, Duration::from_secs(60), Duration::from_secs(30))
                    .into(),
                No,
                false,
                Never,
                NONE,
            ),
            // Transport, by what the transport knows was sent.
            (
                "connect refused",
                transport(Connect, Delivery::NotSent),
                No,
                true,
                Any,
                NONE,
            ),
            (
                "no time to send",
                transport(Timeout, Delivery::NotSent),
                No,
                true,
                Any,
                NONE,
            ),
            (
                "closed before sending",
                transport(Connection, Delivery::NotSent),
                No,
                true,
                Any,
                NONE,
            ),
            (
                "bad url",
                transport(Other, Delivery::NotSent),
                No,
                false,
                Never,
                NONE,
            ),
            (
                "read timeout",
                transport(Timeout, Delivery::Unknown),
                Maybe,
                true,
                IfIdempotent,
                NONE,
            ),
            (
                "connect after write?",
                transport(Connect, Delivery::Unknown),
                Maybe,
                true,
                IfIdempotent,
                NONE,
            ),
            (
                "reset mid-answer",
                transport(Connection, Delivery::Unknown),
                Maybe,
                true,
                IfIdempotent,
                NONE,
            ),
            (
                "other after write",
                transport(Other, Delivery::Unknown),
                Maybe,
                false,
                IfIdempotent,
                NONE,
            ),
            (
                "answer too large",
                transport(AnswerTooLarge, Delivery::Unknown),
                Maybe,
                false,
                Never,
                NONE,
            ),
            (
                "transport rejected",
                transport(Other, Delivery::Rejected),
                Refused,
                false,
                Never,
                NONE,
            ),
            // JSON answers with a code.
            (
                "json 429 1008",
                api(429, 1008, None),
                Refused,
                false,
                AfterRateLimit,
                NONE,
            ),
            (
                "json 429 1008 retry-after",
                api(429, 1008, s3),
                Refused,
                false,
                AfterRateLimit,
                s3,
            ),
            (
                "json 200 1008",
                api(200, 1008, None),
                Refused,
                false,
                AfterRateLimit,
                NONE,
            ),
            (
                "json 429 other code",
                api(429, 4242, None),
                Refused,
                false,
                AfterRateLimit,
                NONE,
            ),
            (
                "json 500 1000",
                api(500, 1000, None),
                Maybe,
                true,
                IfIdempotent,
                NONE,
            ),
            (
                "json 504 1050",
                api(504, 1050, None),
                Maybe,
                true,
                IfIdempotent,
                NONE,
            ),
            (
                "json 503 retry-after",
                api(503, 1000, s3),
                Maybe,
                true,
                IfIdempotent,
                s3,
            ),
            (
                "json 200 1000",
                api(200, 1000, None),
                Maybe,
                true,
                IfIdempotent,
                NONE,
            ),
            (
                "json 400 1002",
                api(400, 1002, None),
                Refused,
                false,
                Never,
                NONE,
            ),
            (
                "json 400 1005",
                api(400, 1005, None),
                Refused,
                false,
                Never,
                NONE,
            ),
            (
                "json 401 1004",
                api(401, 1004, None),
                Refused,
                false,
                Never,
                NONE,
            ),
            (
                "json 430 1009",
                api(430, 1009, None),
                Refused,
                false,
                Never,
                NONE,
            ),
            (
                "json 403 2007",
                api(403, 2007, None),
                Refused,
                false,
                Never,
                NONE,
            ),
            (
                "json 405 405 (group capacity exceeded)",
                api(405, 405, None),
                Refused,
                false,
                Never,
                NONE,
            ),
            (
                "json 200 1015 (nothing to delete)",
                api(200, 1015, None),
                Refused,
                false,
                Never,
                NONE,
            ),
            (
                "json 403 1016",
                api(403, 1016, None),
                Refused,
                false,
                Never,
                NONE,
            ),
            (
                "json 403 1019",
                api(403, 1019, None),
                Refused,
                false,
                Never,
                NONE,
            ),
            (
                "json 400 1501",
                api(400, 1501, None),
                Refused,
                false,
                Never,
                NONE,
            ),
            (
                "json 400 1502",
                api(400, 1502, None),
                Refused,
                false,
                Never,
                NONE,
            ),
            (
                "json 400 1508",
                api(400, 1508, None),
                Refused,
                false,
                Never,
                NONE,
            ),
            (
                "json 200 unknown code",
                api(200, 4242, None),
                Refused,
                false,
                Never,
                NONE,
            ),
            ("json 408", api(408, 4242, None), Refused, false, Any, NONE),
            // Bodies that are not the documented JSON, by status.
            (
                "html 502",
                decode(502, html, None),
                Maybe,
                true,
                IfIdempotent,
                NONE,
            ),
            (
                "html 503 retry-after",
                decode(503, html, s3),
                Maybe,
                true,
                IfIdempotent,
                s3,
            ),
            (
                "html 504",
                decode(504, html, None),
                Maybe,
                true,
                IfIdempotent,
                NONE,
            ),
            (
                "empty 500",
                decode(500, b"", None),
                Maybe,
                true,
                IfIdempotent,
                NONE,
            ),
            (
                "truncated 502",
                decode(502, truncated, None),
                Maybe,
                true,
                IfIdempotent,
                NONE,
            ),
            (
                "html 429",
                decode(429, html, None),
                Refused,
                false,
                AfterRateLimit,
                NONE,
            ),
            (
                "html 429 retry-after",
                decode(429, html, s3),
                Refused,
                false,
                AfterRateLimit,
                s3,
            ),
            (
                "empty 429",
                decode(429, b"", None),
                Refused,
                false,
                AfterRateLimit,
                NONE,
            ),
            (
                "html 200",
                decode(200, html, None),
                Maybe,
                false,
                Never,
                NONE,
            ),
            (
                "empty 200",
                decode(200, b"", None),
                Maybe,
                false,
                Never,
                NONE,
            ),
            (
                "truncated 200",
                decode(200, truncated, None),
                Maybe,
                false,
                Never,
                NONE,
            ),
            (
                "200 code 200, fields missing",
                DecodeError::new(StatusCode::OK, br#"{"code":200}"#, "missing field", None)
                    .with_success_code()
                    .into(),
                Yes,
                false,
                Never,
                NONE,
            ),
            (
                "html 403 (a WAF)",
                decode(403, html, None),
                Refused,
                false,
                Never,
                NONE,
            ),
            (
                "html 404",
                decode(404, html, None),
                Refused,
                false,
                Never,
                NONE,
            ),
            (
                "html 413",
                decode(413, html, None),
                Refused,
                false,
                Never,
                NONE,
            ),
            (
                "empty 408",
                decode(408, b"", None),
                Refused,
                false,
                Any,
                NONE,
            ),
            (
                "html 301",
                decode(301, html, None),
                Refused,
                false,
                Never,
                NONE,
            ),
        ]
    }

    #[test]
    fn every_failure_has_one_meaning() {
        for (what, error, processed, unhealthy, repeat, after) in matrix() {
            let meaning = classify(&error);
            assert_eq!(meaning.processed, processed, "{what}: processed");
            assert_eq!(meaning.host_unhealthy, unhealthy, "{what}: host unhealthy");
            assert_eq!(meaning.repeat, repeat, "{what}: repeat");
            assert_eq!(meaning.retry_after, after, "{what}: retry after");
        }
    }

    #[test]
    fn the_public_methods_read_the_classification() {
        for (what, error, processed, _, repeat, after) in matrix() {
            assert_eq!(error.delivery(), processed.delivery(), "{what}: delivery");
            let any = matches!(repeat, Repeat::Any | Repeat::AfterRateLimit);
            assert_eq!(error.is_retryable(), any, "{what}: is_retryable");
            assert_eq!(
                error.is_retryable_if_idempotent(),
                any || repeat == Repeat::IfIdempotent,
                "{what}: is_retryable_if_idempotent"
            );
            assert_eq!(error.retry_after(), after, "{what}: retry_after");
            if let Error::Api(api) = &error {
                assert_eq!(api.delivery(), processed.delivery(), "{what}: ApiError");
            }
        }
    }

    #[test]
    fn a_rate_limit_refusal_is_safe_to_repeat_for_any_call() {
        let html_429 = classify(&decode(429, b"<html>", None));
        assert!(html_429.is_rate_limited());
        assert!(html_429.may_repeat(false) && html_429.may_repeat(true));
        let html_502 = classify(&decode(502, b"<html>", None));
        assert!(!html_502.is_rate_limited());
        assert!(!html_502.may_repeat(false) && html_502.may_repeat(true));
    }
}
