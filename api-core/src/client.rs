//! The client: configuration, and delivering one call: pacing, attempts,
//! retries and host failover.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use tracing::Instrument;
use tracing::field::Empty;

use crate::credentials::Credentials;
use crate::endpoint::Endpoint;
use crate::error::{ConfigError, Delivery, Error};
use crate::failover::{Failover, FailoverPolicy, is_host_failure};
use crate::hosts::{BaseUrl, Region};
use crate::hyper_transport::HyperTransport;
use crate::pacing::{Pacer, Pacing, PacingError};
use crate::rate::RateLimit;
use crate::request::{PreparedRequest, RequestId};
use crate::response::decode_response;
use crate::retry::{RetryPolicy, Verdict, retry_after, verdict};
use crate::signer::{Clock, NonceSource, Signer, SystemClock};
use crate::timer::{Timer, TokioTimer};
use crate::transport::{ReqwestTransport, Transport};

/// The default time one attempt may take, from connecting to the last byte
/// of the answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default time to wait for a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// A Server API client for one application.
///
/// Cheap to clone (an `Arc` inside); clones share the connection pool, the
/// host in use (failover) and the rate-limit accounts (pacing). There is no
/// global state: two clients with different keys coexist.
///
/// Every call is delivered this way:
///
/// 1. validated and encoded, before any I/O;
/// 2. paced: it waits its turn under the endpoint's documented rate limits
///    ([`Pacing`]), or fails at once with [`Error::Pacing`] when the wait
///    would pass its deadline;
/// 3. sent to the host in use, signed afresh on every attempt with the same
///    `X-Request-ID`;
/// 4. repeated under the [`RetryPolicy`] only when that is safe: a request
///    that provably was not processed is repeated for any endpoint, one that
///    may have been only for idempotent endpoints;
/// 5. a host that fails (no connection, timeout, 5xx) is left for the next
///    configured one, under the [`FailoverPolicy`].
///
/// ```no_run
/// # async fn run() -> Result<(), api_core::Error> {
/// use std::time::Duration;
/// use api_core::{Client, Credentials, Region, RetryPolicy};
///
/// let client = Client::builder(Credentials::new("app-key", "app-secret"))
///     .region(Region::Singapore)
///     .retry_policy(RetryPolicy::new().max_attempts(4).deadline(Duration::from_secs(20)))
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
    failover: Failover,
    transport: Arc<dyn Transport>,
    timeout: Duration,
    retry: RetryPolicy,
    pacer: Option<Pacer>,
    timer: Arc<dyn Timer>,
    /// The signing clock, also used to read `Retry-After` dates.
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("credentials", self.inner.signer.credentials())
            .field("base_urls", &self.inner.failover.hosts())
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("pacing", &self.inner.pacer.is_some())
            .finish_non_exhaustive()
    }
}

/// Per-call settings for [`Client::send_with`].
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    request_id: Option<RequestId>,
    deadline: DeadlineChoice,
}

#[derive(Debug, Clone, Copy, Default)]
enum DeadlineChoice {
    #[default]
    Policy,
    Fixed(Duration),
    Unbounded,
}

impl CallOptions {
    /// The defaults: a new request id, the client's deadline.
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses this `X-Request-ID` (on every attempt).
    pub fn request_id(mut self, request_id: RequestId) -> Self {
        self.request_id = Some(request_id);
        self
    }

    /// Bounds the whole call (pacing wait, attempts, backoff) by `deadline`
    /// instead of the retry policy's.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = DeadlineChoice::Fixed(deadline);
        self
    }

    /// No deadline for this call: it waits for its rate limit as long as
    /// needed, bounded only by the attempts and their timeout.
    pub fn no_deadline(mut self) -> Self {
        self.deadline = DeadlineChoice::Unbounded;
        self
    }
}

/// When a call must give up, in timer time.
#[derive(Debug, Clone, Copy)]
pub(crate) enum DeadlinePlan {
    /// One budget from the start of the call, pacing included.
    FromStart(Option<Duration>),
    /// Pacing may wait until `pace_by` (a bulk send's own deadline); the
    /// attempts then have `budget` from when the call is let through.
    AfterPacing {
        pace_by: Option<Duration>,
        budget: Option<Duration>,
    },
}

