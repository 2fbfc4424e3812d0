//! The emulator as a process of its own (this test binary started again,
//! running `api_emulator::cli`, the emulator's own program), its inspection
//! routes read over HTTP, and the `rongcloud` binary with a clean
//! environment.

use std::process::Command as Process;
use std::time::Duration;

use assert_cmd::Command;
use clap::Parser;

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

/// The emulator process of the workspace's test helpers, started the way
/// these tests start it, with the `rongcloud` commands pointed at it.
pub struct EmulatorProcess(test_support::EmulatorProcess);

impl std::ops::Deref for EmulatorProcess {
    type Target = test_support::EmulatorProcess;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl EmulatorProcess {
    /// Starts the emulator (this test binary again, as [`emulator_child`])
    /// on a free port of 127.0.0.1 with `flags` added.
    pub fn start(flags: &str) -> Self {
        let mut program = Process::new(std::env::current_exe().unwrap());
        program
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
            );
        Self(test_support::EmulatorProcess::spawn(program))
    }

    /// `rongcloud` pointed at this emulator.
    pub fn rongcloud(&self) -> Command {
        let mut command = rongcloud();
        command
            .env("RONGCLOUD_APP_KEY", APP_KEY)
            .env("RONGCLOUD_APP_SECRET", APP_SECRET)
            .env("RONGCLOUD_API_URL", self.base_url());
        command
    }

    /// The same as a `std::process::Command`, to start it in the background.
    pub fn rongcloud_process(&self) -> Process {
        let mut command = Process::new(env!("CARGO_BIN_EXE_rongcloud"));
        clean(&mut command);
        command
            .env("RONGCLOUD_APP_KEY", APP_KEY)
            .env("RONGCLOUD_APP_SECRET", APP_SECRET)
            .env("RONGCLOUD_API_URL", self.base_url());
        command
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
