//! `rongcloud send` and `rongcloud callback verify` against the emulator
//! process.

use std::io::Read;
use std::net::TcpListener;

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{APP_SECRET, EmulatorProcess, rongcloud, texts};

#[test]
fn send_private_and_system_deliver_exactly_what_was_given() {
    let emulator = EmulatorProcess::start("");
    let text = "Maintenance at 02:00 & \"soon\" = 100% 维护 🚀\nline two";
    let output = emulator
        .rongcloud()
        .args([
            "send",
            "private",
            "--from",
            "ops",
            "--to",
            "alice,bob",
            "--text",
            text,
        ])
        .args(["--push-content", "you have mail"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let lines: Vec<(&str, &str)> = stdout
        .lines()
        .map(|l| l.split_once('\t').unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].0, "alice");
    assert_eq!(lines[1].0, "bob");

    let deliveries = emulator.deliveries();
    assert_eq!(deliveries.len(), 1);
    let delivery = &deliveries[0];
    assert_eq!(delivery["path"], "/message/private/publish.json");
    assert_eq!(delivery["sender"], "ops");
    assert_eq!(delivery["recipients"], serde_json::json!(["alice", "bob"]));
    assert_eq!(delivery["objectName"], "RC:TxtMsg");
    let content: Value = serde_json::from_str(delivery["content"].as_str().unwrap()).unwrap();
    assert_eq!(content["content"], text);
    assert_eq!(delivery["params"]["pushContent"], "you have mail");
    // The ids printed are the ids the emulator answered.
    assert_eq!(delivery["messageIds"][0], lines[0].1);
    assert_eq!(delivery["messageIds"][1], lines[1].1);

    let output = emulator
        .rongcloud()
        .args(["--json", "send", "system", "--from", "ops", "--to", "carol"])
        .args([
            "--object-name",
            "App:Order",
            "--content-json",
            r#"{"id": 7, "note": "a&b"}"#,
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let answer: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(answer["endpoint"], "/message/system/publish.json");
    assert_eq!(answer["messageUIDs"][0]["userId"], "carol");
    let deliveries = emulator.deliveries();
    let system = deliveries.last().unwrap();
    assert_eq!(system["path"], "/message/system/publish.json");
    assert_eq!(system["objectName"], "App:Order");
    assert_eq!(system["content"], r#"{"id": 7, "note": "a&b"}"#);
    assert_eq!(
        answer["messageUIDs"][0]["messageUID"],
        system["messageIds"][0]
    );
    assert_eq!(system["requestId"], answer["requestId"]);
}

#[test]
fn bad_input_is_refused_before_anything_is_sent() {
    let emulator = EmulatorProcess::start("");
    let too_many: Vec<String> = (0..101).map(|i| format!("u{i}")).collect();
    let too_many = too_many.join(",");
    for (args, says) in [
        (
            vec![
                "send",
                "private",
                "--from",
                "ops",
                "--to",
                "ok,bad id",
                "--text",
                "x",
            ],
            "--to id 2 (\"bad id\")",
        ),
        (
            vec![
                "send", "private", "--from", "o/ps", "--to", "u1", "--text", "x",
            ],
            "--from id 1",
        ),
        (
            vec![
                "send", "system", "--from", "ops", "--to", &too_many, "--text", "x",
            ],
            "to_user_id",
        ),
        (
            vec!["send", "private", "--from", "ops", "--to", "u1"],
            "--text <TEXT>",
        ),
        (
            vec![
                "send",
                "private",
                "--from",
                "ops",
                "--to",
                "u1",
                "--object-name",
                "App:X",
                "--content-json",
                "{nope",
            ],
            "not valid JSON",
        ),
        (
            vec![
                "send",
                "private",
                "--from",
                "ops",
                "--to",
                "u1",
                "--object-name",
                "RC:ImgMsg",
                "--content-json",
                "{}",
            ],
            "does not fit RC:ImgMsg",
        ),
        (
            vec![
                "send",
                "private",
                "--from",
                "ops",
                "--to",
                "u1",
                "--object-name",
                "RC:TxtMsg",
                "--content-json",
                r#"{"content":""}"#,
            ],
            "content.content",
        ),
        (
            vec![
                "send",
                "private",
                "--from",
                "ops",
                "--to",
                "u1",
                "--text",
                "x",
                "--limit",
                "/push.json=1/1s",
            ],
            "unknown quota \"/push.json\"",
        ),
    ] {
        let output = emulator.rongcloud().args(&args).output().unwrap();
        let (stdout, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}");
    }
    assert!(emulator.requests().is_empty(), "something was sent");
}

/// A call the server refuses (a wrong App Secret: 401) and one that could
/// not be sent (nothing listening) exit 3; one whose answer was lost after
/// the request went out exits 4.
#[test]
fn refused_and_unknown_outcomes_have_their_own_exit_codes() {
    let emulator = EmulatorProcess::start("");
    let output = emulator
        .rongcloud()
        .env("RONGCLOUD_APP_SECRET", "not-the-secret")
        .args([
            "send", "private", "--from", "ops", "--to", "u1", "--text", "x",
        ])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("was not processed"), "{stderr}");
    assert!(stderr.contains("X-Request-ID"), "{stderr}");
    assert!(!stderr.contains("not-the-secret") && !stderr.contains(APP_SECRET));
    assert!(emulator.deliveries().is_empty());

    // Nothing listens on a port just released.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = emulator
        .rongcloud()
        .env("RONGCLOUD_API_URL", format!("http://127.0.0.1:{port}"))
        .env("RONGCLOUD_TIMEOUT_MS", "2000")
        .args([
            "send", "private", "--from", "ops", "--to", "u1", "--text", "x",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", texts(&output).1);

    // A server that reads the request and hangs up without answering.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer);
            drop(stream);
        }
    });
    let output = emulator
        .rongcloud()
        .env("RONGCLOUD_API_URL", format!("http://{address}"))
        .env("RONGCLOUD_TIMEOUT_MS", "2000")
        .args([
            "send", "private", "--from", "ops", "--to", "u1", "--text", "x",
        ])
        .output()
        .unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("may or may not have been processed"),
        "{stderr}"
    );
}

#[test]
fn flags_replace_the_variables() {
    let emulator = EmulatorProcess::start("");
    rongcloud()
        .args([
            "send", "private", "--from", "ops", "--to", "u1", "--text", "x",
        ])
        .args([
            "--app-key",
            crate::support::APP_KEY,
            "--app-secret",
            APP_SECRET,
        ])
        .args(["--api-url", emulator.base_url()])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("u1\t"));
    assert_eq!(emulator.deliveries().len(), 1);
}

