//! The in-process quota store: a weighted sliding-window log per limit.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::Duration;

use super::store::{QuotaStore, QuotaStoreError, Reservation, ReservationId, ReserveRequest};
use crate::rate::RateLimit;
use crate::transport::BoxFuture;

/// The default [`QuotaStore`]: the accounts of one process, shared by every
/// clone of a client.
///
/// Each limit is a token bucket whose tokens return exactly one window
/// after they were spent (a weighted sliding-window log): any window of
/// that length holds at most `amount`, at the full documented rate. Calls
/// of one quota start in the order they reserve (a large publish is not
/// overtaken forever by small ones): a reservation may be for a start in
/// the future, and the call sleeps until then.
///
/// # Why not GCRA or `governor`
///
/// A GCRA / token bucket with a burst of `amount` refills while the window
/// is still open: after a burst of 6000 recipients it admits 100 more per
/// second, so up to almost twice the amount lands within one minute, which a
/// server counting per window refuses. Shrinking the burst to avoid that
/// shrinks the long-run rate as well (2 per hour and 3 per day would become
/// 1 per day). `governor` is GCRA, and it also cannot reserve several limits
/// at once ("2 per hour AND 3 per day") nor tell the wait before committing
/// to it, which the deadline check needs.
///
/// The map of quotas is read-locked only for a lookup and a quota's own
/// mutex only to compute and record a reservation: neither is held across
/// an await (the client sleeps after both are released).
#[derive(Default)]
pub struct LocalQuotaStore {
    quotas: RwLock<HashMap<Box<str>, Mutex<Quota>>>,
    /// Whether any quota was ever penalized: until then, a call without
    /// limits (pacing off, or an endpoint with none) is granted without a
    /// lookup, which is most of a loopback call's pacing cost.
    penalized: AtomicBool,
}

impl std::fmt::Debug for LocalQuotaStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let quotas = self.quotas.read().unwrap_or_else(|e| e.into_inner());
        f.debug_struct("LocalQuotaStore")
            .field("quotas", &quotas.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl LocalQuotaStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserves the earliest start, at `now` or later, at which a call of
    /// `weight` fits every limit of its quota. A start later than
    /// `max_wait` from now is denied, and nothing is reserved.
    ///
    /// The limits of a quota are those of the first call that uses it:
    /// endpoints sharing a key declare the same limits.
    pub fn reserve_now(&self, request: &ReserveRequest<'_>) -> Reservation {
        if request.limits.is_empty() && !self.penalized.load(Ordering::Acquire) {
            return Reservation::Granted {
                wait: Duration::ZERO,
            };
        }
        self.with_quota(request.quota, request.limits, |quota| {
            if quota.windows.is_empty() && !request.limits.is_empty() {
                // The quota was first seen through a penalty, before any
                // call declared its limits.
                quota.windows = Quota::new(request.limits).windows;
            }
            quota.reserve(
                request.weight,
                request.id,
                nanos(request.now),
                request.max_wait,
            )
        })
    }

    /// Removes the reservation `id` of `quota` from every window.
    pub fn release_now(&self, quota: &str, id: ReservationId) {
        let quotas = self.quotas.read().unwrap_or_else(|e| e.into_inner());
        if let Some(state) = quotas.get(quota) {
            lock(state).release(id);
        }
    }

    /// Makes every call of `quota` wait until `wait` after `now`.
    pub fn penalize_now(&self, quota: &str, wait: Duration, now: Duration) {
        self.penalized.store(true, Ordering::Release);
        self.with_quota(quota, &[], |state| {
            let until = nanos(now).saturating_add(nanos(wait));
            state.blocked_until = state.blocked_until.max(until);
        });
    }

    fn with_quota<R>(
        &self,
        quota: &str,
        limits: &[RateLimit],
        act: impl FnOnce(&mut Quota) -> R,
    ) -> R {
        {
            let quotas = self.quotas.read().unwrap_or_else(|e| e.into_inner());
            if let Some(state) = quotas.get(quota) {
                return act(&mut lock(state));
            }
        }
        let mut quotas = self.quotas.write().unwrap_or_else(|e| e.into_inner());
        let state = quotas
            .entry(quota.into())
            .or_insert_with(|| Mutex::new(Quota::new(limits)));
        act(&mut lock(state))
    }
}

