//! The rate limits of every endpoint (the `limit` of each entry in
//! `endpoints.rs`), per app, read against the emulator's [`Clock`].
//!
//! - private publish: 6000 messages per minute, a call to N users counts N (001)
//! - system publish: 100 messages per second, counted the same way (002)
//! - online broadcast: 60 calls per minute (004)
//! - `/push.json`: 2 calls per hour and 3 per natural day, one quota for broadcast,
//!   push and package-name notification (000, 003)
//! - group publish: 20 messages a second, a call to 3 groups counts 3
//! - chatroom publish: 100 messages a second, counted per room
//! - ultra group publish: 100 messages a second per app, counted per group, and
//!   at most 20 a second in one channel of one group (per group when there is no
//!   `busChannel`)
//! - every other call: its page's figure, or the provider's default of 100 calls
//!   a second where no page states one
//!
//! Minute, second and hour limits are sliding windows: any window of that length
//! holds at most the limit. That is at least as strict as a fixed window, so a client
//! that paces itself against this emulator also stays inside a fixed-window server.
//! The day is a natural day (000 "每天(自然日)") in Beijing time, where the default
//! data centre is.
//!
//! [`Clock`]: crate::Clock

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use crate::endpoints::{Endpoint, Limit, Source, Unit};
use crate::rejection::{Checked, Rejection};
use crate::sync::lock;

const SECOND_MS: u64 = 1_000;
const MINUTE_MS: u64 = 60_000;
const HOUR_MS: u64 = 3_600_000;
const DAY_MS: u64 = 86_400_000;
/// UTC+8: the provider's natural day.
const BEIJING_OFFSET_MS: u64 = 8 * HOUR_MS;
/// Dcn:message/send-ultragroup: "单个频道每秒钟最多发送 20 条".
const ULTRA_GROUP_CHANNEL_PER_SECOND: u64 = 20;
/// Channel windows kept before idle ones are forgotten.
const MAX_IDLE_CHANNEL_WINDOWS: usize = 4096;

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
    /// One window per endpoint with a [`Limit::Window`], by [`Endpoint::index`].
    windows: Vec<Option<Mutex<SlidingWindow>>>,
    push: Mutex<PushQuota>,
    /// Ultra group channels ("group/busChannel"), 20 messages a second each.
    channels: Mutex<HashMap<String, SlidingWindow>>,
}

/// "per second", "per minute", "per hour".
fn per(span_ms: u64) -> &'static str {
    match span_ms {
        SECOND_MS => "per second",
        MINUTE_MS => "per minute",
        HOUR_MS => "per hour",
        _ => "per window",
    }
}

/// The 429 message for `endpoint`, naming the limit and how calls count.
fn refusal(endpoint: Endpoint, span_ms: u64, max: u64, unit: Unit, source: Source) -> String {
    let mut text = format!("rate limit: {} allows {max} ", endpoint.path());
    match unit {
        Unit::Calls => text.push_str("calls "),
        Unit::Messages(_) => text.push_str("messages "),
    }
    text.push_str(per(span_ms));
    if let Unit::Messages(what) = unit {
        text.push_str(&format!(" (a call to N {what} counts N)"));
    }
    if source == Source::ProviderDefault {
        text.push_str(" (the provider's default; the page states no figure)");
    }
    text
}

impl RateLimits {
    pub fn new() -> Self {
        let mut windows: Vec<Option<Mutex<SlidingWindow>>> =
            (0..Endpoint::ALL.len()).map(|_| None).collect();
        for endpoint in Endpoint::ALL {
            if let Limit::Window { span_ms, max, .. } = endpoint.spec().limit {
                windows[endpoint.index()] = Some(Mutex::new(SlidingWindow::new(span_ms, max)));
            }
        }
        Self {
            windows,
            push: Mutex::new(PushQuota {
                hour: SlidingWindow::new(HOUR_MS, 2),
                day: DailyQuota {
                    limit: 3,
                    day: 0,
                    used: 0,
                },
            }),
            channels: Mutex::new(HashMap::new()),
        }
    }

    /// Takes `units` from the quota of `endpoint` at time `now`, or refuses the whole
    /// call (nothing is taken) with 429 / 1008.
    pub fn try_acquire(&self, endpoint: Endpoint, now: u64, units: u64) -> Checked<()> {
        match endpoint.spec().limit {
            Limit::Unlimited => Ok(()),
            Limit::PushQuota => self.try_acquire_push(now),
            Limit::Window {
                span_ms,
                max,
                unit,
                source,
            } => {
                let Some(window) = &self.windows[endpoint.index()] else {
                    return Ok(());
                };
                let mut window = lock(window);
                if !window.fits(now, units) {
                    return Err(Rejection::rate_limited(refusal(
                        endpoint, span_ms, max, unit, source,
                    )));
                }
                window.take(now, units);
                Ok(())
            }
        }
    }

