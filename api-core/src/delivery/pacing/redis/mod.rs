//! The Redis quota store (cargo feature `redis`): [`RedisQuotaStore`],
//! whose documentation explains the algorithm, the keys, the failure
//! policies and durability.
//!
//! - `config.rs`: the builder and the [`FailurePolicy`];
//! - `keys.rs`: the key layout;
//! - `scripts.rs` and the `*.lua` files: the scripts and their replies;
//! - `shadow.rs`: this process's own reservations of the current windows;
//! - this file: the store, its connection and its fallback.

mod config;
mod keys;
mod scripts;
mod shadow;

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ::redis::RedisError;
use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::sync::OnceCell;
use tokio::time::Instant;

pub use config::{FailurePolicy, RedisQuotaStoreBuilder};

use self::config::redacted;
use self::keys::{KeySpace, Limit};
use self::scripts::{ReserveReply, Scripts};
use self::shadow::{Entry, Shadow};
use super::local::LocalQuotaStore;
use super::store::{QuotaStore, QuotaStoreError, Reservation, ReservationId, ReserveRequest};
use crate::error::ConfigError;
use crate::rate::RateLimit;
use crate::transport::BoxFuture;

/// A [`QuotaStore`] in Redis, shared by every app server of one App Key
/// (cargo feature `redis`).
///
/// The provider counts its quotas per App Key, so three app servers that
/// each pace to 6000 recipients a minute together send 18 000 and earn code
/// 1008. With one [`RedisQuotaStore`] per process, pointed at the same
/// Redis, the fleet shares one account per quota.
///
/// # The algorithm: a weighted sliding-window log
///
/// The same as the in-process [`LocalQuotaStore`](crate::LocalQuotaStore):
/// per limit, a log of `(start, weight)` entries, each counting against the
/// limit for exactly one window after its start, and a running sum of the
/// log. A call fits a limit at the earliest time when the entries still
/// inside the window plus its weight are at most the amount; every window
/// of that length then holds at most the amount, at 100 % of the documented
/// rate.
///
/// Not GCRA (a token bucket, as `redis_rate`, `redis-cell` and `governor`
/// do): GCRA bounds `burst + rate × window` in any window, not the amount.
/// Measured here (shared/FLEET.md §2.1): with 6000 recipients a minute and
/// a burst of 6000, calls of 1000 put **11 000** recipients in one minute
/// (1.83×); a burst of 1000 still lets 7000 through (1.17×); sizing it so
/// that the worst window holds 6000 wastes 17 % of the quota; and 3 pushes
/// a day become **5** in 24 hours.
///
/// One Lua script (`reserve.lua`, sent by its hash) decides a reservation
/// atomically in Redis:
///
/// 1. the clock is the Redis server's (`TIME`), so app servers with skewed
///    clocks agree;
/// 2. entries whose window has closed leave the log (and the sum): the
///    cost is the number of expired entries, not a scan;
/// 3. a weight above a limit's amount is an error (a chunking bug: waiting
///    would never help), not a wait;
/// 4. the call's start is the earliest time at which it fits **every**
///    limit of the quota ("2 an hour **and** 3 a day" is one decision), no
///    earlier than a penalty (`blocked`) and no earlier than the last
///    reserved start (`last`: calls start in the order they reserved, so a
///    publish to 1000 is not overtaken forever by publishes to 1);
/// 5. a start later than the call's accepted wait is
///    [`Reservation::Denied`] and **nothing is written**; otherwise the
///    entry `<id>|<weight>` goes into every log at that start, the sums
///    grow, and every key gets a `PEXPIRE` for as long as it matters;
/// 6. a reservation id already in the log answers what it was granted: a
///    script call retried after a lost answer never charges twice.
///
/// `release.lua` removes a reservation whose call never left its process;
/// `penalize.lua` writes `blocked` after a 1008, which every process's next
/// reservation honours.
///
/// # Keys
///
/// ```text
/// rl:{appKey}:epoch                           the dataset's id (string)
/// rl:{appKey}:<quota>:meta                    blocked, last (hash)
/// rl:{appKey}:<quota>:<window>:<unit>:log     start → "<id>|<weight>" (zset)
/// rl:{appKey}:<quota>:<window>:<unit>:sum     the log's weights (integer)
/// ```
///
/// e.g. `rl:{k}:/push.json:3672000ms:calls:log` (an hour plus the client's
/// default 2 % [`Pacing::margin`](crate::Pacing::margin)). A limit's log is
/// found by its window as paced, so the processes of a fleet share an
/// account only when they pace alike: give every app server the same
/// [`Pacing`](crate::Pacing) (margin and overrides). The `{appKey}` hash tag
/// keeps every key of an App Key in one Redis Cluster slot, and the scripts
/// receive all of them in `KEYS[]`, as Cluster requires. A log and its sum
/// expire one window after their newest entry, the meta hash when its
/// `blocked` and `last` are past: nothing grows without bound. (The epoch,
/// one short string per App Key, does not expire.)
///
/// # When Redis is unreachable
///
/// Refused connections are seen at once; a paused or overloaded Redis after
/// the response timeout (500 ms by default). The store then applies each
/// quota's [`FailurePolicy`] without asking Redis again for the retry
/// interval (1 s by default), after which one call asks it again:
///
/// - [`FailurePolicy::FailClosed`], the default for quotas with a window
///   longer than a minute (`/push.json`): the call fails, not sent;
/// - [`FailurePolicy::LocalFallback`], the default for per-second and
///   per-minute quotas: the process paces itself in a
///   [`LocalQuotaStore`](crate::LocalQuotaStore) at each limit's amount
///   divided by the fleet size (rounded down, at least 1), starting from
///   what it already sent in the current windows;
/// - [`FailurePolicy::FailOpen`] (opt-in): the same at the full quota.
///
/// A quota without limits (pacing off) only honours penalties, locally
/// while Redis is unreachable. When Redis answers again, the store first
/// writes back what its fallback granted, so Redis counts it.
///
/// # Durability
///
/// Redis without persistence forgets every log when it restarts: measured
/// here, the same minute then admits the quota twice (FLEET.md §2.3), and a
/// day's 3 pushes could become 6. Run Redis with `appendonly yes`
/// (`appendfsync everysec` loses at most a second of reservations).
///
/// The store also limits the damage itself: each process remembers its own
/// reservations of the current windows (at most one window's worth) and an
/// `epoch` that Redis holds. A Redis that lost its data has no epoch, or
/// another; the first reservation that sees it writes back the
/// reservations of its process (under their ids, so nothing counts twice),
/// and so does every other live process on its next call. What it cannot
/// bring back is the reservations of processes that ended in between, and
/// of calls another process made before this one restored its own.
///
/// # Examples
///
/// ```no_run
/// # async fn run() -> Result<(), api_core::Error> {
/// use api_core::{Client, Credentials, RedisQuotaStore};
///
/// let store = RedisQuotaStore::builder("redis://10.0.0.5:6379", "my-app-key")
///     .fleet_size(3)
///     .build()?;
/// let client = Client::builder(Credentials::new("my-app-key", "my-app-secret"))
///     .quota_store(store)
///     .build()?;
/// // Or from the environment: RONGCLOUD_QUOTA_STORE=redis://10.0.0.5:6379
/// // and RONGCLOUD_FLEET_SIZE=3 next to the credentials.
/// let from_env = Client::from_env()?;
/// # Ok(()) }
/// ```
///
/// Built by [`RedisQuotaStore::builder`], given to a client by
/// [`ClientBuilder::quota_store`](crate::ClientBuilder::quota_store), or
/// configured by `RONGCLOUD_QUOTA_STORE` and `RONGCLOUD_FLEET_SIZE` in
/// [`Client::from_env`](crate::Client::from_env). One store per process is
/// enough (its connection is multiplexed); share it between clients with
/// [`shared_quota_store`](crate::ClientBuilder::shared_quota_store).
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use api_core::{QuotaStore, RateLimit, Reservation, ReservationId, ReserveRequest};
/// use api_core::RedisQuotaStore;
///
/// let store = RedisQuotaStore::builder("redis://127.0.0.1:6379", "my-app-key")
///     .fleet_size(2)
///     .build()?;
/// let limits = [RateLimit::recipients(6000, Duration::from_secs(60))];
/// let request = ReserveRequest::new(
///     "/message/private/publish.json",
///     &limits,
///     1000,
///     ReservationId::new(),
///     Duration::ZERO,
///     Some(Duration::from_secs(5)),
/// );
/// match store.reserve(&request).await? {
///     Reservation::Granted { wait } => println!("send in {wait:?}"),
///     Reservation::Denied { wait, .. } => println!("no room for {wait:?}"),
/// }
/// # Ok(()) }
/// ```
pub struct RedisQuotaStore {
    client: ::redis::Client,
    /// Made by the first call, inside its runtime.
    connection: OnceCell<ConnectionManager>,
    url: String,
    keys: KeySpace,
    fleet_size: u32,
    policies: HashMap<String, FailurePolicy>,
    response_timeout: Duration,
    connect_timeout: Duration,
    retry_interval: Duration,
    scripts: Scripts,
    /// The origin of this store's local time.
    origin: Instant,
    /// The server's clock minus the local one, in microseconds, as of the
    /// last answer.
    offset_us: AtomicI64,
    /// Locked before `shadow` when both are.
    state: Mutex<State>,
    shadow: Mutex<Shadow>,
}