impl QuotaStore for LocalQuotaStore {
    fn reserve<'a>(
        &'a self,
        request: &'a ReserveRequest<'a>,
    ) -> BoxFuture<'a, Result<Reservation, QuotaStoreError>> {
        let answer = self.reserve_now(request);
        Box::pin(std::future::ready(Ok(answer)))
    }

    fn release<'a>(&'a self, quota: &'a str, id: ReservationId) -> BoxFuture<'a, ()> {
        self.release_now(quota, id);
        Box::pin(std::future::ready(()))
    }

    fn penalize<'a>(&'a self, quota: &'a str, wait: Duration, now: Duration) -> BoxFuture<'a, ()> {
        self.penalize_now(quota, wait, now);
        Box::pin(std::future::ready(()))
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
    /// No call starts before this (a rate-limit refusal was seen).
    blocked_until: u64,
}

/// One limit: the sends of the last window, oldest first.
struct Window {
    limit: RateLimit,
    length: u64,
    /// (start, weight, reservation) of each reservation still inside some
    /// future window.
    log: VecDeque<(u64, u64, ReservationId)>,
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
            blocked_until: 0,
        }
    }

    fn reserve(
        &mut self,
        weight: usize,
        id: ReservationId,
        now: u64,
        max_wait: Option<Duration>,
    ) -> Reservation {
        let floor = now.max(self.blocked_until);
        // Only calls that count against a limit queue behind each other;
        // without limits a penalty alone delays the call.
        let floor = if self.windows.is_empty() {
            floor
        } else {
            floor.max(self.last_start)
        };
        let mut start = floor;
        let mut binding = None;
        for window in self.windows.iter_mut() {
            window.forget_before(now);
            // Each window's earliest fit is monotone in time (entries only
            // leave as time passes), so the latest of them fits all.
            let earliest = window.earliest(window.limit.weight(weight), floor);
            // Name the limit that makes the call wait longest (when it waits
            // only behind earlier reservations, the one that held them).
            if earliest >= start && earliest > now {
                binding = Some(window.limit);
            }
            start = start.max(earliest);
        }
        let wait = Duration::from_nanos(start - now);
        if max_wait.is_some_and(|max| wait > max) {
            return Reservation::Denied {
                wait,
                limit: binding,
            };
        }
        if self.windows.is_empty() {
            return Reservation::Granted { wait };
        }
        for window in self.windows.iter_mut() {
            let weight = window.limit.weight(weight);
            window.log.push_back((start, weight, id));
            window.used += weight;
        }
        self.last_start = start;
        Reservation::Granted { wait }
    }

    fn release(&mut self, id: ReservationId) {
        for window in self.windows.iter_mut() {
            // Recent reservations are at the back.
            if let Some(at) = window.log.iter().rposition(|&(_, _, of)| of == id) {
                let (_, weight, _) = window.log.remove(at).expect("a found entry");
                window.used -= weight;
            }
        }
    }
}

