//! Failures of the HTTP exchange itself: no connection, a timeout, a
//! connection lost mid-exchange.

use super::Delivery;

/// What went wrong in the transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be made (refused, DNS, TLS handshake, or a
    /// connect timeout). The request was not sent.
    Connect,
    /// No complete answer arrived within the per-attempt timeout after the
    /// request may have been written.
    Timeout,
    /// The connection failed while the request or its answer was in flight.
    Connection,
    /// Every connection the per-host cap allows stayed busy until the
    /// attempt's timeout. The request was not sent; the host is not known
    /// to be unhealthy (the client itself had too many calls in flight).
    ConnectionLimit,
    /// The HTTP proxy could not be reached, refused to open a tunnel to the
    /// host, or asked for credentials. The request was not sent.
    Proxy,
    /// The answer was larger than the transport reads: the server
    /// answered, so the request may have been processed.
    AnswerTooLarge,
    /// Anything else the HTTP stack reported.
    Other,
}

/// The request could not be sent, or its answer could not be read.
#[derive(Debug, thiserror::Error)]
#[error(
    "{} ({}) to {host}: {detail}{}",
    kind_text(*kind),
    delivery_text(*delivery),
    request_id.as_deref().map(|id| format!(" [request id {id}]")).unwrap_or_default()
)]
pub struct TransportError {
    kind: TransportErrorKind,
    delivery: Delivery,
    host: String,
    detail: String,
    request_id: Option<String>,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

fn kind_text(kind: TransportErrorKind) -> &'static str {
    match kind {
        TransportErrorKind::Connect => "could not connect",
        TransportErrorKind::Timeout => "timed out",
        TransportErrorKind::Connection => "connection failed",
        TransportErrorKind::ConnectionLimit => "no free connection",
        TransportErrorKind::Proxy => "proxy failed",
        TransportErrorKind::AnswerTooLarge => "answer too large",
        TransportErrorKind::Other => "transport error",
    }
}

fn delivery_text(delivery: Delivery) -> &'static str {
    match delivery {
        Delivery::NotSent => "request not sent",
        Delivery::Rejected => "request rejected",
        Delivery::Unknown => "outcome unknown: the server may have processed the request",
    }
}

impl TransportError {
    /// A transport error. `delivery` must be [`Delivery::NotSent`] only when
    /// the transport knows that no byte of the request reached the server.
    pub fn new(
        kind: TransportErrorKind,
        delivery: Delivery,
        host: impl Into<String>,
        detail: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            kind,
            delivery,
            host: host.into(),
            detail: detail.into(),
            request_id: None,
            source,
        }
    }

    /// Attaches the call's request id.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the request may have reached the server.
    pub fn delivery(&self) -> Delivery {
        self.delivery
    }

    /// The host the attempt went to.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The call's `X-Request-ID`.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}
