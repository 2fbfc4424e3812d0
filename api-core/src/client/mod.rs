//! The client: one application's calls, from a typed request to a typed
//! answer.
//!
//! - [`builder`]: credentials, hosts, timeouts and policies, from code or
//!   the environment;
//! - [`options`]: per-call settings;
//! - this module: the [`Client`] and its calls. Delivering a call (pacing,
//!   attempts, retries, failover) is the engine's, in
//!   [`crate::delivery`].

mod builder;
mod options;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tracing::Instrument;
use tracing::field::Empty;

pub use builder::ClientBuilder;
pub use options::CallOptions;

use crate::delivery::engine::Plan;
use crate::delivery::failover::Failover;
use crate::delivery::pacing::{Pacing, QuotaStore};
use crate::delivery::retry::RetryPolicy;
use crate::delivery::timer::Timer;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::hosts::BaseUrl;
use crate::request::{PreparedRequest, RequestId};
use crate::signer::{Clock, Signer};
use crate::transport::Transport;

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
///    ([`Pacing`], accounts in a [`QuotaStore`]), or fails at once with
///    [`Error::Pacing`] when the wait would pass its deadline;
/// 3. sent to the host in use, signed afresh on every attempt with the same
///    `X-Request-ID`;
/// 4. repeated under the [`RetryPolicy`] only when that is safe: a request
///    that provably was not processed is repeated for any endpoint (a
///    rate-limit refusal until the deadline, the whole quota waiting with
///    it), one that may have been only for idempotent endpoints;
/// 5. a host that fails (no connection, timeout, 5xx) is left for the next
///    configured one, under the [`FailoverPolicy`](crate::FailoverPolicy).
///
/// What each failure means is decided once, by [`classify`](crate::classify).
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
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) signer: Signer,
    pub(crate) failover: Failover,
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) pacing: Pacing,
    pub(crate) quotas: Arc<dyn QuotaStore>,
    pub(crate) timer: Arc<dyn Timer>,
    /// The signing clock, also used to read `Retry-After` dates.
    pub(crate) clock: Arc<dyn Clock>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("credentials", self.inner.signer.credentials())
            .field("base_urls", &self.inner.failover.hosts())
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("pacing", &self.inner.pacing.is_enabled())
            .finish_non_exhaustive()
    }
}

impl Client {
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

    /// The pacing configuration (which limits apply).
    pub fn pacing(&self) -> &Pacing {
        &self.inner.pacing
    }

    /// The store the rate-limit accounts live in.
    pub fn quota_store(&self) -> &Arc<dyn QuotaStore> {
        &self.inner.quotas
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
    /// deadline, queueing).
    //
    // These three are plain functions returning `call`'s future rather
    // than `async fn`s awaiting it: each async layer moves the whole inner
    // future (about 1.4 KiB) into its own, once per call.
    pub fn send_with<E: Endpoint + ?Sized>(
        &self,
        endpoint: &E,
        options: CallOptions,
    ) -> impl Future<Output = Result<E::Response, Error>> {
        let deadline = options.deadline_rule(&self.inner.retry);
        self.call(endpoint, options.request_id.unwrap_or_default(), deadline)
    }

    pub(crate) async fn call<E: Endpoint + ?Sized>(
        &self,
        endpoint: &E,
        request_id: RequestId,
        deadline: crate::delivery::machine::Deadline,
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
            idempotent: endpoint.is_idempotent(),
            quota: E::QUOTA,
            limits: E::RATE_LIMITS,
            weight: endpoint.rate_weight(),
            deadline,
        };
        self.deliver::<E::Response>(&prepared, &plan)
            .instrument(span)
            .await
    }
}
