//! Measures a `RedisQuotaStore` reservation on loopback: the time from
//! `reserve` to its answer, p50 / p99 / p99.9 / max, one call at a time and
//! 32 at once over the store's one multiplexed connection, against a plain
//! `PING` over a connection manager of its own in the same run (the floor:
//! one round trip).
//!
//! ```sh
//! redis-server --port 6399 --save "" --appendonly no &
//! cargo run --release -p api-core --features redis --example redis_reserve_latency -- redis://127.0.0.1:6399
//! ```
//!
//! Every run uses a fresh App Key; its keys expire a minute later.

use std::sync::Arc;
use std::time::{Duration, Instant};

use api_core::{
    QuotaStore, RateLimit, RedisQuotaStore, Reservation, ReservationId, ReserveRequest,
};

const CALLS: usize = 20_000;
const CONCURRENT: usize = 32;
const MINUTE: Duration = Duration::from_secs(60);

fn percentiles(name: &str, mut samples: Vec<Duration>, elapsed: Duration) {
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name:<44} n={:<6} p50={:>7.1} µs  p99={:>7.1} µs  p99.9={:>7.1} µs  max={:>8.1} µs  {:>7.0} calls/s",
        samples.len(),
        at(0.5).as_secs_f64() * 1e6,
        at(0.99).as_secs_f64() * 1e6,
        at(0.999).as_secs_f64() * 1e6,
        samples[samples.len() - 1].as_secs_f64() * 1e6,
        samples.len() as f64 / elapsed.as_secs_f64(),
    );
}

async fn reserve(
    store: &RedisQuotaStore,
    quota: &str,
    limits: &[RateLimit],
    weight: usize,
) -> Duration {
    let request = ReserveRequest::new(
        quota,
        limits,
        weight,
        ReservationId::new(),
        Duration::ZERO,
        Some(Duration::ZERO),
    );
    let started = Instant::now();
    let answer = store.reserve(&request).await.expect("Redis answers");
    let took = started.elapsed();
    std::hint::black_box(matches!(answer, Reservation::Granted { .. }));
    took
}

async fn sequential(
    name: &str,
    store: &RedisQuotaStore,
    quota: &str,
    limits: &[RateLimit],
    weight: usize,
) {
    // Warm-up: connection, script load, epoch.
    for _ in 0..200 {
        reserve(store, quota, limits, weight).await;
    }
    let started = Instant::now();
    let mut samples = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        samples.push(reserve(store, quota, limits, weight).await);
    }
    percentiles(name, samples, started.elapsed());
}

#[tokio::main]
async fn main() {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "redis://127.0.0.1:6379".to_owned());
    let app_key = format!("bench-{:016x}", ReservationId::new().get());
    let store = Arc::new(
        RedisQuotaStore::builder(&url, &app_key)
            .fleet_size(3)
            .build()
            .expect("a redis:// URL"),
    );

    // The floor: one round trip.
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut ping = redis::aio::ConnectionManager::new(client).await.unwrap();
    for _ in 0..200 {
        let _: String = redis::cmd("PING").query_async(&mut ping).await.unwrap();
    }
    let started = Instant::now();
    let mut samples = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let t = Instant::now();
        let _: String = redis::cmd("PING").query_async(&mut ping).await.unwrap();
        samples.push(t.elapsed());
    }
    percentiles(
        "PING (baseline, one round trip)",
        samples,
        started.elapsed(),
    );

    // Granted: amounts no run reaches, so every call is written.
    let wide = [RateLimit::recipients(u32::MAX, MINUTE)];
    sequential("reserve, 1 limit, granted", &store, "one", &wide, 1).await;
    let two = [
        RateLimit::calls(u32::MAX, Duration::from_secs(3600)),
        RateLimit::calls(u32::MAX, Duration::from_secs(86_400)),
    ];
    sequential(
        "reserve, 2 limits (hour AND day), granted",
        &store,
        "two",
        &two,
        1,
    )
    .await;
    // Denied: 6000 entries of 1 in the window, then calls of 1000 that
    // must walk 1000 of them to find their wait.
    let private = [RateLimit::recipients(6000, MINUTE)];
    for _ in 0..6000 {
        reserve(&store, "full", &private, 1).await;
    }
    sequential(
        "reserve 1000 on a full log of 6000, denied",
        &store,
        "full",
        &private,
        1000,
    )
    .await;

    // 32 at once over the one multiplexed connection.
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..CONCURRENT {
        let store = store.clone();
        tasks.spawn(async move {
            let quota = format!("concurrent-{task}");
            let mut samples = Vec::with_capacity(CALLS / CONCURRENT);
            for _ in 0..CALLS / CONCURRENT {
                samples.push(reserve(&store, &quota, &wide, 1).await);
            }
            samples
        });
    }
    let mut samples = Vec::with_capacity(CALLS);
    while let Some(done) = tasks.join_next().await {
        samples.extend(done.unwrap());
    }
    percentiles(
        &format!("reserve, 1 limit, {CONCURRENT} at once"),
        samples,
        started.elapsed(),
    );
}
