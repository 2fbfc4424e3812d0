//! `cargo run --example app_backend`, run as a user runs it (its own
//! process): on the embedded emulator, and on an "account" (an emulator on
//! the real clock reached through the `RONGCLOUD_*` variables, whose
//! message-routing callbacks go to the example's handler), where the
//! emulator's state shows what the example did.

use std::net::TcpListener;
use std::process::{Command, Output};

use api_emulator::{DeliveryKind, Emulator};

fn run_example(envs: &[(&str, String)]) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .args([
            "run",
            "-q",
            "-p",
            "api-endpoints",
            "--example",
            "app_backend",
        ])
        .env_remove("RONGCLOUD_APP_KEY")
        .env_remove("RONGCLOUD_APP_SECRET")
        .env_remove("RONGCLOUD_API_URL")
        .env_remove("RONGCLOUD_QUOTA_STORE");
    for (name, value) in envs {
        command.env(name, value);
    }
    command.output().unwrap()
}

/// The step lines, `label  outcome  detail`.
fn steps(stdout: &str) -> Vec<(&str, &str)> {
    stdout
        .lines()
        .filter(|l| l.starts_with("POST ") || l.starts_with("callback"))
        .map(|l| {
            let (label, rest) = l.split_at(34.min(l.len()));
            (label.trim(), rest.trim())
        })
        .collect()
}

#[test]
fn on_the_embedded_emulator_every_step_succeeds_and_the_callback_is_verified() {
    let output = run_example(&[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    let steps = steps(&stdout);
    let labels: Vec<&str> = steps.iter().map(|s| s.0).collect();
    assert_eq!(
        labels,
        [
            "POST /user/getToken.json",
            "POST /user/getToken.json",
            "POST /group/create.json",
            "POST /message/group/publish.json",
            "callback (verified)",
            "POST /message/recall.json",
            "POST /group/user/query.json",
        ],
        "{stdout}"
    );
    assert!(steps.iter().all(|s| s.1.starts_with("ok ")), "{stdout}");
    // The callback names the message the publish answered.
    let uid = steps[3].1.trim_start_matches("ok").trim();
    assert!(!uid.is_empty() && uid != "-", "{stdout}");
    assert!(steps[4].1.contains(uid), "{stdout}");
    assert!(steps[5].1.contains(uid), "{stdout}");
    assert!(steps[6].1.contains("alice") && steps[6].1.contains("bob"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_an_account_the_server_holds_what_the_example_did() {
    // The example's handler address, chosen here so the "account" can be
    // configured with it, as an operator sets it in the console.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let emulator = Emulator::builder()
        .callback_url(format!("http://127.0.0.1:{port}/rongcloud/message"))
        .start()
        .await
        .unwrap();
    let envs = [
        ("RONGCLOUD_APP_KEY", emulator.app_key().to_owned()),
        ("RONGCLOUD_APP_SECRET", emulator.app_secret().to_owned()),
        ("RONGCLOUD_API_URL", emulator.base_url()),
        ("APP_BACKEND_LISTEN", format!("127.0.0.1:{port}")),
    ];
    let output = tokio::task::spawn_blocking(move || run_example(&envs))
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        steps(&stdout)
            .iter()
            .all(|(_, outcome)| outcome.starts_with("ok ")),
        "{stdout}"
    );

    // Two users with a token each, one group of both.
    let users = emulator.users();
    assert_eq!(users.len(), 2, "{users:?}");
    assert!(users.iter().all(|u| u.tokens.len() == 1));
    assert!(users.iter().any(|u| u.name == "Bob 🥾"));
    let groups = emulator.groups();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].name, "Weekend hikers & friends");
    let mut members = groups[0].members.clone();
    members.sort();
    let mut user_ids: Vec<String> = users.iter().map(|u| u.user_id.clone()).collect();
    user_ids.sort();
    assert_eq!(members, user_ids);
    // The message reached the group, exactly as written, and was recalled.
    let group_messages: Vec<_> = emulator
        .deliveries()
        .into_iter()
        .filter(|d| d.kind == DeliveryKind::GroupMessage)
        .collect();
    assert_eq!(group_messages.len(), 1, "{group_messages:?}");
    assert_eq!(
        group_messages[0].target_id.as_deref(),
        Some(groups[0].group_id.as_str())
    );
    // Every member but the sender (no `isIncludeSender`).
    let sender = group_messages[0].sender.clone().unwrap();
    assert!(sender.starts_with("alice"), "{sender}");
    let others: Vec<String> = user_ids.iter().filter(|u| **u != sender).cloned().collect();
    assert_eq!(group_messages[0].recipients, others);
    let content = group_messages[0].content.as_deref().unwrap();
    assert!(
        content.contains(r#"Saturday 8:00 at the trailhead: 🥾 & ☕, \"rain or shine\""#),
        "{content}"
    );
    let recalls = emulator.recalls();
    assert_eq!(recalls.len(), 1);
    assert_eq!(recalls[0].message_uid, group_messages[0].message_ids[0]);
    assert_eq!(recalls[0].target_id, groups[0].group_id);
    // The routed callback reached the handler (and was answered 200).
    let callbacks = emulator.callback_stats();
    assert!(callbacks.delivered >= 1, "{callbacks:?}");
    assert_eq!(callbacks.failed, 0, "{callbacks:?}");
}
