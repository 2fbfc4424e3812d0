//! Neither transport ever sends 80 requests over one connection: a real
//! HTTP/1.1 server on 127.0.0.1 counts the requests on each TCP connection
//! it accepts.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use api_core::{
    Client, CodeOnly, Credentials, EncodeError, Encoding, Endpoint, HyperTransport,
    MAX_REQUESTS_PER_CONNECTION, Report, ReqwestTransport, Validate,
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reqwest_transport_never_carries_80_requests_per_connection() {
    let (url, counts) = counting_server().await;
    let client = Client::builder(Credentials::new("key", "secret"))
        .base_urls([url])
        .transport(ReqwestTransport::new(std::time::Duration::from_secs(3)).unwrap())
        .build()
        .unwrap();

    // One after another: each connection is reused up to the cap.
    const SEQUENTIAL: usize = 300;
    for _ in 0..SEQUENTIAL {
        client.send(&Ping).await.unwrap();
    }
    let sequential = counts.lock().unwrap().clone();
    assert_eq!(sequential.iter().sum::<usize>(), SEQUENTIAL);
    assert!(
        sequential
            .iter()
            .all(|&n| n <= MAX_REQUESTS_PER_CONNECTION as usize),
        "{sequential:?}"
    );
    // Keep-alive still works: connections carry many requests each. (Not
    // exactly 79 each: when a request starts before hyper has put the
    // previous connection back in the pool, hyper may open a second one in
    // the same slot and share the slot's 79 requests between them.)
    let carrying = sequential.iter().filter(|&&n| n > 0).count();
    assert!(carrying >= SEQUENTIAL.div_ceil(79), "{sequential:?}");
    assert!(
        carrying <= 30,
        "keep-alive is not effective: {sequential:?}"
    );

    // Many at once from clones.
    const TASKS: usize = 8;
    const EACH: usize = 40;
    send_from_clones(&client, TASKS, EACH).await;
    let all = counts.lock().unwrap().clone();
    assert_eq!(all.iter().sum::<usize>(), SEQUENTIAL + TASKS * EACH);
    let most = *all.iter().max().unwrap();
    assert!(most <= 79, "a connection carried {most} requests: {all:?}");
    // Each concurrent request has a slot, and so a connection, of its own,
    // reused by later requests.
    let carrying = all.iter().filter(|&&n| n > 0).count();
    assert!(carrying <= 60, "{carrying} connections: {all:?}");
}

/// The hyper transport knows which connection carries each request: one
/// after another, every connection carries exactly 79 (the last the rest),
/// and at once from clones, never more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hyper_transport_carries_exactly_79_per_connection() {
    let (url, counts) = counting_server().await;
    let client = Client::builder(Credentials::new("key", "secret"))
        .base_urls([url])
        .transport(HyperTransport::new(std::time::Duration::from_secs(3)).unwrap())
        .build()
        .unwrap();

    const SEQUENTIAL: usize = 300;
    for _ in 0..SEQUENTIAL {
        client.send(&Ping).await.unwrap();
    }
    let sequential = counts.lock().unwrap().clone();
    assert_eq!(sequential, [79, 79, 79, 63]);

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
