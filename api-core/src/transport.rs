//! The HTTP transport: a trait, and the default one on reqwest (rustls).

use std::future::Future;
use std::pin::Pin;
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

/// The default transport: reqwest with rustls (no system OpenSSL).
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport with its own connection pool, connections idle at most
    /// [`POOL_IDLE_TIMEOUT`], and a connect timeout of `connect_timeout`.
    pub fn new(connect_timeout: Duration) -> Result<Self, ConfigError> {
        let client = reqwest::Client::builder()
            .use_rustls_tls()
            .https_only(false)
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .connect_timeout(connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ConfigError::new(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self { client })
    }

    /// A transport on a reqwest client built by the caller.
    pub fn from_client(client: reqwest::Client) -> Self {
        Self { client }
    }
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: http::Request<Bytes>,
        timeout: Duration,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let host = request.uri().host().unwrap_or_default().to_owned();
            let request = reqwest::Request::try_from(request).map_err(|e| {
                TransportError::new(
                    TransportErrorKind::Other,
                    Delivery::NotSent,
                    &host,
                    "invalid request",
                    Some(e.into()),
                )
            })?;
            let exchange = async {
                let response = self.client.execute(request).await?;
                let status = response.status();
                let headers = response.headers().clone();
                let version = response.version();
                let body = response.bytes().await?;
                Ok::<_, reqwest::Error>((status, headers, version, body))
            };
            let (status, headers, version, body) =
                match tokio::time::timeout(timeout, exchange).await {
                    Ok(Ok(parts)) => parts,
                    Ok(Err(error)) => return Err(classify(&host, error)),
                    Err(_) => {
                        return Err(TransportError::new(
                            TransportErrorKind::Timeout,
                            Delivery::Unknown,
                            &host,
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
