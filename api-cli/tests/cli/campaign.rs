//! `rongcloud campaign run|resume|report` against the emulator process: a
//! run killed with SIGKILL halfway and resumed, a run stopped with Ctrl-C
//! (SIGINT), every bad input, and the reports parsed back and checked
//! recipient by recipient against the emulator's records.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{EmulatorProcess, recipients, rongcloud, texts};

const PRIVATE: &str = "/message/private/publish.json";
/// Slow enough to stop midway: 10 recipients a second, 5 per call.
const SLOW: &str = "/message/private/publish.json=10/1s";

/// One line of the CSV report.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    user_id: String,
    outcome: String,
    message_uid: String,
    reason: String,
}

fn csv_report(emulator: &EmulatorProcess, journal: &Path) -> Vec<Line> {
    let output = emulator
        .rongcloud()
        .args(["campaign", "report", "--journal"])
        .arg(journal)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", texts(&output).1);
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    assert_eq!(
        reader.headers().unwrap(),
        vec!["userId", "outcome", "messageUID", "reason"]
    );
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            Line {
                user_id: record[0].to_owned(),
                outcome: record[1].to_owned(),
                message_uid: record[2].to_owned(),
                reason: record[3].to_owned(),
            }
        })
        .collect()
}

fn json_report(emulator: &EmulatorProcess, journal: &Path) -> Vec<Line> {
    let output = emulator
        .rongcloud()
        .args(["campaign", "report", "--journal"])
        .arg(journal)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let rows: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    rows.iter()
        .map(|row| Line {
            user_id: row["userId"].as_str().unwrap().to_owned(),
            outcome: row["outcome"].as_str().unwrap().to_owned(),
            message_uid: row["messageUID"].as_str().unwrap_or("").to_owned(),
            reason: row["reason"].as_str().unwrap_or("").to_owned(),
        })
        .collect()
}

/// Per user: the message ids the emulator delivered to them from this
/// sender's private publishes.
fn delivered_ids(emulator: &EmulatorProcess, sender: &str) -> HashMap<String, Vec<String>> {
    let mut ids: HashMap<String, Vec<String>> = HashMap::new();
    for delivery in emulator.deliveries() {
        if delivery["path"] != PRIVATE || delivery["sender"] != sender {
            continue;
        }
        let recipients = delivery["recipients"].as_array().unwrap();
        let message_ids = delivery["messageIds"].as_array().unwrap();
        assert_eq!(recipients.len(), message_ids.len());
        for (user, id) in recipients.iter().zip(message_ids) {
            ids.entry(user.as_str().unwrap().to_owned())
                .or_default()
                .push(id.as_str().unwrap().to_owned());
        }
    }
    ids
}

/// Checks the report recipient by recipient against the emulator: every
/// recipient once and in order; delivered ones got exactly one message,
/// with the id the report gives; unknown ones at most one; nobody else any.
fn check_against_emulator(report: &[Line], n: usize, ids: &HashMap<String, Vec<String>>) {
    let expected: Vec<String> = (1..=n).map(|i| format!("user{i}")).collect();
    let listed: Vec<String> = report.iter().map(|l| l.user_id.clone()).collect();
    assert_eq!(
        listed, expected,
        "the report lists every recipient once, in order"
    );
    for line in report {
        let got = ids.get(&line.user_id).cloned().unwrap_or_default();
        match line.outcome.as_str() {
            "delivered" => {
                assert_eq!(got, vec![line.message_uid.clone()], "{}", line.user_id);
                assert!(line.reason.is_empty());
            }
            "unknown" => {
                assert!(
                    got.len() <= 1,
                    "{} got {} messages",
                    line.user_id,
                    got.len()
                );
                assert!(!line.reason.is_empty());
            }
            other => panic!("{}: {other} after a finished campaign", line.user_id),
        }
    }
    let strangers: Vec<&String> = ids.keys().filter(|u| !expected.contains(u)).collect();
    assert!(strangers.is_empty(), "{strangers:?}");
}

