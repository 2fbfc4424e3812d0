//! The HTTP transport: a trait, and the default one on reqwest (rustls).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;

use crate::error::{ConfigError, Delivery, TransportError, TransportErrorKind};

/// A boxed future, as transports return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one signed attempt and returns the whole answer.
///
/// Implementations must report [`Delivery::NotSent`] only when no byte of
/// the request can have reached the server; when in doubt,
/// [`Delivery::Unknown`]. The client relies on it to never repeat a message.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request`, giving up after `timeout`.
    fn send(
        &self,
        request: http::Request<Bytes>,
        timeout: Duration,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>>;
}

/// How long a pooled connection may stay idle. The provider's load balancers
/// want connections idle for less than 55 s.
pub const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(50);

/// The most requests either transport sends over one connection. The
/// provider's load balancers want fewer than 80.
pub const MAX_REQUESTS_PER_CONNECTION: u32 = 79;

/// Builds a fresh `reqwest::Client`, with its own connection pool.
type ClientFactory = dyn Fn() -> Result<reqwest::Client, ConfigError> + Send + Sync;

/// How many unused clients (and so warm connections) the reqwest transport
/// keeps after a burst of concurrent requests.
const MAX_IDLE_SLOTS: usize = 64;

/// A transport on reqwest with rustls (no system OpenSSL), whose connections
/// are short-lived as the provider asks. A client uses it by default when an
/// HTTP proxy is configured (reqwest reads `HTTPS_PROXY` and the like), and
/// [`HyperTransport`](crate::HyperTransport) otherwise.
///
/// # Connection lifetime
///
/// - Idle: a pooled connection is closed after [`POOL_IDLE_TIMEOUT`] (50 s)
///   without a request, under the provider's 55 s.
/// - Requests: no connection carries more than
///   [`MAX_REQUESTS_PER_CONNECTION`] (79) requests. reqwest can neither cap
///   requests per connection nor say which connection a request used, so
///   the cap is enforced one level up, on whole connection pools: the
///   transport keeps a small pool of `reqwest::Client` values ("slots"),
///   each with its own connection pool. A request takes an unused slot (or
///   a new one), and gives it back when it is over; a slot that has been
///   used for 79 requests is not given back but dropped, which closes its
///   connections, and a fresh one takes its place when needed.
///
/// Guarantee: every connection belongs to the pool of exactly one slot,
/// and a slot is used for at most 79 requests in its whole life, so no
/// connection carries more than 79, whatever the concurrency, and whether
/// it speaks HTTP/1.1 or multiplexes HTTP/2 streams. Because a slot carries
/// one request at a time, its pool mostly keeps a single connection that
/// carries the slot's requests one after another: about one new connection
/// (and TLS handshake) per 79 requests, the turnover the provider's load
/// balancing asks for. (When a request starts before hyper has put the
/// previous connection back in the pool, hyper may open a second one; the
/// slot's 79 requests are then shared between them, and at most one idle
/// connection per host is kept.) The most recently used slot is taken first, so idle
/// slots are the cold ones; at most 64 unused slots are kept after a burst.
///
/// The clients share one TLS configuration, and so one TLS session cache:
/// each forced new connection resumes a session instead of repeating the
/// full handshake (certificate chain and all), which would otherwise come
/// back every 79 requests.
///
/// A client supplied with [`from_client`](Self::from_client) cannot be
/// rebuilt, so it is not capped; [`from_factory`](Self::from_factory)
/// customises the client and keeps the cap.
#[derive(Clone)]
pub struct ReqwestTransport {
    pools: Arc<Pools>,
    targets: Arc<Targets>,
}

/// The parsed `Url` of each request URI seen: reqwest takes a `url::Url`,
/// and turning an `http::Uri` into one means printing and parsing it, which
/// cost as much as signing the request. A client calls a few endpoints on a
/// few hosts, so the map stays small; it is emptied if it ever grows past
/// [`MAX_TARGETS`].
#[derive(Default)]
struct Targets {
    map: std::sync::RwLock<std::collections::HashMap<http::Uri, reqwest::Url>>,
}

/// More distinct URIs than any client calls (endpoints times hosts).
const MAX_TARGETS: usize = 4096;

impl Targets {
    fn url(&self, uri: &http::Uri) -> Result<reqwest::Url, url::ParseError> {
        if let Some(url) = self.map.read().unwrap_or_else(|e| e.into_inner()).get(uri) {
            return Ok(url.clone());
        }
        let url = reqwest::Url::parse(&uri.to_string())?;
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_TARGETS {
            map.clear();
        }
        map.insert(uri.clone(), url.clone());
        Ok(url)
    }
}