/// What the delivery loop needs to know about the endpoint, without being
/// generic over it (one copy of the loop per response type, not per endpoint).
#[derive(Debug, Clone, Copy)]
struct Plan {
    idempotent: bool,
    quota: &'static str,
    limits: &'static [RateLimit],
    recipients: usize,
    deadline: DeadlinePlan,
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
        self.inner.failover.hosts()
    }

    /// The base URL calls go to now (after any failover).
    pub fn current_host(&self) -> &BaseUrl {
        let failover = &self.inner.failover;
        failover.url(failover.current(self.inner.timer.now()))
    }

    /// The per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The signer (and so the App Key) of this client.
    pub fn signer(&self) -> &Signer {
        &self.inner.signer
    }

    pub(crate) fn timer(&self) -> &dyn Timer {
        &*self.inner.timer
    }

    /// Validates, encodes, paces, signs and sends one call, and decodes its
    /// answer, with the client's retry policy and failover.
    ///
    /// Validation runs before any I/O: an invalid request returns
    /// [`Error::Validation`] with every violation, and nothing is sent.
    pub fn send<E: Endpoint + ?Sized>(
        &self,
        endpoint: &E,
    ) -> impl Future<Output = Result<E::Response, Error>> {
        self.send_with(endpoint, CallOptions::new())
    }

    /// Like [`send`](Self::send), with a request id chosen by the caller.
    pub fn send_with_id<E: Endpoint + ?Sized>(
        &self,
        endpoint: &E,
        request_id: RequestId,
    ) -> impl Future<Output = Result<E::Response, Error>> {
        self.send_with(endpoint, CallOptions::new().request_id(request_id))
    }

    /// Like [`send`](Self::send), with per-call options (request id,
    /// deadline).
    //
    // These three are plain functions returning `call`'s future rather
    // than `async fn`s awaiting it: each async layer moves the whole inner
    // future (about 1.4 KiB) into its own, once per call.
    pub fn send_with<E: Endpoint + ?Sized>(
        &self,
        endpoint: &E,
        options: CallOptions,
    ) -> impl Future<Output = Result<E::Response, Error>> {
        let budget = match options.deadline {
            DeadlineChoice::Policy => self.inner.retry.deadline,
            DeadlineChoice::Fixed(deadline) => Some(deadline),
            DeadlineChoice::Unbounded => None,
        };
        self.call(
            endpoint,
            options.request_id.unwrap_or_default(),
            DeadlinePlan::FromStart(budget),
        )
    }

    pub(crate) async fn call<E: Endpoint + ?Sized>(
        &self,
        endpoint: &E,
        request_id: RequestId,
        deadline: DeadlinePlan,
    ) -> Result<E::Response, Error> {
        let span = tracing::info_span!(
            "rongcloud.call",
            endpoint = E::PATH,
            request_id = %request_id,
            attempts = Empty,
            pacing_wait_ms = Empty,
            status = Empty,
            code = Empty,
            latency_ms = Empty,
        );
        let prepared = PreparedRequest::new(endpoint, request_id)?;
        let plan = Plan {
            idempotent: E::IDEMPOTENT,
            quota: E::QUOTA,
            limits: E::RATE_LIMITS,
            recipients: endpoint.recipients().map_or(0, <[String]>::len),
            deadline,
        };
        self.execute::<E::Response>(&prepared, plan)
            .instrument(span)
            .await
    }

    /// Waits for the call's turn under its rate limits. A turn is granted
    /// only if an attempt of `room` still fits before `deadline` after it
    /// (a call that need not wait always goes); otherwise the call fails
    /// with [`Error::Pacing`] at once. Returns the wait.
    async fn pace(
        &self,
        plan: &Plan,
        prepared: &PreparedRequest,
        deadline: Option<Duration>,
        room: Duration,
    ) -> Result<Duration, Error> {
        let Some(pacer) = &self.inner.pacer else {
            return Ok(Duration::ZERO);
        };
        let now = self.inner.timer.now();
        let latest = deadline.map(|deadline| deadline.saturating_sub(room).max(now));
        let wait = pacer
            .reserve(plan.quota, plan.limits, plan.recipients, now, latest)
            .map_err(|refusal| {
                let left = deadline.map_or(Duration::ZERO, |d| d.saturating_sub(now));
                PacingError::new(refusal, plan.quota, prepared.request_id().as_str(), left)
            })?;
        if !wait.is_zero() {
            tracing::debug!(
                quota = plan.quota,
                wait_ms = wait.as_millis() as u64,
                "waiting for the rate limit"
            );
            self.inner.timer.sleep(wait).await;
        }
        Ok(wait)
    }

    async fn execute<R: serde::de::DeserializeOwned>(
        &self,
        prepared: &PreparedRequest,
        plan: Plan,
    ) -> Result<R, Error> {
        let inner = &*self.inner;
        let span = tracing::Span::current();
        let started = inner.timer.now();
        let result = self.deliver::<R>(prepared, &plan, &span, started).await;
        if !span.is_disabled() {
            span.record(
                "latency_ms",
                inner.timer.now().saturating_sub(started).as_millis() as u64,
            );
        }
        if let Err(error) = &result {
            tracing::debug!(delivery = ?error.delivery(), %error, "call failed");
        }
        result
    }

    async fn deliver<R: serde::de::DeserializeOwned>(
        &self,
        prepared: &PreparedRequest,
        plan: &Plan,
        span: &tracing::Span,
        started: Duration,
    ) -> Result<R, Error> {
        let inner = &*self.inner;
        let (pace_by, budget) = match plan.deadline {
            DeadlinePlan::FromStart(budget) => (budget.map(|budget| started + budget), budget),
            DeadlinePlan::AfterPacing { pace_by, budget } => (pace_by, budget),
        };
        // What one attempt needs: its timeout, or the whole budget if less.
        // A turn that leaves less would only cut the attempt short (and a
        // publish cut short has an unknown outcome).
        let room = budget.map_or(inner.timeout, |budget| budget.min(inner.timeout));
        let mut paced = self.pace(plan, prepared, pace_by, room).await?;
        span.record("pacing_wait_ms", paced.as_millis() as u64);
        let deadline = match plan.deadline {
            DeadlinePlan::FromStart(_) => pace_by,
            DeadlinePlan::AfterPacing { pace_by, budget } => {
                let after = budget.map(|budget| inner.timer.now() + budget);
                match (pace_by, after) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                }
            }
        };
        let max_attempts = inner.retry.max_attempts.max(1);
        // The host this call's previous attempt found unhealthy.
        let mut failed_host = None;
        // The first error after which the request may have been processed:
        // if a later retry fails without reaching the server, that is still
        // the call's outcome.
        let mut maybe_processed: Option<Error> = None;
        // The previous attempt's error, unless kept in `maybe_processed`.
        let mut previous: Option<Error> = None;
        let mut attempt = 0u32;
        loop {
            let now = inner.timer.now();
            let timeout = match deadline {
                Some(deadline) => inner.timeout.min(deadline.saturating_sub(now)),
                None => inner.timeout,
            };
            if timeout.is_zero() {
                // No time left: a bulk send's deadline passed while this call
                // queued, or a backoff overslept by a timer tick. No attempt
                // starts without time left.
                return Err(match previous {
                    Some(error) => outcome_of(error, maybe_processed),
                    None => maybe_processed.unwrap_or_else(|| {
                        PacingError::overslept(plan.quota, prepared.request_id().as_str()).into()
                    }),
                });
            }
            attempt += 1;
            span.record("attempts", attempt);
            let host = inner.failover.host_for_attempt(now, failed_host);
            let (error, server_wait) =
                match self.attempt::<R>(prepared, host, attempt, timeout).await {
                    Ok(answer) => return Ok(answer),
                    Err(failure) => failure,
                };
            if let Error::Api(api) = &error {
                span.record("code", api.code().code());
            }
            failed_host = None;
            if is_host_failure(&error) {
                inner.failover.report_failure(host, inner.timer.now());
                failed_host = Some(host);
            }
            let verdict = verdict(&error);
            let retry = match verdict {
                Verdict::NotProcessed => true,
                Verdict::MaybeProcessed => plan.idempotent,
                Verdict::Final => false,
            };
            if !retry || attempt >= max_attempts {
                return Err(outcome_of(error, maybe_processed));
            }
            let wait = inner
                .retry
                .backoff_for(attempt)
                .max(server_wait.unwrap_or_default());
            if deadline.is_some_and(|deadline| inner.timer.now() + wait >= deadline) {
                tracing::debug!(
                    wait_ms = wait.as_millis() as u64,
                    %error,
                    "no retry: it would start past the deadline"
                );
                return Err(outcome_of(error, maybe_processed));
            }
            tracing::debug!(
                attempt,
                wait_ms = wait.as_millis() as u64,
                verdict = ?verdict,
                %error,
                "retrying"
            );
            previous = if verdict == Verdict::MaybeProcessed && maybe_processed.is_none() {
                maybe_processed = Some(error);
                None
            } else {
                Some(error)
            };
            inner.timer.sleep(wait).await;
            if verdict == Verdict::MaybeProcessed {
                // The server may have counted that attempt: the next one
                // needs a turn of its own. A request that provably was not
                // processed did not use its turn, and keeps it.
                match self.pace(plan, prepared, deadline, room).await {
                    Ok(wait) => {
                        paced += wait;
                        span.record("pacing_wait_ms", paced.as_millis() as u64);
                    }
                    Err(refused) => {
                        tracing::debug!(%refused, "no retry: no turn before the deadline");
                        return Err(maybe_processed.unwrap_or(refused));
                    }
                }
            }
        }
    }

    /// One signed attempt to `host`: the answer, or the error and the
    /// server's `Retry-After`.
    async fn attempt<R: serde::de::DeserializeOwned>(
        &self,
        prepared: &PreparedRequest,
        host: usize,
        attempt: u32,
        timeout: Duration,
    ) -> Result<R, (Error, Option<Duration>)> {
        let inner = &*self.inner;
        let base = inner.failover.url(host);
        let span = tracing::debug_span!(
            "rongcloud.attempt",
            host = base.host(),
            attempt,
            request_id = prepared.request_id().as_str(),
            status = Empty,
            code = Empty,
            latency_ms = Empty,
        );
        let request = prepared
            .to_http(base, &inner.signer)
            .map_err(|error| (error, None))?;
        // Timed only for a subscriber that listens: two clock reads per
        // attempt are measurable on a loopback call.
        let started = (!span.is_disabled()).then(|| inner.timer.now());
        let sent = inner
            .transport
            .send(request, timeout)
            .instrument(span.clone())
            .await;
        if let Some(started) = started {
            span.record(
                "latency_ms",
                inner.timer.now().saturating_sub(started).as_millis() as u64,
            );
        }
        let request_id = prepared.request_id().as_str();
        let response = match sent {
            Ok(response) => response,
            Err(error) => {
                let error = Error::from(error.with_request_id(request_id));
                tracing::debug!(parent: &span, %error, "attempt failed");
                return Err((error, None));
            }
        };
        let status = response.status();
        span.record("status", status.as_u16());
        tracing::Span::current().record("status", status.as_u16());
        let decoded = decode_response::<R>(status, response.body(), Some(request_id));
        decoded.map_err(|error| {
            if let Error::Api(api) = &error {
                span.record("code", api.code().code());
            }
            let server_wait = if status.is_client_error() || status.is_server_error() {
                let now = UNIX_EPOCH + Duration::from_millis(inner.clock.now_millis());
                retry_after(response.headers(), now)
            } else {
                None
            };
            (error, server_wait)
        })
    }
}

