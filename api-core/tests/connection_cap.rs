//! The transport never sends 80 requests over one connection, nor opens
//! more connections to a host than its cap: a real HTTP/1.1 server on
//! 127.0.0.1 counts the requests on each TCP connection it accepts, and the
//! connections open at once.

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use api_core::{
    Client, CodeOnly, Credentials, DEFAULT_MAX_CONNECTIONS_PER_HOST, EncodeError, Encoding,
    Endpoint, HyperTransport, MAX_REQUESTS_PER_CONNECTION, Proxies, Report, Validate,
};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

struct Ping;

impl Validate for Ping {
    fn validate_into(&self, _: &mut Report) {}
}

impl Endpoint for Ping {
    const PATH: &'static str = "/ping.json";
    const ENCODING: Encoding = Encoding::Form;
    const MAX_RECIPIENTS: Option<usize> = None;
    type Response = CodeOnly;

    fn encode_body(&self) -> Result<Vec<u8>, EncodeError> {
        Ok(b"a=1".to_vec())
    }
}

/// A keep-alive HTTP/1.1 server that answers `{"code":200}`, counting the
/// requests of each connection and the connections open at once. It serves
/// until the test's runtime ends.
struct CountingServer {
    url: String,
    /// Requests served on each accepted connection, in order of acceptance.
    counts: Arc<Mutex<Vec<usize>>>,
    /// The most connections open at once, counted on each accept.
    most_open: Arc<AtomicUsize>,
}

impl CountingServer {
    /// Answers each request after `delay`.
    async fn start(delay: Duration) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let counts = Arc::new(Mutex::new(Vec::new()));
        let most_open = Arc::new(AtomicUsize::new(0));
        let (accepted, watermark) = (counts.clone(), most_open.clone());
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                watermark.fetch_max(established_to(address.port()), Ordering::SeqCst);
                let connection = {
                    let mut counts = accepted.lock().unwrap();
                    counts.push(0);
                    counts.len() - 1
                };
                let counts = accepted.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request: hyper::Request<Incoming>| {
                        let counts = counts.clone();
                        async move {
                            // Read the whole body, as a server does before
                            // the next request on the connection.
                            let _ = request.into_body().collect().await;
                            counts.lock().unwrap()[connection] += 1;
                            if !delay.is_zero() {
                                tokio::time::sleep(delay).await;
                            }
                            Ok::<_, Infallible>(hyper::Response::new(Full::new(
                                Bytes::from_static(br#"{"code":200}"#),
                            )))
                        }
                    });
                    let _ = http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self {
            url: format!("http://{address}"),
            counts,
            most_open,
        }
    }

    fn counts(&self) -> Vec<usize> {
        self.counts.lock().unwrap().clone()
    }

    fn most_open(&self) -> usize {
        self.most_open.load(Ordering::SeqCst)
    }
}

/// The connections to the local `port` that the client has not closed:
/// sockets connected to `port` in state ESTABLISHED in the kernel's table.
/// A client's socket leaves that state in the `close` call itself, before
/// the client can open another connection, whereas the server's side of
/// the connection may learn of the close after it has accepted that next
/// connection (the close and the next connection can be handled on
/// different CPUs and tasks), so counting at the server's side would see
/// the cap passed for a moment where the client kept it.
fn established_to(port: u16) -> usize {
    let remote = format!(":{port:04X}");
    std::fs::read_to_string("/proc/net/tcp")
        .expect("the kernel's TCP table (Linux)")
        .lines()
        .skip(1)
        .filter(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            fields[2].ends_with(&remote) && fields[3] == "01"
        })
        .count()
}

/// `each` calls from each of `tasks` clones of `client`, all at once.
async fn send_from_clones(client: &Client, tasks: usize, each: usize) {
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..tasks {
        let client = client.clone();
        calls.spawn(async move {
            for _ in 0..each {
                client.send(&Ping).await.unwrap();
            }
        });
    }
    while let Some(done) = calls.join_next().await {
        done.unwrap();
    }
}

/// The hyper transport knows which connection carries each request: one
/// after another, every connection carries exactly 79 (the last the rest),
/// and at once from clones, never more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hyper_transport_carries_exactly_79_per_connection() {
    let server = CountingServer::start(Duration::ZERO).await;
    let client = Client::builder(Credentials::new("key", "secret"))
        .base_urls([&server.url])
        .transport(
            HyperTransport::builder()
                .proxies(Proxies::none())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();

    const SEQUENTIAL: usize = 300;
    for _ in 0..SEQUENTIAL {
        client.send(&Ping).await.unwrap();
    }
    let sequential = server.counts();
    assert_eq!(sequential, [79, 79, 79, 63]);
    assert_eq!(MAX_REQUESTS_PER_CONNECTION, 79);

    const TASKS: usize = 8;
    const EACH: usize = 40;
    send_from_clones(&client, TASKS, EACH).await;
    let all = server.counts();
    assert_eq!(all.iter().sum::<usize>(), SEQUENTIAL + TASKS * EACH);
    let most = *all.iter().max().unwrap();
    assert!(most <= 79, "a connection carried {most} requests: {all:?}");
    // At most one connection per concurrent request at a time, reused.
    assert!(
        all.len() <= 4 + TASKS + (TASKS * EACH).div_ceil(79) + TASKS,
        "{all:?}"
    );
}

/// `calls` calls at once, each from a task of its own.
async fn all_at_once(client: &Client, calls: usize) {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..calls {
        let client = client.clone();
        tasks.spawn(async move { client.send(&Ping).await });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap().unwrap();
    }
}

/// 2000 calls at once through one client with the default transport: all
/// succeed, and the server never has more connections open at once than
/// the default cap (it opened about 1900 before there was one).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_calls_at_once_stay_within_the_connection_cap() {
    let server = CountingServer::start(Duration::from_millis(2)).await;
    let client = Client::builder(Credentials::new("key", "secret"))
        .base_urls([&server.url])
        .build()
        .unwrap();
    all_at_once(&client, 2000).await;

    let counts = server.counts();
    assert_eq!(counts.iter().sum::<usize>(), 2000);
    assert!(counts.iter().all(|&n| n <= 79), "{counts:?}");
    let most = server.most_open();
    assert!(
        most <= DEFAULT_MAX_CONNECTIONS_PER_HOST,
        "{most} open at once"
    );
    // Not vacuous: the calls did overlap, up to the cap.
    assert!(
        most > DEFAULT_MAX_CONNECTIONS_PER_HOST / 2,
        "{most} open at once"
    );
}

/// The cap set on the client builder holds; connections are reused by the
/// waiting calls rather than closed and opened again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lower_cap_set_on_the_client_holds() {
    let server = CountingServer::start(Duration::from_millis(1)).await;
    let client = Client::builder(Credentials::new("key", "secret"))
        .base_urls([&server.url])
        .max_connections_per_host(4)
        .build()
        .unwrap();
    all_at_once(&client, 400).await;

    let counts = server.counts();
    assert_eq!(counts.iter().sum::<usize>(), 400);
    assert_eq!(server.most_open(), 4);
    // 400 calls need at least 6 connections of 79; waiting calls take the
    // connections given back, so few more are opened.
    assert!((6..=12).contains(&counts.len()), "{counts:?}");
}
