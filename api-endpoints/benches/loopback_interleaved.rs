//! Loopback throughput of the `loopback` bench's series, interleaved: in
//! each round every series sends `BATCH` requests in turn (the order
//! rotated from round to round), on one multi-thread runtime, so that a
//! change of load on this shared machine falls on every series alike,
//! where criterion measures one series for seconds before the next.
//!
//! ```sh
//! cargo bench -p api-endpoints --bench loopback_interleaved -- 30
//! ```
//!
//! Arguments: the number of rounds (default 10), then optionally one
//! concurrency (default 1, 16 and 64) and the series to run (default all;
//! `bare_hyper_turnover` always runs). Printed per concurrency and series:
//! requests per second over all rounds, that against
//! `bare_hyper_turnover`, and the median of the rounds' ratios.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

// Shared with the `loopback` bench, which uses all of it.
#[allow(dead_code)]
#[path = "support/loopback.rs"]
mod support;

use support::{SERIES, Setup};

/// Requests per series per round, as the `loopback` bench's iterations.
const BATCH: usize = 2048;

fn main() {
    // `cargo bench` passes `--bench`.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    let rounds: usize = args.first().map_or(10, |n| n.parse().unwrap());
    let concurrencies: Vec<usize> = match args.get(1) {
        Some(n) => vec![n.parse().unwrap()],
        None => vec![1, 16, 64],
    };
    let series: Vec<&'static str> = SERIES
        .into_iter()
        .filter(|s| {
            args.len() <= 2 || *s == "bare_hyper_turnover" || args[2..].iter().any(|a| a == s)
        })
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let setup = Arc::new(runtime.block_on(Setup::start()));
    for concurrency in concurrencies {
        // Warm: connections open, caches and pools filled.
        for &series in &series {
            runtime.block_on(batch(&setup, series, concurrency));
        }
        let mut total: HashMap<&str, Duration> = HashMap::new();
        let mut ratios: HashMap<&str, Vec<f64>> = HashMap::new();
        for round in 0..rounds {
            let mut took = HashMap::new();
            for i in 0..series.len() {
                let series = series[(i + round) % series.len()];
                let elapsed = runtime.block_on(batch(&setup, series, concurrency));
                took.insert(series, elapsed);
                *total.entry(series).or_default() += elapsed;
            }
            let bare = took["bare_hyper_turnover"].as_secs_f64();
            for &series in &series {
                ratios
                    .entry(series)
                    .or_default()
                    .push(bare / took[series].as_secs_f64());
            }
        }
        let rate = |series: &str| (rounds * BATCH) as f64 / total[series].as_secs_f64();
        for &series in &series {
            let mut of_bare = ratios.remove(series).unwrap();
            of_bare.sort_by(f64::total_cmp);
            println!(
                "concurrency {concurrency:>2} {series:<20} {:>8.0} req/s  {:>6.1}% of bare  (median of rounds {:.1}%)",
                rate(series),
                100.0 * rate(series) / rate("bare_hyper_turnover"),
                100.0 * of_bare[of_bare.len() / 2],
            );
        }
    }
}

/// `BATCH` requests of `series` from `concurrency` tasks; the time taken.
async fn batch(setup: &Arc<Setup>, series: &'static str, concurrency: usize) -> Duration {
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let setup = setup.clone();
        tasks.spawn(async move {
            for _ in 0..BATCH / concurrency {
                setup.series(series).await;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    started.elapsed()
}
