//! [`HyperTransport`]: hyper's HTTP/1.1 client connections in a pool of our
//! own, its builder, and one exchange.

use std::future::poll_fn;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use tokio::time::Sleep;

use super::body::{BodyError, read_capped};
use super::connector::{Connector, Link};
use super::pool::{Connection, Grant, Limits, Origin, Pool, Slot};
use super::proxy::Proxies;
use super::{
    BoxFuture, DEFAULT_MAX_ANSWER_BYTES, DEFAULT_MAX_CONNECTIONS_PER_HOST,
    DEFAULT_MAX_IDLE_PER_HOST, MAX_REQUESTS_PER_CONNECTION, POOL_IDLE_TIMEOUT, Transport, tls,
};
use crate::error::{ConfigError, Delivery, TransportError, TransportErrorKind};

/// The client's transport: hyper's HTTP/1.1 client connections, TLS by
/// rustls, in a pool that keeps the provider's rules.
///
/// - **Requests per connection**: the pool counts each connection's
///   requests, so none carries more than [`MAX_REQUESTS_PER_CONNECTION`]
///   (79): after its 79th answer a connection is closed.
/// - **Idle connections** are not reused after [`POOL_IDLE_TIMEOUT`] (50 s)
///   and are closed within 2 s more, under the provider's 55 s; at most
///   [`max_idle_per_host`](HyperTransportBuilder::max_idle_per_host) are
///   kept.
/// - **Open connections** per host are capped
///   ([`max_connections_per_host`](HyperTransportBuilder::max_connections_per_host),
///   default [`DEFAULT_MAX_CONNECTIONS_PER_HOST`]): past it, calls wait for
///   a connection to come back, within their timeout.
/// - **Answers** are read up to a cap
///   ([`max_answer_bytes`](HyperTransportBuilder::max_answer_bytes), default
///   [`DEFAULT_MAX_ANSWER_BYTES`]), so memory stays bounded whatever a
///   server sends.
/// - **Proxies**: an HTTP proxy named by `HTTPS_PROXY`, `HTTP_PROXY` or
///   `ALL_PROXY` is used, except for hosts in `NO_PROXY` ([`Proxies`]).
/// - **TLS**: every connection uses one rustls configuration, so new
///   connections resume TLS sessions.
///
/// # Delivery
///
/// A failure says whether the request may have reached the server
/// ([`TransportError::delivery`]):
///
/// - [`Delivery::NotSent`]: no connection could be made (refused, DNS,
///   TLS, the proxy, the connect timeout), no connection came free within
///   the timeout ([`TransportErrorKind::ConnectionLimit`]), or a new
///   connection closed before the request was written. hyper hands back a
///   request it has not started to write, which is how the last is known.
///   A pooled connection found closed before the request was written is
///   not reported: the request goes out on another connection, as
///   hyper-util's `retry_canceled_requests` does, and on the same
///   evidence.
/// - [`Delivery::Unknown`]: anything once the request may have been
///   written: the connection lost, no complete answer within the timeout,
///   or an answer longer than the cap
///   ([`TransportErrorKind::AnswerTooLarge`]).
///
/// # Why hyper's connections and a pool of our own
///
/// hyper-util's pooled `Client` would be less code, but it cannot keep the
/// rule of 79 requests exactly: it gives a connection back to its pool as
/// soon as hyper has read a small answer, before the caller can poison it
/// on the 79th, and in the loopback bench 23 of 26,580 connections carried
/// 80. It has no cap on open connections either, and one added in its
/// connector would leave a connect attempt waiting behind every call served
/// from the pool. It also costs more: on loopback (callgrind, client and
/// server), the bare hyper loop takes 64.6k instructions per request, this
/// transport 67.8k (95%), hyper-util's client 79.6k (81%). reqwest, used
/// before, kept the rule only by retiring whole clients. The pool is
/// therefore our own (300 lines of code); hyper-util does the connecting
/// (DNS, happy eyeballs), reads the proxy variables and opens proxy
/// tunnels. BENCHMARKS.md ("One bounded transport") has the measurements.
#[derive(Clone)]
pub struct HyperTransport {
    inner: Arc<Inner>,
}

