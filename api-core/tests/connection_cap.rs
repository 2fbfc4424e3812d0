//! The transport never sends 80 requests over one connection: a real
//! HTTP/1.1 server on 127.0.0.1 counts the requests on each TCP connection
//! it accepts.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use api_core::{
    Client, CodeOnly, Credentials, EncodeError, Encoding, Endpoint, HyperTransport,
    MAX_REQUESTS_PER_CONNECTION, Proxies, Report, Validate,
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

/// Requests served on each accepted connection, in order of acceptance.
type Counts = Arc<Mutex<Vec<usize>>>;

/// A keep-alive HTTP/1.1 server that answers `{"code":200}` and counts the
/// requests of each connection. It serves until the test's runtime ends.
async fn counting_server() -> (String, Counts) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let counts: Counts = Arc::default();
    let accepted = counts.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
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
                        // Read the whole body, as a server does before the
                        // next request on the connection.
                        let _ = request.into_body().collect().await;
                        counts.lock().unwrap()[connection] += 1;
                        Ok::<_, Infallible>(hyper::Response::new(Full::new(Bytes::from_static(
                            br#"{"code":200}"#,
                        ))))
                    }
                });
                let _ = http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (format!("http://{address}"), counts)
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
    let (url, counts) = counting_server().await;
    let client = Client::builder(Credentials::new("key", "secret"))
        .base_urls([url])
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
    let sequential = counts.lock().unwrap().clone();
    assert_eq!(sequential, [79, 79, 79, 63]);
    assert_eq!(MAX_REQUESTS_PER_CONNECTION, 79);

    const TASKS: usize = 8;
    const EACH: usize = 40;
    send_from_clones(&client, TASKS, EACH).await;
    let all = counts.lock().unwrap().clone();
    assert_eq!(all.iter().sum::<usize>(), SEQUENTIAL + TASKS * EACH);
    let most = *all.iter().max().unwrap();
    assert!(most <= 79, "a connection carried {most} requests: {all:?}");
    // At most one connection per concurrent request at a time, reused.
    assert!(
        all.len() <= 4 + TASKS + (TASKS * EACH).div_ceil(79) + TASKS,
        "{all:?}"
    );
}
