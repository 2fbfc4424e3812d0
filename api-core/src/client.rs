//! The client: configuration, and sending one call.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tracing::Instrument;

use crate::credentials::Credentials;
use crate::endpoint::Endpoint;
use crate::error::{ConfigError, Error};
use crate::hosts::{BaseUrl, Region};
use crate::request::{PreparedRequest, RequestId};
use crate::response::decode_response;
use crate::signer::{Clock, NonceSource, Signer};
use crate::transport::{ReqwestTransport, Transport};

/// The default time one attempt may take, from connecting to the last byte
/// of the answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default time to wait for a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// A Server API client for one application.
///
/// Cheap to clone (an `Arc` inside); clones share the connection pool. There
/// is no global state: two clients with different keys coexist.
///
/// ```no_run
/// # async fn run() -> Result<(), api_core::Error> {
/// use api_core::{Client, Credentials, Region};
///
/// let client = Client::builder(Credentials::new("app-key", "app-secret"))
///     .region(Region::Singapore)
///     .build()?;
/// let from_env = Client::from_env()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    signer: Signer,
    base_urls: Vec<BaseUrl>,
    transport: Arc<dyn Transport>,
    timeout: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("credentials", self.inner.signer.credentials())
            .field("base_urls", &self.inner.base_urls)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

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
    /// - `RONGCLOUD_TIMEOUT_MS`: the per-attempt timeout (default 10 000).
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
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
        builder.build()
    }

    /// The base URLs, primary first.
    pub fn base_urls(&self) -> &[BaseUrl] {
        &self.inner.base_urls
    }

    /// The per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The signer (and so the App Key) of this client.
    pub fn signer(&self) -> &Signer {
        &self.inner.signer
    }

    /// Validates, encodes, signs and sends one call, and decodes its answer.
    ///
    /// Validation runs before any I/O: an invalid request returns
    /// [`Error::Validation`] with every violation, and nothing is sent.
    pub async fn send<E: Endpoint + ?Sized>(&self, endpoint: &E) -> Result<E::Response, Error> {
        self.send_with_id(endpoint, RequestId::new()).await
    }

    /// Like [`send`](Self::send), with a request id chosen by the caller.
    pub async fn send_with_id<E: Endpoint + ?Sized>(
        &self,
        endpoint: &E,
        request_id: RequestId,
    ) -> Result<E::Response, Error> {
        let span = tracing::info_span!(
            "rongcloud.call",
            endpoint = E::PATH,
            request_id = %request_id,
            status = tracing::field::Empty,
            code = tracing::field::Empty,
        );
        let prepared = PreparedRequest::new(endpoint, request_id)?;
        self.execute::<E::Response>(&prepared)
            .instrument(span)
            .await
    }

    async fn execute<R: serde::de::DeserializeOwned>(
        &self,
        prepared: &PreparedRequest,
    ) -> Result<R, Error> {
        let base = &self.inner.base_urls[0];
        let request = prepared.to_http(base, &self.inner.signer)?;
        let started = Instant::now();
        let attempt = tracing::debug_span!("rongcloud.attempt", host = base.host(), attempt = 1u32);
        let response = self
            .inner
            .transport
            .send(request, self.inner.timeout)
            .instrument(attempt)
            .await
            .map_err(|error| error.with_request_id(prepared.request_id().as_str()))?;
        let span = tracing::Span::current();
        span.record("status", response.status().as_u16());
        let result = decode_response::<R>(
            response.status(),
            response.body(),
            Some(prepared.request_id().as_str()),
        );
        if let Err(Error::Api(api)) = &result {
            span.record("code", api.code().code());
        }
        tracing::debug!(
            latency_ms = started.elapsed().as_millis() as u64,
            "answer received"
        );
        result
    }
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    credentials: Credentials,
    base_urls: Vec<String>,
    timeout: Duration,
    connect_timeout: Duration,
    transport: Option<Arc<dyn Transport>>,
    clock: Option<Arc<dyn Clock>>,
    nonces: Option<Arc<dyn NonceSource>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_urls", &self.base_urls)
            .field("timeout", &self.timeout)
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
            clock: None,
            nonces: None,
        }
    }

    /// Uses a region's primary and backup host.
    pub fn region(mut self, region: Region) -> Self {
        self.base_urls = region.base_urls().map(str::to_owned).to_vec();
        self
    }

    /// Uses these base URLs, primary first.
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

    /// Replaces the HTTP transport.
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
        let base_urls = self
            .base_urls
            .iter()
            .map(|url| BaseUrl::parse(url))
            .collect::<Result<Vec<_>, _>>()?;
        let transport = match self.transport {
            Some(transport) => transport,
            None => Arc::new(ReqwestTransport::new(
                self.connect_timeout.min(self.timeout),
            )?),
        };
        let mut signer = Signer::new(self.credentials);
        if let Some(clock) = self.clock {
            signer = signer.with_shared_clock(clock);
        }
        if let Some(nonces) = self.nonces {
            signer = signer.with_shared_nonce_source(nonces);
        }
        Ok(Client {
            inner: Arc::new(Inner {
                signer,
                base_urls,
                transport,
                timeout: self.timeout,
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