struct Inner {
    pool: Pool<Link>,
    connector: Connector,
    connect_timeout: Duration,
    max_answer_bytes: usize,
}

impl std::fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let limits = self.inner.pool.limits();
        f.debug_struct("HyperTransport")
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("max_connections_per_host", &limits.max_open)
            .field("max_idle_per_host", &limits.max_idle)
            .field("max_answer_bytes", &self.inner.max_answer_bytes)
            .field("proxies", self.inner.connector.proxies())
            .finish_non_exhaustive()
    }
}

/// Configures a [`HyperTransport`].
///
/// ```
/// use std::time::Duration;
/// use api_core::{Client, Credentials, HyperTransport, Proxies};
///
/// let transport = HyperTransport::builder()
///     .connect_timeout(Duration::from_secs(2))
///     .max_connections_per_host(16)
///     .proxies(Proxies::none())
///     .build()?;
/// let client = Client::builder(Credentials::new("app-key", "app-secret"))
///     .transport(transport)
///     .build()?;
/// # Ok::<(), api_core::Error>(())
/// ```
#[derive(Debug)]
pub struct HyperTransportBuilder {
    connect_timeout: Duration,
    tls: Option<rustls::ClientConfig>,
    proxies: Option<Proxies>,
    max_connections_per_host: usize,
    max_idle_per_host: usize,
    max_answer_bytes: usize,
    idle_timeout: Duration,
}

impl Default for HyperTransportBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: crate::DEFAULT_CONNECT_TIMEOUT,
            tls: None,
            proxies: None,
            max_connections_per_host: DEFAULT_MAX_CONNECTIONS_PER_HOST,
            max_idle_per_host: DEFAULT_MAX_IDLE_PER_HOST,
            max_answer_bytes: DEFAULT_MAX_ANSWER_BYTES,
            idle_timeout: POOL_IDLE_TIMEOUT,
        }
    }
}

impl HyperTransportBuilder {
    /// The time to open a connection: resolve, connect, proxy tunnel, TLS
    /// handshake (default [`DEFAULT_CONNECT_TIMEOUT`](crate::DEFAULT_CONNECT_TIMEOUT),
    /// and never more than the attempt's timeout).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Uses this TLS configuration (say, to trust a private root) instead
    /// of the Mozilla root certificates. Its ALPN protocols are set to
    /// `http/1.1`, the only protocol spoken. Build it from
    /// [`crate::rustls`].
    pub fn tls(mut self, tls: rustls::ClientConfig) -> Self {
        self.tls = Some(tls);
        self
    }

    /// The proxies to go through (default [`Proxies::from_env`], read when
    /// the transport is built).
    pub fn proxies(mut self, proxies: Proxies) -> Self {
        self.proxies = Some(proxies);
        self
    }

    /// The most connections open to one host at once (default
    /// [`DEFAULT_MAX_CONNECTIONS_PER_HOST`], at least 1). Calls beyond it
    /// wait for a connection, and fail with
    /// [`TransportErrorKind::ConnectionLimit`] (not sent) if none comes
    /// free within their timeout.
    pub fn max_connections_per_host(mut self, max: usize) -> Self {
        self.max_connections_per_host = max;
        self
    }

    /// The most idle connections kept to one host (default
    /// [`DEFAULT_MAX_IDLE_PER_HOST`]); one given back beyond it is closed.
    /// 0 closes every connection after its request.
    pub fn max_idle_per_host(mut self, max: usize) -> Self {
        self.max_idle_per_host = max;
        self
    }

