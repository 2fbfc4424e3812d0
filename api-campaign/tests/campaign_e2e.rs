//! Campaigns over real HTTP against the emulator, with real journal files:
//! every test counts what the emulator received, not what the campaign
//! believes.

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use api_campaign::{
    Campaign, CampaignError, ChunkState, Journal, MismatchPart, Outcome, RecipientSource, Step,
};
use api_core::{Pacing, RateLimit};
use api_emulator::Fault;
use api_endpoints::{SystemPublish, TextMessage};
use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_recipient_gets_the_message_once_and_is_reported_once() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String> = (0..2345).map(user).collect();
    // Some ids twice: each is sent to once.
    let with_duplicates = ids.iter().cloned().chain(ids[..10].iter().cloned());
    let file = recipients_file(dir.path(), "users.txt", with_duplicates);
    let path = dir.path().join("notice.journal");

    let campaign = Campaign::builder(client_for(&emulator, Pacing::disabled()), notice("hello"))
        .chunk_size(100)
        .concurrency(4)
        .app_data(r#"{"text":"hello"}"#)
        .create(&path, RecipientSource::file(&file))
        .await
        .unwrap();
    assert!(campaign.created());
    let info = campaign.info().clone();
    assert_eq!(
        (
            info.recipients,
            info.duplicates,
            info.chunks,
            info.chunk_size
        ),
        (2345, 10, 24, 100)
    );
    assert_eq!(info.endpoint, PRIVATE);
    assert_eq!(info.app_data.as_deref(), Some(r#"{"text":"hello"}"#));
    assert!(
        info.template_body.contains("fromUserId=ops"),
        "{}",
        info.template_body
    );
    assert!(
        !info.template_body.contains("toUserId"),
        "{}",
        info.template_body
    );
    // Nothing is sent before `run`.
    assert!(emulator.requests().is_empty());

    let progress = campaign.progress();
    let summary = campaign.run().await.unwrap();
    assert!(!summary.stopped);
    assert_eq!(summary.calls, 24);
    assert_eq!(summary.counts.delivered, 2345);
    assert!(summary.counts.is_complete());
    assert_eq!(*progress.borrow(), summary.counts);
    campaign.close().await.unwrap();

    assert!(check_invariants(&emulator, &path, &ids).is_empty());
    assert_eq!(emulator.requests().len(), 24);
    // Every call named its own request id, the one the journal kept.
    let journal = Journal::open(&path).unwrap();
    let chunks = journal.chunks(None).unwrap();
    let sent_ids: HashSet<String> = emulator
        .requests()
        .into_iter()
        .map(|r| r.request_id.unwrap())
        .collect();
    for chunk in &chunks {
        assert_eq!(chunk.state, ChunkState::Delivered);
        assert_eq!(chunk.attempts, 1);
        assert!(chunk.intent_at.unwrap() <= chunk.finished_at.unwrap());
        assert!(chunk.finished_at.unwrap() >= info.created_at);
        assert!(sent_ids.contains(chunk.request_id.as_deref().unwrap()));
    }

    // The CSV and JSON reports, parsed back.
    let mut csv = Vec::new();
    let counts = journal.report().unwrap().write_csv(&mut csv).unwrap();
    assert_eq!(counts.delivered, 2345);
    let text = String::from_utf8(csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("userId,outcome,messageUID,reason"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2345);
    assert_eq!(rows[0][0], "user00000");
    assert!(
        rows.iter()
            .all(|r| r[1] == "delivered" && !r[2].is_empty() && r[3].is_empty())
    );
    let mut json = Vec::new();
    journal.report().unwrap().write_json(&mut json).unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let array = parsed.as_array().unwrap();
    assert_eq!(array.len(), 2345);
    assert_eq!(array[7]["userId"], "user00007");
    assert_eq!(array[7]["outcome"], "delivered");
    assert_eq!(array[7]["reason"], serde_json::Value::Null);
    let received = received(&emulator);
    assert_eq!(array[7]["messageUID"], received["user00007"][0].as_str());
}

#[tokio::test]
async fn a_system_message_campaign_uses_chunks_of_100() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("system.journal");
    let template = SystemPublish::new("ops", Vec::<String>::new(), TextMessage::new("notice"));
    let campaign = Campaign::builder(client_for(&emulator, Pacing::disabled()), template)
        .create(&path, RecipientSource::ids((0..250).map(user)))
        .await
        .unwrap();
    assert_eq!(campaign.info().chunk_size, 100);
    let summary = campaign.run().await.unwrap();
    assert_eq!(summary.counts.delivered, 250);
    let sizes: Vec<usize> = emulator
        .deliveries()
        .iter()
        .map(|d| d.recipients.len())
        .collect();
    assert_eq!(sizes.iter().sum::<usize>(), 250);
    assert!(sizes.iter().all(|n| *n <= 100), "{sizes:?}");
    assert!(
        emulator
            .deliveries()
            .iter()
            .all(|d| d.path == "/message/system/publish.json")
    );
}

#[tokio::test]
async fn malformed_recipients_send_nothing_and_leave_no_journal() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("users.txt");
    std::fs::write(&file, "userId\nalice\n\nbob smith\ncarol\n").unwrap();
    let path = dir.path().join("bad.journal");
    let error = Campaign::builder(client_for(&emulator, Pacing::disabled()), notice("x"))
        .create(&path, RecipientSource::file(&file))
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(text.contains("line 3: blank"), "{text}");
    assert!(text.contains("line 4: has ' '"), "{text}");
    assert!(!path.exists());
    assert!(!dir.path().join("bad.journal-wal").exists());

    std::fs::write(&file, "userId\n").unwrap();
    let error = Campaign::builder(client_for(&emulator, Pacing::disabled()), notice("x"))
        .create(&path, RecipientSource::file(&file))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("empty"), "{error}");
    assert!(!path.exists());
    assert!(emulator.requests().is_empty());
}

