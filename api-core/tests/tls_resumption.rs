//! The default transport's clients share one TLS configuration, so the new
//! connection that the cap of 79 requests forces resumes an earlier TLS
//! session instead of a full handshake. A TLS server on 127.0.0.1 (a
//! self-signed certificate made for the test) records how each accepted
//! connection's handshake went.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use api_core::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use api_core::rustls::{self, HandshakeKind};
use api_core::{
    Client, CodeOnly, Credentials, EncodeError, Encoding, Endpoint, MAX_REQUESTS_PER_CONNECTION,
    Pacing, Report, ReqwestTransport, Validate,
};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

struct Ping;

impl Validate for Ping {
    fn validate_into(&self, _: &mut Report) {}
}

impl Endpoint for Ping {
    const PATH: &'static str = "/ping.json";
    const ENCODING: Encoding = Encoding::Form;
    const MAX_RECIPIENTS: Option<usize> = None;
    type Response = CodeOnly;

    fn encode_body(&self) -> Result<Vec<u8>, EncodeError> {
        Ok(b"a=1".to_vec())
    }
}

/// How each accepted connection's handshake went, in order of acceptance.
type Handshakes = Arc<Mutex<Vec<Option<HandshakeKind>>>>;

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A certificate for 127.0.0.1 and its key.
fn certificate() -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
    let rcgen::CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let key = PrivatePkcs8KeyDer::from(signing_key.serialize_der());
    (cert.der().clone(), key.into())
}

/// A client configuration that trusts `certificate` only.
fn client_tls(certificate: &CertificateDer<'static>) -> rustls::ClientConfig {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(certificate.clone()).unwrap();
    rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth()
}

/// An HTTPS (HTTP/1.1) server answering `{"code":200}`, recording each
/// connection's handshake. It serves until the test's runtime ends.
async fn tls_server(
    certificate: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
) -> (String, Handshakes) {
    let mut tls = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![certificate], key)
        .unwrap();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = TlsAcceptor::from(Arc::new(tls));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let handshakes: Handshakes = Arc::default();
    let recorded = handshakes.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (acceptor, recorded) = (acceptor.clone(), recorded.clone());
            tokio::spawn(async move {
                let Ok(stream) = acceptor.accept(stream).await else {
                    return;
                };
                recorded
                    .lock()
                    .unwrap()
                    .push(stream.get_ref().1.handshake_kind());
                let service = service_fn(|request: hyper::Request<Incoming>| async move {
                    let _ = request.into_body().collect().await;
                    Ok::<_, Infallible>(hyper::Response::new(Full::new(Bytes::from_static(
                        br#"{"code":200}"#,
                    ))))
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (format!("https://{address}"), handshakes)
}

/// Sends enough calls, one after another, for three connections.
async fn three_connections_worth(transport: ReqwestTransport, base_url: &str) {
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
