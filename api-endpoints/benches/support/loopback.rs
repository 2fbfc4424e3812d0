//! What the loopback benches share: the emulator, the signed request, the
//! bare hyper loop that keeps the rule of 79 requests per connection
//! (`bare_hyper_turnover`), the baseline, the same loop doing the work the
//! API asks of every call besides (`bare_hyper_signed`: a fresh signature,
//! the answer decoded), the same loop with the client's own work on each
//! message (`bare_hyper_prepared`: built, validated, encoded, signed,
//! decoded), and hyper-util's pooled client kept to the rule as closely as
//! it allows (`hyper_util_legacy`).

use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use api_core::{
    BaseUrl, Client, Credentials, HyperTransport, MAX_REQUESTS_PER_CONNECTION, NonceSource, Pacing,
    PreparedRequest, Proxies, RandomNonce, RequestId, Signer, Transport,
};
use api_emulator::Emulator;
use api_endpoints::PublishResponse;
use api_endpoints::{PrivatePublish, TextMessage};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper_util::client::legacy::connect::{Connected, Connection, capture_connection};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use sha1::{Digest, Sha1};
use tokio::net::TcpStream;

pub fn message() -> PrivatePublish<TextMessage> {
    PrivatePublish::new("2191", ["2192", "2193"], TextMessage::new("hello"))
}

/// The emulator (rate limits off), a client of it, and one request built
/// and signed once by the client's own `to_http`, for the baselines.
pub struct Setup {
    pub emulator: Emulator,
    pub client: Client,
    pub transport: HyperTransport,
    /// Absolute, as a transport takes it.
    pub url: http::Uri,
    pub headers: http::HeaderMap,
    pub body: Bytes,
    pub address: std::net::SocketAddr,
    /// With the Host header hyper's connection API leaves to the caller.
    pub hyper_headers: http::HeaderMap,
    /// Origin form, as hyper's connection API takes it.
    pub hyper_path: http::Uri,
    pub hyper_idle: HyperConnections,
    /// The App Secret, for `bare_hyper_signed`.
    secret: String,
    /// The emulator's URL and the client's signer, for `bare_hyper_prepared`.
    base: BaseUrl,
    signer: Signer,
    legacy: LegacyClient,
}

/// The series the loopback benches run, by name.
pub const SERIES: [&str; 6] = [
    "ours",
    "transport",
    "bare_hyper_turnover",
    "bare_hyper_signed",
    "bare_hyper_prepared",
    "hyper_util_legacy",
];

impl Setup {
    /// Within a runtime.
    pub async fn start() -> Self {
        let emulator = Emulator::builder()
            .rate_limits(false)
            .record_limit(Some(10_000))
            .start()
            .await
            .unwrap();
        let credentials = Credentials::new(emulator.app_key(), emulator.app_secret());
        let client = Client::builder(credentials.clone())
            .base_urls(emulator.base_urls())
            .pacing(Pacing::disabled())
            .build()
            .unwrap();
        let transport = HyperTransport::builder()
            .proxies(Proxies::none())
            .build()
            .unwrap();
        let base = BaseUrl::parse(&emulator.base_url()).unwrap();
        let signer = Signer::new(credentials);
        let signed = PreparedRequest::new(&message(), RequestId::new())
            .unwrap()
            .to_http(&base, &signer)
            .unwrap();
        let (parts, body) = signed.into_parts();
        let address: std::net::SocketAddr = emulator
            .base_url()
            .trim_start_matches("http://")
            .parse()
            .unwrap();
        let mut hyper_headers = parts.headers.clone();
        hyper_headers.insert(
            http::header::HOST,
            http::HeaderValue::from_str(&address.to_string()).unwrap(),
        );
        Self {
            client,
            transport,
            hyper_path: parts.uri.path().parse().unwrap(),
            url: parts.uri,
            headers: parts.headers,
            body,
            address,
            hyper_headers,
            hyper_idle: HyperConnections::default(),
            secret: emulator.app_secret().to_owned(),
            base,
            signer,
            legacy: hyper_util::client::legacy::Client::builder(TokioExecutor::new())
                .pool_timer(TokioTimer::new())
                .pool_idle_timeout(api_core::POOL_IDLE_TIMEOUT)
                .build(CountingConnector(address)),
            emulator,
        }
    }