#[derive(Default)]
struct State {
    /// The dataset this store has written its reservations into.
    epoch: Option<String>,
    /// Since when Redis is unreachable, and when to ask it again.
    outage: Option<Outage>,
    /// The local accounts while Redis is unreachable.
    fallback: Option<Arc<LocalQuotaStore>>,
    /// The fallback granted reservations Redis does not know yet.
    unsynced: bool,
    /// Penalties seen, on the local clock (for a fallback that starts
    /// later).
    blocked_until: HashMap<Box<str>, Duration>,
}

struct Outage {
    since: Instant,
    retry_at: Instant,
    reason: String,
}

/// Why Redis could not decide.
enum Failure {
    Redis(RedisError),
    TimedOut,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Redis(error) => write!(f, "{error}"),
            Failure::TimedOut => f.write_str("no answer in time"),
        }
    }
}

/// Runs one script call, once more if the connection was lost (the
/// connection manager reconnects meanwhile). Not after a timeout: the
/// second wait would only delay the failure policy.
macro_rules! retried {
    ($call:expr) => {{
        match $call.await {
            Err(error) if is_connection_loss(&error) => $call.await,
            other => other,
        }
    }};
}

fn is_connection_loss(error: &RedisError) -> bool {
    !error.is_timeout() && (error.is_connection_dropped() || error.is_connection_refusal())
}

