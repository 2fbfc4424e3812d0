//! An HTTPS server on 127.0.0.1 with a certificate made on the spot, and a
//! client TLS configuration that trusts it, for the TLS test and the TLS
//! reconnection bench (included by both with `#[path]`).

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use api_core::rustls;
pub use api_core::rustls::HandshakeKind;
use api_core::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use api_core::{CodeOnly, EncodeError, Encoding, Endpoint, Report, Validate};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// A call with a one-pair form body, answered `{"code":200}`.
pub struct Ping;

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
pub type Handshakes = Arc<Mutex<Vec<Option<HandshakeKind>>>>;

pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A certificate for 127.0.0.1 and its key.
pub fn certificate() -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
    let rcgen::CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let key = PrivatePkcs8KeyDer::from(signing_key.serialize_der());
    (cert.der().clone(), key.into())
}

/// A client configuration that trusts `certificate` only.
pub fn client_tls(certificate: &CertificateDer<'static>) -> rustls::ClientConfig {
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
pub async fn tls_server(
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
            // Answers and session tickets are small writes; do not let
            // Nagle hold one back behind another (as the emulator does).
            let _ = stream.set_nodelay(true);
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