    /// One call through the client.
    pub async fn ours(&self) {
        let answer = self.client.send(&message()).await.unwrap();
        assert_eq!(answer.message_uids.len(), 2);
    }

    /// The signed request through the client's transport alone.
    pub async fn transport(&self) {
        let mut request = http::Request::new(self.body.clone());
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = self.url.clone();
        *request.headers_mut() = self.headers.clone();
        let answer = self
            .transport
            .send(request, Duration::from_secs(10))
            .await
            .unwrap();
        assert!(answer.status().is_success());
        assert!(!answer.body().is_empty());
    }

    /// The signed request over a bare hyper connection from the shared
    /// stack (or a new one), which goes back unless it has carried 79.
    pub async fn bare_hyper_turnover(&self) {
        let body = self
            .bare_exchange(self.hyper_headers.clone(), self.body.clone())
            .await;
        assert!(!body.is_empty());
    }

    /// The request with `headers` and `body` over a bare hyper connection
    /// from the shared stack (or a new one), which goes back unless it has
    /// carried 79; the answer's body.
    async fn bare_exchange(&self, headers: http::HeaderMap, body: Bytes) -> Bytes {
        let mut request = http::Request::new(Full::new(body));
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = self.hyper_path.clone();
        *request.headers_mut() = headers;
        let popped = self.hyper_idle.lock().unwrap().pop();
        let (mut sender, used) = match popped {
            Some(connection) => connection,
            None => {
                let stream = TcpStream::connect(self.address).await.unwrap();
                stream.set_nodelay(true).unwrap();
                let (sender, connection) = http1::handshake(TokioIo::new(stream)).await.unwrap();
                tokio::spawn(connection);
                (sender, 0)
            }
        };
        sender.ready().await.unwrap();
        let answer = sender.send_request(request).await.unwrap();
        assert!(answer.status().is_success());
        let body = answer.into_body().collect().await.unwrap().to_bytes();
        if used + 1 < MAX_REQUESTS_PER_CONNECTION {
            self.hyper_idle.lock().unwrap().push((sender, used + 1));
        }
        body
    }

    /// One request of the series named `series` (one of [`SERIES`]).
    pub async fn series(&self, series: &str) {
        match series {
            "ours" => self.ours().await,
            "transport" => self.transport().await,
            "bare_hyper_turnover" => self.bare_hyper_turnover().await,
            "bare_hyper_signed" => self.bare_hyper_signed().await,
            "bare_hyper_prepared" => self.bare_hyper_prepared().await,
            "hyper_util_legacy" => self.hyper_util_legacy().await,
            other => panic!("no series {other}"),
        }
    }

    /// `bare_hyper_turnover` with the work the API asks of every call
    /// besides sending it: a fresh nonce, timestamp and SHA-1 signature
    /// (a signature expires with its timestamp), and the answer decoded
    /// into its type. What it leaves out of the client's work: validating
    /// and encoding the message, the request id, timeouts, retries and
    /// failover, pacing, tracing.
    pub async fn bare_hyper_signed(&self) {
        let mut headers = self.hyper_headers.clone();
        // The nonce and the hex digits made the client's (cheaper) way, as
        // the answer is decoded below: a slower baseline would flatter the
        // client against it.
        let mut nonce = String::with_capacity(16);
        RandomNonce.fill_nonce(&mut nonce);
        let timestamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis()
            .to_string();
        let mut sha = Sha1::new();
        sha.update(self.secret.as_bytes());
        sha.update(nonce.as_bytes());
        sha.update(timestamp.as_bytes());
        let mut signature = [0u8; 40];
        hex::encode_to_slice(sha.finalize(), &mut signature).unwrap();
        headers.insert("Nonce", http::HeaderValue::from_str(&nonce).unwrap());
        headers.insert(
            "Timestamp",
            http::HeaderValue::from_str(&timestamp).unwrap(),
        );
        headers.insert(
            "Signature",
            http::HeaderValue::from_bytes(&signature).unwrap(),
        );
        let body = self.bare_exchange(headers, self.body.clone()).await;
        // Decoded as the client decodes a success answer (UTF-8 checked
        // once, then parsed as text), the cheaper way.
        let text = std::str::from_utf8(&body).unwrap();
        let answer: PublishResponse = serde_json::from_str(text).unwrap();
        assert_eq!(answer.message_uids.len(), 2);
    }

