//! The key layout: every key of one App Key shares the hash tag `{appKey}`,
//! so that Redis Cluster keeps them in one slot (a script may only touch
//! keys of one slot).
//!
//! ```text
//! rl:{appKey}:epoch                           the dataset's id (string)
//! rl:{appKey}:<quota>:meta                    blocked, last (hash)
//! rl:{appKey}:<quota>:<window>:<unit>:log     start → "<id>|<weight>" (zset)
//! rl:{appKey}:<quota>:<window>:<unit>:sum     the log's weights (integer)
//! ```
//!
//! `<window>` is the limit's window in milliseconds (`60000ms`), or in
//! microseconds when it is not a whole number of milliseconds; `<unit>` is
//! `calls` or `recipients`. A limit is found by its window and unit, not
//! its amount: raising an amount keeps counting in the same log.

use std::fmt::Write as _;
use std::time::Duration;

use crate::rate::{RateLimit, RateUnit};

/// The keys of one App Key.
#[derive(Debug, Clone)]
pub(super) struct KeySpace {
    /// `rl:{appKey}:`
    prefix: String,
}

impl KeySpace {
    pub(super) fn new(app_key: &str) -> Self {
        Self {
            prefix: format!("rl:{{{app_key}}}:"),
        }
    }

    /// The key holding the id of the dataset (a Redis that restarted empty
    /// has none, or another).
    pub(super) fn epoch(&self) -> String {
        format!("{}epoch", self.prefix)
    }

    /// The hash of a quota's penalty (`blocked`) and latest start (`last`).
    pub(super) fn meta(&self, quota: &str) -> String {
        format!("{}{quota}:meta", self.prefix)
    }

    /// The log and the running sum of one limit of a quota.
    pub(super) fn limit(&self, quota: &str, limit: &Limit) -> [String; 2] {
        let mut base = format!("{}{quota}:", self.prefix);
        let micros = limit.window_us;
        if micros % 1000 == 0 {
            let _ = write!(base, "{}ms:", micros / 1000);
        } else {
            let _ = write!(base, "{micros}us:");
        }
        match limit.unit {
            RateUnit::Calls => base.push_str("calls"),
            RateUnit::Recipients => base.push_str("recipients"),
            // An item limit counts one field's entries (`toGroupId`): the
            // field names the account, as calls and recipients do.
            RateUnit::Items(field) => {
                let _ = write!(base, "items-{}", field.wire_name);
            }
        }
        [format!("{base}:log"), format!("{base}:sum")]
    }
}

/// One limit as the scripts see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Limit {
    pub(super) amount: u64,
    pub(super) window_us: u64,
    pub(super) unit: RateUnit,
    /// The limit as declared (the tightest, when several share a window
    /// and unit), for errors.
    pub(super) declared: RateLimit,
}

impl Limit {
    /// The limits of a quota, one per window and unit (the least amount
    /// where several share both), in declaration order.
    pub(super) fn of(limits: &[RateLimit]) -> Vec<Limit> {
        let mut out: Vec<Limit> = Vec::with_capacity(limits.len());
        for &declared in limits {
            let window_us = micros(declared.window).max(1);
            let amount = u64::from(declared.amount);
            match out
                .iter_mut()
                .find(|l| l.window_us == window_us && l.unit == declared.unit)
            {
                Some(same) if amount < same.amount => {
                    same.amount = amount;
                    same.declared = declared;
                }
                Some(_) => {}
                None => out.push(Limit {
                    amount,
                    window_us,
                    unit: declared.unit,
                    declared,
                }),
            }
        }
        out
    }

    /// What a call of `weight` counts under this limit.
    pub(super) fn weight(&self, weight: usize) -> u64 {
        self.declared.weight(weight)
    }
}

pub(super) fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_of_an_app_key_carries_its_hash_tag() {
        let keys = KeySpace::new("k3y");
        let limits = Limit::of(&[
            RateLimit::calls(2, Duration::from_secs(3600)),
            RateLimit::calls(3, Duration::from_secs(86_400)),
            RateLimit::recipients(100, Duration::from_millis(1500)),
            RateLimit::recipients(6000, Duration::from_micros(620_500)),
        ]);
        assert_eq!(keys.epoch(), "rl:{k3y}:epoch");
        assert_eq!(keys.meta("/push.json"), "rl:{k3y}:/push.json:meta");
        assert_eq!(
            keys.limit("/push.json", &limits[0]),
            [
                "rl:{k3y}:/push.json:3600000ms:calls:log",
                "rl:{k3y}:/push.json:3600000ms:calls:sum"
            ]
        );
        assert_eq!(
            keys.limit("q", &limits[2])[0],
            "rl:{k3y}:q:1500ms:recipients:log"
        );
        assert_eq!(
            keys.limit("q", &limits[3])[1],
            "rl:{k3y}:q:620500us:recipients:sum"
        );
    }

    #[test]
    fn limits_sharing_a_window_and_unit_keep_the_tightest() {
        let minute = Duration::from_secs(60);
        let limits = Limit::of(&[
            RateLimit::recipients(6000, minute),
            RateLimit::calls(100, minute),
            RateLimit::recipients(5000, minute),
        ]);
        assert_eq!(limits.len(), 2);
        assert_eq!(limits[0].amount, 5000);
        assert_eq!(limits[0].declared, RateLimit::recipients(5000, minute));
        assert_eq!((limits[1].amount, limits[1].weight(40)), (100, 1));
        assert_eq!(limits[0].weight(40), 40);
    }
}
