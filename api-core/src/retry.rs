//! Which failed attempts are repeated, and after how long.
//!
//! The rule is what is safe, not what is likely to work: any call is repeated
//! when the request provably was not processed; only an idempotent call is
//! repeated when it may have been (a publish repeated after a read timeout
//! can deliver the message twice).

use std::time::{Duration, SystemTime};

use http::StatusCode;
use rand::Rng;

use crate::error::Error;

/// The default [`RetryPolicy::max_attempts`].
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// The default [`RetryPolicy::base_backoff`].
pub const DEFAULT_BASE_BACKOFF: Duration = Duration::from_millis(100);
/// The default [`RetryPolicy::max_backoff`].
pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(5);
/// The default [`RetryPolicy::deadline`].
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(30);

/// How a call is repeated after a failed attempt.
///
/// - Any endpoint is repeated when the request provably was not processed:
///   it never left (no connection, DNS or TLS failure, connect timeout), or
///   the server refused it unprocessed (HTTP 429 / code 1008).
/// - An endpoint declared idempotent is also repeated when the request may
///   have been processed (a timeout, a connection lost mid-response, a 5xx
///   answer). Any other endpoint is not: its error's
///   [`delivery`](crate::Error::delivery) is then
///   [`Delivery::Unknown`](crate::Delivery::Unknown), so the caller decides.
/// - Waits grow exponentially from `base_backoff`, capped at `max_backoff`,
///   with jitter ("equal jitter": a random point in the upper half), and are
///   at least as long as the server's `Retry-After`.
/// - `deadline` bounds the whole call: pacing waits, attempts and backoff.
///   A call waits for its rate limit only if a whole attempt (the
///   per-attempt timeout, or the deadline if shorter) still fits after the
///   wait; otherwise it fails at once with
///   [`Error::Pacing`](crate::Error::Pacing), not sent. A retry whose wait
///   would end past the deadline is not made: the last error is returned at
///   once. An attempt's timeout is cut to what is left of the deadline.
///
/// Every attempt is signed afresh (new nonce and timestamp) and keeps the
/// call's `X-Request-ID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// The most attempts one call makes, the first included (1: no retry).
    pub max_attempts: u32,
    /// The wait before the first retry (before jitter).
    pub base_backoff: Duration,
    /// The longest wait between two attempts, unless `Retry-After` asks
    /// for more.
    pub max_backoff: Duration,
    /// The time a whole call may take; `None`: no bound beyond
    /// `max_attempts` and the per-attempt timeout (a call may then wait for
    /// its rate limit as long as needed).
    pub deadline: Option<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            base_backoff: DEFAULT_BASE_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
            deadline: Some(DEFAULT_DEADLINE),
        }
    }
}

impl RetryPolicy {
    /// The default: 3 attempts, backoff from 100 ms up to 5 s, a 30 s
    /// deadline per call.
    pub fn new() -> Self {
        Self::default()
    }

    /// One attempt per call, never repeated (the deadline still applies).
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The most attempts per call, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// The wait before the first retry, and the cap of later waits.
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.base_backoff = base;
        self.max_backoff = max;
        self
    }

    /// The time one whole call may take.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// No deadline: calls are bounded by `max_attempts` and the per-attempt
    /// timeout, and wait for their rate limit as long as needed.
    pub fn no_deadline(mut self) -> Self {
        self.deadline = None;
        self
    }

    /// The wait before retry number `retry` (1 for the first retry).
    pub(crate) fn backoff_for(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        let cap = self
            .base_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
        // Equal jitter: never shorter than half the exponential step (so the
        // waits do grow), and spread over the other half so that clients
        // failing together do not retry together.
        let half = cap / 2;
        let spread = u64::try_from((cap - half).as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(rand::rng().random_range(0..=spread))
    }
}

/// What a failed attempt says about repeating the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The server provably did not process it: safe to repeat for any call.
    NotProcessed,
    /// It may have been processed, and may succeed if repeated: only for
    /// idempotent calls.
    MaybeProcessed,
    /// Repeating cannot help (a bad parameter, a bad signature, ...).
    Final,
}

pub(crate) fn verdict(error: &Error) -> Verdict {
    // A 429 answer is a refusal whatever its body: a proxy's HTML 429 is
    // still not processed.
    let too_many = match error {
        Error::Api(api) => api.status() == StatusCode::TOO_MANY_REQUESTS,
        Error::Decode(decode) => decode.status() == StatusCode::TOO_MANY_REQUESTS,
        _ => false,
    };
    if too_many || error.is_retryable() {
        Verdict::NotProcessed
    } else if error.is_retryable_if_idempotent() {
        Verdict::MaybeProcessed
    } else {
        Verdict::Final
    }
}

/// Reads `Retry-After`: delay-seconds, or an HTTP date compared with `now`.
pub(crate) fn retry_after(headers: &http::HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::TransportErrorKind;
    use crate::error::{ApiError, DecodeError, Delivery, ErrorCode, TransportError};

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        let policy = RetryPolicy::new().backoff(Duration::from_millis(100), Duration::from_secs(1));
        for _ in 0..100 {
            let first = policy.backoff_for(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = policy.backoff_for(3);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            let late = policy.backoff_for(40);
            assert!(late >= Duration::from_millis(500) && late <= Duration::from_secs(1));
        }
        let distinct: std::collections::HashSet<Duration> =
            (0..50).map(|_| policy.backoff_for(2)).collect();
        assert!(distinct.len() > 10, "no jitter: {distinct:?}");
    }

    #[test]
    fn verdicts() {
        let api =
            |code, status| Error::Api(ApiError::new(ErrorCode::from_code(code), "", status, None));
        let transport =
            |kind, delivery| Error::Transport(TransportError::new(kind, delivery, "h", "x", None));
        assert_eq!(
            verdict(&api(1008, StatusCode::TOO_MANY_REQUESTS)),
            Verdict::NotProcessed
        );
        assert_eq!(
            verdict(&Error::Decode(DecodeError::new(
                StatusCode::TOO_MANY_REQUESTS,
                b"<html>",
                "not JSON",
                None
            ))),
            Verdict::NotProcessed
        );
        assert_eq!(
            verdict(&transport(TransportErrorKind::Connect, Delivery::NotSent)),
            Verdict::NotProcessed
        );
        assert_eq!(
            verdict(&transport(TransportErrorKind::Timeout, Delivery::Unknown)),
            Verdict::MaybeProcessed
        );
        assert_eq!(
            verdict(&api(1000, StatusCode::INTERNAL_SERVER_ERROR)),
            Verdict::MaybeProcessed
        );
        assert_eq!(
            verdict(&api(1004, StatusCode::UNAUTHORIZED)),
            Verdict::Final
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = http::HeaderMap::new();
        assert_eq!(retry_after(&headers, SystemTime::now()), None);
        headers.insert(http::header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(
            retry_after(&headers, SystemTime::now()),
            Some(Duration::from_secs(7))
        );
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let later = httpdate::fmt_http_date(now + Duration::from_secs(90));
        headers.insert(http::header::RETRY_AFTER, later.parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(90)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(5));
        headers.insert(http::header::RETRY_AFTER, past.parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
        headers.insert(http::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers, now), None);
    }
}
