//! Configuring a [`RedisQuotaStore`]: where Redis is, the App Key whose
//! quotas it keeps, the fleet's size, what each quota does while Redis is
//! unreachable, and how quickly that is noticed.

use std::collections::HashMap;
use std::time::Duration;

use super::RedisQuotaStore;
pub(super) use crate::delivery::pacing::from_env::redacted;
use crate::error::ConfigError;
use crate::rate::RateLimit;

/// The default wait for one answer from Redis before it counts as
/// unreachable (redis-rs's own default).
pub(super) const DEFAULT_RESPONSE_TIMEOUT: Duration = Duration::from_millis(500);
/// The default wait for a connection to Redis (handshake included).
pub(super) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(500);
/// The default time a store stays on its failure policy before asking
/// Redis again.
pub(super) const DEFAULT_RETRY_INTERVAL: Duration = Duration::from_secs(1);

/// What the calls of one quota do while Redis is unreachable (refused,
/// timed out, paused), until it answers again.
///
/// The default depends on the quota's longest window
/// ([`for_limits`](Self::for_limits)): per-second and per-minute quotas
/// fall back to local pacing at their share of the quota, longer ones
/// (`/push.json`: 2 an hour and 3 a day) fail closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailurePolicy {
    /// The call fails, not sent ([`QuotaStoreError`], then
    /// [`Error::Pacing`]): for quotas where one extra call is one too many
    /// (an extra push notification cannot be taken back).
    ///
    /// [`QuotaStoreError`]: crate::QuotaStoreError
    /// [`Error::Pacing`]: crate::Error::Pacing
    FailClosed,
    /// Each process paces itself, in the process, at each limit's amount
    /// divided by `fleet_size` (rounded down, at least 1): the fleet stays
    /// within the quota when `fleet_size` is at least the number of
    /// processes sharing the App Key.
    LocalFallback {
        /// The number of processes sharing the App Key.
        fleet_size: u32,
    },
    /// Each process paces itself at the full quota: the fleet may send
    /// up to its size times the quota, and earn code 1008. Opt-in only.
    FailOpen,
}

impl FailurePolicy {
    /// The default policy of a quota with these limits in a fleet of
    /// `fleet_size`: [`FailClosed`](Self::FailClosed) when a window is
    /// longer than a minute, else [`LocalFallback`](Self::LocalFallback).
    ///
    /// ```
    /// use std::time::Duration;
    /// use api_core::{FailurePolicy, RateLimit};
    ///
    /// let push = [
    ///     RateLimit::calls(2, Duration::from_secs(3600)),
    ///     RateLimit::calls(3, Duration::from_secs(86_400)),
    /// ];
    /// assert_eq!(FailurePolicy::for_limits(&push, 3), FailurePolicy::FailClosed);
    /// let private = [RateLimit::recipients(6000, Duration::from_secs(60))];
    /// assert_eq!(
    ///     FailurePolicy::for_limits(&private, 3),
    ///     FailurePolicy::LocalFallback { fleet_size: 3 }
    /// );
    /// ```
    pub fn for_limits(limits: &[RateLimit], fleet_size: u32) -> Self {
        if limits.iter().any(|l| l.window > Duration::from_secs(60)) {
            Self::FailClosed
        } else {
            Self::LocalFallback { fleet_size }
        }
    }

    /// The limits a process paces itself at under this policy, `None` for
    /// [`FailClosed`](Self::FailClosed).
    ///
    /// ```
    /// use std::time::Duration;
    /// use api_core::{FailurePolicy, RateLimit};
    ///
    /// let minute = Duration::from_secs(60);
    /// let limits = [RateLimit::recipients(6000, minute), RateLimit::calls(2, minute)];
    /// let share = FailurePolicy::LocalFallback { fleet_size: 4 }.local_limits(&limits);
    /// assert_eq!(
    ///     share,
    ///     Some(vec![RateLimit::recipients(1500, minute), RateLimit::calls(1, minute)])
    /// );
    /// ```
    pub fn local_limits(&self, limits: &[RateLimit]) -> Option<Vec<RateLimit>> {
        match *self {
            Self::FailClosed => None,
            Self::FailOpen => Some(limits.to_vec()),
            Self::LocalFallback { fleet_size } => Some(
                limits
                    .iter()
                    .map(|limit| RateLimit {
                        amount: (limit.amount / fleet_size.max(1)).max(1),
                        ..*limit
                    })
                    .collect(),
            ),
        }
    }
}