enum Pools {
    /// Slots built by the factory, capped.
    Capped {
        factory: Box<ClientFactory>,
        idle: Mutex<Vec<Slot>>,
    },
    /// A caller's client, used for every request.
    Fixed(reqwest::Client),
}

/// A client and the number of requests it has been used for.
struct Slot {
    client: reqwest::Client,
    used: u32,
}

/// What one request uses; dropping a slot's lease gives the slot back (or
/// retires it once spent), also when the request is cancelled.
enum Lease<'a> {
    Fixed(&'a reqwest::Client),
    Slot {
        idle: &'a Mutex<Vec<Slot>>,
        /// Always `Some` until dropped.
        slot: Option<Slot>,
    },
}

impl Lease<'_> {
    fn client(&self) -> &reqwest::Client {
        match self {
            Lease::Fixed(client) => client,
            Lease::Slot { slot, .. } => {
                &slot
                    .as_ref()
                    .expect("a lease holds its slot until dropped")
                    .client
            }
        }
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let Lease::Slot { idle, slot } = self else {
            return;
        };
        let Some(slot) = slot.take() else {
            return;
        };
        if slot.used >= MAX_REQUESTS_PER_CONNECTION {
            // Spent: dropping the client closes its connections.
            return;
        }
        let mut idle = idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_IDLE_SLOTS {
            idle.push(slot);
        }
    }
}

impl fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestTransport")
            .field("capped", &matches!(*self.pools, Pools::Capped { .. }))
            .finish_non_exhaustive()
    }
}

impl ReqwestTransport {
    /// A transport with connections idle at most [`POOL_IDLE_TIMEOUT`],
    /// carrying at most [`MAX_REQUESTS_PER_CONNECTION`] requests each, and a
    /// connect timeout of `connect_timeout`. TLS trusts the Mozilla root
    /// certificates (webpki-roots), as reqwest's `rustls-tls` does.
    pub fn new(connect_timeout: Duration) -> Result<Self, ConfigError> {
        Self::with_tls(connect_timeout, default_tls()?)
    }

    /// Like [`new`](Self::new), with this TLS configuration (say, to trust
    /// a private root certificate). `tls` must come from the `rustls` that
    /// reqwest uses, re-exported as [`crate::rustls`]. Without ALPN
    /// protocols it gets reqwest's (`h2`, `http/1.1`).
    ///
    /// Every client the transport builds uses this one configuration, so
    /// they share its TLS session cache: the new connection that the cap of
    /// 79 requests forces resumes the TLS session of an earlier one instead
    /// of a full handshake. (A reqwest client builds its own configuration,
    /// so clients built apart never resume each other's sessions.)
    pub fn with_tls(
        connect_timeout: Duration,
        mut tls: rustls::ClientConfig,
    ) -> Result<Self, ConfigError> {
        if tls.alpn_protocols.is_empty() {
            tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        }
        Self::from_factory(move || {
            reqwest::Client::builder()
                // A clone shares the session cache (an `Arc` inside).
                .use_preconfigured_tls(tls.clone())
                .https_only(false)
                .pool_idle_timeout(POOL_IDLE_TIMEOUT)
                // A slot carries one request at a time: a second idle
                // connection (opened when a request raced the return of
                // the first to the pool) is closed instead of kept.
                .pool_max_idle_per_host(1)
                .connect_timeout(connect_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| ConfigError::new(format!("cannot build the HTTP client: {e}")))
        })
    }

    /// A transport on clients built by `factory`, keeping the cap of
    /// [`MAX_REQUESTS_PER_CONNECTION`] requests per connection: `factory`
    /// is called once now (to report a bad configuration early) and again
    /// whenever a slot is needed. Each call must build a new client
    /// (`reqwest::Client::builder()...build()`), not clone one, or the cap
    /// does not hold. Set `pool_idle_timeout` below 55 s.
    pub fn from_factory<F>(factory: F) -> Result<Self, ConfigError>
    where
        F: Fn() -> Result<reqwest::Client, ConfigError> + Send + Sync + 'static,
    {
        let first = Slot {
            client: factory()?,
            used: 0,
        };
        Ok(Self {
            pools: Arc::new(Pools::Capped {
                factory: Box::new(factory),
                idle: Mutex::new(vec![first]),
            }),
            targets: Arc::default(),
        })
    }

    /// A transport on a reqwest client built by the caller, used for every
    /// request. It cannot be rebuilt, so requests per connection are not
    /// capped (see [`from_factory`](Self::from_factory)).
    pub fn from_client(client: reqwest::Client) -> Self {
        Self {
            pools: Arc::new(Pools::Fixed(client)),
            targets: Arc::default(),
        }
    }

