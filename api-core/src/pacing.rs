//! Client-side pacing under the documented rate limits, so that a burst of
//! calls waits its turn instead of earning code 1008.
//!
//! Each endpoint declares its limits ([`Endpoint::RATE_LIMITS`]) and the key
//! of the quota they belong to ([`Endpoint::QUOTA`]); calls with the same
//! key share one account. A limit counts calls, or recipients (a publish to
//! 1000 users counts 1000).
//!
//! # Why not GCRA or `governor`
//!
//! A GCRA / token bucket with a burst of `amount` refills while the window
//! is still open: after a burst of 6000 recipients it admits 100 more per
//! second, so up to almost twice the amount lands within one minute, which a
//! server counting per window refuses. Shrinking the burst to avoid that
//! shrinks the long-run rate as well (2 per hour and 3 per day would become
//! 1 per day). So each limit here is a token bucket whose tokens return
//! exactly one window after they were spent (a sliding-window log): any
//! window of that length holds at most `amount`, at the full documented
//! rate. `governor` is GCRA, and it also cannot reserve several limits at
//! once ("2 per hour AND 3 per day") nor tell the wait before committing to
//! it, which the deadline check needs.
//!
//! [`Endpoint::RATE_LIMITS`]: crate::Endpoint::RATE_LIMITS
//! [`Endpoint::QUOTA`]: crate::Endpoint::QUOTA

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, RwLock};
use std::time::Duration;

use crate::rate::RateLimit;

/// How the client paces calls under rate limits.
///
/// The default, [`Pacing::documented`], applies every endpoint's documented
/// limits. An account with raised quotas replaces the limits of a quota key
/// with [`limits`](Self::limits); [`disabled`](Self::disabled) turns pacing
/// off.
///
/// ```
/// use std::time::Duration;
/// use api_core::{Pacing, RateLimit};
///
/// // A quota raised to 20 000 recipients a minute for private messages,
/// // and no pacing for online broadcasts.
/// let pacing = Pacing::documented()
///     .limits(
///         "/message/private/publish.json",
///         [RateLimit::recipients(20_000, Duration::from_secs(60))],
///     )
///     .limits("/message/online/broadcast.json", []);
/// assert!(pacing.is_enabled());
/// ```
#[derive(Debug, Clone)]
pub struct Pacing {
    enabled: bool,
    overrides: HashMap<String, Vec<RateLimit>>,
}

impl Default for Pacing {
    fn default() -> Self {
        Self::documented()
    }
}

impl Pacing {
    /// Paces every endpoint under its documented limits.
    pub fn documented() -> Self {
        Self {
            enabled: true,
            overrides: HashMap::new(),
        }
    }

    /// No pacing: every call goes at once (a burst may earn code 1008, which
    /// is then retried after backoff).
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            overrides: HashMap::new(),
        }
    }

    /// Replaces the limits of the quota with key `quota` (an endpoint's
    /// [`QUOTA`](crate::Endpoint::QUOTA), by default its path). All the
    /// given limits apply together; none: that quota is not paced.
    pub fn limits(
        mut self,
        quota: impl Into<String>,
        limits: impl IntoIterator<Item = RateLimit>,
    ) -> Self {
        self.overrides
            .insert(quota.into(), limits.into_iter().collect());
        self
    }

    /// Whether calls are paced at all.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }
}

/// A call was not sent because its turn under the rate limit would come too
/// late: after it, the call's deadline would leave no time for an attempt
/// (a full per-attempt timeout, or the whole deadline if that is shorter).
/// A call is never let through only to be cut short: for a publish, an
/// attempt cut short is an outcome unknown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "not sent: the rate limit {} of quota {quota} needs a wait of {wait:?}, leaving no time for an attempt before the call's deadline ({left:?} left){}",
    limit.map(|limit| format!("({limit})")).unwrap_or_default(),
    request_id.as_deref().map(|id| format!(" [request id {id}]")).unwrap_or_default()
)]
pub struct PacingError {
    quota: String,
    limit: Option<RateLimit>,
    wait: Duration,
    left: Duration,
    request_id: Option<String>,
}

impl PacingError {
    pub(crate) fn new(refusal: Refusal, quota: &str, request_id: &str, left: Duration) -> Self {
        Self {
            quota: quota.to_owned(),
            limit: refusal.limit,
            wait: refusal.wait,
            left,
            request_id: Some(request_id.to_owned()),
        }
    }

    /// The call's deadline had passed when its turn came.
    pub(crate) fn overslept(quota: &str, request_id: &str) -> Self {
        Self {
            quota: quota.to_owned(),
            limit: None,
            wait: Duration::ZERO,
            left: Duration::ZERO,
            request_id: Some(request_id.to_owned()),
        }
    }

    /// The quota key.
    pub fn quota(&self) -> &str {
        &self.quota
    }

    /// The limit that would have made the call wait longest.
    pub fn limit(&self) -> Option<RateLimit> {
        self.limit
    }

    /// How long the call would have had to wait before it could be sent.
    pub fn wait(&self) -> Duration {
        self.wait
    }