/// Reads progress lines from a running campaign's standard error until one
/// says at least `settled` recipients are settled; returns the lines read.
fn wait_for_progress(stderr: &mut impl BufRead, settled: u64) -> Vec<String> {
    let mut seen = Vec::new();
    let started = Instant::now();
    for line in stderr.lines() {
        let line = line.unwrap();
        seen.push(line.clone());
        if let Some(rest) = line.strip_prefix("progress: ")
            && let Some((done, _)) = rest.split_once('/')
            && done.parse::<u64>().unwrap() >= settled
        {
            return seen;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{seen:?}");
    }
    panic!("the campaign ended before {settled} were settled: {seen:?}");
}

/// `campaign run` in the background, slowed by `--limit SLOW` to chunks of
/// 5, two at a time, a progress line every second on its (piped) stderr.
fn spawn_slow_campaign(
    emulator: &EmulatorProcess,
    journal: &Path,
    users: &Path,
    stdout: Stdio,
) -> Child {
    emulator
        .rongcloud_process()
        .args(["campaign", "run", "--journal"])
        .arg(journal)
        .args([
            "--from",
            "ops",
            "--text",
            "Maintenance at 02:00",
            "--recipients",
        ])
        .arg(users)
        .args([
            "--chunk-size",
            "5",
            "--concurrency",
            "2",
            "--progress-every",
            "1",
        ])
        .args(["--limit", SLOW])
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn a_campaign_killed_halfway_resumes_and_nobody_gets_the_message_twice() {
    const N: usize = 60;
    let emulator = EmulatorProcess::start("");
    let dir = tempfile::tempdir().unwrap();
    let users = recipients(dir.path(), "users.txt", N);
    let journal = dir.path().join("notice.journal");

    let mut child = spawn_slow_campaign(&emulator, &journal, &users, Stdio::null());
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    wait_for_progress(&mut stderr, 20);
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(libc::SIGKILL));

    // Halfway: some delivered, some not sent yet.
    let halfway = csv_report(&emulator, &journal);
    let delivered = halfway.iter().filter(|l| l.outcome == "delivered").count();
    let pending = halfway.iter().filter(|l| l.outcome == "pending").count();
    assert!(delivered >= 20, "{delivered} delivered before the kill");
    assert!(pending > 0, "the kill came after the end");
    let before: usize = delivered_ids(&emulator, "ops").values().map(Vec::len).sum();
    assert!(before < N);

    let output = emulator
        .rongcloud()
        .args(["campaign", "resume", "--journal"])
        .arg(&journal)
        .args(["--progress-every", "1"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    let report = csv_report(&emulator, &journal);
    let unknown = report.iter().filter(|l| l.outcome == "unknown").count();
    // A call in flight at the kill is unknown (exit 4), never sent again.
    let expected_code = if unknown > 0 { 4 } else { 0 };
    assert_eq!(output.status.code(), Some(expected_code), "{stderr}");
    assert!(
        stderr.contains("notice.journal resumed: 60 recipients"),
        "{stderr}"
    );
    assert!(
        stdout.starts_with(&format!("{N} recipients: {} delivered", N - unknown)),
        "{stdout}"
    );
    check_against_emulator(&report, N, &delivered_ids(&emulator, "ops"));
    // The JSON report says the same.
    assert_eq!(json_report(&emulator, &journal), report);

    // Resuming a finished campaign sends nothing more.
    let deliveries = emulator.deliveries().len();
    emulator
        .rongcloud()
        .args(["campaign", "resume", "--journal"])
        .arg(&journal)
        .assert()
        .code(expected_code);
    assert_eq!(emulator.deliveries().len(), deliveries);
}

#[test]
fn ctrl_c_stops_cleanly_and_says_how_to_resume() {
    const N: usize = 40;
    let emulator = EmulatorProcess::start("");
    let dir = tempfile::tempdir().unwrap();
    let users = recipients(dir.path(), "users.txt", N);
    let journal = dir.path().join("notice.journal");
    let mut child = spawn_slow_campaign(&emulator, &journal, &users, Stdio::piped());
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = wait_for_progress(&mut stderr, 10);
    // SAFETY: kill(2) on the pid of a child this test started and has not
    // reaped.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    for line in stderr.lines() {
        seen.push(line.unwrap());
    }
    let status = child.wait().unwrap();
    let seen = seen.join("\n");
    assert_eq!(status.code(), Some(130), "{seen}");
    assert!(seen.contains("stopping: no new call starts"), "{seen}");
    let resume = format!("rongcloud campaign resume --journal {}", journal.display());
    assert!(seen.contains(&resume), "{seen}");

    // The calls in flight finished: nothing is unknown.
    let stopped = csv_report(&emulator, &journal);
    assert!(
        stopped.iter().all(|l| l.outcome != "unknown"),
        "{stopped:?}"
    );
    assert!(stopped.iter().any(|l| l.outcome == "pending"));

    emulator
        .rongcloud()
        .args(["--json", "campaign", "resume", "--journal"])
        .arg(&journal)
        .assert()
        .code(0)
        .stdout(predicate::function(|out: &str| {
            let summary: Value = serde_json::from_str(out).unwrap();
            summary["delivered"] == N && summary["unknown"] == 0 && summary["stopped"] == false
        }));
    let report = csv_report(&emulator, &journal);
    assert!(report.iter().all(|l| l.outcome == "delivered"));
    check_against_emulator(&report, N, &delivered_ids(&emulator, "ops"));
}

#[test]
fn a_system_campaign_on_the_embedded_emulator() {
    let dir = tempfile::tempdir().unwrap();
    let users = recipients(dir.path(), "users.txt", 150);
    let journal = dir.path().join("system.journal");
    rongcloud()
        .args(["--emulator", "campaign", "run", "--system", "--journal"])
        .arg(&journal)
        .args([
            "--from",
            "ops",
            "--object-name",
            "App:Notice",
            "--content-json",
            r#"{"v":1}"#,
        ])
        .arg("--recipients")
        .arg(&users)
        .assert()
        .code(0)
        .stdout("150 recipients: 150 delivered, 0 not sent, 0 unknown, 0 pending\n")
        .stderr(predicate::str::contains(
            "2 calls of up to 100 recipients to /message/system/publish.json",
        ));
    // The report needs no account.
    let output = rongcloud()
        .args(["campaign", "report", "--format", "json", "--journal"])
        .arg(&journal)
        .output()
        .unwrap();
    let rows: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(rows.len(), 150);
    assert!(rows.iter().all(|r| r["outcome"] == "delivered"
        && r["messageUID"].as_str().is_some_and(|id| !id.is_empty())));
}

#[test]
fn html_report_has_counts_and_a_chart_against_the_quota() {
    let emulator = EmulatorProcess::start("");
    let dir = tempfile::tempdir().unwrap();
    let users = recipients(dir.path(), "users.txt", 30);
    let journal = dir.path().join("notice <1>.journal");
    emulator
        .rongcloud()
        .args(["campaign", "run", "--journal"])
        .arg(&journal)
        .args(["--from", "ops", "--text", "hi", "--recipients"])
        .arg(&users)
        .args([
            "--chunk-size",
            "10",
            "--limit",
            "/message/private/publish.json=600/1m",
        ])
        .assert()
        .code(0);
    let output = rongcloud()
        .args(["campaign", "report", "--format", "html", "--journal"])
        .arg(&journal)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(
        page.contains("notice &lt;1&gt;.journal"),
        "the path is escaped"
    );
    assert!(page.contains("<tr class=\"delivered\"><th>delivered</th><td class=\"n\">30</td>"));
    assert!(page.contains("<svg"));
    assert!(page.contains("30 delivered</title></rect>"), "{page}");
    // The quota the campaign ran under, kept in its journal.
    assert!(page.contains("quota 600 recipients / 1m"), "{page}");
    assert!(page.contains("quota: 600 recipients a minute"), "{page}");
    // Nothing to fetch: no script, no link, no external source.
    assert!(!page.contains("<script") && !page.contains("src=") && !page.contains("href="));
    // An override on the report's command line draws another line.
    let output = rongcloud()
        .args(["campaign", "report", "--format", "html", "--journal"])
        .arg(&journal)
        .args(["--limit", "/message/private/publish.json=6000/1m"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("quota: 6000 recipients a minute"));
}

#[test]
fn bad_campaign_input_exits_2_and_sends_nothing() {
    let emulator = EmulatorProcess::start("");
    let dir = tempfile::tempdir().unwrap();
    let good = recipients(dir.path(), "users.txt", 5);
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "userId\n").unwrap();
    let malformed = dir.path().join("malformed.txt");
    std::fs::write(&malformed, "userId\nuser1\nuser2\nbad id\nuser4\n").unwrap();
    let missing = dir.path().join("missing.txt");
    let journal = dir.path().join("j.journal");
    let run = |recipients: &Path, extra: &[&str]| {
        let mut command = emulator.rongcloud();
        command
            .args(["campaign", "run", "--journal"])
            .arg(&journal)
            .args(["--from", "ops", "--text", "hi", "--recipients"])
            .arg(recipients)
            .args(extra);
        command
    };
    let cases: Vec<(&Path, Vec<&str>, &str)> = vec![
        (&empty, vec![], "the recipient list is empty"),
        (&malformed, vec![], "line 4: has ' '"),
        (&missing, vec![], "cannot read recipients from"),
        (
            &good,
            vec!["--limit", "/message/unknown.json=1/1s"],
            "unknown quota",
        ),
        (
            &good,
            vec!["--limit", "/message/private/publish.json=1/forever"],
            "DURATION",
        ),
        (
            &good,
            vec!["--concurrency", "0"],
            "--concurrency must be at least 1",
        ),
    ];
    for (recipients, extra, says) in cases {
        let output = run(recipients, &extra).output().unwrap();
        let (stdout, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(2), "{extra:?}: {stderr}");
        assert!(stderr.contains(says), "{says}: {stderr}");
        assert!(stdout.is_empty());
        assert!(!journal.exists(), "no journal is left behind");
    }
    assert!(emulator.requests().is_empty(), "something was sent");

    // A journal of a different campaign: another text, another list.
    run(&good, &[]).assert().code(0);
    let sent = emulator.requests().len();
    let other = recipients(dir.path(), "other.txt", 6);
    for (recipients, text, says) in [
        (&good, "hello", "its template is"),
        (&other, "hi", "its recipient list is"),
    ] {
        let output = emulator
            .rongcloud()
            .args(["campaign", "run", "--journal"])
            .arg(&journal)
            .args(["--from", "ops", "--text", text, "--recipients"])
            .arg(recipients)
            .output()
            .unwrap();
        let (_, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("belongs to a different campaign"),
            "{stderr}"
        );
        assert!(stderr.contains(says), "{stderr}");
    }
    assert_eq!(emulator.requests().len(), sent, "nothing more was sent");

    // Resume and report of what is not a journal.
    let not_a_journal = dir.path().join("users.txt");
    for command in ["resume", "report"] {
        emulator
            .rongcloud()
            .args(["campaign", command, "--journal"])
            .arg(&not_a_journal)
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains("is not a campaign journal")
                    .or(predicate::str::contains("not a database")),
            );
        emulator
            .rongcloud()
            .args(["campaign", command, "--journal"])
            .arg(dir.path().join("nowhere.journal"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("does not exist"));
    }
    assert_eq!(emulator.requests().len(), sent);
}

/// Not sent (the server refuses every call: a wrong secret) exits 3 and the
/// report gives the reason; the per-minute counts of the HTML page count
/// them too.
#[test]
fn a_refused_campaign_exits_3_and_reports_why() {
    let emulator = EmulatorProcess::start("");
    let dir = tempfile::tempdir().unwrap();
    let users = recipients(dir.path(), "users.txt", 8);
    let journal = dir.path().join("j.journal");
    let output = emulator
        .rongcloud()
        .env("RONGCLOUD_APP_SECRET", "wrong")
        .args(["campaign", "run", "--journal"])
        .arg(&journal)
        .args(["--from", "ops", "--text", "hi", "--recipients"])
        .arg(&users)
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert_eq!(
        stdout,
        "8 recipients: 0 delivered, 8 not sent, 0 unknown, 0 pending\n"
    );
    assert!(
        stderr.contains("rongcloud campaign report --journal"),
        "{stderr}"
    );
    let report = csv_report(&emulator, &journal);
    assert!(
        report
            .iter()
            .all(|l| l.outcome == "not_sent" && !l.reason.is_empty())
    );
    let by_outcome: BTreeMap<String, usize> = report.iter().fold(BTreeMap::new(), |mut m, l| {
        *m.entry(l.outcome.clone()).or_default() += 1;
        m
    });
    assert_eq!(by_outcome.get("not_sent"), Some(&8));
    assert!(emulator.deliveries().is_empty());
}

/// `--quota-store redis://...`: the campaign's calls are paced through a
/// real Redis (its keys prove it), as a fleet of senders would share it.
#[test]
fn a_campaign_paced_through_a_redis_quota_store() {
    let Some(redis) = test_support::RedisServer::start() else {
        return;
    };
    let emulator = EmulatorProcess::start("");
    let dir = tempfile::tempdir().unwrap();
    let users = recipients(dir.path(), "users.txt", 20);
    let journal = dir.path().join("j.journal");
    let run = || {
        let mut command = emulator.rongcloud();
        command
            .args(["campaign", "run", "--journal"])
            .arg(&journal)
            .args(["--from", "ops", "--text", "hi", "--recipients"])
            .arg(&users)
            .args(["--chunk-size", "5", "--quota-store", &redis.url()]);
        command
    };
    // A shared store needs the fleet's size (api-core's rule).
    run()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("RONGCLOUD_FLEET_SIZE must be set"));
    assert!(emulator.requests().is_empty());
    run()
        .args(["--fleet-size", "2"])
        .assert()
        .code(0)
        .stdout("20 recipients: 20 delivered, 0 not sent, 0 unknown, 0 pending\n");
    let keys: u64 = redis
        .command("DBSIZE")
        .trim_start_matches(':')
        .parse()
        .unwrap();
    assert!(keys > 0, "the quota lives in Redis");
    check_against_emulator(
        &csv_report(&emulator, &journal),
        20,
        &delivered_ids(&emulator, "ops"),
    );
}

/// A second Ctrl-C abandons the calls in flight: the process ends at once,
/// their recipients are unknown, and a resume never sends them again.
#[test]
fn a_second_ctrl_c_abandons_the_calls_in_flight_as_unknown() {
    // A server that takes requests and never answers them.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let (arrived, requests) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            let mut buffer = [0u8; 4096];
            let _ = std::io::Read::read(&mut stream, &mut buffer);
            held.push(stream);
            let _ = arrived.send(());
        }
    });
    let emulator = EmulatorProcess::start("");
    let dir = tempfile::tempdir().unwrap();
    let users = recipients(dir.path(), "users.txt", 10);
    let journal = dir.path().join("j.journal");
    let mut child = emulator
        .rongcloud_process()
        .env("RONGCLOUD_API_URL", format!("http://{address}"))
        .env("RONGCLOUD_TIMEOUT_MS", "60000")
        .args(["campaign", "run", "--journal"])
        .arg(&journal)
        .args(["--from", "ops", "--text", "hi", "--recipients"])
        .arg(&users)
        .args(["--chunk-size", "5", "--concurrency", "2"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Both calls are in flight.
    for _ in 0..2 {
        requests.recv_timeout(Duration::from_secs(30)).unwrap();
    }
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let pid = child.id() as i32;
    // SAFETY: kill(2) on the pid of a child this test started and has not
    // reaped.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let mut seen = Vec::new();
    for line in (&mut stderr).lines() {
        let line = line.unwrap();
        seen.push(line.clone());
        if line.starts_with("stopping:") {
            break;
        }
    }
    let started = Instant::now();
    // SAFETY: as above.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    for line in stderr.lines() {
        seen.push(line.unwrap());
    }
    let status = child.wait().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "it did not wait for the calls"
    );
    let seen = seen.join("\n");
    assert_eq!(status.code(), Some(130), "{seen}");
    assert!(seen.contains("abandoned"), "{seen}");

    let report = csv_report(&emulator, &journal);
    assert_eq!(report.len(), 10);
    assert!(
        report
            .iter()
            .all(|l| l.outcome == "unknown" && l.reason.contains("X-Request-ID"))
    );
    // Resumed against the emulator: nothing is sent again; exit 4.
    emulator
        .rongcloud()
        .args(["campaign", "resume", "--journal"])
        .arg(&journal)
        .assert()
        .code(4)
        .stdout("10 recipients: 0 delivered, 0 not sent, 10 unknown, 0 pending\n")
        .stderr(predicate::str::contains(
            "2 calls were found with an intent and no outcome",
        ));
    assert!(emulator.requests().is_empty());
}

/// On a terminal (a pseudo-terminal from `script`), progress is a bar, not
/// lines. Skipped where `script` (util-linux) is not installed.
#[test]
fn a_terminal_gets_a_progress_bar() {
    let Ok(found) = std::process::Command::new("script")
        .arg("--version")
        .output()
    else {
        eprintln!("skipped: no `script` to give the campaign a terminal");
        return;
    };
    assert!(found.status.success());
    let dir = tempfile::tempdir().unwrap();
    let users = recipients(dir.path(), "users.txt", 30);
    let journal = dir.path().join("j.journal");
    let command = format!(
        "{} --emulator campaign run --journal {} --from ops --text hi --recipients {} \
         --chunk-size 5 --limit {SLOW}",
        env!("CARGO_BIN_EXE_rongcloud"),
        journal.display(),
        users.display()
    );
    let output = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .env("TERM", "xterm")
        .env_remove("RONGCLOUD_APP_KEY")
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{screen}");
    assert!(screen.contains("30/30 recipients"), "{screen}");
    assert!(screen.contains('█'), "{screen}");
    assert!(!screen.contains("progress: "), "{screen}");
    assert!(screen.contains("30 recipients: 30 delivered"), "{screen}");
}
