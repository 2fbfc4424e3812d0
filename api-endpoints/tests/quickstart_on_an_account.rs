//! The README's main command against a configured account exits 0: the
//! example the documented quota does not allow now (the third `/push.json`
//! of the hour) is reported as skipped, with when it would be allowed.
//!
//! The "account" is an emulator on the real clock, reached through the
//! `RONGCLOUD_*` variables like a real server; the quickstart runs as its
//! own process, as a user runs it.

use std::process::Command;

use api_emulator::Emulator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quickstart_on_an_account_skips_what_the_quota_holds_back_and_exits_0() {
    let emulator = Emulator::start().await.unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let key = emulator.app_key().to_owned();
    let secret = emulator.app_secret().to_owned();
    let url = emulator.base_url();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(cargo)
            .args([
                "run",
                "-q",
                "-p",
                "api-endpoints",
                "--example",
                "quickstart",
            ])
            .env("RONGCLOUD_APP_KEY", key)
            .env("RONGCLOUD_APP_SECRET", secret)
            .env("RONGCLOUD_API_URL", url)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    let lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with("POST ")).collect();
    assert_eq!(lines.len(), 8, "{stdout}");
    let skipped: Vec<&&str> = lines.iter().filter(|l| l.contains(" skipped ")).collect();
    assert_eq!(skipped.len(), 1, "{stdout}");
    assert!(
        skipped[0].starts_with("POST /push.json (push without message)")
            && skipped[0].contains("the quota of /push.json allows it in 1h"),
        "{stdout}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.contains("  ok  ")).count(),
        7,
        "{stdout}"
    );
    assert!(!stdout.contains("FAILED"), "{stdout}");
    // Two pushes reached the server; the third was never sent.
    let pushes = emulator
        .requests()
        .iter()
        .filter(|r| r.path == "/push.json")
        .count();
    assert_eq!(pushes, 2);
}
