//! Host failover: which configured base URL a call goes to.
//!
//! The provider asks clients to switch to the backup host when a host times
//! out or is unavailable, to remember the host in use and to keep going from
//! there. So the choice is sticky and shared by every clone of a client
//! (never global: two clients fail over independently).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use crate::hosts::BaseUrl;

/// When the client moves between its configured hosts.
///
/// On a failure that says the host is unhealthy (no connection, DNS or TLS
/// failure, a timeout, a connection lost mid-exchange, or a 5xx answer,
/// whatever its body: [`classify`](crate::classify) decides), the
/// client moves to the next configured host, in the configured order, and
/// stays there. Two safeguards:
///
/// - [`cooldown`](Self::cooldown): after a move, further failures do not
///   move the shared choice again for this long. A burst of calls that fail
///   together moves it one step, not one step per call, and two flapping
///   hosts are not swapped back and forth at the rate of failures. (A call
///   whose own attempt failed still retries on the next host.)
/// - [`return_to_primary_after`](Self::return_to_primary_after): this long
///   after the last move, calls go to the primary (the first host) again; if
///   it still fails, the first failure moves them off it at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FailoverPolicy {
    /// The least time between two moves caused by failures.
    pub cooldown: Duration,
    /// How long after the last move calls go back to the primary host.
    pub return_to_primary_after: Duration,
}

/// The default [`FailoverPolicy::cooldown`].
pub const DEFAULT_FAILOVER_COOLDOWN: Duration = Duration::from_secs(2);
/// The default [`FailoverPolicy::return_to_primary_after`].
pub const DEFAULT_RETURN_TO_PRIMARY: Duration = Duration::from_secs(300);

impl Default for FailoverPolicy {
    fn default() -> Self {
        Self {
            cooldown: DEFAULT_FAILOVER_COOLDOWN,
            return_to_primary_after: DEFAULT_RETURN_TO_PRIMARY,
        }
    }
}

impl FailoverPolicy {
    /// The default policy: a 2 s cooldown, back to the primary after 5 min.
    pub fn new() -> Self {
        Self::default()
    }

    /// The least time between two moves caused by failures (default 2 s).
    pub fn cooldown(mut self, cooldown: Duration) -> Self {
        self.cooldown = cooldown;
        self
    }

    /// How long after the last move calls go back to the primary host
    /// (default 5 min).
    pub fn return_to_primary_after(mut self, window: Duration) -> Self {
        self.return_to_primary_after = window;
        self
    }
}

/// "Never moved": the cooldown does not apply to the first move.
const NEVER: u64 = u64::MAX;

/// The shared host choice of one client.
///
/// Reads (every attempt) are two atomic loads; only a move takes the mutex,
/// briefly and never across an await.
pub(crate) struct Failover {
    hosts: Box<[BaseUrl]>,
    policy: FailoverPolicy,
    current: AtomicUsize,
    /// When the last move caused by a failure happened (timer nanoseconds).
    moved_at: AtomicU64,
    moves: Mutex<()>,
}

impl Failover {
    pub(crate) fn new(hosts: Vec<BaseUrl>, policy: FailoverPolicy) -> Self {
        Self {
            hosts: hosts.into_boxed_slice(),
            policy,
            current: AtomicUsize::new(0),
            moved_at: AtomicU64::new(NEVER),
            moves: Mutex::new(()),
        }
    }

    pub(crate) fn hosts(&self) -> &[BaseUrl] {
        &self.hosts
    }

    pub(crate) fn url(&self, index: usize) -> &BaseUrl {
        &self.hosts[index]
    }

    /// The host calls use now, returning to the primary once the window has
    /// passed.
    pub(crate) fn current(&self, now: Duration) -> usize {
        let current = self.current.load(Ordering::Acquire);
        if current == 0 {
            return 0;
        }
        let moved_at = self.moved_at.load(Ordering::Acquire);
        let window = nanos(self.policy.return_to_primary_after);
        if moved_at != NEVER && nanos(now).saturating_sub(moved_at) >= window {
            // Lost races are fine: whoever moved it meanwhile had a reason.
            if self
                .current
                .compare_exchange(current, 0, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                tracing::info!(host = self.hosts[0].host(), "returning to the primary host");
                return 0;
            }
            return self.current.load(Ordering::Acquire);
        }
        current
    }

