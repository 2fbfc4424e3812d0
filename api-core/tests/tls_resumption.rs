//! The transport's connections share one TLS configuration, so the new
//! connection that the cap of 79 requests forces resumes an earlier TLS
//! session instead of a full handshake. A TLS server on 127.0.0.1 (a
//! self-signed certificate made for the test) records how each accepted
//! connection's handshake went.

use std::time::Duration;

use api_core::rustls::HandshakeKind;
use api_core::{
    Client, Credentials, HyperTransport, MAX_REQUESTS_PER_CONNECTION, Pacing, Proxies, Transport,
    rustls,
};

#[path = "support/tls.rs"]
mod tls;

use tls::{Ping, certificate, client_tls, tls_server};

fn transport(tls: rustls::ClientConfig) -> HyperTransport {
    HyperTransport::builder()
        .connect_timeout(Duration::from_secs(5))
        .tls(tls)
        .proxies(Proxies::none())
        .build()
        .unwrap()
}

/// Sends `calls` calls, one after another.
async fn calls(transport: impl Transport, base_url: &str, calls: u32) {
    let client = Client::builder(Credentials::new("app-key", "app-secret"))
        .base_urls([base_url])
        .pacing(Pacing::disabled())
        .transport(transport)
        .build()
        .unwrap();
    for _ in 0..calls {
        client.send(&Ping).await.unwrap();
    }
}

#[tokio::test]
async fn new_connections_resume_the_tls_session() {
    let (certificate, key) = certificate();
    let (base_url, handshakes) = tls_server(certificate.clone(), key).await;
    let transport = transport(client_tls(&certificate));
    calls(transport, &base_url, 3 * MAX_REQUESTS_PER_CONNECTION).await;

    let handshakes = handshakes.lock().unwrap().clone();
    assert_eq!(handshakes.len(), 3, "{handshakes:?}");
    assert_eq!(handshakes[0], Some(HandshakeKind::Full));
    assert_eq!(handshakes[1..], [Some(HandshakeKind::Resumed); 2]);
}

/// What the shared configuration avoids: transports that each build their
/// own TLS configuration start every connection with a full handshake.
#[tokio::test]
async fn transports_with_their_own_configuration_never_resume() {
    let (certificate, key) = certificate();
    let (base_url, handshakes) = tls_server(certificate.clone(), key).await;
    for _ in 0..3 {
        calls(transport(client_tls(&certificate)), &base_url, 2).await;
    }

    let handshakes = handshakes.lock().unwrap().clone();
    assert_eq!(handshakes, [Some(HandshakeKind::Full); 3]);
}
