//! Crash tests: a campaign runs in a child process (this test binary run
//! again, see `crash_child`) against the emulator over TCP, is killed with
//! SIGKILL at a chosen step, and is resumed by a new process. The emulator's
//! records prove that nobody got the message twice and the journal's report
//! accounts for every recipient exactly once.
//!
//! # The crash-point hook
//!
//! Only this test binary reads these variables; the library reads none.
//! `crash_child` does nothing unless `CAMPAIGN_CRASH_CHILD=1`. Then it runs
//! (creates or resumes) the campaign described by `CAMPAIGN_JOURNAL`,
//! `CAMPAIGN_RECIPIENTS`, `CAMPAIGN_API_URL`, `CAMPAIGN_APP_KEY`,
//! `CAMPAIGN_APP_SECRET`, `CAMPAIGN_CONCURRENCY`, `CAMPAIGN_CHUNK_SIZE` and
//! `CAMPAIGN_RATE` (recipients a second; unset: no pacing). With
//! `CAMPAIGN_CRASH_AT=<step>:<chunk>` (a [`Step`] name, e.g.
//! `intent-written:3`), the campaign's `on_step` hook prints
//! `CRASH-POINT <step> <chunk>` when that chunk reaches that step and then
//! blocks the chunk's task, so the parent kills the process at exactly that
//! point. A finished run prints `CHILD-DONE`.

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use api_campaign::{Campaign, ChunkState, Journal, RecipientSource, Step};
use api_core::{Pacing, RateLimit};
use api_emulator::Emulator;
use common::*;

const RECIPIENTS: usize = 100;
const CHUNK: usize = 10;

/// The child's side: runs only when started by a crash test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_child() {
    if std::env::var("CAMPAIGN_CRASH_CHILD").as_deref() != Ok("1") {
        return;
    }
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} is set"));
    let pacing = match std::env::var("CAMPAIGN_RATE") {
        Ok(rate) => Pacing::documented().limits(
            PRIVATE,
            [RateLimit::recipients(
                rate.parse().unwrap(),
                Duration::from_secs(1),
            )],
        ),
        Err(_) => Pacing::disabled(),
    };
    let client = client(
        &var("CAMPAIGN_API_URL"),
        &var("CAMPAIGN_APP_KEY"),
        &var("CAMPAIGN_APP_SECRET"),
        pacing,
    );
    let crash_at = std::env::var("CAMPAIGN_CRASH_AT").ok().map(|at| {
        let (step, chunk) = at.split_once(':').unwrap();
        (Step::parse(step).unwrap(), chunk.parse::<u64>().unwrap())
    });
    let campaign = Campaign::builder(client, notice("hello"))
        .concurrency(var("CAMPAIGN_CONCURRENCY").parse().unwrap())
        .chunk_size(var("CAMPAIGN_CHUNK_SIZE").parse().unwrap())
        .on_step(move |step, chunk| {
            if crash_at == Some((step, chunk)) {
                println!("CRASH-POINT {step} {chunk}");
                // Wait here for the SIGKILL: nothing after this step
                // happens for this chunk.
                loop {
                    std::thread::sleep(Duration::from_secs(60));
                }
            }
        })
        .create_or_resume(
            var("CAMPAIGN_JOURNAL"),
            RecipientSource::file(var("CAMPAIGN_RECIPIENTS")),
        )
        .await
        .unwrap();
    let summary = campaign.run().await.unwrap();
    println!("CHILD-DONE {}", summary.counts);
}

/// How a child process ended.
#[derive(Debug, PartialEq, Eq)]
enum End {
    /// Killed by the parent at its crash point.
    KilledAt(String),
    /// Killed by the parent after a delay.
    KilledAfterDelay,
    /// Finished its run.
    Done,
}

struct Child<'a> {
    emulator: &'a Emulator,
    journal: &'a Path,
    recipients: &'a Path,
    concurrency: usize,
    rate: Option<u32>,
}

impl Child<'_> {
    fn command(&self, crash_at: Option<&str>) -> Command {
        let mut command = Command::new(std::env::current_exe().unwrap());
        command
            .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
            .env("CAMPAIGN_CRASH_CHILD", "1")
            .env("CAMPAIGN_JOURNAL", self.journal)
            .env("CAMPAIGN_RECIPIENTS", self.recipients)
            .env("CAMPAIGN_API_URL", self.emulator.base_url())
            .env("CAMPAIGN_APP_KEY", self.emulator.app_key())
            .env("CAMPAIGN_APP_SECRET", self.emulator.app_secret())
            .env("CAMPAIGN_CONCURRENCY", self.concurrency.to_string())
            .env("CAMPAIGN_CHUNK_SIZE", CHUNK.to_string())
            .env_remove("CAMPAIGN_CRASH_AT")
            .env_remove("CAMPAIGN_RATE")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(at) = crash_at {
            command.env("CAMPAIGN_CRASH_AT", at);
        }
        if let Some(rate) = self.rate {
            command.env("CAMPAIGN_RATE", rate.to_string());
        }
        command
    }

    /// Runs a child to its crash point (then SIGKILLs it) or to its end.
    async fn run(&self, crash_at: Option<&str>) -> End {
        let mut child = self.command(crash_at).spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        tokio::task::spawn_blocking(move || {
            for line in BufReader::new(stdout).lines() {
                let line = line.unwrap();
                // The harness's `test crash_child ... ` may precede the
                // marker on its line.
                if let Some((_, point)) = line.split_once("CRASH-POINT ") {
                    child.kill().unwrap();
                    let status = child.wait().unwrap();
                    assert_eq!(status.signal(), Some(9), "killed by SIGKILL");
                    return End::KilledAt(point.to_owned());
                }
                if line.contains("CHILD-DONE") {
                    let status = child.wait().unwrap();
                    assert!(status.success(), "{status}");
                    return End::Done;
                }
            }
            panic!("the child ended without a word: {:?}", child.wait());
        })
        .await
        .unwrap()
    }

    /// Runs a child and SIGKILLs it after `delay`, wherever it is.
    async fn run_and_kill_after(&self, delay: Duration) -> End {
        let mut child = self.command(None).spawn().unwrap();
        tokio::time::sleep(delay).await;
        let done = child.try_wait().unwrap().is_some();
        if done {
            return End::Done;
        }
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(9));
        End::KilledAfterDelay
    }
}

