//! A real `redis-server` for one test: on a free loopback port, without
//! persistence (`--save "" --appendonly no`), killed when dropped.
//!
//! When `redis-server` is not installed, [`RedisServer::start`] prints that
//! the test is skipped and answers `None`, unless `RONGCLOUD_REQUIRE_REDIS`
//! is `1` (as in `.ci/run`): then it panics, so that CI never skips the
//! Redis tests silently.
//!
//! Faults: [`kill`](RedisServer::kill) (`kill -9`),
//! [`pause`](RedisServer::pause) / [`resume`](RedisServer::resume)
//! (`SIGSTOP` / `SIGCONT`: a hung server), [`restart`](RedisServer::restart)
//! (a new, empty server on the same port).

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The program started.
const PROGRAM: &str = "redis-server";
/// Set to `1` to fail instead of skipping when `redis-server` is missing.
pub const REQUIRE: &str = "RONGCLOUD_REQUIRE_REDIS";

/// One running `redis-server`, killed on drop.
pub struct RedisServer {
    port: u16,
    child: Option<Child>,
}

impl RedisServer {
    /// A new server on a free port, answering `PING`; `None` (after saying
    /// so on stderr) when `redis-server` is not installed and not required.
    pub fn start() -> Option<Self> {
        for _ in 0..5 {
            let port = free_port();
            match spawn(port) {
                Ok(Some(child)) => {
                    let mut server = Self {
                        port,
                        child: Some(child),
                    };
                    if server.wait_ready() {
                        return Some(server);
                    }
                    // The port was taken in between: try another.
                    server.kill();
                }
                Ok(None) => return None,
                Err(error) => panic!("starting {PROGRAM}: {error}"),
            }
        }
        panic!("{PROGRAM} did not answer PING on any of 5 free ports");
    }

    /// `redis://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// The server's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("the server runs").id()
    }

    /// `kill -9`: connections are reset, new ones refused.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// `SIGSTOP`: the kernel still accepts connections, nothing answers.
    pub fn pause(&self) {
        signal(self.pid(), libc::SIGSTOP);
    }

    /// `SIGCONT` after [`pause`](Self::pause).
    pub fn resume(&self) {
        signal(self.pid(), libc::SIGCONT);
    }

    /// Kills the server (if running) and starts an empty one on the same
    /// port: a restart without persistence.
    pub fn restart(&mut self) {
        self.kill();
        let child = spawn(self.port)
            .expect("restarting redis-server")
            .expect("redis-server was there a moment ago");
        self.child = Some(child);
        assert!(self.wait_ready(), "the restarted redis-server answers PING");
    }

    /// Sends one inline command and answers the raw reply (e.g. `DBSIZE`).
    pub fn command(&self, command: &str) -> String {
        let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        stream
            .write_all(format!("{command}\r\n").as_bytes())
            .unwrap();
        let mut reply = Vec::new();
        let mut buf = [0; 4096];
        loop {
            let n = stream.read(&mut buf).expect("a reply");
            reply.extend_from_slice(&buf[..n]);
            if n == 0 || reply.ends_with(b"\r\n") {
                break;
            }
        }
        String::from_utf8_lossy(&reply).trim_end().to_owned()
    }

    fn wait_ready(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(_)) = child.try_wait()
            {
                return false; // exited: the port was taken
            }
            if ping(self.port) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        if let Some(child) = &self.child {
            // A paused server is killed all the same; resume it so that it
            // exits at once.
            signal(child.id(), libc::SIGCONT);
        }
        self.kill();
    }
}

/// Whether `redis-server` tests must run (`RONGCLOUD_REQUIRE_REDIS=1`).
pub fn required() -> bool {
    std::env::var(REQUIRE).is_ok_and(|v| v == "1")
}

fn spawn(port: u16) -> std::io::Result<Option<Child>> {
    let spawned = Command::new(PROGRAM)
        .args(["--port", &port.to_string()])
        .args(["--bind", "127.0.0.1"])
        .args(["--save", ""])
        .args(["--appendonly", "no"])
        .args(["--daemonize", "no"])
        .args(["--dir", &std::env::temp_dir().to_string_lossy()])
        .args(["--loglevel", "warning"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match spawned {
        Ok(child) => Ok(Some(child)),
        Err(error) if error.kind() == ErrorKind::NotFound => {
            if required() {
                panic!("{PROGRAM} is not installed, and {REQUIRE}=1 requires the Redis tests");
            }
            // Straight to the stream: the test harness captures `eprintln!`
            // of passing tests, and a skip must be seen.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: {PROGRAM} is not installed, so this Redis test did not run \
                 (install it, e.g. `apt-get install redis-server`; set {REQUIRE}=1 to fail instead)"
            );
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).expect("bind");
    listener.local_addr().expect("an address").port()
}

fn ping(port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(100)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    if stream.write_all(b"PING\r\n").is_err() {
        return false;
    }
    let mut buf = [0; 7];
    stream.read_exact(&mut buf).is_ok() && &buf == b"+PONG\r\n"
}

fn signal(pid: u32, signal: libc::c_int) {
    let pid = libc::pid_t::try_from(pid).expect("a pid");
    // SAFETY: kill(2) with a pid this test spawned and a valid signal number.
    let rc = unsafe { libc::kill(pid, signal) };
    assert_eq!(rc, 0, "kill({pid}, {signal})");
}
