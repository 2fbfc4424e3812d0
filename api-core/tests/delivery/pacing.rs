//! Pacing under the declared rate limits, in paused time.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use api_core::{CallOptions, Delivery, Error, Pacing, RateLimit, RetryPolicy};
use tokio::time::Instant;

use crate::common::*;

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

/// A server that counts recipients per sliding minute like the provider
/// and answers 1008 past 6000.
fn strict_server() -> Mock {
    let log: Arc<Mutex<Vec<(Instant, usize)>>> = Arc::default();
    Mock::new(move |seen, _| {
        let mut log = log.lock().unwrap();
        let in_window: usize = log
            .iter()
            .filter(|(at, _)| seen.at.duration_since(*at) < MINUTE)
            .map(|(_, n)| n)
            .sum();
        if in_window + seen.recipients.len() > 6000 {
            return Ok(rate_limited(None));
        }
        log.push((seen.at, seen.recipients.len()));
        Ok(publish_ok(seen))
    })
}

fn offsets(mock: &Mock, start: Instant) -> Vec<Duration> {
    let mut offsets: Vec<Duration> = mock.seen().iter().map(|s| s.at - start).collect();
    offsets.sort();
    offsets
}

#[tokio::test(start_paused = true)]
async fn a_burst_from_clones_waits_for_its_turn_instead_of_earning_1008() {
    let mock = strict_server();
    // Without retries, a 1008 would surface as an error.
    let client = builder(mock.clone(), &[A])
        .retry_policy(RetryPolicy::disabled().no_deadline())
        .build()
        .unwrap();
    let start = Instant::now();
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.send(&Publish::to(1000)).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    let mut expected = vec![Duration::ZERO; 6];
    expected.extend([MINUTE, MINUTE]);
    assert_eq!(offsets(&mock, start), expected);
}

#[tokio::test(start_paused = true)]
async fn a_call_that_would_wait_past_its_deadline_fails_fast() {
    let mock = Mock::healthy();
    // The default policy: a 30 s deadline per call.
    let client = builder(mock.clone(), &[A]).build().unwrap();
    for _ in 0..6 {
        client.send(&Publish::to(1000)).await.unwrap();
    }
    let start = Instant::now();
    let error = client.send(&Publish::to(1)).await.unwrap_err();
    assert_eq!(start.elapsed(), Duration::ZERO, "no hanging");
    assert_eq!(mock.count(), 6, "nothing sent");
    assert_eq!(error.delivery(), Delivery::NotSent);
    assert!(!error.is_retryable());
    let Error::Pacing(pacing) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(pacing.quota(), "/message/private/publish.json");
    assert_eq!(pacing.wait(), MINUTE);
    assert_eq!(pacing.time_left(), Duration::from_secs(30));
    assert_eq!(pacing.limit(), Some(RateLimit::recipients(6000, MINUTE)));
    assert!(pacing.request_id().is_some());
    let text = error.to_string();
    assert!(
        text.contains("6000 recipients per minute") && text.contains("not sent"),
        "{text}"
    );

    // A caller who can wait says so: 60 s of wait and 10 s for the attempt.
    let options = CallOptions::new().deadline(Duration::from_secs(70));
    client.send_with(&Publish::to(1), options).await.unwrap();
    assert_eq!(start.elapsed(), MINUTE);
}

#[tokio::test(start_paused = true)]
async fn a_turn_is_granted_only_if_a_whole_attempt_fits_after_it() {
    let mock = Mock::healthy();
    // A 30 s deadline per call, 10 s per attempt (the defaults).
    let client = builder(mock.clone(), &[A]).build().unwrap();
    for _ in 0..6 {
        client.send(&Publish::to(1000)).await.unwrap();
    }
    // The next turn comes in 25 s: within the deadline, but an attempt
    // started then would have 5 s instead of 10.
    tokio::time::advance(Duration::from_secs(35)).await;
    let error = client.send(&Publish::to(1)).await.unwrap_err();
    let Error::Pacing(pacing) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(pacing.wait(), Duration::from_secs(25));
    assert_eq!(mock.count(), 6);
    // 15 s from now, it fits: the call waits and goes.
    tokio::time::advance(Duration::from_secs(10)).await;
    let start = Instant::now();
    client.send(&Publish::to(1)).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(15));
}

