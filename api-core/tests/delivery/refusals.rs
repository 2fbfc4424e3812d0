//! What gateways and rate limits answer, through the whole client: one
//! classification decides, so an HTML page means what the same status
//! with a JSON body means.

use std::time::Duration;

use api_core::{Delivery, Error, ErrorCode, RetryPolicy};
use tokio::time::Instant;

use crate::common::*;

fn gateway_page(status: u16) -> http::Response<bytes::Bytes> {
    let title = match status {
        502 => "502 Bad Gateway",
        503 => "503 Service Temporarily Unavailable",
        504 => "504 Gateway Time-out",
        429 => "429 Too Many Requests",
        _ => "error",
    };
    let mut response = answer(
        status,
        &format!(
            "<html>\r\n<head><title>{title}</title></head>\r\n<body><center><h1>{title}</h1></center><hr><center>nginx</center></body></html>"
        ),
    );
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/html"),
    );
    response
}

#[tokio::test(start_paused = true)]
async fn an_idempotent_call_answered_by_a_gateway_page_is_retried_on_the_backup() {
    for status in [502, 503, 504] {
        let mock = Mock::new(move |seen, _| {
            if seen.host == "a.test" {
                Ok(gateway_page(status))
            } else {
                Ok(ok())
            }
        });
        let client = builder(mock.clone(), &[A, B]).build().unwrap();
        client.send(&SetTags).await.unwrap();
        assert_eq!(mock.hosts(), ["a.test", "b.test"], "{status}");
        assert_eq!(client.current_host().host(), "b.test", "{status}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_publish_answered_by_a_gateway_page_is_not_resent_and_its_outcome_is_unknown() {
    for status in [502, 503, 504] {
        let mock = Mock::new(move |seen, _| {
            if seen.host == "a.test" {
                Ok(gateway_page(status))
            } else {
                Ok(publish_ok(seen))
            }
        });
        let client = builder(mock.clone(), &[A, B]).build().unwrap();
        let error = client.send(&Publish::to(2)).await.unwrap_err();
        assert_eq!(mock.count(), 1, "{status}: sent once");
        assert_eq!(error.delivery(), Delivery::Unknown, "{status}");
        assert!(!error.is_retryable(), "{status}");
        assert!(error.is_retryable_if_idempotent(), "{status}");
        let Error::Decode(decode) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(decode.status().as_u16(), status);
        assert!(decode.body().contains("nginx"), "{decode}");
        // The host is left for the next call all the same.
        assert_eq!(client.current_host().host(), "b.test", "{status}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_gateway_429_page_is_a_refusal_retried_for_any_call() {
    let mock = Mock::new(|seen, index| {
        if index == 0 {
            Ok(gateway_page(429))
        } else {
            Ok(publish_ok(seen))
        }
    });
    let client = builder(mock.clone(), &[A, B]).build().unwrap();
    client.send(&Publish::to(1)).await.unwrap();
    assert_eq!(
        mock.hosts(),
        ["a.test", "a.test"],
        "a refusal is no reason to fail over"
    );
}

#[tokio::test(start_paused = true)]
async fn five_rate_limit_refusals_then_success_is_delivered_once_within_the_deadline() {
    // The default policy: 3 attempts, a 30 s deadline. Refusals are not
    // counted as attempts.
    let mock = Mock::new(|seen, index| {
        if index < 5 {
            Ok(rate_limited(None))
        } else {
            Ok(publish_ok(seen))
        }
    });
    let client = builder(mock.clone(), &[A]).build().unwrap();
    let started = Instant::now();
    let answer = client.send(&Publish::to(1)).await.unwrap();
    assert_eq!(answer.ids.len(), 1);
    assert_eq!(mock.count(), 6);
    // Jittered backoffs of 50-100, 100-200, 200-400, 400-800, 800-1600 ms.
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(1550) && elapsed <= Duration::from_millis(3100),
        "{elapsed:?}"
    );
    let seen = mock.seen();
    for pair in seen.windows(2) {
        assert!(pair[1].at > pair[0].at, "each refusal is waited out");
    }
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_of_a_day_fails_at_once_not_processed() {
    let mock = Mock::new(|_, _| Ok(rate_limited(Some("86400"))));
    let client = builder(mock.clone(), &[A]).build().unwrap();
    let started = Instant::now();
    let error = client.send(&Publish::to(1)).await.unwrap_err();
    assert_eq!(started.elapsed(), Duration::ZERO);
    assert_eq!(mock.count(), 1);
    assert_eq!(error.delivery(), Delivery::Rejected);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(86_400)));
    assert!(matches!(&error, Error::Api(api) if api.code() == ErrorCode::RateLimited));
}

#[tokio::test(start_paused = true)]
async fn without_a_deadline_rate_limit_waits_are_bounded() {
    let mock = Mock::new(|_, _| Ok(rate_limited(Some("40"))));
    let client = builder(mock.clone(), &[A])
        .retry_policy(RetryPolicy::new().no_deadline())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.send(&Publish::to(1)).await.unwrap_err();
    // One wait of 40 s fits in the default 60 s; a second does not.
    assert_eq!(started.elapsed(), Duration::from_secs(40));
    assert_eq!(mock.count(), 2);
    assert_eq!(error.delivery(), Delivery::Rejected);
}

#[tokio::test(start_paused = true)]
async fn a_refusal_seen_by_one_call_pauses_every_clone_of_the_quota() {
    // The first attempt of the quota is refused with Retry-After: 5; the
    // server accepts everything after that.
    let mock = Mock::new(|seen, index| {
        if index == 0 {
            Ok(rate_limited(Some("5")))
        } else {
            Ok(publish_ok(seen))
        }
    });
    let client = builder(mock.clone(), &[A]).build().unwrap();
    let started = Instant::now();
    let first = {
        let client = client.clone();
        tokio::spawn(async move { client.send(&Publish::to(1)).await })
    };
    // Let the first call be refused, then start ten more from clones.
    tokio::time::sleep(Duration::from_millis(1)).await;
    let others: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.send(&Publish::to(1)).await })
        })
        .collect();
    first.await.unwrap().unwrap();
    for other in others {
        other.await.unwrap().unwrap();
    }
    let seen = mock.seen();
    assert_eq!(seen.len(), 12, "one refusal, then each call once");
    for later in &seen[1..] {
        assert!(
            later.at - started >= Duration::from_secs(5),
            "a call went during the pause: {:?}",
            later.at - started
        );
    }
    // Another quota is not paused.
    let before = Instant::now();
    client.send(&SetTags).await.unwrap();
    assert_eq!(before.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn a_bulk_send_through_refusals_delivers_every_recipient_once() {
    // Every other attempt is refused: the bulk waits, nothing is lost.
    let mock = Mock::new(|seen, index| {
        if index % 2 == 0 {
            Ok(rate_limited(None))
        } else {
            Ok(publish_ok(seen))
        }
    });
    let client = builder(mock.clone(), &[A]).build().unwrap();
    let ids: Vec<String> = (0..30).map(|i| format!("r{i}")).collect();
    let report = client
        .bulk(&Small { to: vec![] }, ids.clone())
        .concurrency(1)
        .send()
        .await;
    assert!(report.is_complete(), "{report:?}");
    let mut delivered: Vec<&str> = report
        .delivered
        .iter()
        .map(|d| d.recipient.as_str())
        .collect();
    delivered.sort();
    let mut expected: Vec<&str> = ids.iter().map(String::as_str).collect();
    expected.sort();
    assert_eq!(delivered, expected);
    let accepted: usize = mock
        .seen()
        .iter()
        .enumerate()
        .filter(|(index, _)| index % 2 == 1)
        .map(|(_, seen)| seen.recipients.len())
        .sum();
    assert_eq!(accepted, 30, "each recipient accepted exactly once");
}
