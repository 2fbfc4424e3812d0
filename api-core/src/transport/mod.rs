//! The HTTP transport: the [`Transport`] trait, and [`HyperTransport`], the
//! one a client uses unless given another.
//!
//! - `hyper_transport`: [`HyperTransport`], its builder, and one exchange
//!   (request out, answer in), with what is known of delivery when it fails.
//! - `pool`: connection turnover: per host, how many connections may be
//!   open and idle, and when one is reused, opened or closed (after 79
//!   requests, or 50 s idle).
//! - `connector`: opening a connection, directly or through a proxy, with
//!   TLS, and the HTTP/1.1 handshake.
//! - `proxy`: which proxy, if any, a host is reached through
//!   ([`Proxies`], from `HTTPS_PROXY` and the other standard variables).
//! - `body`: reading an answer's body up to a cap.
//! - `tls`: the default TLS configuration.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use crate::error::{ConfigError, TransportError};

mod body;
mod connector;
mod hyper_transport;
mod pool;
mod proxy;
mod tls;

pub use hyper_transport::{HyperTransport, HyperTransportBuilder};
pub use proxy::Proxies;

/// A boxed future, as transports return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one signed attempt and returns the whole answer.
///
/// Implementations must report [`Delivery::NotSent`](crate::Delivery::NotSent)
/// only when no byte of the request can have reached the server; when in
/// doubt, [`Delivery::Unknown`](crate::Delivery::Unknown). The client relies
/// on it to never repeat a message.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request`, giving up after `timeout`.
    fn send(
        &self,
        request: http::Request<Bytes>,
        timeout: Duration,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>>;
}

/// How long a pooled connection may stay idle. The provider's load balancers
/// want connections idle for less than 55 s: [`HyperTransport`] never reuses
/// a connection idle this long and closes it within 2 s more.
pub const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(50);

/// The most requests [`HyperTransport`] sends over one connection. The
/// provider's load balancers want fewer than 80.
pub const MAX_REQUESTS_PER_CONNECTION: u32 = 79;

/// How many connections to one host [`HyperTransport`] has open at most by
/// default; further calls wait for one of them.
pub const DEFAULT_MAX_CONNECTIONS_PER_HOST: usize = 64;

/// How many idle connections to one host [`HyperTransport`] keeps by
/// default: as many as it may open, so that a steady load does not close
/// and reopen connections between calls.
pub const DEFAULT_MAX_IDLE_PER_HOST: usize = DEFAULT_MAX_CONNECTIONS_PER_HOST;

/// The longest answer body [`HyperTransport`] reads by default: 1 MiB. The
/// longest documented answers (a user's groups, a chatroom's members) are a
/// few tens of KiB.
pub const DEFAULT_MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// The transport of a client built without one: a [`HyperTransport`] built
/// by `builder`, reaching hosts through the proxies that `lookup` finds in
/// the standard variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`,
/// `NO_PROXY`, and their lower-case forms).
pub(crate) fn default_transport(
    builder: HyperTransportBuilder,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Arc<dyn Transport>, ConfigError> {
    let transport = builder.proxies(Proxies::from_lookup(lookup)).build()?;
    Ok(Arc::new(transport))
}
