//! `rongcloud user ...` and `rongcloud group ...` against the emulator
//! process, checked against its state routes.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{EmulatorProcess, texts};

fn stdout_of(command: &mut assert_cmd::Command) -> String {
    let output = command.output().unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    stdout
}

#[test]
fn user_register_info_block_unblock() {
    let emulator = EmulatorProcess::start("");
    let name = "Alice & 爱丽丝 🚀";
    let stdout = stdout_of(emulator.rongcloud().args([
        "user",
        "register",
        "alice",
        "--name",
        name,
        "--portrait",
        "https://img.example/a.png?size=64&fmt=png",
    ]));
    let (user, token) = stdout.trim_end().split_once('\t').unwrap();
    assert_eq!(user, "alice");
    let users = emulator.get_json("/_emulator/users");
    let record = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["userId"] == "alice")
        .unwrap();
    assert_eq!(record["name"], name);
    assert_eq!(
        record["portraitUri"],
        "https://img.example/a.png?size=64&fmt=png"
    );
    assert_eq!(record["tokens"][0]["token"], token, "{record}");

    let info: Value = serde_json::from_str(&stdout_of(
        emulator
            .rongcloud()
            .args(["--json", "user", "info", "alice"]),
    ))
    .unwrap();
    assert_eq!(info["userName"], name);
    assert_eq!(info["createTime"], record["createTime"]);
    let text = stdout_of(emulator.rongcloud().args(["user", "info", "alice"]));
    assert!(text.contains(&format!("userName\t{name}\n")), "{text}");

    assert_eq!(
        stdout_of(
            emulator
                .rongcloud()
                .args(["user", "block", "alice,bob", "--minutes", "60"])
        ),
        "alice\tblocked\nbob\tblocked\n"
    );
    let banned = |emulator: &EmulatorProcess| -> Vec<String> {
        emulator
            .get_json("/_emulator/bans")
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["userId"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(banned(&emulator), ["alice", "bob"]);
    stdout_of(emulator.rongcloud().args(["user", "unblock", "alice"]));
    assert_eq!(banned(&emulator), ["bob"]);

    // Refused by the server: info of a user never registered (1002): 3.
    emulator
        .rongcloud()
        .args(["user", "info", "nobody"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("userId"));

    let requests = emulator.requests().len();
    let too_many: Vec<String> = (0..21).map(|i| format!("u{i}")).collect();
    for (args, says) in [
        (vec!["user", "block", "alice", "--minutes", "0"], "minute"),
        (
            vec!["user", "block", "alice", "--minutes", "43201"],
            "minute",
        ),
        (
            vec!["user", "block", &too_many.join(","), "--minutes", "5"],
            "user_id[20]",
        ),
        (vec!["user", "register", "bad id", "--name", "x"], "has ' '"),
        (vec!["user", "register", "carol", "--name", ""], "name"),
        (vec!["user", "unblock", "a/b"], "has '/'"),
    ] {
        let output = emulator.rongcloud().args(&args).output().unwrap();
        let (_, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    assert_eq!(emulator.requests().len(), requests, "nothing more was sent");
}

#[test]
fn group_create_join_quit_members_dismiss() {
    let emulator = EmulatorProcess::start("");
    let members = |emulator: &EmulatorProcess| -> Vec<String> {
        emulator
            .get_json("/_emulator/groups")
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["groupId"] == "hikers")
            .map(|g| {
                g["members"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m.as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        stdout_of(emulator.rongcloud().args([
            "group",
            "create",
            "hikers",
            "--name",
            "Hikers 徒步",
            "--members",
            "alice,bob"
        ])),
        "hikers\talice\tcreated\nhikers\tbob\tcreated\n"
    );
    let groups = emulator.get_json("/_emulator/groups");
    assert_eq!(groups[0]["name"], "Hikers 徒步");
    stdout_of(
        emulator
            .rongcloud()
            .args(["group", "join", "hikers", "--members", "carol"]),
    );
    assert_eq!(members(&emulator), ["alice", "bob", "carol"]);
    stdout_of(
        emulator
            .rongcloud()
            .args(["group", "quit", "hikers", "--members", "bob"]),
    );
    assert_eq!(members(&emulator), ["alice", "carol"]);
    assert_eq!(
        stdout_of(emulator.rongcloud().args(["group", "members", "hikers"])),
        "alice\ncarol\n"
    );
    let listed: Value = serde_json::from_str(&stdout_of(
        emulator
            .rongcloud()
            .args(["--json", "group", "members", "hikers"]),
    ))
    .unwrap();
    assert_eq!(listed["members"], serde_json::json!(["alice", "carol"]));

    // A group message now reaches its members.
    stdout_of(emulator.rongcloud().args([
        "send",
        "group",
        "--from",
        "alice",
        "--to",
        "hikers",
        "--text",
        "trail closed",
    ]));
    let deliveries = emulator.deliveries();
    let group = deliveries
        .iter()
        .find(|d| d["path"] == "/message/group/publish.json")
        .unwrap();
    // The sender is not among them unless it asks (isIncludeSender).
    assert_eq!(group["recipients"], serde_json::json!(["carol"]));

    assert_eq!(
        stdout_of(
            emulator
                .rongcloud()
                .args(["group", "dismiss", "hikers", "--operator", "alice"])
        ),
        "hikers\tdismissed\n"
    );
    assert!(members(&emulator).is_empty());
    assert_eq!(
        stdout_of(emulator.rongcloud().args(["group", "members", "hikers"])),
        ""
    );

    let requests = emulator.requests().len();
    for (args, says) in [
        (
            vec![
                "group",
                "create",
                "bad-id!",
                "--name",
                "x",
                "--members",
                "a",
            ],
            "group_id",
        ),
        (
            vec!["group", "create", "g", "--name", "x", "--members", "a b"],
            "has ' '",
        ),
        (vec!["group", "join", "g", "--members", "a,,b"], "blank"),
        (
            vec!["group", "dismiss", "g", "--operator", "o p"],
            "has ' '",
        ),
    ] {
        let output = emulator.rongcloud().args(&args).output().unwrap();
        let (_, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    for args in [
        vec!["group", "create", "g", "--members", "a"],
        vec!["group", "dismiss", "g"],
        vec!["user", "block", "a"],
    ] {
        let output = emulator.rongcloud().args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
    assert_eq!(emulator.requests().len(), requests, "nothing more was sent");
}