/// Configures a [`RedisQuotaStore`]; from
/// [`RedisQuotaStore::builder`].
///
/// ```
/// use std::time::Duration;
/// use api_core::{FailurePolicy, RedisQuotaStore};
///
/// let store = RedisQuotaStore::builder("redis://127.0.0.1:6379", "my-app-key")
///     .fleet_size(3)
///     // A broadcast refused while Redis is down is better than 3 at once.
///     .policy("/message/online/broadcast.json", FailurePolicy::FailClosed)
///     .response_timeout(Duration::from_millis(300))
///     .build()?;
/// # Ok::<(), api_core::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct RedisQuotaStoreBuilder {
    pub(super) url: String,
    pub(super) app_key: String,
    pub(super) fleet_size: Option<u32>,
    pub(super) policies: HashMap<String, FailurePolicy>,
    pub(super) response_timeout: Duration,
    pub(super) connect_timeout: Duration,
    pub(super) retry_interval: Duration,
}

impl std::fmt::Debug for RedisQuotaStoreBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisQuotaStoreBuilder")
            .field("url", &redacted(&self.url))
            .field("app_key", &self.app_key)
            .field("fleet_size", &self.fleet_size)
            .field("policies", &self.policies)
            .field("response_timeout", &self.response_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry_interval", &self.retry_interval)
            .finish()
    }
}

impl RedisQuotaStoreBuilder {
    pub(super) fn new(url: String, app_key: String) -> Self {
        Self {
            url,
            app_key,
            fleet_size: None,
            policies: HashMap::new(),
            response_timeout: DEFAULT_RESPONSE_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry_interval: DEFAULT_RETRY_INTERVAL,
        }
    }

    /// The number of app servers (processes) sharing the App Key: each
    /// paces itself at its share of a quota while Redis is unreachable
    /// ([`FailurePolicy::LocalFallback`], the default for per-second and
    /// per-minute quotas). Required.
    pub fn fleet_size(mut self, processes: u32) -> Self {
        self.fleet_size = Some(processes);
        self
    }

    /// What the calls of quota `quota` (an endpoint's
    /// [`QUOTA`](crate::Endpoint::QUOTA), by default its path) do while
    /// Redis is unreachable, instead of [`FailurePolicy::for_limits`].
    pub fn policy(mut self, quota: impl Into<String>, policy: FailurePolicy) -> Self {
        self.policies.insert(quota.into(), policy);
        self
    }

    /// The longest wait for one answer from Redis (default 500 ms); a
    /// paused or overloaded server counts as unreachable after it.
    pub fn response_timeout(mut self, timeout: Duration) -> Self {
        self.response_timeout = timeout;
        self
    }

    /// The longest wait for a connection to Redis, handshake included
    /// (default 500 ms).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long the store stays on its failure policies after Redis was
    /// found unreachable before one call asks Redis again (default 1 s).
    /// Calls in between do not wait for Redis at all.
    pub fn retry_interval(mut self, interval: Duration) -> Self {
        self.retry_interval = interval;
        self
    }

    /// Checks the configuration and builds the store. No connection is
    /// made: the first call connects (a Redis that is down then is handled
    /// by the failure policies, like one that goes down later).
    pub fn build(self) -> Result<RedisQuotaStore, ConfigError> {
        RedisQuotaStore::from_builder(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_is_rounded_down_and_never_zero() {
        let second = Duration::from_secs(1);
        let limits = [
            RateLimit::recipients(100, second),
            RateLimit::calls(2, second),
        ];
        let share = FailurePolicy::LocalFallback { fleet_size: 3 }.local_limits(&limits);
        assert_eq!(
            share,
            Some(vec![
                RateLimit::recipients(33, second),
                RateLimit::calls(1, second)
            ])
        );
        assert_eq!(
            FailurePolicy::FailOpen.local_limits(&limits),
            Some(limits.to_vec())
        );
        assert_eq!(FailurePolicy::FailClosed.local_limits(&limits), None);
        assert_eq!(
            FailurePolicy::LocalFallback { fleet_size: 0 }.local_limits(&limits),
            Some(limits.to_vec())
        );
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redacted("redis://:hunter2@cache.internal:6380/0"),
            "redis://:***@cache.internal:6380/0"
        );
        assert_eq!(
            redacted("redis://user:hunter2@cache.internal"),
            "redis://user:***@cache.internal"
        );
        assert_eq!(redacted("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
        assert!(!redacted("redis://:hunter2@[bad").contains("hunter2"));
        assert!(!redacted("not a url: hunter2").contains("hunter2"));
        let builder = RedisQuotaStore::builder("redis://:hunter2@h:1", "k");
        assert!(!format!("{builder:?}").contains("hunter2"));
    }
}
