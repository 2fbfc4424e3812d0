//! Loopback throughput of a private publish (2 recipients) against
//! `api-emulator`, beside a bare hyper loop, in the same run.
//!
//! `ours/C`: `Client::send` (validate, encode, sign afresh, send, decode,
//! retry and failover bookkeeping; pacing off, retries default) from C
//! concurrent tasks.
//! `transport/C`: the client's transport alone (`HyperTransport::send`)
//! sending a request built and signed once by the client's own `to_http`
//! (the same body bytes and headers), reading the whole answer: the
//! transport's share of `ours`.
//! `bare_hyper_turnover/C`: the same request over hyper's own client
//! connections (`hyper::client::conn::http1`), each used for at most 79
//! requests from a shared stack, a new one opened when none is free: the
//! least a client that keeps the provider's "fewer than 80 requests per
//! connection" can do, and the baseline.
//! `bare_hyper_signed/C`: `bare_hyper_turnover` that also does what the
//! API asks of every call: a fresh nonce, timestamp and SHA-1 signature
//! per request, and the answer decoded into `PublishResponse`. Not the
//! baseline: it shows how much of the distance between `ours` and the
//! baseline is that work.
//! `bare_hyper_prepared/C`: `bare_hyper_signed` with the client's own work
//! on each message (built, validated and encoded with a request id by
//! `PreparedRequest::new`, signed by `to_http`, the answer decoded by
//! `PreparedRequest::decode`), without its transport and delivery engine.
//! Not the baseline either: it shows the part of the distance any client
//! that validates and encodes each message has to go.
//! `hyper_util_legacy/C`: the same request through hyper-util's pooled
//! `Client`, keeping the rule the only way it allows: a request counter in
//! `Connected::extra`, and `poison()` through `capture_connection` on a
//! connection's 79th answer. What the transport would cost on it; after
//! the run, the connections the emulator saw carry 80 requests are
//! printed (it does not keep the rule exactly: see BENCHMARKS.md).
//!
//! Each criterion iteration is a batch of `BATCH` requests spread over the
//! C tasks on one multi-thread tokio runtime, built once; throughput is in
//! requests. The emulator runs on the same runtime with its rate limits off.
//!
//! ```sh
//! cargo bench -p api-endpoints --bench loopback -- --warm-up-time 1 --measurement-time 5
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use api_core::MAX_REQUESTS_PER_CONNECTION;
use api_emulator::Emulator;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

#[path = "support/loopback.rs"]
mod support;

use support::{SERIES, Setup};

/// Requests per criterion iteration: 32 per task at concurrency 64, so
/// that spawning and joining the tasks of a batch, and the slowest task's
/// tail, do not weigh on a throughput figure as they did with 256 (4 per
/// task at concurrency 64).
const BATCH: usize = 2048;

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
    let setup = Arc::new(runtime.block_on(Setup::start()));
    let legacy_over_79 = Arc::new(AtomicU64::new(0));
    let legacy_connections = Arc::new(AtomicU64::new(0));

    let mut group = c.benchmark_group("loopback_private_publish");
    group.sample_size(10);
    group.throughput(Throughput::Elements(BATCH as u64));
    for concurrency in [1usize, 16, 64] {
        // The two with checks of the connections they opened come after.
        let plain = |series: &&str| !matches!(*series, "bare_hyper_turnover" | "hyper_util_legacy");
        for series in SERIES.into_iter().filter(plain) {
            group.bench_function(BenchmarkId::new(series, concurrency), |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let setup = setup.clone();
                        total += runtime.block_on(batch(concurrency, move || {
                            let setup = setup.clone();
                            async move { setup.series(series).await }
                        }));
                    }
                    total
                })
            });
        }
        group.bench_function(BenchmarkId::new("bare_hyper_turnover", concurrency), |b| {
            b.iter_custom(|iters| {
                let opened_before = setup.last_connection();
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let setup = setup.clone();
                    total += runtime.block_on(batch(concurrency, move || {
                        let setup = setup.clone();
                        async move { setup.bare_hyper_turnover().await }
                    }));
                }
                // It must really open a connection per 79 requests, or it
                // measures nothing. (Up to one closed connection per task
                // may not have been replaced yet when a batch ends.)
                let opened = (setup.last_connection() - opened_before) as usize;
                let expected = iters as usize * BATCH / MAX_REQUESTS_PER_CONNECTION as usize;
                assert!(
                    opened + concurrency >= expected,
                    "{opened} connections for {expected} expected"
                );
                total
            })
        });
        group.bench_function(BenchmarkId::new("hyper_util_legacy", concurrency), |b| {
            b.iter_custom(|iters| {
                let opened_before = setup.last_connection();
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let setup = setup.clone();
                    total += runtime.block_on(batch(concurrency, move || {
                        let setup = setup.clone();
                        async move { setup.hyper_util_legacy().await }
                    }));
                }
                let (over, connections) = connections_since(&setup.emulator, opened_before);
                legacy_over_79.fetch_add(over, Ordering::Relaxed);
                legacy_connections.fetch_add(connections, Ordering::Relaxed);
                total
            })
        });
    }
    group.finish();
    eprintln!(
        "hyper_util_legacy: {} of {} connections carried more than {MAX_REQUESTS_PER_CONNECTION} requests",
        legacy_over_79.load(Ordering::Relaxed),
        legacy_connections.load(Ordering::Relaxed),
    );
    let setup = Arc::into_inner(setup).expect("the batches are over");
    runtime.block_on(setup.emulator.shutdown());
}

/// Of the connections accepted after `after` and now closed: how many
/// carried more than 79 requests, and how many there are.
fn connections_since(emulator: &Emulator, after: u64) -> (u64, u64) {
    let closed: Vec<_> = emulator
        .connections()
        .into_iter()
        .filter(|c| c.id > after && !c.open)
        .collect();
    let over = closed
        .iter()
        .filter(|c| c.requests > u64::from(MAX_REQUESTS_PER_CONNECTION))
        .count();
    (over as u64, closed.len() as u64)
}

criterion_group!(benches, bench);
criterion_main!(benches);