#[tokio::test]
async fn an_invalid_template_is_refused_before_anything_is_written() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.journal");
    let mut empty_sender = notice("x");
    empty_sender.from_user_id.clear();
    let error = Campaign::builder(client_for(&emulator, Pacing::disabled()), empty_sender)
        .create(&path, RecipientSource::ids((0..5).map(user)))
        .await
        .unwrap_err();
    assert!(
        matches!(error, CampaignError::InvalidTemplate(_)),
        "{error}"
    );
    assert!(error.to_string().contains("from_user_id"), "{error}");
    assert!(!path.exists());
    assert!(emulator.requests().is_empty());
}

#[tokio::test]
async fn a_resume_with_other_input_is_refused() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String> = (0..30).map(user).collect();
    let file = recipients_file(dir.path(), "users.txt", ids.clone());
    let path = dir.path().join("c.journal");
    let client = client_for(&emulator, Pacing::disabled());
    Campaign::builder(client.clone(), notice("hello"))
        .chunk_size(10)
        .create(&path, RecipientSource::file(&file))
        .await
        .unwrap()
        .close()
        .await
        .unwrap();

    let mismatch = |error: CampaignError| match error {
        CampaignError::Mismatch(m) => m.part,
        other => panic!("{other}"),
    };
    let error = Campaign::builder(client.clone(), notice("hello, changed"))
        .resume(&path)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("different campaign"), "{error}");
    assert_eq!(mismatch(error), MismatchPart::Template);
    let error = Campaign::builder(client.clone(), notice("hello"))
        .chunk_size(20)
        .resume(&path)
        .await
        .unwrap_err();
    assert_eq!(mismatch(error), MismatchPart::ChunkSize);
    let other = recipients_file(dir.path(), "other.txt", ids.iter().rev().cloned());
    let error = Campaign::builder(client.clone(), notice("hello"))
        .create_or_resume(&path, RecipientSource::file(&other))
        .await
        .unwrap_err();
    assert_eq!(mismatch(error), MismatchPart::Recipients);
    let template = SystemPublish::new("ops", Vec::<String>::new(), TextMessage::new("hello"));
    let error = Campaign::builder(client.clone(), template)
        .chunk_size(10)
        .resume(&path)
        .await
        .unwrap_err();
    assert_eq!(mismatch(error), MismatchPart::Endpoint);
    let error = Campaign::builder(client.clone(), notice("hello"))
        .create(&path, RecipientSource::file(&file))
        .await
        .unwrap_err();
    assert!(
        matches!(error, CampaignError::AlreadyExists { .. }),
        "{error}"
    );
    assert!(emulator.requests().is_empty());

    // The same input resumes, and sends.
    let campaign = Campaign::builder(client, notice("hello"))
        .create_or_resume(&path, RecipientSource::file(&file))
        .await
        .unwrap();
    assert!(!campaign.created());
    assert_eq!(campaign.run().await.unwrap().counts.delivered, 30);
}

