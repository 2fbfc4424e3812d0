//! A transport on hyper's own client connections, which counts the requests
//! of each connection exactly.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::error::{ConfigError, Delivery, TransportError, TransportErrorKind};
use crate::transport::{
    BoxFuture, MAX_REQUESTS_PER_CONNECTION, POOL_IDLE_TIMEOUT, Transport, default_tls,
};

/// How often idle connections are looked at, to close those idle for
/// [`POOL_IDLE_TIMEOUT`].
const REAP_EVERY: Duration = Duration::from_secs(5);

/// A transport on hyper's HTTP/1.1 client connections (TLS by rustls), with
/// its own connection pool.
///
/// - **Requests per connection**: the pool knows which connection carries
///   each request, so no connection carries more than
///   [`MAX_REQUESTS_PER_CONNECTION`] (79): the 79th request's connection is
///   closed when its answer is read.
/// - **Idle connections** are closed after [`POOL_IDLE_TIMEOUT`] (50 s),
///   under the provider's 55 s.
/// - **TLS**: every connection uses one rustls configuration, so new
///   connections resume TLS sessions.
/// - **Delivery**: a failure to connect, or a pooled connection found
///   closed before the request was written, is [`Delivery::NotSent`] (a
///   closed pooled connection is replaced at once, not reported); anything
///   after the request may have been written is [`Delivery::Unknown`].
///
/// On loopback a client on it sends 1.2 to 1.7 times as many requests per
/// second as on [`ReqwestTransport`](crate::ReqwestTransport), whose own
/// layers cost more than everything else the client does (BENCHMARKS.md).
/// It does not read proxy settings: behind an HTTP proxy, use
/// [`ReqwestTransport`](crate::ReqwestTransport) (a client built without a
/// transport does so by itself when `HTTPS_PROXY` and the like are set).
///
/// Why a pool of its own rather than reqwest's or hyper-util's: neither can
/// cap the requests of a connection nor say which connection carried a
/// request, so with them the cap could only be kept by retiring whole
/// clients.
#[derive(Clone)]
pub struct HyperTransport {
    inner: Arc<Inner>,
}

struct Inner {
    tls: tokio_rustls::TlsConnector,
    connect_timeout: Duration,
    idle_timeout: Duration,
    idle: Mutex<HashMap<Origin, Vec<Idle>>>,
    reaper: AtomicBool,
}

/// Where a connection goes: scheme, host and port.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Origin {
    https: bool,
    host: String,
    port: u16,
}

/// A connection waiting for its next request.
struct Idle {
    sender: SendRequest<Full<Bytes>>,
    /// Requests it has carried.
    used: u32,
    since: Instant,
}

impl std::fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HyperTransport")
            .field("connect_timeout", &self.inner.connect_timeout)
            .finish_non_exhaustive()
    }
}

impl HyperTransport {
    /// A transport with a connect timeout of `connect_timeout`, trusting the
    /// Mozilla root certificates (webpki-roots).
    pub fn new(connect_timeout: Duration) -> Result<Self, ConfigError> {
        Self::with_tls(connect_timeout, default_tls()?)
    }

    /// Like [`new`](Self::new), with this TLS configuration (say, to trust
    /// a private root). Its ALPN protocols are set to `http/1.1`, the only
    /// protocol this transport speaks.
    pub fn with_tls(
        connect_timeout: Duration,
        tls: rustls::ClientConfig,
    ) -> Result<Self, ConfigError> {
        Ok(Self::build(connect_timeout, tls, POOL_IDLE_TIMEOUT))
    }

    fn build(connect_timeout: Duration, mut tls: rustls::ClientConfig, idle: Duration) -> Self {
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        Self {
            inner: Arc::new(Inner {
                tls: tokio_rustls::TlsConnector::from(Arc::new(tls)),
                connect_timeout,
                idle_timeout: idle,
                idle: Mutex::default(),
                reaper: AtomicBool::new(false),
            }),
        }
    }
}

impl Inner {
    fn idle(&self) -> std::sync::MutexGuard<'_, HashMap<Origin, Vec<Idle>>> {
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The most recently used open connection to `origin` that has not been
    /// idle too long; the others looked at are closed (dropped).
    fn checkout(&self, origin: &Origin) -> Option<Idle> {
        let mut idle = self.idle();
        let list = idle.get_mut(origin)?;
        while let Some(connection) = list.pop() {
            if !connection.sender.is_closed() && connection.since.elapsed() < self.idle_timeout {
                return Some(connection);
            }
        }
        None
    }

