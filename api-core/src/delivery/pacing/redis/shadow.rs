//! This process's own reservations of the last window, on the Redis
//! server's clock.
//!
//! Redis holds the fleet's log; each store also remembers its own part of
//! it, for three uses: a release names the exact log entries to remove;
//! when Redis becomes unreachable the local fallback starts from what this
//! process already sent (not from an empty window); and when Redis is back,
//! or restarted empty, the store writes its part back (under the same ids,
//! so nothing counts twice). Bounded: an entry is dropped once the quota's
//! longest window has passed over it (a `/push.json` quota holds at most 3,
//! 6000 recipients a minute at most 6000).

use std::collections::{HashMap, VecDeque};

use super::keys::Limit;
use crate::delivery::pacing::ReservationId;

/// One reservation of this process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Entry {
    pub(super) id: ReservationId,
    /// Its start, in microseconds on the server's clock.
    pub(super) start_us: u64,
    /// The call's weight (each limit counts it its own way).
    pub(super) weight: usize,
}

/// One quota's part of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct QuotaLog {
    pub(super) quota: String,
    pub(super) limits: Vec<Limit>,
    pub(super) entries: Vec<Entry>,
}

#[derive(Debug, Default)]
pub(super) struct Shadow {
    quotas: HashMap<Box<str>, Quota>,
}

#[derive(Debug)]
struct Quota {
    limits: Vec<Limit>,
    longest_us: u64,
    entries: VecDeque<Entry>,
}

impl Quota {
    fn forget_before(&mut self, now_us: u64) {
        while let Some(entry) = self.entries.front() {
            if entry.start_us.saturating_add(self.longest_us) > now_us {
                break;
            }
            self.entries.pop_front();
        }
    }
}

impl Shadow {
    /// Remembers a reservation of `quota` under `limits`.
    pub(super) fn record(&mut self, quota: &str, limits: &[Limit], entry: Entry, now_us: u64) {
        if limits.is_empty() {
            return;
        }
        let state = match self.quotas.get_mut(quota) {
            Some(state) => state,
            None => self.quotas.entry(quota.into()).or_insert_with(|| Quota {
                limits: Vec::new(),
                longest_us: 0,
                entries: VecDeque::new(),
            }),
        };
        if state.limits != limits {
            // New limits (the first call, or an override changed): the old
            // entries were counted under other keys.
            state.limits = limits.to_vec();
            state.longest_us = limits.iter().map(|l| l.window_us).max().unwrap_or(0);
            state.entries.clear();
        }
        state.forget_before(now_us);
        state.entries.push_back(entry);
    }

    /// Forgets the reservation `id` of `quota`, answering its limits and
    /// entry if it was known.
    pub(super) fn take(&mut self, quota: &str, id: ReservationId) -> Option<(Vec<Limit>, Entry)> {
        let state = self.quotas.get_mut(quota)?;
        // Recent reservations are at the back.
        let at = state.entries.iter().rposition(|entry| entry.id == id)?;
        let entry = state.entries.remove(at)?;
        Some((state.limits.clone(), entry))
    }

    /// Every quota's reservations still inside a window at `now_us`, oldest
    /// first.
    pub(super) fn snapshot(&mut self, now_us: u64) -> Vec<QuotaLog> {
        self.quotas.retain(|_, state| {
            state.forget_before(now_us);
            !state.entries.is_empty()
        });
        self.quotas
            .iter()
            .map(|(quota, state)| QuotaLog {
                quota: quota.to_string(),
                limits: state.limits.clone(),
                entries: state.entries.iter().copied().collect(),
            })
            .collect()
    }

    /// How many reservations are remembered (tests, bounds).
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.quotas.values().map(|q| q.entries.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::rate::RateLimit;

    fn entry(id: u64, start_us: u64) -> Entry {
        Entry {
            id: ReservationId::from_u64(id),
            start_us,
            weight: 1,
        }
    }

    #[test]
    fn entries_live_one_longest_window() {
        let limits = Limit::of(&[
            RateLimit::calls(2, Duration::from_secs(1)),
            RateLimit::calls(3, Duration::from_secs(10)),
        ]);
        let mut shadow = Shadow::default();
        shadow.record("q", &limits, entry(1, 0), 0);
        shadow.record("q", &limits, entry(2, 5_000_000), 5_000_000);
        assert_eq!(shadow.len(), 2);
        let logs = shadow.snapshot(10_000_000);
        assert_eq!(logs.len(), 1);
        assert_eq!(logs[0].entries, [entry(2, 5_000_000)]);
        assert!(shadow.snapshot(15_000_000).is_empty());
        assert_eq!(shadow.len(), 0);
    }

    #[test]
    fn a_taken_entry_is_forgotten_and_others_stay() {
        let limits = Limit::of(&[RateLimit::calls(2, Duration::from_secs(1))]);
        let mut shadow = Shadow::default();
        for id in 1..=3 {
            shadow.record("q", &limits, entry(id, id), id);
        }
        let (of, taken) = shadow.take("q", ReservationId::from_u64(2)).unwrap();
        assert_eq!((of, taken), (limits.clone(), entry(2, 2)));
        assert!(shadow.take("q", ReservationId::from_u64(2)).is_none());
        assert!(shadow.take("other", ReservationId::from_u64(1)).is_none());
        assert_eq!(shadow.snapshot(3)[0].entries, [entry(1, 1), entry(3, 3)]);
    }

    #[test]
    fn new_limits_start_a_new_log_and_no_limits_record_nothing() {
        let one = Limit::of(&[RateLimit::calls(2, Duration::from_secs(1))]);
        let other = Limit::of(&[RateLimit::calls(2, Duration::from_secs(2))]);
        let mut shadow = Shadow::default();
        shadow.record("q", &one, entry(1, 0), 0);
        shadow.record("q", &other, entry(2, 1), 1);
        shadow.record("free", &[], entry(3, 1), 1);
        assert_eq!(shadow.snapshot(1)[0].entries, [entry(2, 1)]);
        assert_eq!(shadow.len(), 1);
    }
}
