//! The emulator as a separate process (the `emulator` binary of this
//! package, which is `api-emulator`'s own program), and its inspection
//! routes read over HTTP.

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
    /// Starts the emulator on a free port of 127.0.0.1 with `args` added to
    /// its command line, and waits for it to serve.
    pub fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_emulator"))
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
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
                        let _ = tx.send(url.to_owned());
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
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
