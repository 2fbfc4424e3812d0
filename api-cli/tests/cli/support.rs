//! The emulator as a process of its own (this test binary started again,
//! running `api_emulator::cli`, the emulator's own program), its inspection
//! routes read over HTTP, and the `rongcloud` binary with a clean
//! environment.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command as Process, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use assert_cmd::Command;
use clap::Parser;
use serde_json::Value;

/// The App Key and App Secret of the emulator process.
pub const APP_KEY: &str = "cli-test-key";
pub const APP_SECRET: &str = "cli-test-secret";

/// The variable that makes this test binary the emulator.
const CHILD: &str = "RONGCLOUD_CLI_TEST_EMULATOR";

/// The emulator's side: runs only in the process [`EmulatorProcess`]
/// starts, serving until it is killed.
#[test]
fn emulator_child() {
    let Ok(flags) = std::env::var(CHILD) else {
        return;
    };
    let args = api_emulator::cli::Args::parse_from(
        std::iter::once("api-emulator").chain(flags.split_whitespace()),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(api_emulator::cli::run(args)).unwrap();
}

/// A running emulator process; killed when dropped.
pub struct EmulatorProcess {
    child: Child,
    base_url: String,
    authority: String,
}

impl EmulatorProcess {
    /// Starts the emulator on a free port of 127.0.0.1 with `flags` added.
    pub fn start(flags: &str) -> Self {
        let mut child = Process::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "support::emulator_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(
                CHILD,
                format!(
                    "--listen 127.0.0.1:0 --app-key {APP_KEY} --app-secret {APP_SECRET} {flags}"
                ),
            )
            .env("RUST_LOG", "info")
            .env_remove("RONGCLOUD_APP_KEY")
            .env_remove("RONGCLOUD_APP_SECRET")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting the emulator process");
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in stderr.lines() {
                let Ok(line) = line else { break };
                if let Some(at) = line.find(" at http://") {
                    let url = line[at + 4..].split_whitespace().next().unwrap_or("");
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(url.trim_end_matches(';').to_owned());
                    }
                }
            }
        });
        let base_url = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the emulator process did not say where it serves");
        let authority = base_url.trim_start_matches("http://").to_owned();
        Self {
            child,
            base_url,
            authority,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `GET <path>` of an inspection route, parsed as JSON.
    pub fn get_json(&self, path: &str) -> Value {
        let mut stream = TcpStream::connect(&self.authority).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.authority
        )
        .unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        let split = answer
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("an HTTP answer");
        let head = String::from_utf8_lossy(&answer[..split]);
        assert!(head.starts_with("HTTP/1.1 200"), "GET {path}: {head}");
        serde_json::from_slice(&answer[split + 4..]).expect("a JSON answer")
    }

    /// Every delivery the emulator recorded.
    pub fn deliveries(&self) -> Vec<Value> {
        self.get_json("/_emulator/deliveries")
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Every request the emulator received.
    pub fn requests(&self) -> Vec<Value> {
        self.get_json("/_emulator/requests")
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// `rongcloud` pointed at this emulator.
    pub fn rongcloud(&self) -> Command {
        let mut command = rongcloud();
        command
            .env("RONGCLOUD_APP_KEY", APP_KEY)
            .env("RONGCLOUD_APP_SECRET", APP_SECRET)
            .env("RONGCLOUD_API_URL", &self.base_url);
        command
    }

    /// The same as a `std::process::Command`, to start it in the background.
    pub fn rongcloud_process(&self) -> Process {
        let mut command = Process::new(env!("CARGO_BIN_EXE_rongcloud"));
        clean(&mut command);
        command
            .env("RONGCLOUD_APP_KEY", APP_KEY)
            .env("RONGCLOUD_APP_SECRET", APP_SECRET)
            .env("RONGCLOUD_API_URL", &self.base_url);
        command
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Removes every variable the binary reads and fixes the help's width.
fn clean(command: &mut Process) {
    for name in [
        "RONGCLOUD_APP_KEY",
        "RONGCLOUD_APP_SECRET",
        "RONGCLOUD_API_URL",
        "RONGCLOUD_TIMEOUT_MS",
        "RONGCLOUD_QUOTA_STORE",
        "RONGCLOUD_FLEET_SIZE",
        "RUST_LOG",
    ] {
        command.env_remove(name);
    }
    command.env("COLUMNS", "100").env("NO_COLOR", "1");
}

/// `rongcloud` with no account configured.
pub fn rongcloud() -> Command {
    let mut process = Process::new(env!("CARGO_BIN_EXE_rongcloud"));
    clean(&mut process);
    let mut command = Command::from_std(process);
    command.timeout(Duration::from_secs(60));
    command
}

/// A file of recipients in `dir`: a header and `user1..=userN`.
pub fn recipients(dir: &std::path::Path, name: &str, n: usize) -> std::path::PathBuf {
    let path = dir.join(name);
    let mut text = String::from("userId\n");
    for i in 1..=n {
        text.push_str(&format!("user{i}\n"));
    }
    std::fs::write(&path, text).unwrap();
    path
}

/// Standard output and error of an assertion, as text.
pub fn texts(output: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
