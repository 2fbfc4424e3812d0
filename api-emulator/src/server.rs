//! The TCP side: accept loops and one hyper HTTP/1.1 connection per TCP stream
//! (keep-alive on). Each request goes to [`pipeline::handle`].
//!
//! hyper is used directly rather than through a framework so the emulator controls
//! connections: returning `Err` from the service makes hyper close the connection
//! without writing an answer, which is how "drop after processing" and "hang" work,
//! and every connection has its own request counter.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::pipeline;
use crate::records::ConnectionEntry;
use crate::shared::Shared;

/// Accepts connections on `listener` until `down` changes or its sender is dropped.
pub(crate) async fn accept_loop(
    shared: Arc<Shared>,
    host: usize,
    listener: TcpListener,
    mut down: watch::Receiver<u64>,
) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = down.changed() => return,
        };
        let (stream, peer) = match accepted {
            Ok(pair) => pair,
            Err(e) => {
                // Out of file descriptors and similar: back off instead of spinning.
                tracing::warn!("accept failed on host {host}: {e}");
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        if shared.faults.take_for_connection(host) {
            shared.records.note_refused_connection();
            drop(stream);
            continue;
        }
        // Answers are single small writes; do not let Nagle hold them back.
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        let down = down.clone();
        tokio::spawn(async move {
            let entry = shared.records.open_connection(host, peer);
            serve_connection(shared, host, TokioIo::new(stream), entry.clone(), down).await;
            entry.open.store(false, Ordering::Relaxed);
        });
    }
}

async fn serve_connection(
    shared: Arc<Shared>,
    host: usize,
    io: TokioIo<tokio::net::TcpStream>,
    entry: Arc<ConnectionEntry>,
    mut down: watch::Receiver<u64>,
) {
    let idle_timeout = shared.idle_timeout;
    let service = service_fn(move |req| pipeline::handle(shared.clone(), host, entry.clone(), req));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .keep_alive(true)
        // The timer starts whenever hyper waits for a request head, so this is also
        // the idle timeout of a kept-alive connection (the provider's load balancer
        // cuts idle connections; REFERENCE.md asks clients to stay under 55 s).
        .header_read_timeout(idle_timeout);
    let connection = builder.serve_connection(io, service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = down.changed() => {}
    }
}

/// The address a host listens on, for logs.
pub(crate) fn url(addr: SocketAddr) -> String {
    format!("http://{addr}")
}
