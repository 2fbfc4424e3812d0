//! A 50 MiB answer fails the call (outcome unknown: the server answered)
//! and memory stays bounded: the answer is read up to the 1 MiB cap, then
//! its connection is dropped.
//!
//! A test binary of its own, because it counts every allocation of the
//! process (a global allocator) to measure the peak that the call adds.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use api_core::{
    Client, Credentials, DEFAULT_MAX_ANSWER_BYTES, Delivery, Error, Pacing, Proxies,
    TransportErrorKind,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[allow(dead_code)]
#[path = "support/tls.rs"]
mod tls;

use tls::Ping;

/// Counts the bytes allocated now and at the peak.
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn allocated(size: usize) {
    let now = CURRENT.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call goes to the system allocator unchanged; only counters
// are updated around it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            allocated(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(pointer, layout, size) };
        if !moved.is_null() {
            CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
            allocated(size);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MIB: usize = 1024 * 1024;
const ANSWER: usize = 50 * MIB;
/// The body is written from this one buffer, so that the server allocates
/// nothing per byte sent.
static CHUNK: [u8; 64 * 1024] = [b' '; 64 * 1024];

/// What the server did with its one connection.
#[derive(Default)]
struct Sent {
    bytes: AtomicUsize,
    done: AtomicBool,
}

/// A server that answers one request with a 200 whose body is 50 MiB of
/// spaces, declared with `Content-Length` or sent chunked without one, and
/// counts the bytes it managed to send before the client stopped reading.
async fn huge_answer(chunked: bool) -> (String, Arc<Sent>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let sent = Arc::new(Sent::default());
    let counter = sent.clone();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        read_request(&mut stream).await;
        let head = if chunked {
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
                .to_owned()
        } else {
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {ANSWER}\r\n\r\n"
            )
        };
        let _ = write(&mut stream, head.as_bytes(), &counter).await;
        for _ in 0..ANSWER / CHUNK.len() {
            let written = if chunked {
                write(&mut stream, b"10000\r\n", &counter).await
                    && write(&mut stream, &CHUNK, &counter).await
                    && write(&mut stream, b"\r\n", &counter).await
            } else {
                write(&mut stream, &CHUNK, &counter).await
            };
            if !written {
                break;
            }
        }
        if chunked {
            let _ = write(&mut stream, b"0\r\n\r\n", &counter).await;
        }
        counter.done.store(true, Ordering::SeqCst);
    });
    (url, sent)
}

async fn write(stream: &mut TcpStream, bytes: &[u8], sent: &Sent) -> bool {
    let written = stream.write_all(bytes).await.is_ok();
    if written {
        sent.bytes.fetch_add(bytes.len(), Ordering::SeqCst);
    }
    written
}

/// Reads a request head and its 3-byte body (`a=1`).
async fn read_request(stream: &mut TcpStream) {
    let mut seen = Vec::new();
    let mut buffer = [0u8; 1024];
    loop {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&buffer[..n]),
        }
        if let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            if seen.len() >= end + 4 + 3 {
                return;
            }
        }
    }
}

fn client(url: &str, max_answer_bytes: usize) -> Client {
    Client::builder(Credentials::new("app-key", "app-secret"))
        .base_urls([url])
        .pacing(Pacing::disabled())
        .transport(
            api_core::HyperTransport::builder()
                .proxies(Proxies::none())
                .max_answer_bytes(max_answer_bytes)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

/// Measurements one at a time: the counters are the process's.
static MEASURING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The call's error, and how far above the bytes allocated before it the
/// process's allocations peaked during it.
async fn call_measured(client: &Client) -> (Error, usize) {
    let _alone = MEASURING.lock().await;
    let before = CURRENT.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let error = client.send(&Ping).await.unwrap_err();
    let growth = PEAK.load(Ordering::SeqCst).saturating_sub(before);
    (error, growth)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_50_mib_answer_is_an_unknown_outcome_read_no_further_than_the_cap() {
    for chunked in [false, true] {
        let (url, sent) = huge_answer(chunked).await;
        let (error, growth) = call_measured(&client(&url, DEFAULT_MAX_ANSWER_BYTES)).await;
        let Error::Transport(transport) = &error else {
            panic!("expected a transport error, got {error:?}");
        };
        assert_eq!(transport.kind(), TransportErrorKind::AnswerTooLarge);
        assert_eq!(error.delivery(), Delivery::Unknown);
        assert!(error.to_string().contains("1048576-byte cap"), "{error}");
        // The cap, hyper's read buffer (at most 400 KiB) and the call's own
        // allocations: far below the 50 MiB sent.
        assert!(
            growth < 3 * MIB,
            "chunked: {chunked}: peak grew by {growth} bytes"
        );

        // The connection was dropped, not drained: the server's writes
        // failed once the socket buffers between them were full.
        for _ in 0..500 {
            if sent.done.load(Ordering::SeqCst) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(
            sent.done.load(Ordering::SeqCst),
            "the server is still writing"
        );
        let bytes = sent.bytes.load(Ordering::SeqCst);
        assert!(bytes < ANSWER / 2, "chunked: {chunked}: {bytes} bytes sent");
    }
}

/// What the measurement would show without the cap: the same answer read
/// whole raises the peak past its 50 MiB (then fails to decode: it is not
/// JSON).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_cap_the_same_answer_would_cost_its_size() {
    let (url, _) = huge_answer(true).await;
    let (error, growth) = call_measured(&client(&url, 64 * MIB)).await;
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(growth > ANSWER, "peak grew by {growth} bytes");
}
