//! `--help` of every command against checked-in snapshots, `--version`,
//! completions, and usage errors (exit code 2 before anything is sent).

use std::path::PathBuf;

use predicates::prelude::*;

use crate::support::{rongcloud, texts};

/// Every command whose `--help` is kept in `tests/snapshots/`.
const COMMANDS: &[&str] = &[
    "",
    "send",
    "send private",
    "send system",
    "send group",
    "send chatroom",
    "campaign",
    "campaign run",
    "campaign resume",
    "campaign report",
    "callback",
    "callback verify",
    "completions",
];

fn snapshot_path(command: &str) -> PathBuf {
    let name = if command.is_empty() {
        "rongcloud".to_owned()
    } else {
        format!("rongcloud {command}").replace(' ', "-")
    };
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.help.txt"))
}

/// Compares each `--help` with its snapshot; `UPDATE_SNAPSHOTS=1` rewrites
/// them instead.
#[test]
fn help_of_every_command_matches_its_snapshot() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut differ = Vec::new();
    for command in COMMANDS {
        let output = rongcloud()
            .args(command.split_whitespace())
            .arg("--help")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{command} --help");
        let (help, _) = texts(&output);
        let path = snapshot_path(command);
        if update {
            std::fs::write(&path, &help).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_SNAPSHOTS=1 writes it)", path.display()));
        if help != expected {
            differ.push(format!(
                "--- {}\n+++ rongcloud {command} --help\n{help}",
                path.display()
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "help differs from its snapshot (UPDATE_SNAPSHOTS=1 rewrites them):\n{}",
        differ.join("\n")
    );
}

#[test]
fn help_lists_the_exit_codes_and_the_variables() {
    let output = rongcloud().arg("--help").output().unwrap();
    let (help, _) = texts(&output);
    for code in ["  0 ", "  1 ", "  2 ", "  3 ", "  4 ", "  130 "] {
        assert!(help.contains(code), "exit code {code:?} missing:\n{help}");
    }
    for variable in [
        "RONGCLOUD_APP_KEY",
        "RONGCLOUD_APP_SECRET",
        "RONGCLOUD_API_URL",
        "RONGCLOUD_TIMEOUT_MS",
        "RONGCLOUD_QUOTA_STORE",
    ] {
        assert!(help.contains(variable), "{variable} missing");
    }
    // The commands that send list them too.
    for command in ["send private", "campaign run", "campaign resume"] {
        let output = rongcloud()
            .args(command.split_whitespace())
            .arg("--help")
            .output()
            .unwrap();
        assert!(
            texts(&output)
                .0
                .contains("unknown: the call may or may not"),
            "{command}"
        );
    }
}

#[test]
fn version_names_the_binary() {
    rongcloud()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(format!("rongcloud {}\n", env!("CARGO_PKG_VERSION")));
    rongcloud()
        .args(["campaign", "run", "--version"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("rongcloud-campaign-run "));
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = rongcloud().args(["completions", shell]).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let (script, _) = texts(&output);
        assert!(script.contains("rongcloud"), "{shell}");
        assert!(script.contains("campaign"), "{shell}");
        assert!(script.contains("recipients"), "{shell}");
    }
    rongcloud()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'tcsh'"));
}

/// Malformed command lines: clap's message and exit code 2, on standard
/// error, with nothing on standard output.
#[test]
fn usage_errors_exit_2() {
    for args in [
        vec![],
        vec!["send"],
        vec!["send", "private", "--to", "a", "--text", "x"],
        vec!["send", "private", "--from", "a", "--text", "x"],
        vec!["send", "private", "--from", "a", "--to", "b"],
        vec![
            "send",
            "private",
            "--from",
            "a",
            "--to",
            "b",
            "--text",
            "x",
            "--object-name",
            "App:X",
        ],
        vec![
            "send",
            "private",
            "--from",
            "a",
            "--to",
            "b",
            "--object-name",
            "App:X",
        ],
        vec!["send", "group", "--from", "a", "--text", "x"],
        vec![
            "send",
            "chatroom",
            "--from",
            "a",
            "--to",
            "r",
            "--text",
            "x",
            "--push-content",
            "p",
        ],
        vec!["campaign", "report", "--journal", "j", "--format", "xml"],
        vec!["--frobnicate"],
    ] {
        let output = rongcloud().args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(!output.stderr.is_empty(), "{args:?}");
    }
}

/// Without an account, a command that sends says what to set; exit 2.
#[test]
fn a_missing_account_is_a_usage_error() {
    rongcloud()
        .args([
            "send", "private", "--from", "ops", "--to", "u1", "--text", "hi",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("RONGCLOUD_APP_KEY is not set"))
        .stderr(predicate::str::contains("--emulator"));
    rongcloud()
        .args([
            "send", "private", "--from", "ops", "--to", "u1", "--text", "hi",
        ])
        .args([
            "--app-key",
            "k",
            "--app-secret",
            "s",
            "--timeout-ms",
            "soon",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "RONGCLOUD_TIMEOUT_MS must be a positive integer",
        ));
}
