//! Where the accounts of the rate limits live: the [`QuotaStore`] trait.

use std::fmt;
use std::time::Duration;

use crate::rate::RateLimit;
use crate::transport::BoxFuture;

/// The accounts of the provider's quotas, which every call of a client (and
/// of its clones) reserves its turn from.
///
/// The provider counts its quotas per App Key, so every process sending
/// with one App Key should share one store. The default,
/// [`LocalQuotaStore`](crate::LocalQuotaStore), keeps the accounts in the
/// process: right for one app server. A fleet of app servers uses a shared
/// implementation (`RedisQuotaStore`, with the cargo feature `redis`)
/// behind this same interface.
///
/// Three operations:
///
/// - [`reserve`](Self::reserve): every limit of one quota at once, for one
///   call's weight. The answer is [`Reservation::Granted`] (the call may
///   start after the given wait, zero for now) or
///   [`Reservation::Denied`] (nothing was reserved; the limits leave no
///   room before the given wait). A store may grant future starts (the local
///   store queues calls in order) or only "now" (a shared store answers
///   "denied, ask again in d"); the client handles both.
/// - [`release`](Self::release): gives back a reservation whose call
///   certainly never left the process (its connection could not be made).
/// - [`penalize`](Self::penalize): the server refused a call of the quota
///   under its rate limit (HTTP 429 / code 1008): every call of the quota,
///   in every process sharing the store, waits that long before its next
///   turn, so that a burst does not stampede.
///
/// A store that cannot decide (its server is unreachable) answers
/// [`QuotaStoreError`]; the call then fails, not sent. A store that prefers
/// to fall back to local accounts does so itself, per quota.
pub trait QuotaStore: Send + Sync + 'static {
    /// Reserves `request.weight` under every limit of `request.quota`,
    /// either entirely or not at all.
    fn reserve<'a>(
        &'a self,
        request: &'a ReserveRequest<'a>,
    ) -> BoxFuture<'a, Result<Reservation, QuotaStoreError>>;

    /// Gives back the reservation `id` of `quota`: its call never left the
    /// process. Unknown ids are ignored.
    fn release<'a>(&'a self, quota: &'a str, id: ReservationId) -> BoxFuture<'a, ()>;

    /// Makes every call of `quota` wait `wait` from now (`now` on the
    /// client's timer; a shared store uses its own clock) before its next
    /// turn.
    fn penalize<'a>(&'a self, quota: &'a str, wait: Duration, now: Duration) -> BoxFuture<'a, ()>;
}

/// One call's request for a turn.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct ReserveRequest<'a> {
    /// The quota key ([`Endpoint::QUOTA`](crate::Endpoint::QUOTA)).
    pub quota: &'a str,
    /// Every limit of the quota, all of which apply (none: only
    /// penalties delay the call).
    pub limits: &'a [RateLimit],
    /// The call's weight: its recipients, target groups or rooms, as the
    /// endpoint counts ([`RateLimit::weight`] turns it into each limit's
    /// count).
    pub weight: usize,
    /// The id of this reservation, unique: a store that retries its own
    /// request must not charge twice for one id.
    pub id: ReservationId,
    /// The client's timer now (in-process stores use it; shared stores use
    /// their server's clock).
    pub now: Duration,
    /// The longest wait the call accepts: a later start must be
    /// [`Reservation::Denied`], with nothing reserved. `None`: any wait.
    pub max_wait: Option<Duration>,
}

impl<'a> ReserveRequest<'a> {
    /// A request for a turn of `quota` under `limits`.
    pub fn new(
        quota: &'a str,
        limits: &'a [RateLimit],
        weight: usize,
        id: ReservationId,
        now: Duration,
        max_wait: Option<Duration>,
    ) -> Self {
        Self {
            quota,
            limits,
            weight,
            id,
            now,
            max_wait,
        }
    }
}

/// The answer to a [`ReserveRequest`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// Reserved: the call may start once `wait` has passed (zero: now).
    Granted {
        /// The wait before the call starts.
        wait: Duration,
    },
    /// Nothing was reserved: the call's weight fits only after `wait`.
    Denied {
        /// The least wait after which the call could fit.
        wait: Duration,
        /// The limit that makes the call wait longest, when known.
        limit: Option<RateLimit>,
    },
}

/// The id of one reservation: random, so that processes sharing a store
/// never collide.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReservationId(u64);

impl ReservationId {
    /// A new random id.
    pub fn new() -> Self {
        Self(rand::random())
    }

    /// The id as a number.
    pub fn get(self) -> u64 {
        self.0
    }

    /// The id for this number (stores that persist ids).
    pub fn from_u64(id: u64) -> Self {
        Self(id)
    }
}

impl Default for ReservationId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for ReservationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReservationId({:016x})", self.0)
    }
}

impl fmt::Display for ReservationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// A quota store could not decide (its server is unreachable, say).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("quota store: {0}")]
pub struct QuotaStoreError(String);

impl QuotaStoreError {
    /// An error with this explanation (never put a secret in it).
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }

    /// The explanation.
    pub fn message(&self) -> &str {
        &self.0
    }
}
