//! Instructions per loopback request for the series of the `loopback`
//! bench, counted by callgrind: a steadier figure than wall time on a
//! shared machine, and one that shows where a series spends.
//!
//! A current-thread runtime runs the client and the emulator, so that
//! everything a request costs, at both ends, happens inside `measured`:
//!
//! ```sh
//! cargo bench -p api-endpoints --bench loopback_instructions --no-run
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measured*' \
//!     target/release/deps/loopback_instructions-<hash> transport 4000 16
//! ```
//!
//! Arguments: the series (`ours`, `transport`, `bare_hyper_turnover`,
//! `bare_hyper_signed`, `bare_hyper_prepared`, `hyper_util_legacy`), the
//! number of requests (a multiple of the concurrency), and the
//! concurrency. Under `cargo bench` (no series given) it runs each series
//! once, 2048 requests at concurrency 16, and prints the time taken.
//! Instructions per request are callgrind's total divided by the number of
//! requests: the series do the same work at the emulator, so differences
//! between them are the client side's.

use std::sync::Arc;
use std::time::Instant;

// Shared with the `loopback` bench, which uses all of it.
#[allow(dead_code)]
#[path = "support/loopback.rs"]
mod support;

use support::{SERIES, Setup};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs: Vec<(String, usize, usize)> = match args.first() {
        Some(series) if !series.starts_with('-') => {
            let requests = args.get(1).map_or(4000, |n| n.parse().unwrap());
            let concurrency = args.get(2).map_or(1, |n| n.parse().unwrap());
            vec![(series.clone(), requests, concurrency)]
        }
        _ => SERIES
            .iter()
            .map(|series| (series.to_string(), 2048, 16))
            .collect(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let setup = Arc::new(runtime.block_on(Setup::start()));
    for (series, requests, concurrency) in runs {
        // Warm: connections open, caches and pools filled.
        runtime.block_on(run(&setup, &series, 4 * 79, concurrency));
        let started = Instant::now();
        measured(&runtime, &setup, &series, requests, concurrency);
        println!(
            "{series}: {requests} requests at concurrency {concurrency} in {:?}",
            started.elapsed()
        );
    }
}

/// What callgrind counts.
#[inline(never)]
fn measured(
    runtime: &tokio::runtime::Runtime,
    setup: &Arc<Setup>,
    series: &str,
    requests: usize,
    concurrency: usize,
) {
    runtime.block_on(run(setup, series, requests, concurrency));
}

/// `requests` requests of `series` from `concurrency` tasks.
async fn run(setup: &Arc<Setup>, series: &str, requests: usize, concurrency: usize) {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (setup, series) = (setup.clone(), series.to_owned());
        tasks.spawn(async move {
            for _ in 0..requests / concurrency {
                setup.series(&series).await;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
}
