//! How often and after how long failed attempts are repeated.
//!
//! Whether a failure may be repeated at all is not decided here but by
//! [`classify`](crate::classify): any call is repeated when the request
//! provably was not processed; only an idempotent call is repeated when it
//! may have been (a publish repeated after a read timeout can deliver the
//! message twice). This module holds the bounds: attempts, backoff,
//! deadline.

use std::time::{Duration, SystemTime};

use rand::Rng;

/// The default [`RetryPolicy::max_attempts`].
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// The default [`RetryPolicy::base_backoff`].
pub const DEFAULT_BASE_BACKOFF: Duration = Duration::from_millis(100);
/// The default [`RetryPolicy::max_backoff`].
pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(5);
/// The default [`RetryPolicy::deadline`].
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(30);
/// The default [`RetryPolicy::max_rate_limit_wait`].
pub const DEFAULT_MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(60);

/// How a call is repeated after a failed attempt.
///
/// - Any endpoint is repeated when the request provably was not processed
///   and the cause is transient: it never left (no connection, DNS or TLS
///   failure, connect timeout). Those attempts count against
///   `max_attempts`.
/// - A refusal under the rate limit (HTTP 429, whatever its body, or code
///   1008) is repeated for any endpoint until the call's deadline, whatever
///   `max_attempts` says: it provably was not processed. The wait is the
///   server's `Retry-After`, or else the jittered backoff; every call of the
///   same quota (all clones of the client, or the whole fleet with a shared
///   [`QuotaStore`](crate::QuotaStore)) waits as long before its next turn,
///   so a burst does not stampede. A `Retry-After` that ends past the
///   deadline fails the call at once (not processed). A call without a
///   deadline waits at most `max_rate_limit_wait` in all for refusals.
/// - An endpoint declared idempotent is also repeated when the request may
///   have been processed (a timeout, a connection lost mid-response, a 5xx
///   answer, a gateway's HTML 502/503/504). Any other endpoint is not: its
///   error's [`delivery`](crate::Error::delivery) is then
///   [`Delivery::Unknown`](crate::Delivery::Unknown), so the caller decides.
/// - Waits grow exponentially from `base_backoff`, capped at `max_backoff`,
///   with jitter ("equal jitter": a random point in the upper half), and are
///   at least as long as the server's `Retry-After`.
/// - `deadline` bounds the whole call: pacing waits, attempts and backoff.
///   A call waits for its turn under the rate limit only if a whole attempt
///   (the per-attempt timeout, or the deadline if shorter) still fits after
///   the wait; otherwise it fails at once with
///   [`Error::Pacing`](crate::Error::Pacing), not sent. A retry whose wait
///   would end past the deadline is not made: the last error is returned at
///   once. An attempt's timeout is cut to what is left of the deadline.
///
/// Every attempt is signed afresh (new nonce and timestamp), keeps the
/// call's `X-Request-ID`, and takes a turn of its own under the rate limit
/// (the turn of an attempt that never left is given back).
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
    /// `max_attempts`, the per-attempt timeout and `max_rate_limit_wait`
    /// (a call may then wait for its turn as long as needed).
    pub deadline: Option<Duration>,
    /// For a call without a deadline: the longest it waits in all after
    /// rate-limit refusals before it gives up (a `Retry-After` past it
    /// fails the call at once).
    pub max_rate_limit_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            base_backoff: DEFAULT_BASE_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
            deadline: Some(DEFAULT_DEADLINE),
            max_rate_limit_wait: DEFAULT_MAX_RATE_LIMIT_WAIT,
        }
    }
}

impl RetryPolicy {
    /// The default: 3 attempts, backoff from 100 ms up to 5 s, a 30 s
    /// deadline per call (60 s of rate-limit waits for a call without one).
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

    /// No deadline: calls are bounded by `max_attempts`, the per-attempt
    /// timeout and `max_rate_limit_wait`, and wait for their turn under the
    /// rate limit as long as needed.
    pub fn no_deadline(mut self) -> Self {
        self.deadline = None;
        self
    }

    /// For calls without a deadline: the longest wait in all after
    /// rate-limit refusals (default 60 s).
    pub fn max_rate_limit_wait(mut self, wait: Duration) -> Self {
        self.max_rate_limit_wait = wait;
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
