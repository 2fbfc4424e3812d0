//! The emulator as a separate process running `api-emulator`'s own program
//! (`api_emulator::cli`), and its inspection routes read over HTTP.
//!
//! For the workspace's tests that need the emulator out of their own
//! process: the fleet test (`tests`) starts that package's `emulator`
//! binary, `api-cli`'s tests start their own test binary again as the
//! emulator (Cargo builds a test only its own package's binaries); both
//! hand the command to [`EmulatorProcess::spawn`].

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running emulator process; killed when dropped.
pub struct EmulatorProcess {
    child: Child,
    base_url: String,
    /// `host:port` of `base_url`.
    authority: String,
}

impl EmulatorProcess {
    /// Starts `command`, which runs the emulator's program listening on
    /// `127.0.0.1:0` (a free port), and waits for it to serve.
    pub fn spawn(mut command: Command) -> Self {
        let mut child = command
            .env("RUST_LOG", "info")
            .env_remove("RONGCLOUD_APP_KEY")
            .env_remove("RONGCLOUD_APP_SECRET")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting the emulator process");
        // Its first log line names the address; the rest of its log (a line
        // per request) is drained so the process never blocks on a full pipe.
        let stderr = BufReader::new(child.stderr.take().expect("piped"));
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in stderr.lines() {
                let Ok(line) = line else { break };
                if let Some(at) = line.find(" at http://") {
                    let url = line[at + 4..].split_whitespace().next().unwrap_or("");
                    if let Some(tx) = tx.take() {
                        // With backup hosts the log lists them after a comma.
                        let _ = tx.send(url.trim_end_matches([',', ';']).to_owned());
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

    /// `GET <path>` (an inspection route such as `/_emulator/stats`), its
    /// answer parsed as JSON. Panics unless the answer is a 200.
    pub fn get_json(&self, path: &str) -> serde_json::Value {
        let mut stream = TcpStream::connect(&self.authority).expect("connecting to the emulator");
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

    /// Every delivery the emulator recorded (`/_emulator/deliveries`).
    pub fn deliveries(&self) -> Vec<serde_json::Value> {
        self.get_json("/_emulator/deliveries")
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Every request the emulator received (`/_emulator/requests`).
    pub fn requests(&self) -> Vec<serde_json::Value> {
        self.get_json("/_emulator/requests")
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