#[test]
fn the_embedded_emulator_needs_no_account() {
    rongcloud()
        .args([
            "--emulator",
            "send",
            "private",
            "--from",
            "ops",
            "--to",
            "u1,u2",
            "--text",
            "x",
        ])
        .assert()
        .code(0)
        .stdout(predicate::function(|out: &str| {
            let users: Vec<&str> = out.lines().filter_map(|l| l.split('\t').next()).collect();
            users == ["u1", "u2"]
                && out
                    .lines()
                    .all(|l| l.split('\t').nth(1).is_some_and(|id| !id.is_empty()))
        }))
        .stderr(predicate::str::contains(
            "using an emulator at http://127.0.0.1:",
        ));
}

fn signed_query(secret: &str, at_millis: u128) -> String {
    let nonce = "n0nce";
    let timestamp = at_millis.to_string();
    let signature = api_emulator::sign(secret, nonce, &timestamp);
    format!("nonce={nonce}&signTimestamp={timestamp}&signature={signature}")
}

fn now_millis() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
}

#[test]
fn callback_verify_says_which_check_failed() {
    let verify = |url: &str| {
        let mut command = rongcloud();
        command
            .env("RONGCLOUD_APP_KEY", "k")
            .env("RONGCLOUD_APP_SECRET", "callback-secret")
            .args(["callback", "verify", url]);
        command
    };
    let good = format!(
        "https://app.example/rc/route?appKey=k&{}",
        signed_query("callback-secret", now_millis())
    );
    verify(&good)
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "valid: signature matches, signed at ",
        ));

    let forged = format!(
        "https://app.example/rc/route?{}",
        signed_query("another-secret", now_millis())
    );
    verify(&forged)
        .assert()
        .code(1)
        .stdout("")
        .stderr("rongcloud: invalid callback: the signature does not match\n");

    let stale = signed_query("callback-secret", now_millis() - 10 * 60 * 1000);
    verify(&stale).assert().code(1).stderr(
        predicate::str::contains("invalid callback: ")
            .and(predicate::str::contains("outside the freshness window")),
    );
    // A wider window accepts it.
    verify(&stale).args(["--window", "15m"]).assert().code(0);

    verify("https://app.example/rc/route?nonce=n&signature=00")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "missing query parameter signTimestamp",
        ));

    let output = verify(&forged).arg("--json").output().unwrap();
    let answer: Value = serde_json::from_str(&texts(&output).0).unwrap();
    assert_eq!(answer["valid"], false);
    assert_eq!(answer["failedCheck"], "the signature does not match");

    rongcloud()
        .args(["callback", "verify", &good])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("RONGCLOUD_APP_SECRET"));
}

