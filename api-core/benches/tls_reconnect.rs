//! What the first call on a new HTTPS connection costs with a resumed TLS
//! session and with a full handshake, measured in the same run.
//!
//! The transport opens a new connection every 79 calls (the provider's
//! cap); this is the price of each. An iteration builds a client (not
//! timed) and times its first call to a local HTTPS server (hyper on
//! tokio-rustls, an ECDSA P-256 certificate made on the spot): TCP connect,
//! TLS handshake, request and answer.
//!
//! `resumed`: every client's transport is made with
//! `HyperTransport::with_tls` from clones of one configuration: they share
//! its session cache, so each new connection resumes a session, as the
//! connections of one transport do.
//! `full`: every client gets a configuration of its own: each new
//! connection makes a full handshake (what the connections of one
//! transport would pay without a shared configuration).
//!
//! ```sh
//! cargo bench -p api-core --bench tls_reconnect -- --warm-up-time 2 --measurement-time 5
//! ```

use std::time::{Duration, Instant};

use api_core::{Client, Credentials, HyperTransport, Pacing, Proxies, rustls};
use criterion::{Criterion, criterion_group, criterion_main};

#[path = "../tests/support/tls.rs"]
mod tls;

use tls::{HandshakeKind, Ping, certificate, client_tls, tls_server};

/// The time of the first call of a new client whose transport uses `tls`.
async fn first_call(tls: rustls::ClientConfig, base_url: &str) -> Duration {
    let transport = HyperTransport::builder()
        .connect_timeout(Duration::from_secs(5))
        .tls(tls)
        .proxies(Proxies::none())
        .build()
        .unwrap();
    let client = Client::builder(Credentials::new("app-key", "app-secret"))
        .base_urls([base_url])
        .pacing(Pacing::disabled())
        .transport(transport)
        .build()
        .unwrap();
    let started = Instant::now();
    client.send(&Ping).await.unwrap();
    started.elapsed()
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (certificate, key) = certificate();
    let (base_url, handshakes) = runtime.block_on(tls_server(certificate.clone(), key));
    let shared = client_tls(&certificate);

    let mut group = c.benchmark_group("tls_reconnect");
    group.bench_function("resumed", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    total += first_call(shared.clone(), &base_url).await;
                }
                total
            })
        })
    });
    group.bench_function("full", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    total += first_call(client_tls(&certificate), &base_url).await;
                }
                total
            })
        })
    });
    group.finish();
    // Both kinds of handshake really happened.
    let handshakes = handshakes.lock().unwrap();
    for kind in [HandshakeKind::Full, HandshakeKind::Resumed] {
        assert!(handshakes.contains(&Some(kind)), "no {kind:?} handshake");
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
