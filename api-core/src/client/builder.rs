//! Building a client: credentials, hosts, timeouts, policies, the
//! transport, from code or from the environment.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::{Client, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, Inner};
use crate::credentials::Credentials;
use crate::delivery::failover::{Failover, FailoverPolicy};
use crate::delivery::pacing::{LocalQuotaStore, Pacing, QuotaStore, quota_store_from_env};
use crate::delivery::retry::RetryPolicy;
use crate::delivery::timer::{Timer, TokioTimer};
use crate::error::{ConfigError, Error};
use crate::hosts::{BaseUrl, Region};
use crate::signer::{Clock, NonceSource, Signer, SystemClock};
use crate::transport::{self, HyperTransportBuilder, Transport};

impl Client {
    /// A builder for a client with these credentials.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder::new(credentials)
    }

    /// A client configured from the environment:
    ///
    /// - `RONGCLOUD_APP_KEY`, `RONGCLOUD_APP_SECRET` (required);
    /// - `RONGCLOUD_API_URL`: comma-separated base URLs, primary first
    ///   (default: the Beijing region's primary and backup);
    /// - `RONGCLOUD_TIMEOUT_MS`: the per-attempt timeout (default 10 000);
    /// - `RONGCLOUD_QUOTA_STORE`: where the rate-limit accounts live:
    ///   `local` (the default: in the process) or `redis://host:port`, shared
    ///   by every app server of the App Key (needs the cargo feature
    ///   `redis`), with `RONGCLOUD_FLEET_SIZE`, the number of those app
    ///   servers (see `RedisQuotaStore`).
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        Self::builder_from_lookup(lookup)?.build()
    }

    /// A builder configured from the environment as
    /// [`from_env`](Self::from_env) reads it, to change further before
    /// building.
    pub fn builder_from_env() -> Result<ClientBuilder, Error> {
        Self::builder_from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`builder_from_env`](Self::builder_from_env), reading variables
    /// through `lookup`.
    pub fn builder_from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<ClientBuilder, Error> {
        let required = |name: &str| {
            lookup(name)
                .filter(|value| !value.trim().is_empty())
                .ok_or_else(|| ConfigError::new(format!("environment variable {name} is not set")))
        };
        let credentials = Credentials::new(
            required("RONGCLOUD_APP_KEY")?.trim(),
            required("RONGCLOUD_APP_SECRET")?,
        );
        let mut builder = Client::builder(credentials);
        if let Some(urls) = lookup("RONGCLOUD_API_URL").filter(|v| !v.trim().is_empty()) {
            builder = builder.base_urls(urls.split(',').map(str::trim).filter(|u| !u.is_empty()));
        }
        if let Some(ms) = lookup("RONGCLOUD_TIMEOUT_MS").filter(|v| !v.trim().is_empty()) {
            let ms: u64 = ms.trim().parse().ok().filter(|ms| *ms > 0).ok_or_else(|| {
                ConfigError::new(format!(
                    "RONGCLOUD_TIMEOUT_MS must be a positive integer, got {ms:?}"
                ))
            })?;
            builder = builder.timeout(Duration::from_millis(ms));
        }
        if let Some(store) = quota_store_from_env(&lookup, builder.credentials.app_key())? {
            builder = builder.shared_quota_store(store);
        }
        Ok(builder)
    }
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    credentials: Credentials,
    base_urls: Vec<String>,
    timeout: Duration,
    connect_timeout: Duration,
    transport: Option<Arc<dyn Transport>>,
    /// How the default transport is built, when `transport` is `None`.
    default_transport: HyperTransportBuilder,
    clock: Option<Arc<dyn Clock>>,
    nonces: Option<Arc<dyn NonceSource>>,
    timer: Option<Arc<dyn Timer>>,
    retry: RetryPolicy,
    failover: FailoverPolicy,
    pacing: Pacing,
    quotas: Option<Arc<dyn QuotaStore>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_urls", &self.base_urls)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("failover", &self.failover)
            .field("pacing", &self.pacing)
            .field("quota_store", &self.quotas.is_some())
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    fn new(credentials: Credentials) -> Self {
        Self {
            credentials,
            base_urls: Region::default().base_urls().map(str::to_owned).to_vec(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            transport: None,
            default_transport: HyperTransportBuilder::default(),
            clock: None,
            nonces: None,
            timer: None,
            retry: RetryPolicy::default(),
            failover: FailoverPolicy::default(),
            pacing: Pacing::default(),
            quotas: None,
        }
    }

    /// Uses a region's primary and backup host.
    pub fn region(mut self, region: Region) -> Self {
        self.base_urls = region.base_urls().map(str::to_owned).to_vec();
        self
    }

    /// Uses these base URLs, primary first; failover goes through them in
    /// this order.
    pub fn base_urls<I, S>(mut self, urls: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.base_urls = urls.into_iter().map(Into::into).collect();
        self
    }

    /// The time one attempt may take (default 10 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The time to wait for a connection (default 3 s), for the default
    /// transport.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// When calls are repeated (default [`RetryPolicy::default`];
    /// [`RetryPolicy::disabled`] for a single attempt).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// When the client moves between its hosts (default
    /// [`FailoverPolicy::default`]).
    pub fn failover(mut self, policy: FailoverPolicy) -> Self {
        self.failover = policy;
        self
    }

    /// How calls are paced under rate limits (default: the documented
    /// limits; [`Pacing::disabled`] to turn it off).
    pub fn pacing(mut self, pacing: Pacing) -> Self {
        self.pacing = pacing;
        self
    }

    /// Where the accounts of the rate limits live (default: a new
    /// [`LocalQuotaStore`], shared by the clones of this client). App
    /// servers sharing one App Key share a store, such as the Redis one.
    pub fn quota_store(mut self, store: impl QuotaStore) -> Self {
        self.quotas = Some(Arc::new(store));
        self
    }

    /// Like [`quota_store`](Self::quota_store), for a store shared with
    /// other clients of this process.
    pub fn shared_quota_store(mut self, store: Arc<dyn QuotaStore>) -> Self {
        self.quotas = Some(store);
        self
    }

    /// The most connections open to one host at once, for the default
    /// transport (default
    /// [`DEFAULT_MAX_CONNECTIONS_PER_HOST`](crate::DEFAULT_MAX_CONNECTIONS_PER_HOST));
    /// see [`HyperTransportBuilder::max_connections_per_host`].
    pub fn max_connections_per_host(mut self, max: usize) -> Self {
        self.default_transport = self.default_transport.max_connections_per_host(max);
        self
    }

    /// The most idle connections kept to one host, for the default
    /// transport (default
    /// [`DEFAULT_MAX_IDLE_PER_HOST`](crate::DEFAULT_MAX_IDLE_PER_HOST)); see
    /// [`HyperTransportBuilder::max_idle_per_host`].
    pub fn max_idle_connections_per_host(mut self, max: usize) -> Self {
        self.default_transport = self.default_transport.max_idle_per_host(max);
        self
    }

    /// The longest answer body read, for the default transport (default
    /// [`DEFAULT_MAX_ANSWER_BYTES`](crate::DEFAULT_MAX_ANSWER_BYTES), 1 MiB);
    /// see [`HyperTransportBuilder::max_answer_bytes`].
    pub fn max_answer_bytes(mut self, max: usize) -> Self {
        self.default_transport = self.default_transport.max_answer_bytes(max);
        self
    }

    /// Replaces the HTTP transport, and with it the connection settings
    /// above. Without one, the client uses a
    /// [`HyperTransport`](crate::HyperTransport) that goes through the proxy
    /// named by `HTTPS_PROXY`, `HTTP_PROXY` or `ALL_PROXY` (or their
    /// lower-case forms) unless `NO_PROXY` lists the host.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Replaces the signing clock (tests).
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Replaces the nonce source (tests).
    pub fn nonce_source(mut self, nonces: impl NonceSource) -> Self {
        self.nonces = Some(Arc::new(nonces));
        self
    }

    /// Replaces the monotonic timer of pacing, backoff, deadlines and
    /// failover (default: [`TokioTimer`], created by
    /// [`build`](Self::build)).
    pub fn timer(mut self, timer: impl Timer) -> Self {
        self.timer = Some(Arc::new(timer));
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        if self.credentials.app_key().is_empty()
            || http::HeaderValue::from_str(self.credentials.app_key()).is_err()
        {
            return Err(ConfigError::new("the App Key must be non-empty printable ASCII").into());
        }
        if self.credentials.app_secret().expose().is_empty() {
            return Err(ConfigError::new("the App Secret is empty").into());
        }
        if self.base_urls.is_empty() {
            return Err(ConfigError::new("at least one base URL is needed").into());
        }
        if self.timeout.is_zero() {
            return Err(ConfigError::new("the timeout must be positive").into());
        }
        if self.retry.max_attempts == 0 {
            return Err(ConfigError::new("a retry policy needs at least one attempt").into());
        }
        if self
            .retry
            .deadline
            .is_some_and(|deadline| deadline.is_zero())
        {
            return Err(ConfigError::new("the call deadline must be positive").into());
        }
        let base_urls = self
            .base_urls
            .iter()
            .map(|url| BaseUrl::parse(url))
            .collect::<Result<Vec<_>, _>>()?;
        let transport = match self.transport {
            Some(transport) => transport,
            None => transport::default_transport(
                self.default_transport
                    .connect_timeout(self.connect_timeout.min(self.timeout)),
                |name| std::env::var(name).ok(),
            )?,
        };
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let mut signer = Signer::new(self.credentials).with_shared_clock(clock.clone());
        if let Some(nonces) = self.nonces {
            signer = signer.with_shared_nonce_source(nonces);
        }
        Ok(Client {
            inner: Arc::new(Inner {
                signer,
                failover: Failover::new(base_urls, self.failover),
                transport,
                timeout: self.timeout,
                retry: self.retry,
                pacing: self.pacing,
                quotas: self
                    .quotas
                    .unwrap_or_else(|| Arc::new(LocalQuotaStore::new())),
                timer: self.timer.unwrap_or_else(|| Arc::new(TokioTimer::new())),
                clock,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn from_env_reads_every_variable() {
        let client = Client::from_lookup(lookup(&[
            ("RONGCLOUD_APP_KEY", "key"),
            ("RONGCLOUD_APP_SECRET", "secret"),
            ("RONGCLOUD_API_URL", "https://a.example, https://b.example/"),
            ("RONGCLOUD_TIMEOUT_MS", "2500"),
        ]))
        .unwrap();
        let urls: Vec<&str> = client.base_urls().iter().map(BaseUrl::as_str).collect();
        assert_eq!(urls, ["https://a.example", "https://b.example"]);
        assert_eq!(client.timeout(), Duration::from_millis(2500));
        assert_eq!(client.signer().credentials().app_key(), "key");
        assert!(!format!("{client:?}").contains("secret\""), "{client:?}");
    }

    #[test]
    fn from_env_defaults_to_beijing() {
        let client = Client::from_lookup(lookup(&[
            ("RONGCLOUD_APP_KEY", "k"),
            ("RONGCLOUD_APP_SECRET", "s"),
        ]))
        .unwrap();
        let urls: Vec<&str> = client.base_urls().iter().map(BaseUrl::as_str).collect();
        assert_eq!(
            urls,
            ["https://api.rong-api.com", "https://api-b.rong-api.com"]
        );
        assert_eq!(client.timeout(), DEFAULT_TIMEOUT);
    }

    #[test]
    fn from_env_errors_name_the_problem_and_never_the_secret() {
        let missing = Client::from_lookup(lookup(&[("RONGCLOUD_APP_KEY", "k")])).unwrap_err();
        assert!(
            missing.to_string().contains("RONGCLOUD_APP_SECRET"),
            "{missing}"
        );
        let bad_timeout = Client::from_lookup(lookup(&[
            ("RONGCLOUD_APP_KEY", "k"),
            ("RONGCLOUD_APP_SECRET", "hunter2"),
            ("RONGCLOUD_TIMEOUT_MS", "soon"),
        ]))
        .unwrap_err();
        assert!(
            bad_timeout.to_string().contains("RONGCLOUD_TIMEOUT_MS"),
            "{bad_timeout}"
        );
        let plain_http = Client::from_lookup(lookup(&[
            ("RONGCLOUD_APP_KEY", "k"),
            ("RONGCLOUD_APP_SECRET", "hunter2"),
            ("RONGCLOUD_API_URL", "http://api.rong-api.com"),
        ]))
        .unwrap_err();
        assert!(plain_http.to_string().contains("loopback"), "{plain_http}");
        for error in [bad_timeout, plain_http] {
            assert!(!format!("{error} {error:?}").contains("hunter2"));
        }
    }

    #[test]
    fn from_env_reads_the_quota_store_and_never_repeats_a_secret() {
        let client = |store: &str| {
            Client::from_lookup(lookup(&[
                ("RONGCLOUD_APP_KEY", "k"),
                ("RONGCLOUD_APP_SECRET", "hunter2"),
                ("RONGCLOUD_QUOTA_STORE", store),
                ("RONGCLOUD_FLEET_SIZE", "3"),
            ]))
        };
        assert!(client("local").is_ok());
        let bad = client("memcached://:pw@h:1").unwrap_err();
        assert!(bad.to_string().contains("RONGCLOUD_QUOTA_STORE"), "{bad}");
        let redis = client("redis://:pw@127.0.0.1:6379");
        #[cfg(feature = "redis")]
        assert!(redis.is_ok(), "{redis:?}");
        #[cfg(not(feature = "redis"))]
        {
            let error = redis.unwrap_err();
            assert!(error.to_string().contains("`redis` feature"), "{error}");
        }
        for error in [Some(bad), client("redis:/").err()].into_iter().flatten() {
            let shown = format!("{error} {error:?}");
            assert!(
                !shown.contains("hunter2") && !shown.contains("pw@"),
                "{shown}"
            );
        }
    }

    #[test]
    fn two_clients_with_different_keys_coexist() {
        let a = Client::builder(Credentials::new("a", "sa"))
            .build()
            .unwrap();
        let b = Client::builder(Credentials::new("b", "sb"))
            .region(Region::NorthAmerica)
            .build()
            .unwrap();
        assert_eq!(a.signer().credentials().app_key(), "a");
        assert_eq!(b.signer().credentials().app_key(), "b");
        assert_eq!(b.base_urls()[0].host(), "api.us-light-api.com");
        assert_eq!(a.base_urls()[0].host(), "api.rong-api.com");
    }
}