    /// The slot for one request: the most recently returned one, or a new
    /// one (built outside the lock).
    fn checkout(&self) -> Result<Lease<'_>, ConfigError> {
        match &*self.pools {
            Pools::Fixed(client) => Ok(Lease::Fixed(client)),
            Pools::Capped { factory, idle } => {
                let reused = idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
                let mut slot = match reused {
                    Some(slot) => slot,
                    None => Slot {
                        client: factory()?,
                        used: 0,
                    },
                };
                slot.used += 1;
                Ok(Lease::Slot {
                    idle,
                    slot: Some(slot),
                })
            }
        }
    }
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: http::Request<Bytes>,
        timeout: Duration,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let host = parts.uri.host().unwrap_or_default();
            let url = self.targets.url(&parts.uri).map_err(|e| {
                TransportError::new(
                    TransportErrorKind::Other,
                    Delivery::NotSent,
                    host,
                    "invalid request URL",
                    Some(e.into()),
                )
            })?;
            let mut request = reqwest::Request::new(parts.method, url);
            *request.headers_mut() = parts.headers;
            *request.version_mut() = parts.version;
            *request.body_mut() = Some(reqwest::Body::from(body));
            let lease = self.checkout().map_err(|e| {
                TransportError::new(
                    TransportErrorKind::Other,
                    Delivery::NotSent,
                    host,
                    "cannot build the HTTP client",
                    Some(e.into()),
                )
            })?;
            let client = lease.client();
            let exchange = async {
                let mut response = client.execute(request).await?;
                let status = response.status();
                let headers = std::mem::take(response.headers_mut());
                let version = response.version();
                let body = response.bytes().await?;
                Ok::<_, reqwest::Error>((status, headers, version, body))
            };
            let (status, headers, version, body) =
                match tokio::time::timeout(timeout, exchange).await {
                    Ok(Ok(parts)) => parts,
                    Ok(Err(error)) => return Err(classify(host, error)),
                    Err(_) => {
                        return Err(TransportError::new(
                            TransportErrorKind::Timeout,
                            Delivery::Unknown,
                            host,
                            format!("no complete answer within {timeout:?}"),
                            None,
                        ));
                    }
                };
            let mut response = http::Response::new(body);
            *response.status_mut() = status;
            *response.headers_mut() = headers;
            *response.version_mut() = version;
            Ok(response)
        })
    }
}

/// What reqwest's `rustls-tls` builds for a client: the Mozilla roots, the
/// process's default crypto provider or else ring, TLS 1.2 and 1.3.
pub(crate) fn default_tls() -> Result<rustls::ClientConfig, ConfigError> {
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ConfigError::new(format!("cannot configure TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tls)
}

/// Maps a reqwest error to what is known about delivery: only a failure to
/// connect proves the request never left.
fn classify(host: &str, error: reqwest::Error) -> TransportError {
    let (kind, delivery, detail) = if error.is_connect() {
        (
            TransportErrorKind::Connect,
            Delivery::NotSent,
            "could not connect",
        )
    } else if error.is_timeout() {
        (TransportErrorKind::Timeout, Delivery::Unknown, "timed out")
    } else if error.is_request() || error.is_body() || error.is_decode() {
        (
            TransportErrorKind::Connection,
            Delivery::Unknown,
            "connection failed mid-exchange",
        )
    } else {
        (TransportErrorKind::Other, Delivery::Unknown, "HTTP error")
    };
    TransportError::new(
        kind,
        delivery,
        host,
        format!("{detail}: {error}"),
        Some(Box::new(error.without_url())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_each_uri_as_its_own_url() {
        let targets = Targets::default();
        let a: http::Uri = "http://127.0.0.1:8080/push.json".parse().unwrap();
        let b: http::Uri = "https://api-b.rong-api.com/message/private/publish.json"
            .parse()
            .unwrap();
        for _ in 0..2 {
            assert_eq!(targets.url(&a).unwrap().as_str(), a.to_string());
            assert_eq!(targets.url(&b).unwrap().as_str(), b.to_string());
        }
        assert_eq!(targets.map.read().unwrap().len(), 2);
    }

    #[test]
    fn targets_stay_under_their_bound() {
        let targets = Targets::default();
        for i in 0..MAX_TARGETS + 10 {
            let uri: http::Uri = format!("http://127.0.0.1/{i}.json").parse().unwrap();
            assert_eq!(targets.url(&uri).unwrap().path(), format!("/{i}.json"));
            assert!(targets.map.read().unwrap().len() <= MAX_TARGETS);
        }
    }
}
