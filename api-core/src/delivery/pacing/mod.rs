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
//!   process by default, a shared store for a fleet of app servers.
//!
//! [`Endpoint::RATE_LIMITS`]: crate::Endpoint::RATE_LIMITS
//! [`Endpoint::QUOTA`]: crate::Endpoint::QUOTA

mod local;
mod store;

use std::collections::HashMap;

pub use local::LocalQuotaStore;
pub use store::{QuotaStore, QuotaStoreError, Reservation, ReservationId, ReserveRequest};

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
    /// is then retried after backoff). A 1008 still makes every call of its
    /// quota wait before its next turn.
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
}