impl RedisQuotaStore {
    /// A builder for a store in the Redis at `url` (`redis://host:port`,
    /// with `/db` and `user:password@` if needed) keeping the quotas of
    /// `app_key`.
    pub fn builder(url: impl Into<String>, app_key: impl Into<String>) -> RedisQuotaStoreBuilder {
        RedisQuotaStoreBuilder::new(url.into(), app_key.into())
    }

    fn from_builder(builder: RedisQuotaStoreBuilder) -> Result<Self, ConfigError> {
        let url = redacted(&builder.url);
        if builder.url.starts_with("rediss://") {
            return Err(ConfigError::new(format!(
                "the Redis quota store connects without TLS: {url} needs TLS, which is not built in"
            )));
        }
        let client = ::redis::Client::open(builder.url.as_str()).map_err(|_| {
            ConfigError::new(format!(
                "the Redis quota store needs a redis://host:port URL, got {url}"
            ))
        })?;
        if builder.app_key.is_empty() {
            return Err(ConfigError::new("the Redis quota store needs the App Key"));
        }
        let fleet_size = match builder.fleet_size {
            Some(0) => return Err(ConfigError::new("the fleet size must be at least 1")),
            Some(size) => size,
            None => {
                return Err(ConfigError::new(
                    "the Redis quota store needs the fleet size (the number of app servers \
                     sharing the App Key), to pace each at its share while Redis is unreachable",
                ));
            }
        };
        for (what, timeout) in [
            ("response timeout", builder.response_timeout),
            ("connect timeout", builder.connect_timeout),
        ] {
            if timeout.is_zero() {
                return Err(ConfigError::new(format!(
                    "the Redis quota store's {what} must be positive"
                )));
            }
        }
        if let Some((quota, _)) = builder
            .policies
            .iter()
            .find(|(_, p)| **p == FailurePolicy::LocalFallback { fleet_size: 0 })
        {
            return Err(ConfigError::new(format!(
                "the local fallback of {quota} needs a fleet size of at least 1"
            )));
        }
        let now_us = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, keys::micros);
        Ok(Self {
            client,
            connection: OnceCell::new(),
            url,
            keys: KeySpace::new(&builder.app_key),
            fleet_size,
            policies: builder.policies,
            response_timeout: builder.response_timeout,
            connect_timeout: builder.connect_timeout,
            retry_interval: builder.retry_interval,
            scripts: Scripts::new(),
            origin: Instant::now(),
            // Until Redis answers, the local wall clock stands in for it.
            offset_us: AtomicI64::new(i64::try_from(now_us).unwrap_or(i64::MAX)),
            state: Mutex::new(State::default()),
            shadow: Mutex::new(Shadow::default()),
        })
    }

    /// What the calls of `quota`, under `limits`, do while Redis is
    /// unreachable: the configured policy, or
    /// [`FailurePolicy::for_limits`].
    pub fn policy_for(&self, quota: &str, limits: &[RateLimit]) -> FailurePolicy {
        self.policies
            .get(quota)
            .copied()
            .unwrap_or_else(|| FailurePolicy::for_limits(limits, self.fleet_size))
    }

    /// Whether the last exchange with Redis succeeded (or none was tried
    /// yet): `false` while the failure policies apply.
    pub fn is_reachable(&self) -> bool {
        self.lock_state().outage.is_none()
    }

    async fn connection(&self) -> Result<ConnectionManager, RedisError> {
        self.connection
            .get_or_try_init(|| async {
                let config = ConnectionManagerConfig::new()
                    .set_response_timeout(Some(self.response_timeout))
                    .set_connection_timeout(Some(self.connect_timeout))
                    // One attempt per reconnection: the store's own retry
                    // interval paces the attempts while Redis is down.
                    .set_number_of_retries(0);
                ConnectionManager::new_lazy_with_config(self.client.clone(), config)
            })
            .await
            .cloned()
    }

    /// The longest one exchange with Redis may take: a reconnection and an
    /// answer.
    fn exchange_timeout(&self) -> Duration {
        self.connect_timeout + self.response_timeout
    }

    fn lock_state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_shadow(&self) -> MutexGuard<'_, Shadow> {
        self.shadow.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The time since this store's origin.
    fn local_now(&self) -> Duration {
        Instant::now().saturating_duration_since(self.origin)
    }

    /// A local time on the server's clock, in microseconds.
    fn to_server(&self, local: Duration) -> u64 {
        let offset = self.offset_us.load(Ordering::Relaxed);
        u64::try_from(
            i64::try_from(keys::micros(local))
                .unwrap_or(i64::MAX)
                .saturating_add(offset),
        )
        .unwrap_or(0)
    }

    /// A server time (microseconds) on the local clock.
    fn to_local(&self, server_us: u64) -> Duration {
        let offset = self.offset_us.load(Ordering::Relaxed);
        let local = i64::try_from(server_us)
            .unwrap_or(i64::MAX)
            .saturating_sub(offset);
        Duration::from_micros(u64::try_from(local).unwrap_or(0))
    }

    /// Learns the server's clock from an answer stamped `server_now_us`.
    fn observe_clock(&self, server_now_us: u64) {
        let local = i64::try_from(keys::micros(self.local_now())).unwrap_or(i64::MAX);
        let server = i64::try_from(server_now_us).unwrap_or(i64::MAX);
        self.offset_us.store(server - local, Ordering::Relaxed);
    }

    /// Whether to ask Redis: yes unless it was found unreachable less than
    /// the retry interval ago. While it is unreachable, one call per
    /// interval asks.
    fn should_ask_redis(&self) -> bool {
        let mut state = self.lock_state();
        match &mut state.outage {
            None => true,
            Some(outage) => {
                let now = Instant::now();
                if now < outage.retry_at {
                    return false;
                }
                outage.retry_at = now + self.retry_interval;
                true
            }
        }
    }

    /// Redis answered.
    fn mark_reachable(&self) {
        let mut state = self.lock_state();
        if let Some(outage) = state.outage.take() {
            tracing::info!(
                redis = %self.url,
                after_ms = outage.since.elapsed().as_millis() as u64,
                "quota store: Redis is reachable again"
            );
        }
        state.fallback = None;
    }

    /// Redis could not decide: the failure policies apply for the retry
    /// interval. The first failure starts a fallback from this process's
    /// own reservations and penalties.
    fn mark_unreachable(&self, failure: &Failure) {
        let mut state = self.lock_state();
        let now = Instant::now();
        match &mut state.outage {
            Some(outage) => {
                outage.retry_at = outage.retry_at.max(now + self.retry_interval);
                outage.reason = failure.to_string();
            }
            None => {
                tracing::warn!(
                    redis = %self.url,
                    error = %failure,
                    retry_ms = self.retry_interval.as_millis() as u64,
                    "quota store: Redis is unreachable; quotas follow their failure policies"
                );
                state.outage = Some(Outage {
                    since: now,
                    retry_at: now + self.retry_interval,
                    reason: failure.to_string(),
                });
            }
        }
        if state.fallback.is_none() {
            let fallback = self.seeded_fallback(&state);
            state.fallback = Some(Arc::new(fallback));
        }
    }

    /// A local store that already counts this process's reservations of
    /// the current windows and its penalties, under each quota's policy.
    fn seeded_fallback(&self, state: &State) -> LocalQuotaStore {
        let fallback = LocalQuotaStore::new();
        let server_now = self.to_server(self.local_now());
        for log in self.lock_shadow().snapshot(server_now) {
            let declared: Vec<RateLimit> = log.limits.iter().map(|l| l.declared).collect();
            let Some(local) = self
                .policy_for(&log.quota, &declared)
                .local_limits(&declared)
            else {
                continue;
            };
            for entry in &log.entries {
                // Recorded at its start, in order; one that no longer fits
                // the share is recorded later, which only delays others.
                let request = ReserveRequest::new(
                    &log.quota,
                    &local,
                    entry.weight,
                    entry.id,
                    self.to_local(entry.start_us),
                    None,
                );
                fallback.reserve_now(&request);
            }
        }
        let now = self.local_now();
        for (quota, until) in &state.blocked_until {
            if *until > now {
                fallback.penalize_now(quota, *until - now, now);
            }
        }
        fallback
    }

    fn fallback(&self) -> Arc<LocalQuotaStore> {
        let mut state = self.lock_state();
        if let Some(fallback) = &state.fallback {
            return fallback.clone();
        }
        let fallback = Arc::new(self.seeded_fallback(&state));
        state.fallback = Some(fallback.clone());
        fallback
    }

    /// Asks Redis, within the exchange timeout.
    async fn reserve_in_redis(
        &self,
        request: &ReserveRequest<'_>,
        limits: &[Limit],
    ) -> Result<Result<Reservation, QuotaStoreError>, Failure> {
        let mut conn = self.connection().await.map_err(Failure::Redis)?;
        if self.lock_state().unsynced {
            self.restore(&mut conn).await.map_err(Failure::Redis)?;
        }
        let new_epoch = format!("{:016x}", rand::random::<u64>());
        // Two rounds at most: a dataset found new is restored, then asked.
        for _ in 0..3 {
            let epoch = self.lock_state().epoch.clone().unwrap_or_default();
            let reply = retried!(self.scripts.reserve(
                &mut conn,
                &self.keys,
                request.quota,
                limits,
                request.weight,
                request.id,
                (&epoch, &new_epoch),
                request.max_wait,
            ))
            .map_err(Failure::Redis)?;
            match reply {
                ReserveReply::Granted {
                    wait_us,
                    start_us,
                    now_us,
                } => {
                    self.observe_clock(now_us);
                    let entry = Entry {
                        id: request.id,
                        start_us,
                        weight: request.weight,
                    };
                    self.lock_shadow()
                        .record(request.quota, limits, entry, now_us);
                    return Ok(Ok(Reservation::Granted {
                        wait: Duration::from_micros(wait_us),
                    }));
                }
                ReserveReply::Denied {
                    wait_us,
                    limit,
                    now_us,
                } => {
                    self.observe_clock(now_us);
                    return Ok(Ok(Reservation::Denied {
                        wait: Duration::from_micros(wait_us),
                        limit: limit.and_then(|i| limits.get(i)).map(|l| l.declared),
                    }));
                }
                ReserveReply::TooHeavy { limit } => {
                    let limit = limits.get(limit).map(|l| l.declared);
                    return Ok(Err(too_heavy(request, limit)));
                }
                ReserveReply::Epoch(found) => {
                    if epoch.is_empty() {
                        tracing::debug!(epoch = %found, "quota store: joined the Redis dataset");
                    } else {
                        tracing::warn!(
                            redis = %self.url,
                            "quota store: Redis lost its data (restarted without persistence?); \
                             writing back this process's reservations"
                        );
                    }
                    let restored = self.restore(&mut conn).await.map_err(Failure::Redis)?;
                    self.lock_state().epoch = Some(restored.unwrap_or(found));
                }
            }
        }
        Err(Failure::Redis(RedisError::from((
            ::redis::ErrorKind::Client,
            "the quota store's dataset kept changing",
        ))))
    }

    /// Writes this process's reservations of the current windows into
    /// Redis (those it has are skipped by id); answers the dataset's epoch
    /// if there was anything to write.
    async fn restore(&self, conn: &mut ConnectionManager) -> Result<Option<String>, RedisError> {
        self.lock_state().unsynced = false;
        let server_now = self.to_server(self.local_now());
        let logs = self.lock_shadow().snapshot(server_now);
        let new_epoch = format!("{:016x}", rand::random::<u64>());
        let mut epoch = None;
        let result: Result<(), RedisError> = async {
            for log in &logs {
                let found = retried!(self.scripts.restore(
                    conn,
                    &self.keys,
                    &log.quota,
                    &log.limits,
                    &log.entries,
                    &new_epoch,
                ))?;
                epoch = Some(found);
            }
            Ok(())
        }
        .await;
        if let Err(error) = result {
            // Try again with the next exchange.
            self.lock_state().unsynced = true;
            return Err(error);
        }
        if !logs.is_empty() {
            tracing::debug!(
                quotas = logs.len(),
                reservations = logs.iter().map(|l| l.entries.len()).sum::<usize>(),
                "quota store: wrote this process's reservations back to Redis"
            );
        }
        Ok(epoch)
    }

    /// Reserves in the local fallback under the quota's policy.
    fn reserve_locally(
        &self,
        request: &ReserveRequest<'_>,
        limits: &[Limit],
        why: &str,
    ) -> Result<Reservation, QuotaStoreError> {
        let local_limits = if request.limits.is_empty() {
            Vec::new()
        } else {
            match self
                .policy_for(request.quota, request.limits)
                .local_limits(request.limits)
            {
                Some(local) => local,
                None => {
                    return Err(QuotaStoreError::new(format!(
                        "Redis at {} is unreachable ({why}); calls of {} fail closed until it answers",
                        self.url, request.quota
                    )));
                }
            }
        };
        let fallback = self.fallback();
        let now = self.local_now();
        let local = ReserveRequest::new(
            request.quota,
            &local_limits,
            request.weight,
            request.id,
            now,
            request.max_wait,
        );
        let answer = fallback.reserve_now(&local);
        if let Reservation::Granted { wait } = answer
            && !limits.is_empty()
        {
            let mut state = self.lock_state();
            state.unsynced = true;
            let start_us = self.to_server(now + wait);
            let entry = Entry {
                id: request.id,
                start_us,
                weight: request.weight,
            };
            self.lock_shadow()
                .record(request.quota, limits, entry, self.to_server(now));
        }
        Ok(answer)
    }

    fn outage_reason(&self) -> String {
        self.lock_state()
            .outage
            .as_ref()
            .map_or_else(|| "not answering".to_owned(), |o| o.reason.clone())
    }

    async fn reserve_request(
        &self,
        request: &ReserveRequest<'_>,
    ) -> Result<Reservation, QuotaStoreError> {
        let limits = Limit::of(request.limits);
        if let Some(limit) = limits.iter().find(|l| l.weight(request.weight) > l.amount) {
            return Err(too_heavy(request, Some(limit.declared)));
        }
        if self.should_ask_redis() {
            let asked = tokio::time::timeout(
                self.exchange_timeout(),
                self.reserve_in_redis(request, &limits),
            )
            .await
            .unwrap_or(Err(Failure::TimedOut));
            match asked {
                Ok(answer) => {
                    self.mark_reachable();
                    return answer;
                }
                Err(failure) => self.mark_unreachable(&failure),
            }
        }
        self.reserve_locally(request, &limits, &self.outage_reason())
    }

    async fn release_reservation(&self, quota: &str, id: ReservationId) {
        let taken = self.lock_shadow().take(quota, id);
        let fallback = self.lock_state().fallback.clone();
        if let Some(fallback) = fallback {
            fallback.release_now(quota, id);
        }
        let Some((limits, entry)) = taken else {
            return;
        };
        if !self.should_ask_redis() {
            // Redis keeps counting it until its window closes: quota lost,
            // never exceeded.
            return;
        }
        let released = tokio::time::timeout(self.exchange_timeout(), async {
            let mut conn = self.connection().await.map_err(Failure::Redis)?;
            retried!(self.scripts.release(
                &mut conn,
                &self.keys,
                quota,
                &limits,
                entry.id,
                entry.weight
            ))
            .map_err(Failure::Redis)
        })
        .await
        .unwrap_or(Err(Failure::TimedOut));
        match released {
            Ok(_) => self.mark_reachable(),
            Err(failure) => self.mark_unreachable(&failure),
        }
    }

    async fn penalize_quota(&self, quota: &str, wait: Duration) {
        let now = self.local_now();
        let fallback = {
            let mut state = self.lock_state();
            let until = state.blocked_until.entry(quota.into()).or_default();
            *until = (*until).max(now + wait);
            state.blocked_until.retain(|_, until| *until > now);
            state.fallback.clone()
        };
        if let Some(fallback) = fallback {
            fallback.penalize_now(quota, wait, now);
        }
        if !self.should_ask_redis() {
            return;
        }
        let penalized = tokio::time::timeout(self.exchange_timeout(), async {
            let mut conn = self.connection().await.map_err(Failure::Redis)?;
            retried!(self.scripts.penalize(&mut conn, &self.keys, quota, wait))
                .map_err(Failure::Redis)
        })
        .await
        .unwrap_or(Err(Failure::TimedOut));
        match penalized {
            Ok(_) => self.mark_reachable(),
            Err(failure) => self.mark_unreachable(&failure),
        }
    }
}