    /// The two ultra group limits at once: one unit per group against the app's
    /// 100 a second, and one against each `channels` key's 20 a second. Nothing
    /// is taken unless both allow the whole call.
    pub fn try_acquire_ultra_group(&self, now: u64, channels: &[String]) -> Checked<()> {
        let endpoint = Endpoint::UltraGroupPublish;
        let Some(window) = &self.windows[endpoint.index()] else {
            return Ok(());
        };
        let mut app = lock(window);
        let units = channels.len() as u64;
        if !app.fits(now, units) {
            let Limit::Window {
                span_ms,
                max,
                unit,
                source,
            } = endpoint.spec().limit
            else {
                unreachable!("ultra group publish has a window limit");
            };
            return Err(Rejection::rate_limited(refusal(
                endpoint, span_ms, max, unit, source,
            )));
        }
        let mut map = lock(&self.channels);
        if map.len() > MAX_IDLE_CHANNEL_WINDOWS {
            map.retain(|_, w| {
                w.evict(now);
                w.used > 0
            });
        }
        for key in channels {
            let window = map
                .entry(key.clone())
                .or_insert_with(|| SlidingWindow::new(SECOND_MS, ULTRA_GROUP_CHANNEL_PER_SECOND));
            // The same channel named twice in one call counts twice.
            let wanted = channels.iter().filter(|k| *k == key).count() as u64;
            if !window.fits(now, wanted) {
                return Err(Rejection::rate_limited(format!(
                    "rate limit: {} allows {ULTRA_GROUP_CHANNEL_PER_SECOND} messages per second \
                     in one channel of an ultra group (per group without busChannel); {key} is full",
                    endpoint.path()
                )));
            }
        }
        for key in channels {
            if let Some(window) = map.get_mut(key) {
                window.take(now, 1);
            }
        }
        app.take(now, units);
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
        for window in self.windows.iter().flatten() {
            lock(window).clear();
        }
        lock(&self.channels).clear();
        let mut push = lock(&self.push);
        push.hour.clear();
        push.day.used = 0;
    }
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
        assert_eq!(
            err.message,
            "rate limit: /message/private/publish.json allows 6000 messages per minute \
             (a call to N users counts N)"
        );
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

    #[test]
    fn undocumented_limits_say_they_are_the_default() {
        let limits = RateLimits::new();
        for _ in 0..100 {
            limits.try_acquire(Endpoint::ChatroomQuery, 0, 1).unwrap();
        }
        let err = limits
            .try_acquire(Endpoint::ChatroomQuery, 0, 1)
            .unwrap_err();
        assert!(
            err.message.contains("100 calls per second"),
            "{}",
            err.message
        );
        assert!(
            err.message.contains("provider's default"),
            "{}",
            err.message
        );
        // Tag calls have no limit.
        for _ in 0..1000 {
            limits.try_acquire(Endpoint::TagSet, 0, 1).unwrap();
        }
    }

    #[test]
    fn ultra_group_channels_hold_20_a_second_and_the_app_100() {
        let limits = RateLimits::new();
        let g1 = vec!["g1/".to_owned()];
        for _ in 0..20 {
            limits.try_acquire_ultra_group(0, &g1).unwrap();
        }
        let err = limits.try_acquire_ultra_group(0, &g1).unwrap_err();
        assert!(err.message.contains("g1/ is full"), "{}", err.message);
        // A call naming a full channel and a free one takes nothing.
        let both = vec!["g2/".to_owned(), "g1/".to_owned()];
        assert!(limits.try_acquire_ultra_group(0, &both).is_err());
        for i in 0..4 {
            let keys: Vec<String> = (0..20).map(|_| format!("g{}/c", i + 3)).collect();
            limits.try_acquire_ultra_group(0, &keys).unwrap();
        }
        // 20 + 80 = 100 for the app: the next one, on a fresh channel, is refused.
        let err = limits
            .try_acquire_ultra_group(0, &["g9/".to_owned()])
            .unwrap_err();
        assert!(
            err.message.contains("100 messages per second"),
            "{}",
            err.message
        );
        assert!(limits.try_acquire_ultra_group(SECOND_MS, &g1).is_ok());
    }
}
