//! Documented rate limits, as endpoints declare them.
//!
//! `#[endpoint(rate_limit(recipients = 6000, per = minute))]` becomes a
//! [`RateLimit`] in [`Endpoint::RATE_LIMITS`](crate::Endpoint::RATE_LIMITS);
//! the client's pacer reads them.

use std::time::Duration;

/// What a rate limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateUnit {
    /// Every call counts one.
    Calls,
    /// A call counts one per recipient (a publish to 1000 users counts 1000).
    Recipients,
    /// A call counts one per item of one of its fields: a group message to
    /// 3 groups counts 3 (`toGroupId`). Behind a thin reference, so that
    /// the unit (and every error holding a limit) stays small.
    Items(&'static CountedField),
}

/// The field a [`RateUnit::Items`] limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CountedField {
    /// The field's wire name (`toGroupId`).
    pub wire_name: &'static str,
}

/// A documented limit: at most `amount` calls, recipients or items per
/// `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimit {
    /// How many calls or recipients the window allows.
    pub amount: u32,
    /// The length of the window.
    pub window: Duration,
    /// What is counted.
    pub unit: RateUnit,
}

impl RateLimit {
    /// `amount` calls per `window`.
    pub const fn calls(amount: u32, window: Duration) -> Self {
        Self {
            amount,
            window,
            unit: RateUnit::Calls,
        }
    }

    /// `amount` recipients per `window`.
    pub const fn recipients(amount: u32, window: Duration) -> Self {
        Self {
            amount,
            window,
            unit: RateUnit::Recipients,
        }
    }

    /// `amount` items of `field` per `window`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use api_core::{CountedField, RateLimit};
    ///
    /// let per_group = RateLimit::items(
    ///     20,
    ///     Duration::from_secs(1),
    ///     &CountedField { wire_name: "toGroupId" },
    /// );
    /// assert_eq!(per_group.weight(3), 3);
    /// assert_eq!(per_group.to_string(), "20 toGroupId per second");
    /// ```
    pub const fn items(amount: u32, window: Duration, field: &'static CountedField) -> Self {
        Self {
            amount,
            window,
            unit: RateUnit::Items(field),
        }
    }

    /// The weight under this limit of one call whose
    /// [`rate_weight`](crate::Endpoint::rate_weight) is `count` (at least
    /// one: every call counts).
    pub fn weight(&self, count: usize) -> u64 {
        match self.unit {
            RateUnit::Calls => 1,
            RateUnit::Recipients | RateUnit::Items(_) => count.max(1) as u64,
        }
    }
}

impl std::fmt::Display for RateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match self.unit {
            RateUnit::Calls => "calls",
            RateUnit::Recipients => "recipients",
            RateUnit::Items(field) => field.wire_name,
        };
        let secs = self.window.as_secs();
        let per = match secs {
            1 => "second".to_owned(),
            60 => "minute".to_owned(),
            3600 => "hour".to_owned(),
            86_400 => "day".to_owned(),
            _ => format!("{:?}", self.window),
        };
        write!(f, "{} {unit} per {per}", self.amount)
    }
}

/// A field a rate limit can count the items of
/// (`rate_limit(items = N, per = ..., counted_by = field)`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a collection, so a rate limit cannot count its items",
    label = "`counted_by` names a field holding a `Vec`, a slice, a map, or an `Option` of one"
)]
pub trait RateCount {
    /// The number of items (0 for `None`).
    fn rate_count(&self) -> usize;
}

impl<T> RateCount for Vec<T> {
    fn rate_count(&self) -> usize {
        self.len()
    }
}
impl<T> RateCount for [T] {
    fn rate_count(&self) -> usize {
        self.len()
    }
}
impl<K, V> RateCount for std::collections::BTreeMap<K, V> {
    fn rate_count(&self) -> usize {
        self.len()
    }
}
impl<K, V, S> RateCount for std::collections::HashMap<K, V, S> {
    fn rate_count(&self) -> usize {
        self.len()
    }
}
impl<T: RateCount> RateCount for Option<T> {
    fn rate_count(&self) -> usize {
        self.as_ref().map_or(0, RateCount::rate_count)
    }
}
impl<T: RateCount + ?Sized> RateCount for &T {
    fn rate_count(&self) -> usize {
        (**self).rate_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_and_display() {
        let per_minute = RateLimit::recipients(6000, Duration::from_secs(60));
        assert_eq!(per_minute.weight(1000), 1000);
        assert_eq!(per_minute.to_string(), "6000 recipients per minute");
        let per_hour = RateLimit::calls(2, Duration::from_secs(3600));
        assert_eq!(per_hour.weight(1000), 1);
        assert_eq!(per_hour.to_string(), "2 calls per hour");
        let per_group = RateLimit::items(
            20,
            Duration::from_secs(1),
            &CountedField {
                wire_name: "toGroupId",
            },
        );
        assert_eq!(per_group.weight(3), 3);
        assert_eq!(per_group.weight(0), 1, "every call counts");
        assert_eq!(per_group.to_string(), "20 toGroupId per second");
    }

    #[test]
    fn a_counted_unit_keeps_errors_small() {
        // A pacing error keeps its limit: the unit holds a thin reference
        // (a `&'static str` would be 8 bytes wider), so every `Error` stays
        // within clippy's `result_large_err` limit of 128 bytes.
        assert_eq!(std::mem::size_of::<RateUnit>(), 16);
        assert!(std::mem::size_of::<crate::Error>() <= 128);
    }

    #[test]
    fn counts_of_collections() {
        assert_eq!(vec![1, 2, 3].rate_count(), 3);
        assert_eq!(Some(vec!["a"]).rate_count(), 1);
        assert_eq!(None::<Vec<u8>>.rate_count(), 0);
        let map: std::collections::BTreeMap<u8, u8> = [(1, 1), (2, 2)].into();
        assert_eq!(RateCount::rate_count(&&map), 2);
    }
}