    /// The host for one attempt: the shared choice, unless that is the host
    /// this call's previous attempt just failed on (the shared choice may
    /// not have moved, because of the cooldown).
    pub(crate) fn host_for_attempt(&self, now: Duration, failed: Option<usize>) -> usize {
        let current = self.current(now);
        match failed {
            Some(failed) if failed == current => (failed + 1) % self.hosts.len(),
            _ => current,
        }
    }

    /// Records that an attempt on `failed` showed the host unhealthy; moves
    /// the shared choice to the next host if `failed` is still the choice
    /// and the cooldown has passed. Returns the new host when it moved.
    pub(crate) fn report_failure(&self, failed: usize, now: Duration) -> Option<usize> {
        if self.hosts.len() < 2 {
            return None;
        }
        let _serialized = self.moves.lock().unwrap_or_else(|e| e.into_inner());
        if self.current.load(Ordering::Acquire) != failed {
            // Another call already moved it (or it is back on the primary).
            return None;
        }
        let now = nanos(now);
        let moved_at = self.moved_at.load(Ordering::Acquire);
        if moved_at != NEVER && now.saturating_sub(moved_at) < nanos(self.policy.cooldown) {
            return None;
        }
        let next = (failed + 1) % self.hosts.len();
        self.moved_at.store(now, Ordering::Release);
        self.current.store(next, Ordering::Release);
        tracing::warn!(
            from = self.hosts[failed].host(),
            to = self.hosts[next].host(),
            "host failed; switching"
        );
        Some(next)
    }
}

fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn three() -> Failover {
        let hosts = [
            "https://a.example",
            "https://b.example",
            "https://c.example",
        ]
        .iter()
        .map(|url| BaseUrl::parse(url).unwrap())
        .collect();
        Failover::new(
            hosts,
            FailoverPolicy::new()
                .cooldown(Duration::from_secs(2))
                .return_to_primary_after(Duration::from_secs(60)),
        )
    }

    const fn s(secs: u64) -> Duration {
        Duration::from_secs(secs)
    }

    #[test]
    fn moves_in_order_sticks_and_respects_the_cooldown() {
        let failover = three();
        assert_eq!(failover.current(s(0)), 0);
        assert_eq!(failover.report_failure(0, s(10)), Some(1));
        assert_eq!(failover.current(s(11)), 1, "sticky");
        // A late failure report about the old host changes nothing.
        assert_eq!(failover.report_failure(0, s(11)), None);
        // Within the cooldown the shared choice stays, but the failing call
        // itself goes on to the next host.
        assert_eq!(failover.report_failure(1, s(11)), None);
        assert_eq!(failover.current(s(11)), 1);
        assert_eq!(failover.host_for_attempt(s(11), Some(1)), 2);
        assert_eq!(failover.host_for_attempt(s(11), Some(0)), 1);
        assert_eq!(failover.report_failure(1, s(12)), Some(2));
        assert_eq!(failover.report_failure(2, s(14)), Some(0), "wraps around");
    }

    #[test]
    fn returns_to_the_primary_after_the_window_and_leaves_it_at_once() {
        let failover = three();
        failover.report_failure(0, s(100));
        assert_eq!(failover.current(s(159)), 1);
        assert_eq!(failover.current(s(160)), 0);
        // The primary still fails: no cooldown after a return.
        assert_eq!(failover.report_failure(0, s(160)), Some(1));
    }

    #[test]
    fn a_single_host_never_moves() {
        let failover = Failover::new(
            vec![BaseUrl::parse("https://a.example").unwrap()],
            FailoverPolicy::default(),
        );
        assert_eq!(failover.report_failure(0, s(1)), None);
        assert_eq!(failover.host_for_attempt(s(1), Some(0)), 0);
    }
}