impl Window {
    /// Drops reservations whose window has closed by `now`.
    fn forget_before(&mut self, now: u64) {
        while let Some(&(at, weight, _)) = self.log.front() {
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
        for &(start, spent, _) in &self.log {
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
    use crate::delivery::pacing::Pacing;

    const MINUTE: Duration = Duration::from_secs(60);
    const HOUR: Duration = Duration::from_secs(3600);
    const DAY: Duration = Duration::from_secs(86_400);

    /// The store behind the old `Pacer` interface these tests were
    /// written against: limits resolved by a [`Pacing`], an absolute
    /// `latest` start, and the wait or the refusal.
    struct Pacer {
        pacing: Pacing,
        store: LocalQuotaStore,
    }

    #[derive(Debug)]
    struct Refusal {
        wait: Duration,
        limit: Option<RateLimit>,
    }

    impl Pacer {
        fn reserve(
            &self,
            quota: &str,
            declared: &[RateLimit],
            weight: usize,
            now: Duration,
            latest: Option<Duration>,
        ) -> Result<Duration, Refusal> {
            let limits = self.pacing.limits_for(quota, declared);
            let max_wait = latest.map(|latest| latest.saturating_sub(now));
            let request =
                ReserveRequest::new(quota, limits, weight, ReservationId::new(), now, max_wait);
            match self.store.reserve_now(&request) {
                Reservation::Granted { wait } => Ok(wait),
                Reservation::Denied { wait, limit } => Err(Refusal { wait, limit }),
            }
        }
    }

    fn pacer(pacing: Pacing) -> Pacer {
        Pacer {
            pacing,
            store: LocalQuotaStore::new(),
        }
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
        assert!(Pacing::disabled().limits_for("raised", &LIMITS).is_empty());
    }

    #[test]
    fn an_oversized_call_waits_for_an_empty_window() {
        static LIMITS: [RateLimit; 1] = [RateLimit::recipients(100, Duration::from_secs(1))];
        let pacer = pacer(Pacing::documented());
        assert_eq!(pacer.reserve("q", &LIMITS, 10, s(0), None).unwrap(), s(0));
        assert_eq!(pacer.reserve("q", &LIMITS, 250, s(0), None).unwrap(), s(1));
        assert_eq!(pacer.reserve("q", &LIMITS, 1, s(1), None).unwrap(), s(1));
    }

    static MINUTE_LIMIT: [RateLimit; 1] = [RateLimit::calls(1, MINUTE)];

    #[test]
    fn a_released_reservation_frees_its_room() {
        static TWO: [RateLimit; 1] = [RateLimit::calls(2, MINUTE)];
        let store = LocalQuotaStore::new();
        let request = |id, now| ReserveRequest::new("q", &TWO, 1, id, now, None);
        let first = ReservationId::new();
        for id in [first, ReservationId::new()] {
            assert_eq!(
                store.reserve_now(&request(id, s(0))),
                Reservation::Granted { wait: s(0) }
            );
        }
        // The first call never left: its room is given back at once
        // instead of a minute after it was reserved.
        store.release_now("q", first);
        store.release_now("q", ReservationId::new()); // unknown: ignored
        assert_eq!(
            store.reserve_now(&request(ReservationId::new(), s(1))),
            Reservation::Granted { wait: s(0) }
        );
        assert_eq!(
            store.reserve_now(&request(ReservationId::new(), s(1))),
            Reservation::Granted { wait: s(59) }
        );
    }

    #[test]
    fn a_penalty_delays_every_call_of_the_quota_and_only_it() {
        static NONE: [RateLimit; 0] = [];
        let store = LocalQuotaStore::new();
        let request = |quota, limits, now, max_wait| {
            ReserveRequest::new(quota, limits, 1, ReservationId::new(), now, max_wait)
        };
        // With limits or without (pacing off), a penalized quota waits.
        for (quota, limits) in [("free", &NONE[..]), ("paced", &MINUTE_LIMIT[..])] {
            store.penalize_now(quota, s(5), s(10));
            assert_eq!(
                store.reserve_now(&request(quota, limits, s(11), None)),
                Reservation::Granted { wait: s(4) },
                "{quota}"
            );
        }
        assert_eq!(
            store.reserve_now(&request("other", &NONE, s(11), None)),
            Reservation::Granted { wait: s(0) }
        );
        // A penalty past the wait the call accepts: denied, nothing reserved.
        assert_eq!(
            store.reserve_now(&request("free", &NONE, s(11), Some(s(3)))),
            Reservation::Denied {
                wait: s(4),
                limit: None
            }
        );
        // Penalties only lengthen: a shorter one does not shorten it.
        store.penalize_now("free", s(1), s(11));
        assert_eq!(
            store.reserve_now(&request("free", &NONE, s(12), None)),
            Reservation::Granted { wait: s(3) }
        );
    }
}
