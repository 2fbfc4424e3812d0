//! What the campaign tests share: an emulator, a client for it, recipient
//! files, and counting what the emulator received.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use api_campaign::{Journal, Outcome, RecipientOutcome};
use api_core::{Client, Credentials, Pacing, RetryPolicy};
use api_emulator::Emulator;
use api_endpoints::{PrivatePublish, TextMessage};

pub const PRIVATE: &str = "/message/private/publish.json";

/// An emulator without rate limits (pacing is the client's business here).
pub async fn emulator() -> Emulator {
    Emulator::builder()
        .rate_limits(false)
        .start()
        .await
        .expect("emulator starts")
}

pub fn client(base_url: &str, key: &str, secret: &str, pacing: Pacing) -> Client {
    Client::builder(Credentials::new(key, secret))
        .base_urls([base_url])
        .pacing(pacing)
        .retry_policy(RetryPolicy::new().backoff(
            std::time::Duration::from_millis(5),
            std::time::Duration::from_millis(50),
        ))
        .build()
        .expect("client")
}

pub fn client_for(emulator: &Emulator, pacing: Pacing) -> Client {
    client(
        &emulator.base_url(),
        emulator.app_key(),
        emulator.app_secret(),
        pacing,
    )
}

pub fn notice(text: &str) -> PrivatePublish<TextMessage> {
    PrivatePublish::new("ops", Vec::<String>::new(), TextMessage::new(text))
}

pub fn user(i: usize) -> String {
    format!("user{i:05}")
}

/// Writes `ids` one per line after a `userId` header.
pub fn recipients_file(dir: &Path, name: &str, ids: impl IntoIterator<Item = String>) -> PathBuf {
    let path = dir.join(name);
    let mut text = String::from("userId\n");
    for id in ids {
        text.push_str(&id);
        text.push('\n');
    }
    std::fs::write(&path, text).unwrap();
    path
}

/// How many times each recipient got a message with `text`, and the id the
/// emulator answered for each.
pub fn received(emulator: &Emulator) -> HashMap<String, Vec<String>> {
    let mut per_user: HashMap<String, Vec<String>> = HashMap::new();
    for delivery in emulator.deliveries() {
        assert_eq!(delivery.path, PRIVATE);
        for user in &delivery.recipients {
            let id = delivery.message_id_for(user).unwrap().to_owned();
            per_user.entry(user.clone()).or_default().push(id);
        }
    }
    per_user
}

/// The journal's report as a map.
pub fn report(path: &Path) -> HashMap<String, RecipientOutcome> {
    let journal = Journal::open(path).expect("journal opens");
    let mut lines = HashMap::new();
    for line in journal.report().unwrap() {
        let line = line.unwrap();
        assert!(
            lines.insert(line.user_id.clone(), line).is_none(),
            "a recipient appears twice in the report"
        );
    }
    lines
}

/// Checks the invariants every campaign keeps: nobody got the message twice,
/// the report has every recipient exactly once, a delivered recipient got
/// exactly the message id the report names, and a recipient reported not
/// sent got nothing. Returns the recipients reported unknown.
pub fn check_invariants(emulator: &Emulator, journal: &Path, recipients: &[String]) -> Vec<String> {
    let received = received(emulator);
    let report = report(journal);
    assert_eq!(
        report.len(),
        recipients.len(),
        "every recipient is reported"
    );
    let mut unknown = Vec::new();
    for user in recipients {
        let got = received.get(user).map(Vec::as_slice).unwrap_or_default();
        assert!(got.len() <= 1, "{user} got the message {} times", got.len());
        let line = &report[user];
        match line.outcome {
            Outcome::Delivered => {
                assert_eq!(got.len(), 1, "{user} is reported delivered");
                assert_eq!(line.message_uid.as_deref(), Some(got[0].as_str()), "{user}");
            }
            Outcome::NotSent | Outcome::Pending => {
                assert!(got.is_empty(), "{user} is reported {}", line.outcome)
            }
            Outcome::Unknown => unknown.push(user.clone()),
            other => panic!("unexpected outcome {other:?}"),
        }
    }
    for user in received.keys() {
        assert!(
            report.contains_key(user),
            "{user} got a message but is not a recipient"
        );
    }
    unknown
}