    /// The longest answer body read (default [`DEFAULT_MAX_ANSWER_BYTES`]).
    /// A longer one fails the attempt with
    /// [`TransportErrorKind::AnswerTooLarge`] (outcome unknown) as soon as
    /// it is known to be longer, and its connection is closed.
    pub fn max_answer_bytes(mut self, max: usize) -> Self {
        self.max_answer_bytes = max;
        self
    }

    /// How long an idle connection is kept (tests).
    #[cfg(test)]
    fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Checks the configuration and builds the transport.
    pub fn build(self) -> Result<HyperTransport, ConfigError> {
        if self.max_connections_per_host == 0 {
            return Err(ConfigError::new(
                "max_connections_per_host must be at least 1",
            ));
        }
        let tls = match self.tls {
            Some(tls) => tls,
            None => tls::default_tls()?,
        };
        let proxies = self.proxies.unwrap_or_else(Proxies::from_env);
        Ok(HyperTransport {
            inner: Arc::new(Inner {
                pool: Pool::new(Limits {
                    max_open: self.max_connections_per_host,
                    max_idle: self.max_idle_per_host,
                    max_requests: MAX_REQUESTS_PER_CONNECTION,
                    idle_timeout: self.idle_timeout,
                }),
                connector: Connector::new(tls::connector(tls), proxies),
                connect_timeout: self.connect_timeout,
                max_answer_bytes: self.max_answer_bytes,
            }),
        })
    }
}

impl HyperTransport {
    /// A transport with the defaults, this connect timeout, and the
    /// proxies of the environment ([`Proxies::from_env`]).
    pub fn new(connect_timeout: Duration) -> Result<Self, ConfigError> {
        Self::builder().connect_timeout(connect_timeout).build()
    }

    /// Like [`new`](Self::new), with this TLS configuration (say, to trust
    /// a private root); see [`HyperTransportBuilder::tls`].
    pub fn with_tls(
        connect_timeout: Duration,
        tls: rustls::ClientConfig,
    ) -> Result<Self, ConfigError> {
        Self::builder()
            .connect_timeout(connect_timeout)
            .tls(tls)
            .build()
    }

    /// A builder for the other settings.
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder::default()
    }
}

impl Transport for HyperTransport {
    fn send(
        &self,
        request: http::Request<Bytes>,
        timeout: Duration,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(self.inner.exchange(request, timeout))
    }
}