    /// How much of the call's deadline was left.
    pub fn time_left(&self) -> Duration {
        self.left
    }

    /// The call's `X-Request-ID`.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

/// Why a reservation was refused.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Refusal {
    limit: Option<RateLimit>,
    wait: Duration,
}

/// The pacing state of one client, shared by its clones.
///
/// The map of quotas is read-locked only for a lookup and the quota's own
/// mutex only to compute and record a reservation: neither is held across
/// an await (the wait itself happens after both are released).
pub(crate) struct Pacer {
    overrides: HashMap<Box<str>, Box<[RateLimit]>>,
    quotas: RwLock<HashMap<&'static str, Mutex<Quota>>>,
}

impl Pacer {
    /// The pacer for a configuration; `None` when pacing is off.
    pub(crate) fn new(pacing: Pacing) -> Option<Self> {
        pacing.enabled.then(|| Self {
            overrides: pacing
                .overrides
                .into_iter()
                .map(|(key, limits)| (key.into_boxed_str(), limits.into_boxed_slice()))
                .collect(),
            quotas: RwLock::new(HashMap::new()),
        })
    }

    fn limits<'a>(&'a self, quota: &str, declared: &'a [RateLimit]) -> &'a [RateLimit] {
        if self.overrides.is_empty() {
            return declared;
        }
        self.overrides.get(quota).map_or(declared, |limits| limits)
    }

    /// Reserves the earliest start, at `now` or later, at which a call of
    /// `recipients` recipients fits every limit of its quota, and returns the
    /// wait until then. Calls of one quota start in the order they reserve
    /// (a large publish is not overtaken forever by small ones). A start
    /// after `latest` is refused, and nothing is reserved.
    ///
    /// The limits of a quota are those of the first call that uses it (or
    /// the override): endpoints sharing a key declare the same limits.
    pub(crate) fn reserve(
        &self,
        quota: &'static str,
        declared: &'static [RateLimit],
        recipients: usize,
        now: Duration,
        latest: Option<Duration>,
    ) -> Result<Duration, Refusal> {
        let limits = self.limits(quota, declared);
        if limits.is_empty() {
            return Ok(Duration::ZERO);
        }
        let now = nanos(now);
        let latest = latest.map(nanos);
        {
            let quotas = self.quotas.read().unwrap_or_else(|e| e.into_inner());
            if let Some(state) = quotas.get(quota) {
                return lock(state).reserve(recipients, now, latest);
            }
        }
        let mut quotas = self.quotas.write().unwrap_or_else(|e| e.into_inner());
        let state = quotas
            .entry(quota)
            .or_insert_with(|| Mutex::new(Quota::new(limits)));
        lock(state).reserve(recipients, now, latest)
    }
}

fn lock(quota: &Mutex<Quota>) -> std::sync::MutexGuard<'_, Quota> {
    quota.lock().unwrap_or_else(|e| e.into_inner())
}

/// Every limit of one quota key.
struct Quota {
    windows: Box<[Window]>,
    /// The latest start reserved so far: later reservations start no
    /// earlier, which keeps every log sorted.
    last_start: u64,
}

/// One limit: the sends of the last window, oldest first.
struct Window {
    limit: RateLimit,
    length: u64,
    /// (start, weight) of each reservation still inside some future window.
    log: VecDeque<(u64, u64)>,
    /// The sum of the weights in `log`.
    used: u64,
}

impl Quota {
    fn new(limits: &[RateLimit]) -> Self {
        Self {
            windows: limits
                .iter()
                .map(|&limit| Window {
                    limit,
                    length: nanos(limit.window),
                    log: VecDeque::new(),
                    used: 0,
                })
                .collect(),
            last_start: 0,
        }
    }

    fn reserve(
        &mut self,
        recipients: usize,
        now: u64,
        latest: Option<u64>,
    ) -> Result<Duration, Refusal> {
        let floor = now.max(self.last_start);
        let mut start = floor;
        let mut binding = None;
        for window in self.windows.iter_mut() {
            window.forget_before(now);
            // Each window's earliest fit is monotone in time (entries only
            // leave as time passes), so the latest of them fits all.
            let earliest = window.earliest(window.limit.weight(recipients), floor);
            // Name the limit that makes the call wait longest (when it waits
            // only behind earlier reservations, the one that held them).
            if earliest >= start && earliest > now {
                binding = Some(window.limit);
            }
            start = start.max(earliest);
        }
        if let Some(latest) = latest
            && start > latest
        {
            return Err(Refusal {
                limit: binding,
                wait: Duration::from_nanos(start - now),
            });
        }
        for window in self.windows.iter_mut() {
            let weight = window.limit.weight(recipients);
            window.log.push_back((start, weight));
            window.used += weight;
        }
        self.last_start = start;
        Ok(Duration::from_nanos(start - now))
    }
}

impl Window {
    /// Drops reservations whose window has closed by `now`.
    fn forget_before(&mut self, now: u64) {
        while let Some(&(at, weight)) = self.log.front() {
            if at.saturating_add(self.length) > now {
                break;
            }
            self.log.pop_front();
            self.used -= weight;
        }
    }

