//! The documented rate limits, per app, read against the emulator's [`Clock`].
//!
//! - private publish: 6000 messages per minute, a call to N users counts N (001)
//! - system publish: 100 messages per second, counted the same way (002)
//! - online broadcast: 60 calls per minute (004)
//! - `/push.json`: 2 calls per hour and 3 per natural day, one quota for broadcast,
//!   push and package-name notification (000, 003)
//!
//! Minute, second and hour limits are sliding windows: any window of that length
//! holds at most the limit. That is at least as strict as a fixed window, so a client
//! that paces itself against this emulator also stays inside a fixed-window server.
//! The day is a natural day (000 "每天(自然日)") in Beijing time, where the default
//! data centre is.
//!
//! [`Clock`]: crate::Clock

use std::collections::VecDeque;
use std::sync::Mutex;

use crate::rejection::{Checked, Rejection};
use crate::rules::Endpoint;

const MINUTE_MS: u64 = 60_000;
const SECOND_MS: u64 = 1_000;
const HOUR_MS: u64 = 3_600_000;
const DAY_MS: u64 = 86_400_000;
/// UTC+8: the provider's natural day.
const BEIJING_OFFSET_MS: u64 = 8 * HOUR_MS;

/// At most `limit` units in any `span_ms` window.
#[derive(Debug)]
struct SlidingWindow {
    span_ms: u64,
    limit: u64,
    /// (time, units) of the calls still inside the window, oldest first.
    log: VecDeque<(u64, u64)>,
    used: u64,
}

impl SlidingWindow {
    fn new(span_ms: u64, limit: u64) -> Self {
        Self {
            span_ms,
            limit,
            log: VecDeque::new(),
            used: 0,
        }
    }

    fn evict(&mut self, now: u64) {
        while let Some(&(t, units)) = self.log.front() {
            if t.saturating_add(self.span_ms) > now {
                break;
            }
            self.log.pop_front();
            self.used -= units;
        }
    }

    fn fits(&mut self, now: u64, units: u64) -> bool {
        self.evict(now);
        self.used + units <= self.limit
    }

    fn take(&mut self, now: u64, units: u64) {
        self.log.push_back((now, units));
        self.used += units;
    }

    fn clear(&mut self) {
        self.log.clear();
        self.used = 0;
    }
}

/// At most `limit` calls per natural day (Beijing time).
#[derive(Debug)]
struct DailyQuota {
    limit: u64,
    day: u64,
    used: u64,
}

impl DailyQuota {
    fn fits(&mut self, now: u64) -> bool {
        let day = now.saturating_add(BEIJING_OFFSET_MS) / DAY_MS;
        if day != self.day {
            self.day = day;
            self.used = 0;
        }
        self.used < self.limit
    }
}

/// The `/push.json` quota: hourly and daily limits that must both allow a call.
#[derive(Debug)]
struct PushQuota {
    hour: SlidingWindow,
    day: DailyQuota,
}

/// The rate limiters of one app.
#[derive(Debug)]
pub(crate) struct RateLimits {
    private: Mutex<SlidingWindow>,
    system: Mutex<SlidingWindow>,
    online: Mutex<SlidingWindow>,
    push: Mutex<PushQuota>,
}

impl RateLimits {
    pub fn new() -> Self {
        Self {
            private: Mutex::new(SlidingWindow::new(MINUTE_MS, 6000)),
            system: Mutex::new(SlidingWindow::new(SECOND_MS, 100)),
            online: Mutex::new(SlidingWindow::new(MINUTE_MS, 60)),
            push: Mutex::new(PushQuota {
                hour: SlidingWindow::new(HOUR_MS, 2),
                day: DailyQuota {
                    limit: 3,
                    day: 0,
                    used: 0,
                },
            }),
        }
    }