impl Inner {
    /// One request and its whole answer, by `timeout`.
    async fn exchange(
        &self,
        request: http::Request<Bytes>,
        timeout: Duration,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let (mut parts, body) = request.into_parts();
        let Some(origin) = Origin::of(&parts.uri) else {
            return Err(TransportError::new(
                TransportErrorKind::Other,
                Delivery::NotSent,
                parts.uri.host().unwrap_or_default(),
                "the URL needs http or https and a host",
                None,
            ));
        };
        // One timer for the whole exchange, which each step races.
        let mut deadline = pin!(tokio::time::sleep(timeout));
        // hyper writes the URI as given: origin form and a Host header
        // (once the connection is known: it keeps the header's value),
        // unless the connection goes to a forwarding proxy.
        let absolute = std::mem::take(&mut parts.uri);
        parts.uri = origin_form(&absolute);
        let mut request = http::Request::from_parts(parts, Full::new(body));
        // Each turn takes a pooled connection or opens one; a pooled
        // connection found closed before the request was written is
        // dropped and the next one taken.
        loop {
            let checkout = pin!(self.pool.checkout(&origin));
            let (mut connection, pooled) = match race(checkout, deadline.as_mut()).await {
                Ok(Grant::Reuse(connection)) => (connection, true),
                Ok(Grant::Open(slot)) => {
                    // Boxed: opening a connection (TCP, proxy, TLS) is a
                    // large future, and happens once per 79 requests;
                    // inline, it made every exchange's future 10 KB.
                    let mut opening = Box::pin(self.open(slot));
                    match race(opening.as_mut(), deadline.as_mut()).await {
                        Ok(link) => (Connection::new(origin.clone(), link?), false),
                        Err(Elapsed) => return Err(no_connection_in_time(&origin, timeout)),
                    }
                }
                Err(Elapsed) => {
                    let limits = self.pool.limits();
                    return Err(no_free_connection(&origin, limits, timeout));
                }
            };
            let link = &mut connection.link;
            match race(pin!(link.sender.ready()), deadline.as_mut()).await {
                Ok(Ok(())) => {}
                Ok(Err(_)) if pooled => continue,
                Ok(Err(error)) => return Err(closed_before_sending(&origin, error)),
                Err(Elapsed) => return Err(no_time_to_send(&origin, timeout)),
            }
            request
                .headers_mut()
                .insert(http::header::HOST, link.host.clone());
            // A forwarding proxy takes the URI in absolute form.
            let forwarded = link.forward.is_some();
            if let Some(forward) = &link.forward {
                *request.uri_mut() = absolute.clone();
                if let Some(authorization) = &forward.authorization {
                    request
                        .headers_mut()
                        .insert(http::header::PROXY_AUTHORIZATION, authorization.clone());
                }
            }
            let sending = pin!(link.sender.try_send_request(request));
            let answer = match race(sending, deadline.as_mut()).await {
                Ok(Ok(answer)) => answer,
                Ok(Err(mut error)) => match error.take_message() {
                    // Handed back unwritten: nothing was sent.
                    Some(unsent) if pooled => {
                        request = unsent;
                        continue;
                    }
                    Some(_) => return Err(closed_before_sending(&origin, error.into_error())),
                    None => return Err(failed_mid_exchange(&origin, error.into_error().into())),
                },
                // Dropping the request future makes hyper close the
                // connection.
                Err(Elapsed) => return Err(no_complete_answer(&origin, timeout)),
            };
            let (answer, body) = answer.into_parts();
            if forwarded && answer.status == http::StatusCode::PROXY_AUTHENTICATION_REQUIRED {
                return Err(proxy_wants_credentials(&origin));
            }
            let read = pin!(read_capped(body, self.max_answer_bytes));
            let body = match race(read, deadline.as_mut()).await {
                Ok(Ok(body)) => body,
                // The connection is dropped with the rest of the body on
                // it, which closes it.
                Ok(Err(BodyError::TooLarge { declared })) => {
                    let cap = self.max_answer_bytes;
                    return Err(answer_too_large(&origin, answer.status, declared, cap));
                }
                Ok(Err(BodyError::Failed(error))) => {
                    return Err(failed_mid_exchange(&origin, error));
                }
                Err(Elapsed) => return Err(no_complete_answer(&origin, timeout)),
            };
            self.pool.checkin(connection);
            return Ok(http::Response::from_parts(answer, body));
        }
    }

    /// A new connection in `slot`, by the connect timeout.
    async fn open(&self, slot: Slot<Link>) -> Result<Link, TransportError> {
        let origin = slot.origin().clone();
        let opening = tokio::time::timeout(self.connect_timeout, self.connector.open(slot));
        match opening.await {
            Ok(Ok(link)) => {
                tracing::debug!(
                    host = origin.host(),
                    port = origin.port(),
                    "connection opened"
                );
                Ok(link)
            }
            Ok(Err(failure)) => Err(TransportError::new(
                failure.kind,
                Delivery::NotSent,
                origin.host(),
                failure.detail,
                failure.source,
            )),
            Err(_) => Err(TransportError::new(
                TransportErrorKind::Connect,
                Delivery::NotSent,
                origin.host(),
                "no connection within the connect timeout",
                None,
            )),
        }
    }
}

/// The attempt's deadline passed.
struct Elapsed;

