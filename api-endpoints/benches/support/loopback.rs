//! What the loopback benches share: the emulator, the signed request, and
//! the bare hyper loop that keeps the rule of 79 requests per connection
//! (`bare_hyper_turnover`), the baseline.

use std::sync::Mutex;
use std::time::Duration;

use api_core::{
    BaseUrl, Client, Credentials, HyperTransport, MAX_REQUESTS_PER_CONNECTION, Pacing,
    PreparedRequest, Proxies, RequestId, Signer, Transport,
};
use api_emulator::Emulator;
use api_endpoints::{PrivatePublish, TextMessage};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
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
}

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
        let signed = PreparedRequest::new(&message(), RequestId::new())
            .unwrap()
            .to_http(&base, &Signer::new(credentials))
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
        let mut request = http::Request::new(Full::new(self.body.clone()));
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = self.hyper_path.clone();
        *request.headers_mut() = self.hyper_headers.clone();
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
        assert!(!body.is_empty());
        if used + 1 < MAX_REQUESTS_PER_CONNECTION {
            self.hyper_idle.lock().unwrap().push((sender, used + 1));
        }
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