fn too_heavy(request: &ReserveRequest<'_>, limit: Option<RateLimit>) -> QuotaStoreError {
    let limit = limit.map_or_else(|| "its limit".to_owned(), |l| l.to_string());
    QuotaStoreError::new(format!(
        "a call of {} weighing {} can never fit {limit}: split it into smaller calls",
        request.quota, request.weight
    ))
}

impl QuotaStore for RedisQuotaStore {
    fn reserve<'a>(
        &'a self,
        request: &'a ReserveRequest<'a>,
    ) -> BoxFuture<'a, Result<Reservation, QuotaStoreError>> {
        Box::pin(self.reserve_request(request))
    }

    fn release<'a>(&'a self, quota: &'a str, id: ReservationId) -> BoxFuture<'a, ()> {
        Box::pin(self.release_reservation(quota, id))
    }

    /// Blocks the quota for every process from the Redis server's now (the
    /// client's `now` is ignored).
    fn penalize<'a>(&'a self, quota: &'a str, wait: Duration, _now: Duration) -> BoxFuture<'a, ()> {
        Box::pin(self.penalize_quota(quota, wait))
    }
}

impl fmt::Debug for RedisQuotaStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisQuotaStore")
            .field("url", &self.url)
            .field("keys", &self.keys)
            .field("fleet_size", &self.fleet_size)
            .field("policies", &self.policies)
            .field("reachable", &self.is_reachable())
            .finish_non_exhaustive()
    }
}
