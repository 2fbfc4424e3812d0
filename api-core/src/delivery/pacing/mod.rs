//! Client-side pacing under the documented rate limits, so that a burst of
//! calls waits its turn instead of earning code 1008.
//!
//! Each endpoint declares its limits ([`Endpoint::RATE_LIMITS`]) and the key
//! of the quota they belong to ([`Endpoint::QUOTA`]); calls with the same
//! key share one account. A limit counts calls, or the call's weight (a
//! publish to 1000 users counts 1000).
//!
//! - [`Pacing`]: which limits apply (the documented ones, overrides for an
//!   account whose quota was raised, or none).
//! - [`QuotaStore`]: where the accounts live; [`LocalQuotaStore`] in the
//!   process by default, a shared store for a fleet of app servers
//!   (`RedisQuotaStore`, with the cargo feature `redis`).
//!
//! [`Endpoint::RATE_LIMITS`]: crate::Endpoint::RATE_LIMITS
//! [`Endpoint::QUOTA`]: crate::Endpoint::QUOTA

mod from_env;
mod local;
#[cfg(feature = "redis")]
pub(crate) mod redis;
mod store;

use std::borrow::Cow;
use std::collections::HashMap;

pub(crate) use from_env::quota_store_from_env;
pub use local::LocalQuotaStore;
#[cfg(feature = "redis")]
pub use redis::{FailurePolicy, RedisQuotaStore, RedisQuotaStoreBuilder};
pub use store::{QuotaStore, QuotaStoreError, Reservation, ReservationId, ReserveRequest};

use crate::rate::RateLimit;

/// The default [`Pacing::margin`]: windows 2 % longer than documented.
pub const DEFAULT_PACING_MARGIN: f64 = 0.02;

/// How the client paces calls under rate limits.
///
/// The default, [`Pacing::documented`], applies every endpoint's documented
/// limits. An account with raised quotas replaces the limits of a quota key
/// with [`limits`](Self::limits); [`disabled`](Self::disabled) turns pacing
/// off.
///
/// The server counts a call when it arrives, the client when it lets the
/// call go: a call delayed on its way by more than the one a window before
/// it arrives inside that window. So each window is paced
/// [`margin`](Self::margin) longer than documented (2 % by default: 1.2 s
/// on a minute, 20 ms on a second), at 98 % of the documented rate.
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
    margin: f64,
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
            margin: DEFAULT_PACING_MARGIN,
        }
    }

    /// No pacing: every call goes at once (a burst may earn code 1008, which
    /// is then retried after backoff). A 1008 still makes every call of its
    /// quota wait before its next turn.
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            overrides: HashMap::new(),
            margin: DEFAULT_PACING_MARGIN,
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

    /// Paces every window `margin` longer than documented (a fraction: 0.02
    /// is 2 %), against the jitter between the moment the client lets a
    /// call go and the moment the server counts it. 0 paces at exactly the
    /// documented rate. Negative or non-finite values count as 0.
    pub fn margin(mut self, margin: f64) -> Self {
        self.margin = if margin.is_finite() && margin > 0.0 {
            margin
        } else {
            0.0
        };
        self
    }

    /// The margin added to every window.
    pub fn window_margin(&self) -> f64 {
        self.margin
    }

    /// Whether calls are paced at all.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// The limits that apply to `quota`, whose endpoint declares
    /// `declared`: the override if there is one, none when pacing is off.
    pub fn limits_for<'a>(&'a self, quota: &str, declared: &'a [RateLimit]) -> &'a [RateLimit] {
        if !self.enabled {
            return &[];
        }
        if self.overrides.is_empty() {
            return declared;
        }
        self.overrides.get(quota).map_or(declared, Vec::as_slice)
    }

    /// The limits the client paces `quota` under:
    /// [`limits_for`](Self::limits_for) with every window lengthened by the
    /// [`margin`](Self::margin).
    pub fn paced_limits<'a>(
        &'a self,
        quota: &str,
        declared: &'a [RateLimit],
    ) -> Cow<'a, [RateLimit]> {
        let limits = self.limits_for(quota, declared);
        if self.margin == 0.0 || limits.is_empty() {
            return Cow::Borrowed(limits);
        }
        Cow::Owned(
            limits
                .iter()
                .map(|limit| RateLimit {
                    window: limit.window.mul_f64(1.0 + self.margin),
                    ..*limit
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn the_margin_lengthens_every_window_and_only_the_window() {
        static DECLARED: [RateLimit; 2] = [
            RateLimit::calls(2, Duration::from_secs(3600)),
            RateLimit::recipients(6000, Duration::from_secs(60)),
        ];
        let pacing = Pacing::documented();
        let paced = pacing.paced_limits("q", &DECLARED);
        assert_eq!(
            &*paced,
            [
                RateLimit::calls(2, Duration::from_secs(3672)),
                RateLimit::recipients(6000, Duration::from_millis(61_200)),
            ]
        );
        let exact = Pacing::documented().margin(0.0);
        assert!(matches!(exact.paced_limits("q", &DECLARED), Cow::Borrowed(l) if l == DECLARED));
        assert_eq!(Pacing::documented().margin(-1.0).window_margin(), 0.0);
        assert_eq!(Pacing::documented().margin(f64::NAN).window_margin(), 0.0);
        let off = Pacing::disabled();
        assert!(off.paced_limits("q", &DECLARED).is_empty());
    }
}