    fn checkin(self: &Arc<Self>, origin: Origin, connection: Idle) {
        self.idle().entry(origin).or_default().push(connection);
        if !self.reaper.swap(true, Ordering::AcqRel) {
            let every = REAP_EVERY.min(self.idle_timeout / 2);
            tokio::spawn(reap(Arc::downgrade(self), every));
        }
    }

    /// A new connection to `origin`: resolve, connect, TLS for https, and
    /// the HTTP/1.1 handshake.
    async fn connect(
        &self,
        origin: &Origin,
    ) -> Result<SendRequest<Full<Bytes>>, Box<dyn std::error::Error + Send + Sync>> {
        let mut last = None;
        let mut connected = None;
        for address in tokio::net::lookup_host((origin.host.as_str(), origin.port)).await? {
            match TcpStream::connect(address).await {
                Ok(stream) => {
                    connected = Some(stream);
                    break;
                }
                Err(error) => last = Some(error),
            }
        }
        let stream = match (connected, last) {
            (Some(stream), _) => stream,
            (None, Some(error)) => return Err(error.into()),
            (None, None) => return Err(format!("{} has no address", origin.host).into()),
        };
        // Requests and answers are single small writes.
        stream.set_nodelay(true)?;
        if origin.https {
            let name = rustls::pki_types::ServerName::try_from(origin.host.clone())?;
            let stream = self.tls.connect(name, stream).await?;
            let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
            tokio::spawn(connection);
            Ok(sender)
        } else {
            let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
            tokio::spawn(connection);
            Ok(sender)
        }
    }
}

/// Closes connections idle for too long, every `every`, until the
/// transport is gone.
async fn reap(inner: Weak<Inner>, every: Duration) {
    loop {
        tokio::time::sleep(every).await;
        let Some(inner) = inner.upgrade() else {
            return;
        };
        let timeout = inner.idle_timeout;
        inner.idle().retain(|_, list| {
            list.retain(|c| !c.sender.is_closed() && c.since.elapsed() < timeout);
            !list.is_empty()
        });
    }
}

/// A new connection closed before the request was written.
fn closed_before_sending(host: String, error: hyper::Error) -> TransportError {
    TransportError::new(
        TransportErrorKind::Connection,
        Delivery::NotSent,
        host,
        format!("the connection closed before the request was sent: {error}"),
        Some(error.into()),
    )
}

/// The deadline passed before the connection could take the request.
fn no_time_to_send(host: String, timeout: Duration) -> TransportError {
    TransportError::new(
        TransportErrorKind::Timeout,
        Delivery::NotSent,
        host,
        format!("the connection was not ready within {timeout:?}; nothing was sent"),
        None,
    )
}

/// The request may have been written, and no complete answer came.
fn no_complete_answer(host: String, timeout: Duration) -> TransportError {
    TransportError::new(
        TransportErrorKind::Timeout,
        Delivery::Unknown,
        host,
        format!("no complete answer within {timeout:?}"),
        None,
    )
}

/// The connection failed after the request may have been written.
fn failed_mid_exchange(
    host: String,
    error: Box<dyn std::error::Error + Send + Sync>,
) -> TransportError {
    TransportError::new(
        TransportErrorKind::Connection,
        Delivery::Unknown,
        host,
        format!("connection failed mid-exchange: {error}"),
        Some(error),
    )
}

impl Origin {
    fn of(uri: &http::Uri) -> Option<Self> {
        let https = match uri.scheme_str()? {
            "https" => true,
            "http" => false,
            _ => return None,
        };
        let host = uri.host()?;
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        Some(Self {
            https,
            host: host.to_owned(),
            port: uri.port_u16().unwrap_or(if https { 443 } else { 80 }),
        })
    }
}