/// `step`'s output, unless `deadline` passes first. `step` is polled first,
/// so that a step that is ready at once wins and does not set the timer.
/// Both are pinned by the caller, so that neither is moved (or held
/// twice) in the exchange's future.
fn race<'a, F: Future>(
    mut step: Pin<&'a mut F>,
    mut deadline: Pin<&'a mut Sleep>,
) -> impl Future<Output = Result<F::Output, Elapsed>> + 'a {
    poll_fn(move |cx| {
        if let Poll::Ready(output) = step.as_mut().poll(cx) {
            return Poll::Ready(Ok(output));
        }
        deadline.as_mut().poll(cx).map(|()| Err(Elapsed))
    })
}

/// `uri` in origin form (its path and query), as hyper writes it.
fn origin_form(uri: &http::Uri) -> http::Uri {
    let mut parts = http::uri::Parts::default();
    parts.path_and_query = Some(
        uri.path_and_query()
            .cloned()
            .unwrap_or_else(|| http::uri::PathAndQuery::from_static("/")),
    );
    http::Uri::from_parts(parts).expect("a path is a URI")
}

// The errors of an exchange. They take the origin rather than its host
// name, which is only worked out (from the authority) when one is made.

/// The attempt's deadline passed while a connection was being opened.
fn no_connection_in_time(origin: &Origin, timeout: Duration) -> TransportError {
    TransportError::new(
        TransportErrorKind::Connect,
        Delivery::NotSent,
        origin.host(),
        format!("no connection within the attempt's {timeout:?}"),
        None,
    )
}

/// Every connection the cap allows stayed busy until the deadline.
fn no_free_connection(origin: &Origin, limits: Limits, timeout: Duration) -> TransportError {
    TransportError::new(
        TransportErrorKind::ConnectionLimit,
        Delivery::NotSent,
        origin.host(),
        format!(
            "all {} connections to the host stayed busy for {timeout:?}; nothing was sent",
            limits.max_open
        ),
        None,
    )
}

/// A new connection closed before the request was written.
fn closed_before_sending(origin: &Origin, error: hyper::Error) -> TransportError {
    TransportError::new(
        TransportErrorKind::Connection,
        Delivery::NotSent,
        origin.host(),
        format!("the connection closed before the request was sent: {error}"),
        Some(error.into()),
    )
}

/// The deadline passed before the connection could take the request.
fn no_time_to_send(origin: &Origin, timeout: Duration) -> TransportError {
    TransportError::new(
        TransportErrorKind::Timeout,
        Delivery::NotSent,
        origin.host(),
        format!("the connection was not ready within {timeout:?}; nothing was sent"),
        None,
    )
}

/// The request may have been written, and no complete answer came.
fn no_complete_answer(origin: &Origin, timeout: Duration) -> TransportError {
    TransportError::new(
        TransportErrorKind::Timeout,
        Delivery::Unknown,
        origin.host(),
        format!("no complete answer within {timeout:?}"),
        None,
    )
}

/// The connection failed after the request may have been written.
fn failed_mid_exchange(
    origin: &Origin,
    error: Box<dyn std::error::Error + Send + Sync>,
) -> TransportError {
    TransportError::new(
        TransportErrorKind::Connection,
        Delivery::Unknown,
        origin.host(),
        format!("connection failed mid-exchange: {error}"),
        Some(error),
    )
}

/// A forwarding proxy answered 407 itself: it did not pass the request on.
fn proxy_wants_credentials(origin: &Origin) -> TransportError {
    TransportError::new(
        TransportErrorKind::Proxy,
        Delivery::NotSent,
        origin.host(),
        "the proxy asked for credentials (407); set them in the proxy URL, http://user:password@proxy:port",
        None,
    )
}

