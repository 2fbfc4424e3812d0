//! Opening a connection to a host: directly or through a proxy, TLS for
//! `https://`, and the HTTP/1.1 handshake.
//!
//! hyper-util does the socket work: `HttpConnector` resolves the host
//! (off the runtime's threads), tries its addresses (happy eyeballs) and
//! sets `TCP_NODELAY`; `Tunnel` sends the proxy's `CONNECT`.

use std::error::Error as StdError;
use std::future::poll_fn;

use bytes::Bytes;
use http::HeaderValue;
use http_body_util::Full;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::rt::TokioIo;
use tower_service::Service;

use super::pool::{self, Slot};
use super::proxy::{Proxies, Route};
use crate::error::TransportErrorKind;

/// Opens the transport's connections.
pub(crate) struct Connector {
    tcp: HttpConnector,
    tls: tokio_rustls::TlsConnector,
    proxies: Proxies,
}

/// An open HTTP/1.1 connection, as the pool holds it.
pub(crate) struct Link {
    pub(crate) sender: SendRequest<Full<Bytes>>,
    /// The `Host` header of its requests, made once.
    pub(crate) host: HeaderValue,
    /// Set when the connection goes to a proxy that forwards each request
    /// (an `http://` host through an HTTP proxy).
    pub(crate) forward: Option<Forward>,
}

/// How requests are sent to a forwarding proxy.
pub(crate) struct Forward {
    /// `Proxy-Authorization`, when the proxy's URL has credentials.
    pub(crate) authorization: Option<HeaderValue>,
}

impl pool::Link for Link {
    fn is_closed(&self) -> bool {
        self.sender.is_closed()
    }
}

/// Why a connection could not be opened. Nothing of the request was sent.
#[derive(Debug)]
pub(crate) struct ConnectFailure {
    /// [`TransportErrorKind::Connect`], or [`TransportErrorKind::Proxy`]
    /// when the proxy failed.
    pub(crate) kind: TransportErrorKind,
    pub(crate) detail: String,
    pub(crate) source: Option<Box<dyn StdError + Send + Sync>>,
}

impl ConnectFailure {
    fn new(
        kind: TransportErrorKind,
        detail: impl Into<String>,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        let source = source.into();
        // The whole chain: hyper-util's errors say what failed ("tcp
        // connect error") and their sources why ("Connection refused").
        let mut detail = detail.into();
        let mut cause: Option<&(dyn StdError + 'static)> = Some(&*source);
        while let Some(error) = cause {
            detail = format!("{detail}: {error}");
            cause = error.source();
        }
        Self {
            kind,
            detail,
            source: Some(source),
        }
    }
}

impl Connector {
    pub(crate) fn new(tls: tokio_rustls::TlsConnector, proxies: Proxies) -> Self {
        let mut tcp = HttpConnector::new();
        // It is asked for `https://` hosts too: TLS is added here.
        tcp.enforce_http(false);
        // Requests and answers are single small writes.
        tcp.set_nodelay(true);
        Self { tcp, tls, proxies }
    }

    pub(crate) fn proxies(&self) -> &Proxies {
        &self.proxies
    }

    /// A new connection to the host of `slot`, ready for a request. The
    /// task driving it holds `slot` until the socket is closed.
    pub(crate) async fn open(&self, slot: Slot<Link>) -> Result<Link, ConnectFailure> {
        use TransportErrorKind::{Connect, Proxy};
        let origin = slot.origin();
        let target = origin.uri();
        let host = HeaderValue::from_str(origin.authority())
            .map_err(|e| ConnectFailure::new(Connect, "not a Host header", e))?;
        let (stream, forward) = match self.proxies.route(&target) {
            Route::Direct => {
                let stream = call(self.tcp.clone(), target)
                    .await
                    .map_err(|e| ConnectFailure::new(Connect, "could not connect", e))?;
                (stream, None)
            }
            Route::Proxy(proxy) if origin.https => {
                let mut tunnel = Tunnel::new(proxy.uri().clone(), self.tcp.clone());
                if let Some(authorization) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(authorization.clone());
                }
                let stream = call(tunnel, target).await.map_err(|e| {
                    let detail = format!("the proxy {} opened no tunnel", proxy.uri());
                    ConnectFailure::new(Proxy, detail, e)
                })?;
                (stream, None)
            }
            Route::Proxy(proxy) => {
                let stream = call(self.tcp.clone(), proxy.uri().clone())
                    .await
                    .map_err(|e| {
                        let detail = format!("could not connect to the proxy {}", proxy.uri());
                        ConnectFailure::new(Proxy, detail, e)
                    })?;
                let forward = Forward {
                    authorization: proxy.basic_auth().cloned(),
                };
                (stream, Some(forward))
            }
            Route::Unsupported(proxy) => {
                return Err(ConnectFailure {
                    kind: Proxy,
                    detail: format!("the proxy {proxy} is not supported: only http:// proxies are"),
                    source: None,
                });
            }
        };
        let stream = stream.into_inner();
        let sender = if origin.https {
            let name = rustls::pki_types::ServerName::try_from(origin.host().to_owned())
                .map_err(|e| ConnectFailure::new(Connect, "not a TLS server name", e))?;
            let stream = self
                .tls
                .connect(name, stream)
                .await
                .map_err(|e| ConnectFailure::new(Connect, "TLS handshake failed", e))?;
            handshake(TokioIo::new(stream), slot).await?
        } else {
            handshake(TokioIo::new(stream), slot).await?
        };
        Ok(Link {
            sender,
            host,
            forward,
        })
    }
}

/// The HTTP/1.1 handshake; the connection is then driven by a task of its
/// own, which ends when the connection closes (when the server closes it,
/// or when its sender is dropped and no exchange is left), and only then
/// frees `slot`.
async fn handshake<T>(io: T, slot: Slot<Link>) -> Result<SendRequest<Full<Bytes>>, ConnectFailure>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (sender, connection) = http1::handshake(io).await.map_err(|e| {
        ConnectFailure::new(TransportErrorKind::Connect, "HTTP/1.1 handshake failed", e)
    })?;
    tokio::spawn(async move {
        // Dropped with the socket when the connection ends.
        let _ = connection.await;
        drop(slot);
    });
    Ok(sender)
}

/// Calls a connector once.
async fn call<S>(mut service: S, target: http::Uri) -> Result<S::Response, S::Error>
where
    S: Service<http::Uri>,
{
    poll_fn(|cx| service.poll_ready(cx)).await?;
    service.call(target).await
}