#[tokio::test]
async fn a_rejected_chunk_is_not_sent_with_its_code_and_only_an_operator_retries_it() {
    let emulator = emulator().await;
    emulator.inject(Fault::error(400, 1002).on_path(PRIVATE).times(1));
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String> = (0..50).map(user).collect();
    let path = dir.path().join("c.journal");
    let client = client_for(&emulator, Pacing::disabled());
    let campaign = Campaign::builder(client.clone(), notice("hello"))
        .chunk_size(10)
        .concurrency(1)
        .create(&path, RecipientSource::ids(ids.clone()))
        .await
        .unwrap();
    let summary = campaign.run().await.unwrap();
    assert_eq!(
        (summary.counts.delivered, summary.counts.not_sent),
        (40, 10)
    );
    // Run again: a rejection is not retried by itself.
    assert_eq!(campaign.run().await.unwrap().calls, 0);
    campaign.close().await.unwrap();
    check_invariants(&emulator, &path, &ids);

    let mut journal = Journal::open(&path).unwrap();
    let refused = journal.chunks(Some(ChunkState::NotSent)).unwrap();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].seq, 0);
    assert_eq!(refused[0].code, Some(1002));
    let line = journal.report().unwrap().next().unwrap().unwrap();
    assert_eq!(line.outcome, Outcome::NotSent);
    let reason = line.reason.unwrap();
    assert!(
        reason.contains("rejected by the server") && reason.contains("1002"),
        "{reason}"
    );
    // An unknown chunk cannot be "retried": that is another decision.
    assert!(matches!(
        journal.resend_unknown(&[0], "x"),
        Err(CampaignError::ChunkState { .. })
    ));
    journal.retry_not_sent(&[0], "fixed the parameter").unwrap();
    drop(journal);

    let campaign = Campaign::builder(client, notice("hello"))
        .resume(&path)
        .await
        .unwrap();
    let summary = campaign.run().await.unwrap();
    assert_eq!((summary.calls, summary.counts.delivered), (1, 50));
    campaign.close().await.unwrap();
    assert!(check_invariants(&emulator, &path, &ids).is_empty());
    let events = Journal::open(&path).unwrap().events().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].action, "retry_not_sent");
    assert_eq!(events[0].detail.as_deref(), Some("fixed the parameter"));
}

