//! Bulk sends: splitting, pacing, bounded concurrency, the report and the
//! progress.

use std::time::Duration;

use api_core::{BulkProgress, Delivery, Error, ErrorCode, Pacing};
use tokio::time::Instant;

use crate::common::*;

fn ids(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("r{i}")).collect()
}

#[tokio::test(start_paused = true)]
async fn a_bulk_send_splits_the_list_and_reports_every_recipient_once() {
    // r4's call times out, r7's is rejected, and r1 gets no id back.
    let mock = Mock::new(|seen, _| {
        let has = |id: &str| seen.recipients.iter().any(|r| r == id);
        if has("r4") {
            Err(timed_out(seen))
        } else if has("r7") {
            Ok(answer(
                400,
                r#"{"code":1002,"errorMessage":"bad toUserId"}"#,
            ))
        } else {
            let mut answered = seen.clone();
            answered.recipients.retain(|r| r != "r1");
            Ok(publish_ok(&answered))
        }
    });
    let client = builder(mock.clone(), &[A]).build().unwrap();
    let mut recipients = ids(0..10);
    recipients.insert(5, "r3".to_owned()); // a duplicate is sent to once
    let bulk = client
        .bulk(&Small { to: Vec::new() }, recipients)
        .concurrency(1);
    let mut progress = bulk.progress();
    assert_eq!(progress.borrow().total, 10);
    let watcher = tokio::spawn(async move {
        let mut snapshots = vec![*progress.borrow_and_update()];
        while progress.changed().await.is_ok() {
            snapshots.push(*progress.borrow_and_update());
        }
        snapshots
    });
    let report = bulk.send().await;

    let calls: Vec<Vec<String>> = mock.seen().into_iter().map(|s| s.recipients).collect();
    assert_eq!(
        calls,
        [ids(0..3), ids(3..6), ids(6..9), ids(9..10)],
        "calls of at most MAX_RECIPIENTS, once each (the unknown one is not repeated)"
    );

    let delivered: Vec<(&str, Option<&str>)> = report
        .delivered
        .iter()
        .map(|d| (d.recipient.as_str(), d.message_id.as_deref()))
        .collect();
    assert_eq!(
        delivered,
        [
            ("r0", Some("m-r0")),
            ("r1", None),
            ("r2", Some("m-r2")),
            ("r9", Some("m-r9"))
        ]
    );
    assert_eq!(report.unknown.len(), 1);
    assert_eq!(report.unknown[0].recipients, ids(3..6));
    assert_eq!(report.unknown[0].error.delivery(), Delivery::Unknown);
    assert_eq!(report.not_sent.len(), 1);
    assert_eq!(report.not_sent[0].recipients, ids(6..9));
    let Error::Api(api) = &*report.not_sent[0].error else {
        panic!("{:?}", report.not_sent[0].error)
    };
    assert_eq!(api.code(), ErrorCode::InvalidParameter);

    let mut everyone: Vec<&str> = report
        .delivered
        .iter()
        .map(|d| d.recipient.as_str())
        .chain(report.not_sent_recipients())
        .chain(report.unknown_recipients())
        .collect();
    everyone.sort();
    let mut expected = ids(0..10);
    expected.sort();
    assert_eq!(everyone, expected, "each recipient exactly once");
    assert_eq!(report.total(), 10);
    assert!(!report.is_complete());

    let snapshots = watcher.await.unwrap();
    let last = *snapshots.last().unwrap();
    assert_eq!(
        last,
        BulkProgress {
            total: 10,
            delivered: 4,
            not_sent: 3,
            unknown: 3
        }
    );
    assert!(last.is_finished());
    assert_eq!(snapshots[0].done(), 0);
    assert!(
        snapshots.windows(2).all(|w| w[0].done() < w[1].done()),
        "{snapshots:?}"
    );
    assert!(
        snapshots.iter().any(|p| p.done() > 0 && p.done() < 10),
        "progress is seen while the send runs: {snapshots:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_bulk_send_is_paced_by_recipients() {
    // Small: 6 recipients a second, 3 a call.
    let mock = Mock::healthy();
    let client = builder(mock.clone(), &[A]).build().unwrap();
    let start = Instant::now();
    let report = client
        .bulk(&Small { to: Vec::new() }, ids(0..18))
        .send()
        .await;
    assert!(report.is_complete());
    assert_eq!(report.delivered.len(), 18);
    let mut offsets: Vec<u64> = mock
        .seen()
        .iter()
        .map(|s| (s.at - start).as_secs())
        .collect();
    offsets.sort();
    assert_eq!(offsets, [0, 0, 1, 1, 2, 2]);
}

#[tokio::test(start_paused = true)]
async fn a_bulk_send_bounds_its_concurrency() {
    let mock = Mock::healthy().latency(Duration::from_secs(1));
    let client = builder(mock.clone(), &[A])
        .pacing(Pacing::disabled())
        .build()
        .unwrap();
    let start = Instant::now();
    let report = client
        .bulk(&Small { to: Vec::new() }, ids(0..30))
        .concurrency(4)
        .send()
        .await;
    assert_eq!(report.delivered.len(), 30);
    let mut offsets: Vec<u64> = mock
        .seen()
        .iter()
        .map(|s| (s.at - start).as_secs())
        .collect();
    offsets.sort();
    assert_eq!(offsets, [0, 0, 0, 0, 1, 1, 1, 1, 2, 2]);
}

#[tokio::test(start_paused = true)]
async fn a_bulk_deadline_reports_late_calls_as_not_sent() {
    let mock = Mock::healthy();
    let client = builder(mock.clone(), &[A])
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    // Turns come at 0, 0, 1, 1, 2, 2 s. A turn is taken only if an attempt
    // (1 s) still fits before the deadline: up to 1.5 s.
    let report = client
        .bulk(&Small { to: Vec::new() }, ids(0..18))
        .deadline(Duration::from_millis(2500))
        .send()
        .await;
    assert_eq!(
        mock.count(),
        4,
        "calls at 0 s and 1 s; those due at 2 s are not sent"
    );
    assert_eq!(report.delivered.len(), 12);
    assert_eq!(report.not_sent.len(), 2);
    for batch in &report.not_sent {
        assert!(
            matches!(*batch.error, Error::Pacing(_)),
            "{:?}",
            batch.error
        );
        assert_eq!(batch.error.delivery(), Delivery::NotSent);
    }
    assert_eq!(report.total(), 18);
}

#[tokio::test(start_paused = true)]
async fn a_bulk_send_to_nobody_sends_nothing() {
    let mock = Mock::healthy();
    let client = builder(mock.clone(), &[A]).build().unwrap();
    let bulk = client.bulk(&Small { to: Vec::new() }, Vec::<String>::new());
    let progress = bulk.progress();
    let report = bulk.send().await;
    assert_eq!(mock.count(), 0);
    assert_eq!(report.total(), 0);
    assert!(progress.borrow().is_finished());
}