    /// `bare_hyper_signed` with the rest of the client's work on the
    /// message, done by the client's own code: the message built, validated
    /// and form-encoded per call with a request id (`PreparedRequest::new`),
    /// signed (`to_http`), and its answer decoded (`PreparedRequest::decode`).
    /// What it leaves out: the client's transport (timeout, connection cap,
    /// capped body) and its delivery engine (retries, failover, pacing,
    /// tracing). The distance from `bare_hyper_turnover` is the work a
    /// client validating and encoding each message must do on top of a
    /// loop that sends one request built once.
    pub async fn bare_hyper_prepared(&self) {
        let prepared = PreparedRequest::new(&message(), RequestId::new()).unwrap();
        let (parts, body) = prepared
            .to_http(&self.base, &self.signer)
            .unwrap()
            .into_parts();
        let mut headers = parts.headers;
        let host = self.hyper_headers[http::header::HOST].clone();
        headers.insert(http::header::HOST, host);
        let body = self.bare_exchange(headers, body).await;
        let answer: PublishResponse = prepared.decode(http::StatusCode::OK, &body).unwrap();
        assert_eq!(answer.message_uids.len(), 2);
    }

    /// The signed request through hyper-util's pooled client; its
    /// connection is poisoned on its 79th answer.
    pub async fn hyper_util_legacy(&self) {
        let mut request = http::Request::new(Full::new(self.body.clone()));
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = self.url.clone();
        *request.headers_mut() = self.headers.clone();
        let captured = capture_connection(&mut request);
        let answer = self.legacy.request(request).await.unwrap();
        let carried = answer.extensions().get::<Carried>().unwrap();
        if carried.0.fetch_add(1, Ordering::SeqCst) + 1 >= MAX_REQUESTS_PER_CONNECTION {
            if let Some(connection) = captured.connection_metadata().as_ref() {
                connection.poison();
            }
        }
        assert!(answer.status().is_success());
        let body = answer.into_body().collect().await.unwrap().to_bytes();
        assert!(!body.is_empty());
    }

    /// The id of the newest connection the emulator accepted (ids count
    /// up).
    pub fn last_connection(&self) -> u64 {
        self.emulator
            .connections()
            .iter()
            .map(|c| c.id)
            .max()
            .unwrap_or(0)
    }
}

/// hyper client connections, each with the requests it has carried.
pub type HyperConnections = Mutex<Vec<(http1::SendRequest<Full<Bytes>>, u32)>>;

/// The requests a connection of hyper-util's pooled client has carried,
/// attached to it with `Connected::extra`.
#[derive(Clone, Default)]
struct Carried(Arc<AtomicU32>);

/// A TCP connection for hyper-util's pooled client, with its counter.
struct Counted {
    io: TokioIo<TcpStream>,
    carried: Carried,
}

impl Connection for Counted {
    fn connected(&self) -> Connected {
        Connected::new().extra(self.carried.clone())
    }
}

impl hyper::rt::Read for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

/// Connects hyper-util's pooled client to one address.
#[derive(Clone)]
struct CountingConnector(std::net::SocketAddr);

impl tower_service::Service<http::Uri> for CountingConnector {
    type Response = Counted;
    type Error = std::io::Error;
    type Future = Pin<Box<dyn Future<Output = std::io::Result<Counted>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: http::Uri) -> Self::Future {
        let address = self.0;
        Box::pin(async move {
            let stream = TcpStream::connect(address).await?;
            stream.set_nodelay(true)?;
            Ok(Counted {
                io: TokioIo::new(stream),
                carried: Carried::default(),
            })
        })
    }
}

type LegacyClient = hyper_util::client::legacy::Client<CountingConnector, Full<Bytes>>;