    /// Takes `units` from the quota of `endpoint` at time `now`, or refuses the whole
    /// call (nothing is taken) with 429 / 1008.
    pub fn try_acquire(&self, endpoint: Endpoint, now: u64, units: u64) -> Checked<()> {
        let (window, message) = match endpoint {
            Endpoint::PrivatePublish => (
                &self.private,
                "rate limit: /message/private/publish.json allows 6000 messages per minute \
                 (a call to N users counts N)",
            ),
            Endpoint::SystemPublish => (
                &self.system,
                "rate limit: /message/system/publish.json allows 100 messages per second \
                 (a call to N users counts N)",
            ),
            Endpoint::OnlineBroadcast => (
                &self.online,
                "rate limit: /message/online/broadcast.json allows 60 calls per minute",
            ),
            Endpoint::Push => return self.try_acquire_push(now),
            Endpoint::TagSet | Endpoint::TagBatchSet => return Ok(()),
        };
        let mut window = lock(window);
        if !window.fits(now, units) {
            return Err(Rejection::rate_limited(message));
        }
        window.take(now, units);
        Ok(())
    }

    fn try_acquire_push(&self, now: u64) -> Checked<()> {
        let mut quota = lock(&self.push);
        if !quota.hour.fits(now, 1) {
            return Err(Rejection::rate_limited(
                "rate limit: /push.json (push and broadcast together) allows 2 calls per hour",
            ));
        }
        if !quota.day.fits(now) {
            return Err(Rejection::rate_limited(
                "rate limit: /push.json (push and broadcast together) allows 3 calls per day",
            ));
        }
        quota.hour.take(now, 1);
        quota.day.used += 1;
        Ok(())
    }

    /// Forgets every call made so far.
    pub fn reset(&self) {
        lock(&self.private).clear();
        lock(&self.system).clear();
        lock(&self.online).clear();
        let mut push = lock(&self.push);
        push.hour.clear();
        push.day.used = 0;
    }
}

/// Locks a mutex, recovering from poisoning: the guarded data are counters that stay
/// consistent even if a holder panicked.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_counts_recipients_in_a_sliding_minute() {
        let limits = RateLimits::new();
        let t0 = 1_000_000;
        for i in 0..6 {
            limits
                .try_acquire(Endpoint::PrivatePublish, t0 + i, 1000)
                .unwrap();
        }
        let err = limits
            .try_acquire(Endpoint::PrivatePublish, t0 + 10, 1)
            .unwrap_err();
        assert_eq!((err.status, err.code), (429, 1008));
        // The first call leaves the window one minute after it was made.
        assert!(
            limits
                .try_acquire(Endpoint::PrivatePublish, t0 + MINUTE_MS - 1, 1)
                .is_err()
        );
        limits
            .try_acquire(Endpoint::PrivatePublish, t0 + MINUTE_MS, 1000)
            .unwrap();
    }

    #[test]
    fn push_has_hourly_and_natural_day_quota() {
        let limits = RateLimits::new();
        // 00:00 Beijing time on some day.
        let midnight = 20_000 * DAY_MS - BEIJING_OFFSET_MS;
        limits.try_acquire(Endpoint::Push, midnight, 1).unwrap();
        limits.try_acquire(Endpoint::Push, midnight + 1, 1).unwrap();
        assert!(limits.try_acquire(Endpoint::Push, midnight + 2, 1).is_err());
        limits
            .try_acquire(Endpoint::Push, midnight + HOUR_MS, 1)
            .unwrap();
        // Hour window is free again, the day is used up.
        assert!(
            limits
                .try_acquire(Endpoint::Push, midnight + 3 * HOUR_MS, 1)
                .is_err()
        );
        // Next natural day.
        limits
            .try_acquire(Endpoint::Push, midnight + DAY_MS, 1)
            .unwrap();
    }

    #[test]
    fn refused_calls_take_nothing() {
        let limits = RateLimits::new();
        for _ in 0..100 {
            limits.try_acquire(Endpoint::SystemPublish, 5, 1).unwrap();
        }
        assert!(limits.try_acquire(Endpoint::SystemPublish, 6, 1).is_err());
        assert!(limits.try_acquire(Endpoint::SystemPublish, 7, 1).is_err());
        limits
            .try_acquire(Endpoint::SystemPublish, 1005, 100)
            .unwrap();
    }
}
