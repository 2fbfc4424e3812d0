//! One app server of a fleet, for the fleet tests and measurements: a
//! separate process that sends a bulk private publish paced through the
//! quota store the environment names, then reports what happened.
//!
//! Configured like any app server by `Client::builder_from_env`
//! (`RONGCLOUD_APP_KEY`, `RONGCLOUD_APP_SECRET`, `RONGCLOUD_API_URL`,
//! `RONGCLOUD_QUOTA_STORE`, `RONGCLOUD_FLEET_SIZE`), plus:
//!
//! - `FLEET_SENDER_NAME`: prefixes its recipients' ids (they are distinct
//!   across the fleet);
//! - `FLEET_SENDER_RECIPIENTS`: how many recipients;
//! - `FLEET_SENDER_WINDOW_MS`: the private-publish window (6000 recipients
//!   per window: the documented minute on the emulator's scaled clock), to
//!   which the client adds its default margin (`Pacing::margin`, 2 %);
//! - `FLEET_SENDER_CONCURRENCY`: calls in flight (default 2);
//! - `FLEET_SENDER_CHUNK`: recipients per call (default 1000).
//!
//! Once its client is built and warm (one unpaced call has gone through
//! the emulator and Redis), it prints `ready` and waits for a line on its
//! standard input, so that the fleet starts together rather than while
//! its last processes are still starting up. At the end it prints
//! `delivered=<n> not_sent=<n> unknown=<n> elapsed_ms=<n>`, and exits with
//! 0 when every recipient was delivered.

use std::time::{Duration, Instant};

use api_core::{Client, Pacing, RateLimit};
use api_endpoints::{PrivatePublish, TagSet, TextMessage};

const PRIVATE: &str = "/message/private/publish.json";

fn var<T: std::str::FromStr>(name: &str) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{name} must be set to a number"))
}

#[tokio::main]
async fn main() {
    let name = std::env::var("FLEET_SENDER_NAME").unwrap_or_else(|_| "sender".into());
    let recipients: usize = var("FLEET_SENDER_RECIPIENTS");
    let window = Duration::from_millis(var("FLEET_SENDER_WINDOW_MS"));
    let optional = |name: &str, default: usize| -> usize {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let concurrency = optional("FLEET_SENDER_CONCURRENCY", 2);
    let chunk = optional("FLEET_SENDER_CHUNK", 1000);
    let client = Client::builder_from_env()
        .and_then(|builder| {
            builder
                .pacing(Pacing::documented().limits(PRIVATE, [RateLimit::recipients(6000, window)]))
                .build()
        })
        .unwrap_or_else(|error| panic!("configuring the client: {error}"));
    // Warm up: a connection to the emulator, to Redis, and the code paths
    // of a call (tags are not rate limited; the call still asks the store
    // about penalties).
    TagSet::new(format!("{name}-warm-up"), ["fleet"])
        .send(&client)
        .await
        .unwrap_or_else(|error| panic!("warm-up call: {error}"));
    println!("ready");
    let mut go = String::new();
    std::io::stdin().read_line(&mut go).expect("a go line");
    let ids: Vec<String> = (0..recipients).map(|i| format!("{name}-{i}")).collect();
    let template = PrivatePublish::new(name.as_str(), ["placeholder"], TextMessage::new("fleet"));
    let started = Instant::now();
    let report = client
        .bulk(&template, ids)
        .concurrency(concurrency)
        .chunk_size(chunk)
        .send()
        .await;
    let elapsed = started.elapsed();
    let count = |batches: &[api_core::FailedBatch]| -> usize {
        batches.iter().map(|b| b.recipients.len()).sum()
    };
    println!(
        "delivered={} not_sent={} unknown={} elapsed_ms={}",
        report.delivered.len(),
        count(&report.not_sent),
        count(&report.unknown),
        elapsed.as_millis()
    );
    for batch in report.not_sent.iter().chain(&report.unknown) {
        eprintln!(
            "{name}: {} recipients: {}",
            batch.recipients.len(),
            batch.error
        );
    }
    if report.delivered.len() != recipients {
        std::process::exit(1);
    }
}
