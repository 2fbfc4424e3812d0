//! The end of every request: the request record, the one-line access log, and
//! the HTTP answer.

use std::fmt;
use std::time::Instant;

use bytes::Bytes;
use http::request::Parts;
use http::{HeaderValue, Response, StatusCode, header};
use http_body_util::Full;

use crate::records::{ConnectionEntry, RequestRecord};
use crate::shared::Shared;

/// `tracing` target of the one-line-per-request access log.
pub(crate) const ACCESS_LOG: &str = "api_emulator::access";

/// What processing decided to answer.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub status: u16,
    pub code: u32,
    pub body: Bytes,
    pub delivered: bool,
    pub retry_after: Option<u64>,
}

/// How a request ended.
pub(crate) enum Ending<'a> {
    /// The answer was written.
    Answered(&'a Outcome),
    /// Processed, then the connection was closed without answer.
    Dropped(&'a Outcome),
    /// The connection was closed without processing or answer.
    NotProcessed,
}

/// The request being finished, borrowed from the pipeline.
pub(crate) struct Finish<'a> {
    pub shared: &'a Shared,
    pub host: usize,
    pub connection: &'a ConnectionEntry,
    pub parts: &'a Parts,
    pub request_id: &'a Option<HeaderValue>,
}

impl Finish<'_> {
    /// Records the request and writes the access-log line.
    pub fn finish(&self, started: Instant, at_millis: u64, ending: Ending<'_>, faulted: bool) {
        let headers = &self.parts.headers;
        let app_key = headers
            .get("app-key")
            .or_else(|| headers.get("rc-app-key"))
            .and_then(|v| v.to_str().ok());
        let request_id = self.request_id.as_ref().and_then(|v| v.to_str().ok());
        let (status, code, delivered) = match ending {
            Ending::Answered(o) => (Some(o.status), Some(o.code), o.delivered),
            Ending::Dropped(o) => (None, Some(o.code), o.delivered),
            Ending::NotProcessed => (None, None, false),
        };
        tracing::info!(
            target: ACCESS_LOG,
            method = %self.parts.method,
            path = %self.parts.uri.path(),
            app_key = %app_key.unwrap_or("-"),
            status = %OrDash(status),
            code = %OrDash(code),
            answered = status.is_some(),
            request_id = %request_id.unwrap_or("-"),
            latency_us = started.elapsed().as_micros() as u64,
            host = self.host,
        );
        self.shared.records.push_request(RequestRecord {
            seq: 0,
            host: self.host,
            connection: self.connection.id,
            method: self.parts.method.to_string(),
            path: self.parts.uri.path().to_owned(),
            app_key: app_key.map(str::to_owned),
            request_id: request_id.map(str::to_owned),
            status,
            code,
            faulted,
            delivered,
            at_millis,
        });
    }
}

/// Displays a value or `-`, without allocating.
struct OrDash<T>(Option<T>);

impl<T: fmt::Display> fmt::Display for OrDash<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(v) => v.fmt(f),
            None => f.write_str("-"),
        }
    }
}

/// The HTTP answer of an outcome.
pub(crate) fn respond(outcome: &Outcome, request_id: Option<HeaderValue>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(outcome.body.clone()));
    *response.status_mut() =
        StatusCode::from_u16(outcome.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    // Echo the caller's request id so a trace can be followed end to end.
    if let Some(id) = request_id {
        headers.insert("x-request-id", id);
    }
    if let Some(secs) = outcome.retry_after {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    if outcome.status == 430 {
        // 430 has no standard reason phrase; say what the code table says.
        response
            .extensions_mut()
            .insert(hyper::ext::ReasonPhrase::from_static(
                b"Service Not Enabled",
            ));
    }
    response
}