/// The variables through which reqwest (and curl) learn of an HTTP proxy.
const PROXY_VARIABLES: [&str; 6] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// The transport of a client built without one: [`HyperTransport`], which
/// caps requests per connection exactly and is the faster; or, when
/// `lookup` finds a proxy variable set,
/// [`ReqwestTransport`], which goes through that proxy (the hyper transport
/// does not read proxy settings).
fn default_transport(
    connect_timeout: Duration,
    lookup: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> Result<Arc<dyn Transport>, Error> {
    Ok(if proxy_configured(lookup) {
        Arc::new(ReqwestTransport::new(connect_timeout)?)
    } else {
        Arc::new(HyperTransport::new(connect_timeout)?)
    })
}

/// Whether `lookup` finds one of [`PROXY_VARIABLES`] set, and not empty.
fn proxy_configured(lookup: impl Fn(&str) -> Option<std::ffi::OsString>) -> bool {
    PROXY_VARIABLES
        .iter()
        .any(|name| lookup(name).is_some_and(|value| !value.is_empty()))
}

/// The error a failed call returns: its last error, unless an earlier
/// attempt may have been processed and the last one provably was not, in
/// which case the earlier one (the call's outcome is unknown).
fn outcome_of(last: Error, maybe_processed: Option<Error>) -> Error {
    match maybe_processed {
        Some(earlier) if last.delivery() != Delivery::Unknown => earlier,
        _ => last,
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
    timer: Option<Arc<dyn Timer>>,
    retry: RetryPolicy,
    failover: FailoverPolicy,
    pacing: Pacing,
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
            timer: None,
            retry: RetryPolicy::default(),
            failover: FailoverPolicy::default(),
            pacing: Pacing::default(),
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

    /// Replaces the HTTP transport. Without one, the client uses
    /// [`HyperTransport`], or [`ReqwestTransport`] when one of
    /// `HTTPS_PROXY`, `HTTP_PROXY` or `ALL_PROXY` (or their lower-case forms)
    /// is set, since only reqwest goes through a proxy.
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
            None => default_transport(self.connect_timeout.min(self.timeout), |name| {
                std::env::var_os(name)
            })?,
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
                pacer: Pacer::new(self.pacing),
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

    #[test]
    fn a_proxy_variable_selects_the_reqwest_transport() {
        let set = |vars: &[(&str, &str)]| {
            let vars: HashMap<String, std::ffi::OsString> = vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.into()))
                .collect();
            proxy_configured(|name| vars.get(name).cloned())
        };
        assert!(!set(&[]));
        assert!(!set(&[("HTTPS_PROXY", ""), ("NO_PROXY", "example.com")]));
        for name in PROXY_VARIABLES {
            assert!(set(&[(name, "http://proxy.example:3128")]), "{name}");
        }
    }

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
