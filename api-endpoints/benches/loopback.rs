//! Loopback throughput of a private publish (2 recipients) against
//! `api-emulator`, beside a bare reqwest loop, in the same run.
//!
//! `ours/C`: `Client::send` (validate, encode, sign afresh, send, decode,
//! retry and failover bookkeeping; pacing off, retries default) from C
//! concurrent tasks.
//! `bare/C`: one `reqwest::Client` posting a request built and signed once
//! by the client's own `to_http` (the same body bytes and headers), reading
//! the whole answer, from C concurrent tasks. It keeps its connections for
//! the whole run, which the provider does not allow.
//! `bare_turnover/C`: the same loop, with `Connection: close` on every 79th
//! request, so that it opens connections as often as a client that keeps
//! the provider's "fewer than 80 requests per connection" must (one per 79
//! requests). It is the least a compliant client can do, and shows what
//! that rule costs apart from the client's own work.
//! `bare_hyper_turnover/C`: the same request over hyper's own client
//! connections (`hyper::client::conn::http1`, no reqwest), each used for
//! at most 79 requests from a shared stack, a new one opened when none is
//! free: what a transport on hyper rather than reqwest could reach.
//!
//! Each criterion iteration is a batch of `BATCH` requests spread over the
//! C tasks on one multi-thread tokio runtime, built once; throughput is in
//! requests. The emulator runs on the same runtime with its rate limits off.
//!
//! ```sh
//! cargo bench -p api-endpoints --bench loopback -- --warm-up-time 1 --measurement-time 5
//! ```

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use api_core::{
    BaseUrl, Client, Credentials, MAX_REQUESTS_PER_CONNECTION, Pacing, PreparedRequest, RequestId,
    Signer,
};
use api_emulator::Emulator;
use api_endpoints::{PrivatePublish, TextMessage};
use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;

/// Requests per criterion iteration: 32 per task at concurrency 64, so
/// that spawning and joining the tasks of a batch, and the slowest task's
/// tail, do not weigh on a throughput figure as they did with 256 (4 per
/// task at concurrency 64).
const BATCH: usize = 2048;

fn message() -> PrivatePublish<TextMessage> {
    PrivatePublish::new("2191", ["2192", "2193"], TextMessage::new("hello"))
}

/// hyper client connections, each with the requests it has carried.
type HyperConnections = Mutex<Vec<(http1::SendRequest<Full<Bytes>>, u32)>>;