    /// The earliest time at or after `floor` at which `weight` more fits:
    /// the oldest reservations leave one window after their start until the
    /// rest plus `weight` is at most the amount. A weight above the amount
    /// (only possible with an override below the recipient bound) waits for
    /// an empty window rather than forever.
    fn earliest(&self, weight: u64, floor: u64) -> u64 {
        let amount = u64::from(self.limit.amount);
        let need = weight.min(amount);
        let mut used = self.used;
        let mut at = floor;
        for &(start, spent) in &self.log {
            if used + need <= amount {
                break;
            }
            used -= spent;
            at = at.max(start.saturating_add(self.length));
        }
        at
    }
}

fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);
    const HOUR: Duration = Duration::from_secs(3600);
    const DAY: Duration = Duration::from_secs(86_400);

    fn pacer(pacing: Pacing) -> Pacer {
        Pacer::new(pacing).unwrap()
    }

    fn s(secs: u64) -> Duration {
        Duration::from_secs(secs)
    }

    #[test]
    fn recipients_are_weighted_within_a_sliding_window() {
        static LIMITS: [RateLimit; 1] = [RateLimit::recipients(6000, MINUTE)];
        let pacer = pacer(Pacing::documented());
        let mut waits = Vec::new();
        for _ in 0..7 {
            waits.push(pacer.reserve("q", &LIMITS, 1000, s(0), None).unwrap());
        }
        assert_eq!(waits[..6], [Duration::ZERO; 6]);
        assert_eq!(waits[6], MINUTE);
        // 500 more fit once the first 1000 have left, a minute after they
        // were sent; order is kept.
        assert_eq!(
            pacer.reserve("q", &LIMITS, 500, s(10), None).unwrap(),
            s(50)
        );
    }

    #[test]
    fn two_per_hour_and_three_per_day_both_hold() {
        static LIMITS: [RateLimit; 2] = [RateLimit::calls(2, HOUR), RateLimit::calls(3, DAY)];
        let pacer = pacer(Pacing::documented());
        let mut starts = Vec::new();
        for _ in 0..6 {
            let wait = pacer
                .reserve("/push.json", &LIMITS, 5000, s(0), None)
                .unwrap();
            starts.push(wait);
        }
        assert_eq!(starts, [s(0), s(0), HOUR, DAY, DAY, DAY + HOUR]);
        for (i, a) in starts.iter().enumerate() {
            let in_hour = starts
                .iter()
                .filter(|b| **b >= *a && **b < *a + HOUR)
                .count();
            let in_day = starts
                .iter()
                .filter(|b| **b >= *a && **b < *a + DAY)
                .count();
            assert!(in_hour <= 2 && in_day <= 3, "from call {i}: {starts:?}");
        }
    }

    #[test]
    fn a_start_past_the_latest_is_refused_and_not_reserved() {
        static LIMITS: [RateLimit; 1] = [RateLimit::calls(1, MINUTE)];
        let pacer = pacer(Pacing::documented());
        // A start at `latest` itself is fine: a call that need not wait is
        // never refused (the client passes `latest >= now`).
        assert_eq!(
            pacer.reserve("q", &LIMITS, 0, s(0), Some(s(0))).unwrap(),
            s(0)
        );
        let refusal = pacer
            .reserve("q", &LIMITS, 0, s(1), Some(s(59)))
            .unwrap_err();
        assert_eq!(refusal.wait, s(59));
        assert_eq!(refusal.limit, Some(LIMITS[0]));
        // The refusal reserved nothing: the next call still starts at 60 s.
        assert_eq!(
            pacer.reserve("q", &LIMITS, 0, s(1), Some(s(60))).unwrap(),
            s(59)
        );
    }

    #[test]
    fn overrides_replace_or_remove_limits() {
        static LIMITS: [RateLimit; 1] = [RateLimit::calls(1, MINUTE)];
        let pacer = pacer(
            Pacing::documented()
                .limits("raised", [RateLimit::calls(3, MINUTE)])
                .limits("free", []),
        );
        for _ in 0..3 {
            assert_eq!(
                pacer.reserve("raised", &LIMITS, 0, s(0), None).unwrap(),
                s(0)
            );
        }
        assert_eq!(
            pacer.reserve("raised", &LIMITS, 0, s(0), None).unwrap(),
            MINUTE
        );
        for _ in 0..100 {
            assert_eq!(pacer.reserve("free", &LIMITS, 0, s(0), None).unwrap(), s(0));
        }
        assert!(Pacer::new(Pacing::disabled()).is_none());
    }

    #[test]
    fn an_oversized_call_waits_for_an_empty_window() {
        static LIMITS: [RateLimit; 1] = [RateLimit::recipients(100, Duration::from_secs(1))];
        let pacer = pacer(Pacing::documented());
        assert_eq!(pacer.reserve("q", &LIMITS, 10, s(0), None).unwrap(), s(0));
        assert_eq!(pacer.reserve("q", &LIMITS, 250, s(0), None).unwrap(), s(1));
        assert_eq!(pacer.reserve("q", &LIMITS, 1, s(1), None).unwrap(), s(1));
    }
}
