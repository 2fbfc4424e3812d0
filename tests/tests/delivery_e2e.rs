//! Delivery under failure and at scale, over real HTTP against
//! `api-emulator`: requests per connection, failover to the backup host,
//! bursts of 429, a connection lost after the server processed a publish,
//! and a 100 000-recipient bulk send paced under the documented limit. Every test counts what the
//! emulator recorded, not what the client believes.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use api_core::{
    BulkProgress, Client, Credentials, Delivery, Error, Pacing, RateLimit, RetryPolicy,
    TransportErrorKind,
};
use api_emulator::{Clock, Emulator, Fault};
use api_endpoints::{PrivatePublish, TagSet, TextMessage};

const PRIVATE: &str = "/message/private/publish.json";
const TAG_SET: &str = "/user/tag/set.json";

fn client_for(emulator: &Emulator) -> api_core::ClientBuilder {
    Client::builder(Credentials::new(emulator.app_key(), emulator.app_secret()))
        .base_urls(emulator.base_urls())
}

fn publish(i: usize) -> PrivatePublish<TextMessage> {
    PrivatePublish::new("sender", ["u1", "u2"], TextMessage::new(content(i)))
}

fn content(i: usize) -> String {
    format!("message #{i}")
}

/// How many deliveries the emulator recorded for each message text.
fn deliveries_per_text(emulator: &Emulator) -> HashMap<String, usize> {
    let mut per_text = HashMap::new();
    for delivery in emulator.deliveries() {
        let raw = delivery.content.as_deref().expect("a publish has content");
        let json: serde_json::Value = serde_json::from_str(raw).unwrap();
        let text = json["content"].as_str().unwrap().to_owned();
        *per_text.entry(text).or_insert(0) += 1;
    }
    per_text
}

fn assert_each_delivered_once(emulator: &Emulator, messages: usize) {
    let per_text = deliveries_per_text(emulator);
    assert_eq!(per_text.len(), messages, "{per_text:?}");
    for i in 0..messages {
        assert_eq!(per_text.get(&content(i)), Some(&1), "message {i}");
    }
}

/// The emulator counts the requests of every connection it accepts: the
/// default client never sends 80 over one, one after another or at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_emulator_never_sees_80_requests_on_one_connection() {
    let emulator = Emulator::start().await.unwrap();
    let client = client_for(&emulator)
        .pacing(Pacing::disabled())
        .build()
        .unwrap();
    for i in 0..200 {
        client.send(&publish(i)).await.unwrap();
    }
    // One after another, each connection carries the whole 79.
    assert_eq!(emulator.requests_per_connection(), [79, 79, 42]);

    let mut calls = tokio::task::JoinSet::new();
    for i in 200..520 {
        let client = client.clone();
        calls.spawn(async move { client.send(&publish(i)).await });
    }
    while let Some(result) = calls.join_next().await {
        result.unwrap().unwrap();
    }
    let counts = emulator.requests_per_connection();
    assert_eq!(counts.iter().sum::<u64>(), 520);
    assert!(emulator.max_requests_per_connection() <= 79, "{counts:?}");
    assert_each_delivered_once(&emulator, 520);
}

#[tokio::test]
async fn a_primary_that_is_down_fails_over_to_the_backup_and_stays_there() {
    let emulator = Emulator::builder().hosts(2).start().await.unwrap();
    assert!(emulator.take_host_down(0).await);
    let client = client_for(&emulator).build().unwrap();
    for i in 0..20 {
        let answer = client.send(&publish(i)).await.unwrap();
        assert_eq!(answer.message_uids.len(), 2, "call {i}");
    }
    assert_each_delivered_once(&emulator, 20);
    let deliveries = emulator.deliveries();
    assert!(deliveries.iter().all(|d| d.host == 1), "{deliveries:?}");
    // Connections to the primary were refused before any request was read.
    let requests = emulator.requests();
    assert_eq!(requests.len(), 20);
    assert!(requests.iter().all(|r| r.host == 1));
    // Sticky: the client now goes straight to the backup.
    assert_eq!(client.current_host(), &client.base_urls()[1]);
}

/// `n` 429s, then every call of `messages` sent concurrently succeeds, each
/// delivered once; returns the elapsed time.
async fn burst_of_429(fault: Fault, n: u64, messages: usize, retry: RetryPolicy) -> Duration {
    let emulator = Emulator::start().await.unwrap();
    emulator.inject(fault.on_path(PRIVATE).times(n));
    let client = client_for(&emulator)
        .retry_policy(retry)
        .pacing(Pacing::disabled())
        .build()
        .unwrap();
    let started = Instant::now();
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..messages {
        let client = client.clone();
        calls.spawn(async move { client.send(&publish(i)).await });
    }
    while let Some(result) = calls.join_next().await {
        let answer = result.unwrap().expect("every call eventually succeeds");
        assert_eq!(answer.message_uids.len(), 2);
    }
    let elapsed = started.elapsed();
    assert_each_delivered_once(&emulator, messages);
    assert_eq!(emulator.answer_count(1008), n);
    assert_eq!(emulator.requests().len() as u64, messages as u64 + n);
    elapsed
}

