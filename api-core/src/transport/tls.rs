//! The TLS configuration of the transport's connections.

use std::sync::Arc;

use crate::error::ConfigError;

/// The Mozilla root certificates (webpki-roots), the process's default
/// crypto provider or else ring, TLS 1.2 and 1.3.
pub(crate) fn default_tls() -> Result<rustls::ClientConfig, ConfigError> {
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ConfigError::new(format!("cannot configure TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tls)
}

/// One connector for every connection of a transport: they share `tls`,
/// and so its session cache, so that the new connection the cap of 79
/// requests forces resumes an earlier TLS session instead of repeating the
/// full handshake. ALPN offers `http/1.1`, the only protocol spoken.
pub(crate) fn connector(mut tls: rustls::ClientConfig) -> tokio_rustls::TlsConnector {
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    tokio_rustls::TlsConnector::from(Arc::new(tls))
}