#[test]
fn send_group_and_chatroom_print_each_targets_message_id() {
    let emulator = EmulatorProcess::start("");
    let output = emulator
        .rongcloud()
        .args([
            "send",
            "group",
            "--from",
            "ops",
            "--to",
            "hikers,climbers",
            "--text",
            "trail closed",
        ])
        .args(["--push-content", "news"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let printed: Vec<(&str, &str)> = stdout
        .lines()
        .map(|l| l.split_once('\t').unwrap())
        .collect();
    let deliveries = emulator.deliveries();
    let groups: Vec<(&str, &str)> = deliveries
        .iter()
        .filter(|d| d["path"] == "/message/group/publish.json")
        .map(|d| {
            (
                d["targetId"].as_str().unwrap(),
                d["messageIds"][0].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(printed, groups);
    assert_eq!(
        printed.iter().map(|p| p.0).collect::<Vec<_>>(),
        ["hikers", "climbers"]
    );
    assert_eq!(deliveries[0]["params"]["pushContent"], "news");

    // A targeted message goes to one group only: two is a usage error.
    let output = emulator
        .rongcloud()
        .args([
            "send",
            "group",
            "--from",
            "ops",
            "--to",
            "hikers,climbers",
            "--to-users",
            "ann",
        ])
        .args(["--text", "x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        texts(&output)
            .1
            .contains("exactly one group for a targeted message")
    );
    let output = emulator
        .rongcloud()
        .args([
            "send", "group", "--from", "ops", "--to", "a,b,c,d", "--text", "x",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(texts(&output).1.contains("to_group_id[3]"));

    let output = emulator
        .rongcloud()
        .args([
            "--json", "send", "chatroom", "--from", "ops", "--to", "lobby", "--text", "hi",
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let answer: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(answer["endpoint"], "/message/chatroom/publish.json");
    assert_eq!(answer["messageUIDs"][0]["chatroomId"], "lobby");
    let deliveries = emulator.deliveries();
    let room = deliveries.last().unwrap();
    assert_eq!(room["path"], "/message/chatroom/publish.json");
    assert_eq!(room["targetId"], "lobby");
    assert_eq!(
        answer["messageUIDs"][0]["messageUID"],
        room["messageIds"][0]
    );
    assert_eq!(
        emulator.deliveries().len(),
        3,
        "the refused calls sent nothing"
    );
}
