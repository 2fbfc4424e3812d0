//! A bounded load generator for the emulator's private-publish path.
//!
//! N keep-alive connections send one pre-signed `/message/private/publish.json`
//! request at a time until a fixed total is reached or a time limit passes, then
//! the requests per second are printed. Load only goes to loopback.
//!
//! ```sh
//! # In-process emulator (rate limits off), 32 connections, 300 000 requests:
//! cargo run --release -p api-emulator --example load -- --connections 32 --requests 300000
//! # Against a running emulator binary:
//! cargo run --release -p api-emulator --example load -- --target 127.0.0.1:8080
//! ```

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use api_emulator::{DEFAULT_APP_KEY, DEFAULT_APP_SECRET, Emulator, sign};
use clap::Parser;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Load generator for the emulator.
#[derive(Debug, Parser)]
struct Args {
    /// A running emulator to load (loopback only); without it one is started in
    /// this process with rate limits off.
    #[arg(long)]
    target: Option<SocketAddr>,
    /// App Key of the target.
    #[arg(long, default_value = DEFAULT_APP_KEY)]
    app_key: String,
    /// App Secret of the target.
    #[arg(long, default_value = DEFAULT_APP_SECRET)]
    app_secret: String,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Total requests to send.
    #[arg(long, default_value_t = 200_000)]
    requests: u64,
    /// Stop after this many seconds even if not all requests were sent.
    #[arg(long, default_value_t = 30)]
    max_seconds: u64,
    /// Recipients (`toUserId`) per request.
    #[arg(long, default_value_t = 1)]
    recipients: usize,
    /// Open a new connection after this many requests (0: never), like a client
    /// keeping under the provider's 80 requests per connection.
    #[arg(long, default_value_t = 0)]
    per_connection: u64,
}

#[derive(Default)]
struct Totals {
    sent: AtomicU64,
    ok: AtomicU64,
    failed: AtomicU64,
}

fn request_bytes(args: &Args, host: SocketAddr) -> Vec<u8> {
    let mut body = String::from(
        "fromUserId=loadgen&objectName=RC%3ATxtMsg&content=%7B%22content%22%3A%22hello%22%7D",
    );
    for i in 0..args.recipients {
        body.push_str(&format!("&toUserId=user{i}"));
    }
    let nonce = "load";
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis().to_string())
        .unwrap_or_default();
    let signature = sign(&args.app_secret, nonce, &timestamp);
    format!(
        "POST /message/private/publish.json HTTP/1.1\r\nHost: {host}\r\nApp-Key: {}\r\n\
         Nonce: {nonce}\r\nTimestamp: {timestamp}\r\nSignature: {signature}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        args.app_key,
        body.len()
    )
    .into_bytes()
}

/// Reads one answer; returns its status.
async fn read_answer(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<u16> {
    buf.clear();
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&buf[..end]).unwrap_or("");
            let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())?
                })
                .unwrap_or(0);
            let total = end + 4 + length;
            while buf.len() < total {
                read_more(stream, buf).await?;
            }
            return Ok(status);
        }
        read_more(stream, buf).await?;
    }
}

async fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<()> {
    let mut chunk = [0u8; 4096];
    let n = stream.read(&mut chunk).await?;
    if n == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    buf.extend_from_slice(&chunk[..n]);
    Ok(())
}

async fn worker(
    target: SocketAddr,
    request: Arc<Vec<u8>>,
    limit: u64,
    per_connection: u64,
    deadline: Instant,
    totals: Arc<Totals>,
) {
    let mut buf = Vec::with_capacity(4096);
    'connections: loop {
        let Ok(mut stream) = TcpStream::connect(target).await else {
            totals.failed.fetch_add(1, Ordering::Relaxed);
            return;
        };
        let _ = stream.set_nodelay(true);
        let mut on_this_connection = 0;
        loop {
            if Instant::now() >= deadline || totals.sent.fetch_add(1, Ordering::Relaxed) >= limit {
                return;
            }
            if stream.write_all(&request).await.is_err() {
                totals.failed.fetch_add(1, Ordering::Relaxed);
                continue 'connections;
            }
            match read_answer(&mut stream, &mut buf).await {
                Ok(200) => totals.ok.fetch_add(1, Ordering::Relaxed),
                Ok(_) => totals.failed.fetch_add(1, Ordering::Relaxed),
                Err(_) => {
                    totals.failed.fetch_add(1, Ordering::Relaxed);
                    continue 'connections;
                }
            };
            on_this_connection += 1;
            if per_connection > 0 && on_this_connection >= per_connection {
                continue 'connections;
            }
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let (emulator, target) = match args.target {
        Some(target) if target.ip().is_loopback() => (None, target),
        Some(target) => return Err(format!("{target} is not a loopback address").into()),
        None => {
            let emulator = Emulator::builder()
                .rate_limits(false)
                .record_limit(Some(100_000))
                .start()
                .await?;
            let target = emulator.addrs()[0];
            (Some(emulator), target)
        }
    };
    let request = Arc::new(request_bytes(&args, target));
    let totals = Arc::new(Totals::default());
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.max_seconds);
    let workers: Vec<_> = (0..args.connections)
        .map(|_| {
            tokio::spawn(worker(
                target,
                request.clone(),
                args.requests,
                args.per_connection,
                deadline,
                totals.clone(),
            ))
        })
        .collect();
    for w in workers {
        w.await?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let ok = totals.ok.load(Ordering::Relaxed);
    let failed = totals.failed.load(Ordering::Relaxed);
    println!(
        "{ok} ok, {failed} failed in {elapsed:.2} s over {} connections ({} recipient(s) each): {:.0} requests/s",
        args.connections,
        args.recipients,
        ok as f64 / elapsed
    );
    if let Some(emulator) = emulator {
        println!(
            "emulator: {} connections, at most {} requests on one, answers by code {:?}",
            emulator.connections().len(),
            emulator.max_requests_per_connection(),
            emulator.answers_by_code()
        );
    }
    Ok(())
}