#[tokio::test(start_paused = true)]
async fn calls_are_weighted_by_recipients() {
    let mock = Mock::healthy();
    let client = builder(mock.clone(), &[A])
        .retry_policy(RetryPolicy::new().no_deadline())
        .build()
        .unwrap();
    let start = Instant::now();
    // Twelve calls of 500 are 6000 recipients: they all fit in a minute.
    for _ in 0..12 {
        client.send(&Publish::to(500)).await.unwrap();
    }
    assert_eq!(start.elapsed(), Duration::ZERO);
    // One recipient more does not.
    client.send(&Publish::to(1)).await.unwrap();
    assert_eq!(start.elapsed(), MINUTE);
}

#[tokio::test(start_paused = true)]
async fn a_quota_is_shared_by_clones_and_by_endpoints_with_its_key() {
    let mock = Mock::healthy();
    let client = builder(mock.clone(), &[A])
        .retry_policy(RetryPolicy::new().no_deadline())
        .build()
        .unwrap();
    let start = Instant::now();
    client.send(&Push).await.unwrap();
    client.clone().send(&Broadcast).await.unwrap();
    assert_eq!(start.elapsed(), Duration::ZERO);
    // Another quota is not held up by this one.
    client.send(&Publish::to(10)).await.unwrap();
    assert_eq!(start.elapsed(), Duration::ZERO);
    // The third use of /push.json waits for the hourly limit, the fourth
    // for the daily one.
    client.send(&Push).await.unwrap();
    assert_eq!(start.elapsed(), HOUR);
    client.clone().send(&Broadcast).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(86_400));
    let paths: Vec<String> = mock.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(
        paths,
        [
            "/push.json",
            "/broadcast.json",
            "/message/private/publish.json",
            "/push.json",
            "/broadcast.json"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn limits_can_be_overridden_per_quota_or_turned_off() {
    let no_deadline = RetryPolicy::new().no_deadline();

    let raised_lower = Pacing::documented().margin(0.0).limits(
        "/message/private/publish.json",
        [RateLimit::recipients(1000, MINUTE)],
    );
    let mock = Mock::healthy();
    let client = builder(mock.clone(), &[A])
        .retry_policy(no_deadline)
        .pacing(raised_lower)
        .build()
        .unwrap();
    let start = Instant::now();
    client.send(&Publish::to(1000)).await.unwrap();
    client.send(&Publish::to(1000)).await.unwrap();
    assert_eq!(offsets(&mock, start), [Duration::ZERO, MINUTE]);

    for pacing in [
        Pacing::disabled(),
        Pacing::documented().limits("/message/private/publish.json", []),
    ] {
        let mock = Mock::healthy();
        let client = builder(mock.clone(), &[A])
            .retry_policy(no_deadline)
            .pacing(pacing.clone())
            .build()
            .unwrap();
        let start = Instant::now();
        for _ in 0..10 {
            client.send(&Publish::to(1000)).await.unwrap();
        }
        assert_eq!(start.elapsed(), Duration::ZERO, "{pacing:?}");
        assert_eq!(mock.count(), 10);
    }
}

#[tokio::test(start_paused = true)]
async fn by_default_every_window_is_paced_two_percent_longer() {
    let mock = strict_server();
    let client = api_core::Client::builder(api_core::Credentials::new("k", SECRET))
        .base_urls([A])
        .transport(mock.clone())
        .retry_policy(RetryPolicy::disabled().no_deadline())
        .build()
        .unwrap();
    let start = Instant::now();
    for _ in 0..7 {
        client.send(&Publish::to(1000)).await.unwrap();
    }
    let mut expected = vec![Duration::ZERO; 6];
    expected.push(Duration::from_millis(61_200));
    assert_eq!(offsets(&mock, start), expected);
}