#[tokio::test]
async fn a_burst_of_429_is_retried_until_every_call_succeeds() {
    // At most n attempts of one call can meet the n 429s: n + 1 attempts
    // always suffice, whatever the interleaving.
    let n = 8;
    let retry = RetryPolicy::new()
        .max_attempts(n as u32 + 1)
        .backoff(Duration::from_millis(5), Duration::from_millis(40));
    burst_of_429(Fault::rate_limited(), n, 12, retry).await;
}

#[tokio::test]
async fn a_burst_of_429_with_retry_after_waits_as_asked() {
    let n = 2;
    let retry = RetryPolicy::new()
        .max_attempts(n as u32 + 1)
        .backoff(Duration::from_millis(5), Duration::from_millis(40));
    // One call at a time meets both 429s: its retries wait the server's
    // 1 s each, far above the client's own 40 ms backoff.
    let elapsed = burst_of_429(
        Fault::rate_limited().retry_after(Duration::from_secs(1)),
        n,
        1,
        retry,
    )
    .await;
    assert!(elapsed >= Duration::from_secs(2), "{elapsed:?}");
}

#[tokio::test]
async fn a_publish_lost_after_processing_is_unknown_and_not_repeated() {
    let emulator = Emulator::start().await.unwrap();
    emulator.inject(Fault::drop_after_processing().on_path(PRIVATE).times(1));
    let client = client_for(&emulator).build().unwrap();
    let error = client.send(&publish(0)).await.unwrap_err();
    assert_eq!(error.delivery(), Delivery::Unknown, "{error:?}");
    match &error {
        Error::Transport(transport) => {
            assert_eq!(transport.kind(), TransportErrorKind::Connection)
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(emulator.deliveries().len(), 1);
    assert_each_delivered_once(&emulator, 1);
    let requests = emulator.requests();
    assert_eq!(requests.len(), 1, "no second attempt: {requests:?}");
    assert!(requests[0].faulted && requests[0].delivered);
    assert_eq!(requests[0].status, None);
    assert_eq!(emulator.dropped_answers(), 1);
}

#[tokio::test]
async fn an_idempotent_tag_set_lost_after_processing_is_repeated() {
    let emulator = Emulator::start().await.unwrap();
    emulator.inject(Fault::drop_after_processing().on_path(TAG_SET).times(1));
    let client = client_for(&emulator).build().unwrap();
    client.send(&TagSet::new("u1", ["bj"])).await.unwrap();
    let requests = emulator.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(requests[0].status, None);
    assert_eq!(requests[1].status, Some(200));
    assert_eq!(requests[0].request_id, requests[1].request_id);
    assert_eq!(emulator.user_tags("u1"), Some(vec!["bj".to_owned()]));
}

/// The emulator's clock runs this many times faster than real time.
const SCALE: f64 = 50.0;
/// The documented limit: 6000 recipients per (emulated) minute.
const LIMIT: u32 = 6000;
/// The emulated minute in real time (60 s / 50).
const MINUTE_REAL: Duration = Duration::from_millis(1200);
/// The client's window: the emulated minute plus a safety margin. The
/// client's pacer (real time) counts a call from the moment it grants the
/// turn; the emulator counts it from its arrival, which comes later by the
/// time to sign, check out a connection and write the headers. When that
/// delay is longer for one call than for the call one window before it,
/// the emulator sees the two closer together than the client spaced them.
/// Measured on a 2-core machine (debug build, the other tests of this file
/// running alongside): usually 1 to 6 ms, and under other builds' load now
/// and then 20 to 45 ms. At a scale of 100 (a 600 ms minute, 20 ms margin)
/// that load earned one or two 1008s in some runs; at 50 a 40 ms margin is
/// 3.3 % of the window, as before, and absorbs twice the jitter; the send
/// takes about 20 s. The margin is written here, in the window, so the
/// client's own (`Pacing::margin`, 2 % by default) is set to 0 for this
/// test.
const CLIENT_WINDOW: Duration = Duration::from_millis(1240);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_100k_recipient_bulk_send_stays_under_the_documented_limit_at_full_rate() {
    let emulator = Emulator::builder()
        .clock(Clock::scaled(SCALE))
        .start()
        .await
        .unwrap();
    let client = client_for(&emulator)
        .pacing(
            Pacing::documented()
                .margin(0.0)
                .limits(PRIVATE, [RateLimit::recipients(LIMIT, CLIENT_WINDOW)]),
        )
        .build()
        .unwrap();
    let total = 100_000;
    let ids: Vec<String> = (0..total).map(|i| format!("user-{i}")).collect();
    let template = PrivatePublish::new("sender", ["placeholder"], TextMessage::new("to all"));
    let bulk = client.bulk(&template, ids.iter().cloned()).concurrency(2);
    let mut progress = bulk.progress();
    assert_eq!(
        *progress.borrow(),
        BulkProgress {
            total,
            ..BulkProgress::default()
        }
    );
    let watcher = tokio::spawn(async move {
        let mut seen = Vec::new();
        while progress.changed().await.is_ok() {
            seen.push(*progress.borrow_and_update());
        }
        seen
    });
    let started = Instant::now();
    let report = bulk.send().await;
    let elapsed = started.elapsed();
    let seen = watcher.await.unwrap();

    // The emulator never refused: the pacing kept inside its window.
    assert_eq!(
        emulator.answer_count(1008),
        0,
        "{:?}",
        emulator.answers_by_code()
    );
    // Every recipient in exactly one outcome; here all delivered.
    assert_eq!(report.total(), total);
    assert!(report.is_complete(), "{report:?}");
    assert_eq!(report.delivered.len(), total);
    let delivered: HashSet<&str> = report
        .delivered
        .iter()
        .map(|d| d.recipient.as_str())
        .collect();
    assert_eq!(delivered.len(), total);
    // Each recipient got exactly one message, whose id the report carries.
    let mut recorded: HashMap<&str, &str> = HashMap::with_capacity(total);
    let deliveries = emulator.deliveries();
    assert_eq!(deliveries.len(), 100);
    for delivery in &deliveries {
        assert_eq!(delivery.recipients.len(), delivery.message_ids.len());
        for (user, id) in delivery.recipients.iter().zip(&delivery.message_ids) {
            assert!(
                recorded.insert(user, id).is_none(),
                "{user} delivered twice"
            );
        }
    }
    assert_eq!(recorded.len(), total);
    for d in &report.delivered {
        assert_eq!(
            d.message_id.as_deref(),
            recorded.get(d.recipient.as_str()).copied(),
            "{}",
            d.recipient
        );
    }
    // Progress only grew, and reached the total.
    let last = seen.last().copied().expect("progress changed");
    assert!(seen.windows(2).all(|w| w[0].done() <= w[1].done()));
    assert_eq!(last.delivered, total);
    assert!(last.is_finished());

    // On the emulator's clock: the least distance between a call and the
    // one six calls (one window of 6000) later, which must be a full minute.
    let mut at: Vec<u64> = deliveries.iter().map(|d| d.at_millis).collect();
    at.sort_unstable();
    let tightest = at.windows(7).map(|w| w[6] - w[0]).min().unwrap();
    assert!(tightest >= 60_000, "{tightest} ms");

    // Achieved rate, in recipients per emulated minute.
    let emulated_minutes = elapsed.as_secs_f64() / MINUTE_REAL.as_secs_f64();
    let rate = total as f64 / emulated_minutes;
    let ratio = rate / f64::from(LIMIT);
    eprintln!(
        "bulk pacing: {total} recipients in {elapsed:?} real ({emulated_minutes:.2} emulated min): \
         {rate:.0} recipients/min = {:.1}% of {LIMIT}/min; tightest 7-call span {tightest} ms \
         emulated (client window {CLIENT_WINDOW:?} real = {} ms emulated)",
        ratio * 100.0,
        (CLIENT_WINDOW.as_secs_f64() * SCALE * 1000.0) as u64,
    );
    assert!(ratio >= 0.95, "{:.1}% of the allowed rate", ratio * 100.0);
    // The sustained rate, without the first window's burst: 6000
    // recipients per mean distance between a call and the one six calls
    // later, on the emulator's clock.
    let spans: Vec<u64> = at.windows(7).map(|w| w[6] - w[0]).collect();
    let mean_span = spans.iter().sum::<u64>() as f64 / spans.len() as f64;
    let sustained = 60_000.0 / mean_span;
    eprintln!(
        "bulk pacing: sustained {:.1}% of {LIMIT}/min (mean 7-call span {mean_span:.0} ms emulated)",
        sustained * 100.0
    );
    assert!(sustained >= 0.95, "sustained {:.1}%", sustained * 100.0);
    assert!(elapsed < Duration::from_secs(45));
}
