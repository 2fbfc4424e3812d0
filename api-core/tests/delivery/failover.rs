//! Host failover: order, stickiness, cooldown, return to the primary.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use api_core::{Delivery, Error, ErrorCode, FailoverPolicy};

use crate::common::*;

fn policy() -> FailoverPolicy {
    FailoverPolicy::new()
        .cooldown(Duration::from_secs(2))
        .return_to_primary_after(Duration::from_secs(60))
}

#[tokio::test(start_paused = true)]
async fn moves_to_the_next_host_and_stays_there_for_every_clone() {
    let mock = Mock::new(|seen, _| {
        if seen.host == "a.test" {
            Err(refused(seen))
        } else {
            Ok(publish_ok(seen))
        }
    });
    let client = builder(mock.clone(), &[A, B, C]).build().unwrap();
    assert_eq!(client.current_host().host(), "a.test");

    let answer = client.send(&Publish::to(1)).await.unwrap();
    assert_eq!(answer.ids[0].message_uid, "m-u0");
    assert_eq!(mock.hosts(), ["a.test", "b.test"]);
    assert_eq!(client.current_host().host(), "b.test");

    // Sticky, and shared by clones.
    let clone = client.clone();
    clone.send(&Publish::to(1)).await.unwrap();
    client.send(&SetTags).await.unwrap();
    assert_eq!(mock.hosts(), ["a.test", "b.test", "b.test", "b.test"]);

    // Per client, never global: another client starts on its primary.
    let other = builder(mock.clone(), &[A, B, C]).build().unwrap();
    assert_eq!(other.current_host().host(), "a.test");
}

#[tokio::test(start_paused = true)]
async fn the_cooldown_keeps_failures_from_cycling_through_hosts() {
    // a and b are down, c is up.
    let mock = Mock::new(|seen, _| {
        if seen.host == "c.test" {
            Ok(ok())
        } else {
            Err(refused(seen))
        }
    });
    let client = builder(mock.clone(), &[A, B, C])
        .failover(policy())
        .build()
        .unwrap();

    // a fails: everyone moves to b. b fails within the cooldown: this call
    // goes on to c, but the shared choice stays on b.
    client.send(&SetTags).await.unwrap();
    assert_eq!(mock.hosts(), ["a.test", "b.test", "c.test"]);
    assert_eq!(client.current_host().host(), "b.test");

    // Still within the cooldown: b fails again and the choice stays.
    client.send(&SetTags).await.unwrap();
    assert_eq!(mock.hosts()[3..], ["b.test", "c.test"]);
    assert_eq!(client.current_host().host(), "b.test");

    // After the cooldown, a failure on b moves everyone to c.
    tokio::time::advance(Duration::from_secs(2)).await;
    client.send(&SetTags).await.unwrap();
    assert_eq!(mock.hosts()[5..], ["b.test", "c.test"]);
    assert_eq!(client.current_host().host(), "c.test");
    client.send(&SetTags).await.unwrap();
    assert_eq!(mock.hosts()[7..], ["c.test"]);
}

#[tokio::test(start_paused = true)]
async fn returns_to_the_primary_after_the_window() {
    let primary_down = Arc::new(AtomicBool::new(true));
    let down = primary_down.clone();
    let mock = Mock::new(move |seen, _| {
        if seen.host == "a.test" && down.load(Ordering::SeqCst) {
            Err(refused(seen))
        } else {
            Ok(ok())
        }
    });
    let client = builder(mock.clone(), &[A, B])
        .failover(policy())
        .build()
        .unwrap();
    client.send(&SetTags).await.unwrap();
    assert_eq!(mock.hosts(), ["a.test", "b.test"]);

    primary_down.store(false, Ordering::SeqCst);
    tokio::time::advance(Duration::from_secs(59)).await;
    client.send(&SetTags).await.unwrap();
    assert_eq!(mock.hosts()[2..], ["b.test"], "still within the window");

    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(client.current_host().host(), "a.test");
    client.send(&SetTags).await.unwrap();
    assert_eq!(mock.hosts()[3..], ["a.test"]);
}

#[tokio::test(start_paused = true)]
async fn a_failed_primary_is_left_again_at_once_after_returning() {
    let mock = Mock::new(|seen, _| {
        if seen.host == "a.test" {
            Err(refused(seen))
        } else {
            Ok(ok())
        }
    });
    let client = builder(mock.clone(), &[A, B])
        .failover(policy())
        .build()
        .unwrap();
    client.send(&SetTags).await.unwrap();
    tokio::time::advance(Duration::from_secs(60)).await;
    // Back on a, which still fails: no cooldown holds the client there.
    client.send(&SetTags).await.unwrap();
    assert_eq!(mock.hosts(), ["a.test", "b.test", "a.test", "b.test"]);
    assert_eq!(client.current_host().host(), "b.test");
    client.send(&SetTags).await.unwrap();
    assert_eq!(mock.hosts()[4..], ["b.test"]);
}

#[tokio::test(start_paused = true)]
async fn a_5xx_moves_the_client_but_a_publish_is_not_repeated() {
    let mock = Mock::new(|seen, _| {
        if seen.host == "a.test" {
            Ok(server_error())
        } else {
            Ok(publish_ok(seen))
        }
    });
    let client = builder(mock.clone(), &[A, B]).build().unwrap();
    let error = client.send(&Publish::to(2)).await.unwrap_err();
    assert_eq!(
        mock.count(),
        1,
        "a publish that may have been processed is not repeated"
    );
    assert_eq!(error.delivery(), Delivery::Unknown);
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.code(), ErrorCode::InternalError);
    assert_eq!(api.request_id(), Some(mock.seen()[0].request_id.as_str()));

    assert_eq!(client.current_host().host(), "b.test");
    client.send(&Publish::to(2)).await.unwrap();
    assert_eq!(mock.hosts(), ["a.test", "b.test"]);
}
