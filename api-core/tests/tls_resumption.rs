//! Each transport's connections share one TLS configuration, so the new
//! connection that the cap of 79 requests forces resumes an earlier TLS
//! session instead of a full handshake. A TLS server on 127.0.0.1 (a
//! self-signed certificate made for the test) records how each accepted
//! connection's handshake went.

use std::time::Duration;

use api_core::rustls::HandshakeKind;
use api_core::{
    Client, Credentials, HyperTransport, MAX_REQUESTS_PER_CONNECTION, Pacing, ReqwestTransport,
    Transport,
};

#[path = "support/tls.rs"]
mod tls;

use tls::{Ping, certificate, client_tls, tls_server};

/// Sends enough calls, one after another, for three connections.
async fn three_connections_worth(transport: impl Transport, base_url: &str) {
    let client = Client::builder(Credentials::new("app-key", "app-secret"))
        .base_urls([base_url])
        .pacing(Pacing::disabled())
        .transport(transport)
        .build()
        .unwrap();
    for _ in 0..3 * MAX_REQUESTS_PER_CONNECTION {
        client.send(&Ping).await.unwrap();
    }
}

#[tokio::test]
async fn new_connections_resume_the_tls_session() {
    let (certificate, key) = certificate();
    let (base_url, handshakes) = tls_server(certificate.clone(), key).await;
    let transport =
        ReqwestTransport::with_tls(Duration::from_secs(5), client_tls(&certificate)).unwrap();
    three_connections_worth(transport, &base_url).await;

    let handshakes = handshakes.lock().unwrap().clone();
    assert!(handshakes.len() >= 3, "{handshakes:?}");
    assert_eq!(handshakes[0], Some(HandshakeKind::Full));
    assert!(
        handshakes[1..]
            .iter()
            .all(|kind| *kind == Some(HandshakeKind::Resumed)),
        "{handshakes:?}"
    );
}

#[tokio::test]
async fn the_hyper_transport_resumes_too() {
    let (certificate, key) = certificate();
    let (base_url, handshakes) = tls_server(certificate.clone(), key).await;
    let transport =
        HyperTransport::with_tls(Duration::from_secs(5), client_tls(&certificate)).unwrap();
    three_connections_worth(transport, &base_url).await;

    let handshakes = handshakes.lock().unwrap().clone();
    assert_eq!(handshakes.len(), 3, "{handshakes:?}");
    assert_eq!(handshakes[0], Some(HandshakeKind::Full));
    assert_eq!(handshakes[1..], [Some(HandshakeKind::Resumed); 2]);
}

/// What the shared configuration avoids: clients that each build their own
/// TLS configuration (as reqwest does) start every connection with a full
/// handshake.
#[tokio::test]
async fn clients_with_their_own_configuration_never_resume() {
    let (certificate, key) = certificate();
    let (base_url, handshakes) = tls_server(certificate.clone(), key).await;
    let transport = ReqwestTransport::from_factory(move || {
        reqwest::Client::builder()
            .use_preconfigured_tls(client_tls(&certificate))
            .pool_max_idle_per_host(1)
            .build()
            .map_err(|e| api_core::ConfigError::new(e.to_string()))
    })
    .unwrap();
    three_connections_worth(transport, &base_url).await;

    let handshakes = handshakes.lock().unwrap().clone();
    assert!(handshakes.len() >= 3, "{handshakes:?}");
    assert!(
        handshakes
            .iter()
            .all(|kind| *kind == Some(HandshakeKind::Full)),
        "{handshakes:?}"
    );
}