/// The answer's body is longer than the cap.
fn answer_too_large(
    origin: &Origin,
    status: http::StatusCode,
    declared: Option<u64>,
    cap: usize,
) -> TransportError {
    let length = match declared {
        Some(length) => format!("Content-Length {length}"),
        None => "more bytes".to_owned(),
    };
    TransportError::new(
        TransportErrorKind::AnswerTooLarge,
        Delivery::Unknown,
        origin.host(),
        format!(
            "the answer (HTTP {status}) has {length} than the {cap}-byte cap; it was not read further"
        ),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    const ANSWER: &[u8] =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 12\r\n\r\n{\"code\":200}";

    fn request(url: &str) -> http::Request<Bytes> {
        let mut request = http::Request::new(Bytes::from_static(b"a=1"));
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = url.parse().unwrap();
        request
    }

    fn builder() -> HyperTransportBuilder {
        HyperTransport::builder()
            .connect_timeout(Duration::from_secs(2))
            .proxies(Proxies::none())
    }

    /// Reads one request head and its 3-byte body.
    async fn read_request(stream: &mut TcpStream) -> bool {
        let mut seen = Vec::new();
        let mut buffer = [0u8; 1024];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return false,
                Ok(n) => seen.extend_from_slice(&buffer[..n]),
            }
            if let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                if seen.len() >= end + 4 + 3 {
                    return true;
                }
            }
        }
    }

    /// A server that runs `serve` on each accepted connection; returns its
    /// URL and the number of connections accepted so far.
    async fn server<F, Fut>(serve: F) -> (String, Arc<AtomicUsize>)
    where
        F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/x.json", listener.local_addr().unwrap());
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = accepted.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(stream));
            }
        });
        (url, accepted)
    }

    #[tokio::test]
    async fn a_refused_connection_is_not_sent() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/x.json", listener.local_addr().unwrap());
        drop(listener);
        let error = builder()
            .build()
            .unwrap()
            .send(request(&url), Duration::from_secs(2))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Connect);
        assert_eq!(error.delivery(), Delivery::NotSent);
    }

    #[tokio::test]
    async fn a_connection_lost_after_the_request_is_an_unknown_outcome() {
        let (url, _) = server(|mut stream| async move {
            read_request(&mut stream).await;
            // Processed, and the connection drops before any answer.
        })
        .await;
        let error = builder()
            .build()
            .unwrap()
            .send(request(&url), Duration::from_secs(2))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Connection);
        assert_eq!(error.delivery(), Delivery::Unknown);
    }

    #[tokio::test]
    async fn a_new_connection_closed_before_the_request_is_not_sent() {
        // Accepts, and closes at once: the connection dies before hyper
        // writes the request.
        let (url, _) = server(|stream| async move { drop(stream) }).await;
        let transport = builder().build().unwrap();
        let mut not_sent = 0;
        for _ in 0..20 {
            let error = transport
                .send(request(&url), Duration::from_secs(2))
                .await
                .unwrap_err();
            assert_eq!(error.kind(), TransportErrorKind::Connection, "{error}");
            // hyper may have written the request into the socket before
            // the close arrived; then the outcome is honestly unknown.
            if error.delivery() == Delivery::NotSent {
                not_sent += 1;
            }
        }
        // Not a vacuous test: at least one close was seen in time.
        assert!(not_sent > 0);
    }

    #[tokio::test]
    async fn a_pooled_connection_the_server_closed_is_replaced_not_reported() {
        // Answers one request per connection, then closes it without saying
        // so (no `Connection: close`), as an idle timeout on the server does.
        let (url, accepted) = server(|mut stream| async move {
            if read_request(&mut stream).await {
                let _ = stream.write_all(ANSWER).await;
            }
        })
        .await;
        let transport = builder().build().unwrap();
        for _ in 0..5 {
            let answer = transport
                .send(request(&url), Duration::from_secs(2))
                .await
                .unwrap();
            assert_eq!(answer.body().as_ref(), b"{\"code\":200}");
            // Let the server's close arrive, as it would between calls.
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 5);
    }

    #[tokio::test]
    async fn idle_connections_are_closed_and_not_reused() {
        // Answers every request of a connection; reports when one closes.
        let (closed_tx, mut closed) = tokio::sync::mpsc::unbounded_channel();
        let (url, accepted) = server(move |mut stream| {
            let closed_tx = closed_tx.clone();
            async move {
                while read_request(&mut stream).await {
                    let _ = stream.write_all(ANSWER).await;
                }
                let _ = closed_tx.send(());
            }
        })
        .await;
        let transport = builder()
            .idle_timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        for _ in 0..2 {
            transport
                .send(request(&url), Duration::from_secs(2))
                .await
                .unwrap();
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 1, "kept alive");
        // The idle connection is closed by the transport, unasked.
        tokio::time::timeout(Duration::from_secs(2), closed.recv())
            .await
            .expect("the idle connection was not closed")
            .unwrap();
        transport
            .send(request(&url), Duration::from_secs(2))
            .await
            .unwrap();
        assert_eq!(accepted.load(Ordering::SeqCst), 2, "a new connection");
    }

    #[tokio::test]
    async fn a_call_that_finds_every_connection_busy_waits_then_is_not_sent() {
        // Reads requests and never answers.
        let (url, accepted) = server(|mut stream| async move {
            read_request(&mut stream).await;
            tokio::time::sleep(Duration::from_secs(30)).await;
        })
        .await;
        let transport = builder().max_connections_per_host(1).build().unwrap();
        let hung = tokio::spawn({
            let (transport, url) = (transport.clone(), url.clone());
            async move { transport.send(request(&url), Duration::from_secs(5)).await }
        });
        while accepted.load(Ordering::SeqCst) == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let started = std::time::Instant::now();
        let error = transport
            .send(request(&url), Duration::from_millis(300))
            .await
            .unwrap_err();
        assert!(started.elapsed() >= Duration::from_millis(300));
        assert_eq!(error.kind(), TransportErrorKind::ConnectionLimit, "{error}");
        assert_eq!(error.delivery(), Delivery::NotSent);
        assert_eq!(accepted.load(Ordering::SeqCst), 1, "no second connection");
        hung.abort();
    }

    /// A server answering every request with a 100-byte body, declared
    /// (`Content-Length`) or not (chunked).
    async fn hundred_bytes(declared: bool) -> (String, Arc<AtomicUsize>) {
        server(move |mut stream| async move {
            while read_request(&mut stream).await {
                let head: &[u8] = if declared {
                    b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n"
                } else {
                    b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n64\r\n"
                };
                let tail: &[u8] = if declared { b"" } else { b"\r\n0\r\n\r\n" };
                let answer = [head, &[b'x'; 100], tail].concat();
                if stream.write_all(&answer).await.is_err() {
                    return;
                }
            }
        })
        .await
    }

    #[tokio::test]
    async fn an_answer_longer_than_the_cap_is_unknown_and_its_connection_closed() {
        for declared in [true, false] {
            let (url, accepted) = hundred_bytes(declared).await;
            let transport = builder().max_answer_bytes(99).build().unwrap();
            for _ in 0..2 {
                let error = transport
                    .send(request(&url), Duration::from_secs(2))
                    .await
                    .unwrap_err();
                assert_eq!(error.kind(), TransportErrorKind::AnswerTooLarge);
                assert_eq!(error.delivery(), Delivery::Unknown);
                let said = if declared {
                    "Content-Length 100"
                } else {
                    "more bytes"
                };
                assert!(error.to_string().contains(said), "{error}");
            }
            // Never reused with a body unread: a connection per call.
            assert_eq!(accepted.load(Ordering::SeqCst), 2);

            let transport = builder().max_answer_bytes(100).build().unwrap();
            let answer = transport
                .send(request(&url), Duration::from_secs(2))
                .await
                .unwrap();
            assert_eq!(answer.body().len(), 100, "the cap itself is allowed");
        }
    }
}