/// A campaign of 100 recipients in chunks of 10, one at a time, killed
/// when chunk 3 reaches `step`, then resumed to its end.
async fn crash_at(step: Step) -> (Emulator, Vec<String>, Vec<String>) {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String> = (0..RECIPIENTS).map(user).collect();
    let recipients = recipients_file(dir.path(), "users.txt", ids.clone());
    let journal = dir.path().join("c.journal");
    let child = Child {
        emulator: &emulator,
        journal: &journal,
        recipients: &recipients,
        concurrency: 1,
        rate: None,
    };
    let end = child.run(Some(&format!("{step}:3"))).await;
    assert_eq!(end, End::KilledAt(format!("{step} 3")));

    // What the crash left: chunks 0 to 2 delivered, chunk 3 as the step
    // decides, the rest untouched.
    let chunk3: Vec<String> = ids[30..40].to_vec();
    let states: Vec<ChunkState> = Journal::open(&journal)
        .unwrap()
        .chunks(None)
        .unwrap()
        .iter()
        .map(|c| c.state)
        .collect();
    let expected3 = match step {
        Step::Claimed => ChunkState::Pending,
        Step::OutcomeWritten => ChunkState::Delivered,
        _ => ChunkState::Unknown,
    };
    assert_eq!(states[..3], [ChunkState::Delivered; 3]);
    assert_eq!(states[3], expected3, "{step}");
    assert!(states[4..].iter().all(|s| *s == ChunkState::Pending));
    let before = received(&emulator);
    let expected_received = match step {
        Step::Answered | Step::OutcomeWritten => 40,
        _ => 30,
    };
    assert_eq!(before.len(), expected_received, "{step}");

    assert_eq!(child.run(None).await, End::Done);
    let unknown = check_invariants(&emulator, &journal, &ids);
    (emulator, unknown, chunk3)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_after_the_claim_before_the_intent_the_chunk_is_sent_on_resume() {
    let (emulator, unknown, chunk3) = crash_at(Step::Claimed).await;
    assert!(unknown.is_empty(), "{unknown:?}");
    let received = received(&emulator);
    assert!(chunk3.iter().all(|u| received[u].len() == 1));
    assert_eq!(received.len(), RECIPIENTS);
    assert_eq!(emulator.requests().len(), RECIPIENTS / CHUNK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_after_the_intent_before_the_send_the_chunk_is_unknown_and_not_resent() {
    let (emulator, unknown, chunk3) = crash_at(Step::IntentWritten).await;
    assert_eq!(unknown, chunk3);
    let received = received(&emulator);
    // Nothing was sent for it, and nothing is sent by the resume.
    assert!(chunk3.iter().all(|u| !received.contains_key(u)));
    assert_eq!(received.len(), RECIPIENTS - CHUNK);
    assert_eq!(emulator.requests().len(), RECIPIENTS / CHUNK - 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_after_the_send_before_the_outcome_the_chunk_is_unknown_and_not_resent() {
    let (emulator, unknown, chunk3) = crash_at(Step::Answered).await;
    assert_eq!(unknown, chunk3);
    let received = received(&emulator);
    // It was delivered, once; the resume did not send it again.
    assert!(chunk3.iter().all(|u| received[u].len() == 1));
    assert_eq!(received.len(), RECIPIENTS);
    assert_eq!(emulator.requests().len(), RECIPIENTS / CHUNK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_after_the_outcome_nothing_is_lost_or_repeated() {
    let (emulator, unknown, _) = crash_at(Step::OutcomeWritten).await;
    assert!(unknown.is_empty());
    assert_eq!(received(&emulator).len(), RECIPIENTS);
    assert_eq!(emulator.requests().len(), RECIPIENTS / CHUNK);
}

/// Killed wherever it happens to be, several times, with four chunks in
/// hand and pacing waits: the invariants hold and at most `concurrency`
/// chunks per kill end up unknown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_anywhere_several_times_nobody_gets_the_message_twice() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String> = (0..400).map(user).collect();
    let recipients = recipients_file(dir.path(), "users.txt", ids.clone());
    let journal = dir.path().join("c.journal");
    let child = Child {
        emulator: &emulator,
        journal: &journal,
        recipients: &recipients,
        concurrency: 4,
        // 400 recipients at 100 a second: about 4 s of sending.
        rate: Some(100),
    };
    let mut kills = 0;
    for delay in [700, 1100, 900] {
        if child.run_and_kill_after(Duration::from_millis(delay)).await == End::KilledAfterDelay {
            kills += 1;
            check_invariants(&emulator, &journal, &ids);
        }
    }
    assert_eq!(child.run(None).await, End::Done);
    let unknown = check_invariants(&emulator, &journal, &ids);
    assert!(
        unknown.len() <= kills * 4 * CHUNK,
        "{} unknown after {kills} kills",
        unknown.len()
    );
    let counts = Journal::open(&journal).unwrap().counts().unwrap();
    assert_eq!(counts.delivered + counts.unknown, 400, "{counts}");
    assert!(counts.is_finished());
    assert!(kills >= 1, "no kill landed during the run");
}
