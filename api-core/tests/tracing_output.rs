//! Each call and attempt is traced with what support needs, never the
//! secret.
//!
//! A test binary of its own: tracing caches whether anyone listens to a
//! span or event site once per process, and a test running alongside
//! without a subscriber could record "nobody listens" for the attempt span
//! while this test's subscriber was being installed (it happened once in
//! CI: the `rongcloud.attempt` span was missing).

use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

// Shared with the delivery tests; this test uses only part of it.
#[allow(dead_code)]
#[path = "delivery/common.rs"]
mod common;

use common::*;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test(start_paused = true)]
async fn calls_and_attempts_are_traced_without_the_secret() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mock = Mock::new(|seen, index| {
        if index == 0 {
            Err(refused(seen))
        } else {
            Ok(publish_ok(seen))
        }
    });
    let client = builder(mock.clone(), &[A, B]).build().unwrap();
    client.send(&Publish::to(2)).await.unwrap();

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let request_id = &mock.seen()[0].request_id;
    for expected in [
        "rongcloud.call",
        "endpoint=\"/message/private/publish.json\"",
        &format!("request_id={request_id}"),
        "rongcloud.attempt",
        "host=\"a.test\"",
        "host=\"b.test\"",
        "attempt=2",
        "status=200",
        "attempts=2",
        "pacing_wait_ms=0",
        "latency_ms=",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains(SECRET), "the secret leaked:\n{text}");
}