#[tokio::test]
async fn an_answer_lost_after_processing_is_unknown_and_never_sent_again_by_itself() {
    let emulator = emulator().await;
    emulator.inject(Fault::drop_after_processing().on_path(PRIVATE).times(1));
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String> = (0..40).map(user).collect();
    let path = dir.path().join("c.journal");
    let client = client_for(&emulator, Pacing::disabled());
    let campaign = Campaign::builder(client.clone(), notice("hello"))
        .chunk_size(10)
        .concurrency(1)
        .create(&path, RecipientSource::ids(ids.clone()))
        .await
        .unwrap();
    let summary = campaign.run().await.unwrap();
    assert_eq!((summary.counts.delivered, summary.counts.unknown), (30, 10));
    assert_eq!(campaign.run().await.unwrap().calls, 0, "never re-sent");
    campaign.close().await.unwrap();
    // The emulator processed it: those 10 did get the message, once.
    let unknown = check_invariants(&emulator, &path, &ids);
    assert_eq!(unknown, ids[..10]);
    assert!(unknown.iter().all(|u| received(&emulator)[u].len() == 1));

    let mut journal = Journal::open(&path).unwrap();
    let chunk = &journal.chunks(Some(ChunkState::Unknown)).unwrap()[0];
    let old_request_id = chunk.request_id.clone().unwrap();
    assert!(chunk.reason.as_deref().unwrap().contains("outcome unknown"));
    // The operator decides to send it again, knowing it may duplicate.
    journal
        .resend_unknown(&[chunk.seq], "accepting duplicates")
        .unwrap();
    let events = journal.events().unwrap();
    assert_eq!(events[0].action, "resend_unknown");
    assert_eq!(
        events[0].request_id.as_deref(),
        Some(old_request_id.as_str())
    );
    drop(journal);
    let campaign = Campaign::builder(client, notice("hello"))
        .resume(&path)
        .await
        .unwrap();
    assert_eq!(campaign.run().await.unwrap().counts.delivered, 40);
    // Exactly the duplicate the operator accepted.
    assert!(ids[..10].iter().all(|u| received(&emulator)[u].len() == 2));
}

#[tokio::test]
async fn stopping_lets_calls_in_flight_finish_and_a_resume_goes_on() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String> = (0..200).map(user).collect();
    let path = dir.path().join("c.journal");
    // 50 recipients a second, chunks of 10: about 4 s for everything.
    let pacing =
        Pacing::documented().limits(PRIVATE, [RateLimit::recipients(50, Duration::from_secs(1))]);
    let client = client_for(&emulator, pacing);
    let campaign = Campaign::builder(client.clone(), notice("hello"))
        .chunk_size(10)
        .concurrency(3)
        .create(&path, RecipientSource::ids(ids.clone()))
        .await
        .unwrap();
    let mut progress = campaign.progress();
    let stop = async move {
        while progress.borrow().delivered < 60 {
            progress.changed().await.unwrap();
        }
    };
    let summary = campaign.run_until(stop).await.unwrap();
    assert!(summary.stopped);
    let counts = summary.counts;
    assert!(counts.delivered >= 60 && counts.delivered < 200, "{counts}");
    assert_eq!(
        counts.unknown + counts.not_sent + counts.in_flight,
        0,
        "{counts}"
    );
    assert_eq!(counts.delivered + counts.pending, 200);
    campaign.close().await.unwrap();
    check_invariants(&emulator, &path, &ids);
    let pending = report(&path)
        .values()
        .filter(|line| line.outcome == Outcome::Pending)
        .count();
    assert_eq!(pending as u64, counts.pending);
    let delivered_first = received(&emulator).len();
    assert_eq!(delivered_first as u64, counts.delivered);

    let campaign = Campaign::builder(client, notice("hello"))
        .resume(&path)
        .await
        .unwrap();
    let summary = campaign.run().await.unwrap();
    assert!(!summary.stopped);
    assert_eq!(summary.counts.delivered, 200);
    assert_eq!(summary.calls as usize, (200 - delivered_first) / 10);
    campaign.close().await.unwrap();
    assert!(check_invariants(&emulator, &path, &ids).is_empty());
}