impl Transport for HyperTransport {
    fn send(
        &self,
        request: http::Request<Bytes>,
        timeout: Duration,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let deadline = Instant::now() + timeout;
            let inner = &self.inner;
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
            let host = origin.host.clone();
            // hyper writes the URI as given: origin form, and a Host header.
            if let Some(authority) = parts.uri.authority() {
                let value = http::HeaderValue::from_str(authority.as_str())
                    .expect("an authority is a valid header value");
                parts.headers.insert(http::header::HOST, value);
            }
            parts.uri = parts.uri.path_and_query().map_or_else(
                || http::Uri::from_static("/"),
                |p| p.as_str().parse().expect("a path"),
            );
            let mut request = http::Request::from_parts(parts, Full::new(body));
            // Each turn takes a pooled connection, or opens one; a pooled
            // connection found closed before the request was written is
            // dropped and the next one taken.
            loop {
                let (mut sender, used, pooled) = match inner.checkout(&origin) {
                    Some(idle) => (idle.sender, idle.used, true),
                    None => {
                        let connect_by = deadline.min(Instant::now() + inner.connect_timeout);
                        match tokio::time::timeout_at(connect_by, inner.connect(&origin)).await {
                            Ok(Ok(sender)) => (sender, 0, false),
                            Ok(Err(error)) => {
                                return Err(TransportError::new(
                                    TransportErrorKind::Connect,
                                    Delivery::NotSent,
                                    host,
                                    format!("could not connect: {error}"),
                                    Some(error),
                                ));
                            }
                            Err(_) => {
                                return Err(TransportError::new(
                                    TransportErrorKind::Connect,
                                    Delivery::NotSent,
                                    host,
                                    "no connection within the connect timeout",
                                    None,
                                ));
                            }
                        }
                    }
                };
                match tokio::time::timeout_at(deadline, sender.ready()).await {
                    Ok(Ok(())) => {}
                    Ok(Err(_)) if pooled => continue,
                    Ok(Err(error)) => return Err(closed_before_sending(host, error)),
                    Err(_) => return Err(no_time_to_send(host, timeout)),
                }
                let answer =
                    match tokio::time::timeout_at(deadline, sender.try_send_request(request)).await
                    {
                        Ok(Ok(answer)) => answer,
                        Ok(Err(mut error)) => match error.take_message() {
                            Some(unsent) if pooled => {
                                request = unsent;
                                continue;
                            }
                            Some(_) => return Err(closed_before_sending(host, error.into_error())),
                            None => {
                                return Err(failed_mid_exchange(host, error.into_error().into()));
                            }
                        },
                        // Dropping the request future makes hyper close the
                        // connection.
                        Err(_) => return Err(no_complete_answer(host, timeout)),
                    };
                let (answer, body) = answer.into_parts();
                let body = match tokio::time::timeout_at(deadline, body.collect()).await {
                    Ok(Ok(collected)) => collected.to_bytes(),
                    Ok(Err(error)) => return Err(failed_mid_exchange(host, error.into())),
                    Err(_) => return Err(no_complete_answer(host, timeout)),
                };
                if used + 1 < MAX_REQUESTS_PER_CONNECTION && !sender.is_closed() {
                    let idle = Idle {
                        sender,
                        used: used + 1,
                        since: Instant::now(),
                    };
                    Inner::checkin(inner, origin, idle);
                }
                return Ok(http::Response::from_parts(answer, body));
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    const ANSWER: &[u8] =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 12\r\n\r\n{\"code\":200}";

    fn request(url: &str) -> http::Request<Bytes> {
        let mut request = http::Request::new(Bytes::from_static(b"a=1"));
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = url.parse().unwrap();
        request
    }

    fn transport(idle: Duration) -> HyperTransport {
        HyperTransport::build(Duration::from_secs(2), default_tls().unwrap(), idle)
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
    async fn server<F, Fut>(serve: F) -> (String, Arc<std::sync::atomic::AtomicUsize>)
    where
        F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/x.json", listener.local_addr().unwrap());
        let accepted = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = accepted.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(stream));
            }
        });
        (url, accepted)
    }

    #[test]
    fn origins_default_their_ports_and_unwrap_ipv6() {
        let origin = |uri: &str| Origin::of(&uri.parse().unwrap());
        assert_eq!(
            origin("https://api.rong-api.com/push.json"),
            Some(Origin {
                https: true,
                host: "api.rong-api.com".into(),
                port: 443
            })
        );
        assert_eq!(
            origin("http://[::1]:8080/x"),
            Some(Origin {
                https: false,
                host: "::1".into(),
                port: 8080
            })
        );
        assert_eq!(origin("http://127.0.0.1/x").unwrap().port, 80);
        assert_eq!(origin("ftp://example.com/x"), None);
    }

    #[tokio::test]
    async fn a_refused_connection_is_not_sent() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/x.json", listener.local_addr().unwrap());
        drop(listener);
        let error = transport(POOL_IDLE_TIMEOUT)
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
        let error = transport(POOL_IDLE_TIMEOUT)
            .send(request(&url), Duration::from_secs(2))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Connection);
        assert_eq!(error.delivery(), Delivery::Unknown);
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
        let transport = transport(POOL_IDLE_TIMEOUT);
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
        let idle = Duration::from_millis(200);
        let transport = transport(idle);
        transport
            .send(request(&url), Duration::from_secs(2))
            .await
            .unwrap();
        transport
            .send(request(&url), Duration::from_secs(2))
            .await
            .unwrap();
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
}
