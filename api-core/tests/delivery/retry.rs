//! Retries by what is safe: not-sent and refused requests for any call,
//! maybe-processed ones only for idempotent calls.

use std::collections::HashSet;
use std::time::Duration;

use api_core::{
    Delivery, Error, ErrorCode, RequestId, RetryPolicy, TransportError, TransportErrorKind,
};
use tokio::time::Instant;

use crate::common::*;

#[tokio::test(start_paused = true)]
async fn a_request_that_never_left_is_retried_signed_afresh_with_the_same_id() {
    let mock = Mock::new(|seen, index| {
        if index < 2 {
            Err(refused(seen))
        } else {
            Ok(publish_ok(seen))
        }
    });
    let client = builder(mock.clone(), &[A]).build().unwrap();
    let started = Instant::now();
    let id = RequestId::parse("call-42").unwrap();
    client.send_with_id(&Publish::to(1), id).await.unwrap();

    let seen = mock.seen();
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|s| s.request_id == "call-42"));
    let nonces: HashSet<&str> = seen.iter().map(|s| s.nonce.as_str()).collect();
    let signatures: HashSet<&str> = seen.iter().map(|s| s.signature.as_str()).collect();
    assert_eq!(
        (nonces.len(), signatures.len()),
        (3, 3),
        "signed afresh: {seen:?}"
    );
    // Two jittered backoffs: 50..=100 ms, then 100..=200 ms.
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(150) && elapsed <= Duration::from_millis(300),
        "{elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_429_is_retried_after_its_retry_after() {
    let mock = Mock::new(|seen, index| match index {
        0 => Ok(rate_limited(Some("3"))),
        1 => Ok(rate_limited(None)),
        _ => Ok(publish_ok(seen)),
    });
    let client = builder(mock.clone(), &[A, B]).build().unwrap();
    client.send(&Publish::to(1)).await.unwrap();
    let seen = mock.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[1].at - seen[0].at, Duration::from_secs(3));
    // Without Retry-After: the jittered backoff (second retry: 100..=200 ms).
    let backoff = seen[2].at - seen[1].at;
    assert!(
        backoff >= Duration::from_millis(100) && backoff <= Duration::from_millis(200),
        "{backoff:?}"
    );
    // A refusal says nothing about the host: no failover.
    assert_eq!(mock.hosts(), ["a.test", "a.test", "a.test"]);
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_past_the_deadline_returns_the_refusal_at_once() {
    let mock = Mock::new(|_, _| Ok(rate_limited(Some("120"))));
    let client = builder(mock.clone(), &[A]).build().unwrap();
    let started = Instant::now();
    let error = client.send(&Publish::to(1)).await.unwrap_err();
    assert_eq!(started.elapsed(), Duration::ZERO);
    assert_eq!(mock.count(), 1);
    assert_eq!(error.delivery(), Delivery::Rejected);
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.code(), ErrorCode::RateLimited);
}

fn lost_connection(seen: &Seen) -> TransportError {
    TransportError::new(
        TransportErrorKind::Connection,
        Delivery::Unknown,
        &seen.host,
        "connection reset while reading the answer",
        None,
    )
}

#[tokio::test(start_paused = true)]
async fn a_publish_is_never_repeated_once_it_may_have_been_processed() {
    type Failure = fn(&Seen) -> Result<http::Response<bytes::Bytes>, TransportError>;
    let failures: [(&str, Failure); 3] = [
        ("read timeout", |seen| Err(timed_out(seen))),
        ("lost connection", |seen| Err(lost_connection(seen))),
        ("5xx", |_| Ok(server_error())),
    ];
    for (name, failure) in failures {
        // The first attempt fails; a repeat would succeed (and deliver twice).
        let mock = Mock::new(move |seen, index| {
            if index == 0 {
                failure(seen)
            } else {
                Ok(publish_ok(seen))
            }
        });
        let client = builder(mock.clone(), &[A, B]).build().unwrap();
        let error = client.send(&Publish::to(1)).await.unwrap_err();
        assert_eq!(mock.count(), 1, "{name}: exactly one attempt");
        assert_eq!(error.delivery(), Delivery::Unknown, "{name}");
        assert!(!error.is_retryable(), "{name}");
        assert_eq!(
            error.request_id(),
            Some(mock.seen()[0].request_id.as_str()),
            "{name}"
        );
        if let Error::Transport(transport) = &error {
            assert!(
                transport.to_string().contains("outcome unknown"),
                "{name}: {transport}"
            );
        }
    }
}

#[tokio::test(start_paused = true)]
async fn an_idempotent_call_is_repeated_after_an_unknown_outcome() {
    let mock = Mock::new(|seen, index| match index {
        0 => Err(timed_out(seen)),
        1 => Ok(server_error()),
        _ => Ok(ok()),
    });
    let client = builder(mock.clone(), &[A]).build().unwrap();
    client.send(&SetTags).await.unwrap();
    assert_eq!(mock.count(), 3);
    let ids: HashSet<String> = mock.seen().into_iter().map(|s| s.request_id).collect();
    assert_eq!(ids.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn an_idempotent_calls_outcome_stays_unknown_when_later_attempts_never_left() {
    let mock = Mock::new(|seen, index| {
        if index == 0 {
            Err(timed_out(seen))
        } else {
            Err(refused(seen))
        }
    });
    let client = builder(mock.clone(), &[A]).build().unwrap();
    let error = client.send(&SetTags).await.unwrap_err();
    assert_eq!(mock.count(), 3);
    // The last attempt never left, but the first may have been processed.
    assert_eq!(error.delivery(), Delivery::Unknown);
    let Error::Transport(transport) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Timeout);
}

#[tokio::test(start_paused = true)]
async fn attempts_are_bounded_and_retries_can_be_disabled() {
    for (policy, attempts) in [
        (RetryPolicy::default(), 3),
        (RetryPolicy::disabled(), 1),
        (RetryPolicy::new().max_attempts(5), 5),
    ] {
        let mock = Mock::new(|seen, _| Err(refused(seen)));
        let client = builder(mock.clone(), &[A])
            .retry_policy(policy)
            .build()
            .unwrap();
        let error = client.send(&Publish::to(1)).await.unwrap_err();
        assert_eq!(mock.count(), attempts, "{policy:?}");
        assert_eq!(error.delivery(), Delivery::NotSent);
        assert!(error.is_retryable());
    }
}

#[tokio::test(start_paused = true)]
async fn the_deadline_bounds_the_whole_call() {
    let mock = Mock::new(|seen, _| Err(refused(seen)));
    let policy = RetryPolicy::new()
        .max_attempts(100)
        .backoff(Duration::from_secs(1), Duration::from_secs(1))
        .deadline(Duration::from_secs(5));
    let client = builder(mock.clone(), &[A])
        .retry_policy(policy)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.send(&Publish::to(1)).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    // Waits of 0.5..=1 s: at least 5 attempts fit, at most 10.
    assert!((5..=10).contains(&mock.count()), "{}", mock.count());
    assert_eq!(error.delivery(), Delivery::NotSent);
}

#[tokio::test(start_paused = true)]
async fn an_invalid_call_is_never_sent() {
    let mock = Mock::healthy();
    let client = builder(mock.clone(), &[A]).build().unwrap();
    let error = client.send(&Publish::to(1001)).await.unwrap_err();
    assert!(matches!(error, Error::Validation(_)), "{error:?}");
    assert_eq!(mock.count(), 0);
}
