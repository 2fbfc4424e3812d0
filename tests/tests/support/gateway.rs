//! An nginx-like gateway in front of one upstream host, over real sockets:
//! it passes requests on, or answers an HTML error page of its own, before
//! or after passing the request on, as scripted.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};

/// What the gateway does with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Pass it on and return the upstream's answer.
    Pass,
    /// Answer an HTML page with this status; the upstream never sees it.
    Page(u16),
    /// Pass it on, drop the upstream's answer, and answer an HTML page
    /// with this status (the upstream processed it: the answer was lost).
    PassThenPage(u16),
}

#[derive(Default)]
struct Script {
    next: Mutex<VecDeque<Action>>,
    always: Mutex<Option<Action>>,
    pages: AtomicUsize,
}

/// A running gateway; it serves until the test's runtime ends.
pub struct Gateway {
    url: String,
    script: Arc<Script>,
}

impl Gateway {
    /// A gateway on 127.0.0.1 in front of `upstream` (`http://host:port`).
    pub async fn start(upstream: &str) -> Self {
        let upstream: http::Uri = upstream.parse().unwrap();
        let upstream = upstream.authority().unwrap().to_string();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let script = Arc::new(Script::default());
        let serving = script.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let script = serving.clone();
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let script = script.clone();
                        let upstream = upstream.clone();
                        async move { Ok::<_, Infallible>(handle(&script, &upstream, request).await) }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self { url, script }
    }

    /// The gateway's base URL.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The next request gets `action` (queued after earlier ones); the
    /// rest are passed on.
    pub fn then(&self, action: Action) {
        self.script.next.lock().unwrap().push_back(action);
    }

    /// Every request without a queued action gets `action`.
    pub fn always(&self, action: Action) {
        *self.script.always.lock().unwrap() = Some(action);
    }

    /// Error pages the gateway answered so far.
    pub fn pages(&self) -> usize {
        self.script.pages.load(Ordering::SeqCst)
    }
}

async fn handle(
    script: &Script,
    upstream: &str,
    request: hyper::Request<Incoming>,
) -> http::Response<Full<Bytes>> {
    let queued = script.next.lock().unwrap().pop_front();
    let always = *script.always.lock().unwrap();
    let action = queued.or(always).unwrap_or(Action::Pass);
    match action {
        Action::Pass => pass(upstream, request).await,
        Action::Page(status) => page(script, status),
        Action::PassThenPage(status) => {
            let answer = pass(upstream, request).await;
            assert!(answer.status().is_success(), "the upstream processed it");
            page(script, status)
        }
    }
}

/// Forwards the request over a new connection and returns the answer.
async fn pass(upstream: &str, request: hyper::Request<Incoming>) -> http::Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    let mut forwarded = http::Request::from_parts(parts, Full::new(body));
    forwarded
        .headers_mut()
        .insert(http::header::HOST, upstream.parse().unwrap());
    let stream = TcpStream::connect(upstream).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    let answer = sender.send_request(forwarded).await.unwrap();
    let (parts, body) = answer.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    http::Response::from_parts(parts, Full::new(body))
}

/// nginx's error page for `status`.
fn page(script: &Script, status: u16) -> http::Response<Full<Bytes>> {
    script.pages.fetch_add(1, Ordering::SeqCst);
    let status = http::StatusCode::from_u16(status).unwrap();
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    let html = format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    );
    let mut response = http::Response::new(Full::new(Bytes::from(html)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/html"),
    );
    response
}