#[tokio::test]
async fn chunks_wait_for_their_turn_before_their_intent_is_written() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String> = (0..120).map(user).collect();
    let path = dir.path().join("c.journal");
    let pacing =
        Pacing::documented().limits(PRIVATE, [RateLimit::recipients(40, Duration::from_secs(1))]);
    let steps = Arc::new(Mutex::new(Vec::new()));
    let seen = steps.clone();
    let campaign = Campaign::builder(client_for(&emulator, pacing), notice("hello"))
        .chunk_size(10)
        .concurrency(6)
        .max_wait_after_intent(Duration::from_millis(50))
        .on_step(move |step, chunk| {
            seen.lock()
                .unwrap()
                .push((step, chunk, std::time::Instant::now()))
        })
        .create(&path, RecipientSource::ids(ids.clone()))
        .await
        .unwrap();
    let summary = campaign.run().await.unwrap();
    assert_eq!(summary.counts.delivered, 120);
    campaign.close().await.unwrap();
    assert!(check_invariants(&emulator, &path, &ids).is_empty());
    // Intents withdrawn while waiting for a turn made more intents than
    // calls, and no intent waited long before its answer.
    let steps = steps.lock().unwrap();
    let intents = steps.iter().filter(|s| s.0 == Step::IntentWritten).count();
    assert!(intents > 12, "{intents} intents for 12 chunks");
    assert_eq!(emulator.requests().len(), 12);
    for (i, (step, chunk, at)) in steps.iter().enumerate() {
        if *step != Step::IntentWritten {
            continue;
        }
        let answered = steps[i..]
            .iter()
            .find(|s| s.0 == Step::Answered && s.1 == *chunk)
            .unwrap();
        let waited = answered.2 - *at;
        assert!(
            waited < Duration::from_millis(500),
            "chunk {chunk}: {waited:?}"
        );
    }
}

#[tokio::test]
async fn a_journal_has_one_runner_at_a_time() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.journal");
    let client = client_for(&emulator, Pacing::disabled());
    let campaign = Campaign::builder(client.clone(), notice("hello"))
        .create(&path, RecipientSource::ids((0..10).map(user)))
        .await
        .unwrap();
    let second = Campaign::builder(client.clone(), notice("hello"))
        .resume(&path)
        .await
        .unwrap_err();
    assert!(matches!(second, CampaignError::InUse { .. }), "{second}");
    let asked = std::time::Instant::now();
    let reader = Journal::open(&path).unwrap_err();
    assert!(matches!(reader, CampaignError::InUse { .. }), "{reader}");
    // Told after the journal's half-second wait for a lock, not after
    // rusqlite's default of 5 s.
    let told = asked.elapsed();
    assert!(told < Duration::from_secs(3), "{told:?}");
    campaign.close().await.unwrap();
    assert_eq!(Journal::open(&path).unwrap().counts().unwrap().pending, 10);
}

#[tokio::test]
async fn an_interrupted_import_is_made_again_and_never_resumed() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String> = (0..30).map(user).collect();
    let file = recipients_file(dir.path(), "users.txt", ids.clone());
    let path = dir.path().join("c.journal");
    let client = client_for(&emulator, Pacing::disabled());
    Campaign::builder(client.clone(), notice("hello"))
        .create(&path, RecipientSource::file(&file))
        .await
        .unwrap()
        .close()
        .await
        .unwrap();
    // As a crash during the import leaves it.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE meta SET value = 'importing' WHERE key = 'import'",
            [],
        )
        .unwrap();
    let error = Journal::open(&path).unwrap_err();
    assert!(
        matches!(error, CampaignError::ImportIncomplete { .. }),
        "{error}"
    );
    let error = Campaign::builder(client.clone(), notice("hello"))
        .resume(&path)
        .await
        .unwrap_err();
    assert!(
        matches!(error, CampaignError::ImportIncomplete { .. }),
        "{error}"
    );
    let campaign = Campaign::builder(client, notice("hello"))
        .create_or_resume(&path, RecipientSource::file(&file))
        .await
        .unwrap();
    assert!(campaign.created());
    assert_eq!(campaign.run().await.unwrap().counts.delivered, 30);
    campaign.close().await.unwrap();
    assert!(check_invariants(&emulator, &path, &ids).is_empty());
}

#[tokio::test]
async fn a_file_that_is_not_a_journal_is_refused() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("users.txt");
    std::fs::write(&path, "userId\nalice\n").unwrap();
    let error = Campaign::builder(client_for(&emulator, Pacing::disabled()), notice("x"))
        .resume(&path)
        .await
        .unwrap_err();
    assert!(
        matches!(error, CampaignError::NotAJournal { .. }),
        "{error}"
    );
    let error = Journal::open(dir.path().join("missing.journal")).unwrap_err();
    assert!(matches!(error, CampaignError::NotFound { .. }), "{error}");
}