/// One request over a connection from `idle` (or a new one to `address`),
/// which goes back unless it has carried 79.
async fn hyper_request(
    idle: &HyperConnections,
    address: std::net::SocketAddr,
    request: http::Request<Full<Bytes>>,
) {
    let popped = idle.lock().unwrap().pop();
    let (mut sender, used) = match popped {
        Some(connection) => connection,
        None => {
            let stream = tokio::net::TcpStream::connect(address).await.unwrap();
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
        idle.lock().unwrap().push((sender, used + 1));
    }
}

/// `BATCH` requests over `concurrency` tasks, each running `one` in a loop.
async fn batch<F, Fut>(concurrency: usize, one: F) -> Duration
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let one = Arc::new(one);
    let per_task = BATCH / concurrency;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let one = one.clone();
        tasks.spawn(async move {
            for _ in 0..per_task {
                one().await;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    started.elapsed()
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let emulator = runtime.block_on(async {
        Emulator::builder()
            .rate_limits(false)
            .record_limit(Some(10_000))
            .start()
            .await
            .unwrap()
    });
    let credentials = Credentials::new(emulator.app_key(), emulator.app_secret());
    let client = runtime.block_on(async {
        Client::builder(credentials.clone())
            .base_urls(emulator.base_urls())
            .pacing(Pacing::disabled())
            .build()
            .unwrap()
    });

    // The bare loop's request: the same bytes and headers, signed once.
    let base = BaseUrl::parse(&emulator.base_url()).unwrap();
    let signed = PreparedRequest::new(&message(), RequestId::new())
        .unwrap()
        .to_http(&base, &Signer::new(credentials))
        .unwrap();
    let (parts, body) = signed.into_parts();
    let url = parts.uri.to_string();
    let headers = parts.headers.clone();
    let bare = runtime.block_on(async { reqwest::Client::new() });
    let turnover = runtime.block_on(async { reqwest::Client::new() });
    let sent = Arc::new(AtomicU64::new(0));
    // The bare hyper loop's request: the same bytes, in origin form, with
    // the Host header hyper's connection API leaves to the caller.
    let address: std::net::SocketAddr = emulator
        .base_url()
        .trim_start_matches("http://")
        .parse()
        .unwrap();
    let mut hyper_headers = headers.clone();
    hyper_headers.insert(
        http::header::HOST,
        http::HeaderValue::from_str(&address.to_string()).unwrap(),
    );
    let hyper_path = parts.uri.path().to_owned();
    let hyper_idle: Arc<HyperConnections> = Arc::default();

    let mut group = c.benchmark_group("loopback_private_publish");
    group.sample_size(10);
    group.throughput(Throughput::Elements(BATCH as u64));
    for concurrency in [1usize, 16, 64] {
        group.bench_function(BenchmarkId::new("ours", concurrency), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let client = client.clone();
                    total += runtime.block_on(batch(concurrency, move || {
                        let client = client.clone();
                        async move {
                            let answer = client.send(&message()).await.unwrap();
                            assert_eq!(answer.message_uids.len(), 2);
                        }
                    }));
                }
                total
            })
        });
        group.bench_function(BenchmarkId::new("bare", concurrency), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let (bare, url, headers, body) =
                        (bare.clone(), url.clone(), headers.clone(), body.clone());
                    total += runtime.block_on(batch(concurrency, move || {
                        let request = bare.post(&url).headers(headers.clone()).body(body.clone());
                        async move {
                            let answer = request.send().await.unwrap();
                            assert!(answer.status().is_success());
                            let bytes = answer.bytes().await.unwrap();
                            assert!(!bytes.is_empty());
                        }
                    }));
                }
                total
            })
        });
        group.bench_function(BenchmarkId::new("bare_turnover", concurrency), |b| {
            b.iter_custom(|iters| {
                let opened_before = last_connection(&emulator);
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let (client, url, headers, body, sent) = (
                        turnover.clone(),
                        url.clone(),
                        headers.clone(),
                        body.clone(),
                        sent.clone(),
                    );
                    total += runtime.block_on(batch(concurrency, move || {
                        let mut headers = headers.clone();
                        let n = sent.fetch_add(1, Ordering::Relaxed) + 1;
                        if n % u64::from(MAX_REQUESTS_PER_CONNECTION) == 0 {
                            headers.insert(
                                http::header::CONNECTION,
                                http::HeaderValue::from_static("close"),
                            );
                        }
                        let request = client.post(&url).headers(headers).body(body.clone());
                        async move {
                            let answer = request.send().await.unwrap();
                            assert!(answer.status().is_success());
                            let bytes = answer.bytes().await.unwrap();
                            assert!(!bytes.is_empty());
                        }
                    }));
                }
                // It must really open a connection per 79 requests, or it
                // measures nothing. (Up to one closed connection per task
                // may not have been replaced yet when a batch ends.)
                let opened = (last_connection(&emulator) - opened_before) as usize;
                let expected = iters as usize * BATCH / MAX_REQUESTS_PER_CONNECTION as usize;
                assert!(
                    opened + concurrency >= expected,
                    "{opened} connections for {expected} expected"
                );
                total
            })
        });
        group.bench_function(BenchmarkId::new("bare_hyper_turnover", concurrency), |b| {
            b.iter_custom(|iters| {
                let opened_before = last_connection(&emulator);
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let (idle, headers, body, path) = (
                        hyper_idle.clone(),
                        hyper_headers.clone(),
                        body.clone(),
                        hyper_path.clone(),
                    );
                    total += runtime.block_on(batch(concurrency, move || {
                        let mut request = http::Request::new(Full::new(body.clone()));
                        *request.method_mut() = http::Method::POST;
                        *request.uri_mut() = path.parse().unwrap();
                        *request.headers_mut() = headers.clone();
                        let idle = idle.clone();
                        async move { hyper_request(&idle, address, request).await }
                    }));
                }
                let opened = (last_connection(&emulator) - opened_before) as usize;
                let expected = iters as usize * BATCH / MAX_REQUESTS_PER_CONNECTION as usize;
                assert!(
                    opened + concurrency >= expected,
                    "{opened} connections for {expected} expected"
                );
                total
            })
        });
    }
    group.finish();
    runtime.block_on(emulator.shutdown());
}

/// The id of the newest connection the emulator accepted (ids count up).
fn last_connection(emulator: &Emulator) -> u64 {
    emulator
        .connections()
        .iter()
        .map(|c| c.id)
        .max()
        .unwrap_or(0)
}

criterion_group!(benches, bench);
criterion_main!(benches);
