//! The HTTP side: accept loops, one hyper HTTP/1.1 connection per TCP stream
//! (keep-alive on), and the request pipeline
//! faults → endpoint → method → signature → body rules → rate limit → service → record.
//!
//! hyper is used directly rather than through a framework so the emulator controls
//! connections: returning `Err` from the service makes hyper close the connection
//! without writing an answer, which is how "drop after processing" and "hang" work,
//! and every connection has its own request counter.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::request::Parts;
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::answer;
use crate::clock::Clock;
use crate::config::{AppConfig, Service};
use crate::faults::{FaultKind, Faults};
use crate::ids::next_message_id;
use crate::inspect;
use crate::rate::RateLimits;
use crate::records::{ConnectionEntry, Delivery, DeliveryKind, Records, RequestRecord};
use crate::rejection::{Checked, Rejection};
use crate::rules::{self, Accepted, Endpoint, MessageRequest, PushAudience};
use crate::signature::SigningHeaders;

/// Largest body read. The biggest legal body is a private publish to 1000 users with
/// 128 KiB of content percent-encoded (up to three bytes per byte), well under this.
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// `tracing` target of the one-line-per-request access log.
pub(crate) const ACCESS_LOG: &str = "api_emulator::access";

/// One configured app and its live switches.
#[derive(Debug)]
pub(crate) struct App {
    pub key: String,
    secret: String,
    services: [AtomicBool; 4],
    limits: RateLimits,
}

impl App {
    pub fn new(config: AppConfig) -> Self {
        Self {
            key: config.key,
            secret: config.secret,
            services: config.services.map(AtomicBool::new),
            limits: RateLimits::new(),
        }
    }

    pub fn secret(&self) -> &str {
        &self.secret
    }

    pub fn set_service(&self, service: Service, enabled: bool) {
        self.services[service.index()].store(enabled, Ordering::Relaxed);
    }

    pub fn is_enabled(&self, service: Service) -> bool {
        self.services[service.index()].load(Ordering::Relaxed)
    }

    pub fn reset_rate_limits(&self) {
        self.limits.reset();
    }
}

/// Everything the connections of one emulator share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub apps: HashMap<String, App>,
    pub clock: Clock,
    pub rate_limits: AtomicBool,
    pub records: Records,
    pub faults: Faults,
    pub inspection: bool,
    pub idle_timeout: Option<Duration>,
}

/// Returned by the service to make hyper close the connection without answering.
#[derive(Debug, thiserror::Error)]
#[error("connection closed without answer by the emulator")]
struct CloseConnection;

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
    let service = service_fn(move |req| handle(shared.clone(), host, entry.clone(), req));
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

/// What processing decided to answer.
struct Outcome {
    status: u16,
    code: u32,
    body: Bytes,
    delivered: bool,
    retry_after: Option<u64>,
}

impl Outcome {
    fn rejected(r: &Rejection) -> Self {
        Self {
            status: r.status,
            code: r.code,
            body: answer::error(r.code, &r.message),
            delivered: false,
            retry_after: None,
        }
    }

    fn success(body: Bytes, delivered: bool) -> Self {
        Self {
            status: 200,
            code: 200,
            body,
            delivered,
            retry_after: None,
        }
    }
}

async fn handle(
    shared: Arc<Shared>,
    host: usize,
    connection: Arc<ConnectionEntry>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, CloseConnection> {
    let started = Instant::now();
    connection.requests.fetch_add(1, Ordering::Relaxed);
    let (parts, body) = req.into_parts();
    let path = parts.uri.path();
    if shared.inspection && path.starts_with(inspect::PREFIX) {
        return Ok(inspect::answer(&shared, &parts));
    }
    let at_millis = shared.clock.now_millis();
    let fault = shared.faults.take_for_request(path, host);
    let request_id = parts.headers.get("x-request-id").cloned();

    // Read the whole body first: every outcome below, faults included, behaves like a
    // server that received the complete request.
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<LengthLimitError>() => Err(Rejection::too_long(format!(
            "request body is larger than {MAX_BODY_BYTES} bytes"
        ))),
        // The client went away mid-body: nobody to answer.
        Err(_) => return Err(CloseConnection),
    };

    let outcome = match &fault {
        Some(FaultKind::Hang(duration)) => {
            tokio::time::sleep(*duration).await;
            let ctx = Context::new(&shared, host, &connection, &parts, &request_id);
            ctx.finish(started, at_millis, Ending::NotProcessed, true);
            return Err(CloseConnection);
        }
        Some(FaultKind::Answer {
            status,
            code,
            retry_after,
        }) => Outcome {
            status: *status,
            code: *code,
            body: answer::error(*code, "injected fault"),
            delivered: false,
            retry_after: *retry_after,
        },
        _ => match body
            .and_then(|body| process(&shared, host, &parts, &body, &request_id, at_millis))
        {
            Ok(outcome) => outcome,
            Err(rejection) => Outcome::rejected(&rejection),
        },
    };

    let ctx = Context::new(&shared, host, &connection, &parts, &request_id);
    match fault {
        Some(FaultKind::Delay(delay)) => tokio::time::sleep(delay).await,
        Some(FaultKind::DropAfterProcessing) => {
            ctx.finish(started, at_millis, Ending::Dropped(&outcome), true);
            return Err(CloseConnection);
        }
        _ => {}
    }
    ctx.finish(
        started,
        at_millis,
        Ending::Answered(&outcome),
        fault.is_some(),
    );
    Ok(respond(&outcome, request_id))
}

/// How a request ended.
enum Ending<'a> {
    /// The answer was written.
    Answered(&'a Outcome),
    /// Processed, then the connection was closed without answer.
    Dropped(&'a Outcome),
    /// The connection was closed without processing or answer.
    NotProcessed,
}

/// The request being finished, borrowed from `handle`.
struct Context<'a> {
    shared: &'a Shared,
    host: usize,
    connection: &'a ConnectionEntry,
    parts: &'a Parts,
    request_id: &'a Option<HeaderValue>,
}

impl<'a> Context<'a> {
    fn new(
        shared: &'a Shared,
        host: usize,
        connection: &'a ConnectionEntry,
        parts: &'a Parts,
        request_id: &'a Option<HeaderValue>,
    ) -> Self {
        Self {
            shared,
            host,
            connection,
            parts,
            request_id,
        }
    }

    /// Records the request and writes the access-log line.
    fn finish(&self, started: Instant, at_millis: u64, ending: Ending<'_>, faulted: bool) {
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

fn respond(outcome: &Outcome, request_id: Option<HeaderValue>) -> Response<Full<Bytes>> {
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

/// Runs the checks of REFERENCE.md and the pages, then records the delivery.
fn process(
    shared: &Shared,
    host: usize,
    parts: &Parts,
    body: &Bytes,
    request_id: &Option<HeaderValue>,
    now: u64,
) -> Checked<Outcome> {
    let path = parts.uri.path();
    let endpoint = Endpoint::from_path(path).ok_or_else(|| Rejection::not_found(path))?;
    if parts.method != Method::POST {
        return Err(Rejection::method_not_allowed(parts.method.as_str()));
    }
    let signing = SigningHeaders::extract(&parts.headers)?;
    let app = shared
        .apps
        .get(signing.app_key)
        .ok_or_else(Rejection::unknown_app_key)?;
    signing.verify(app.secret())?;
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    match rules::check(endpoint, content_type, body)? {
        Accepted::Tags(tags) => {
            shared
                .records
                .set_tags(&app.key, &tags.user_ids, &tags.tags);
            Ok(Outcome::success(Bytes::from_static(answer::OK), false))
        }
        Accepted::Message(message) => {
            // Pages 000 / 004: while a service is off, calls still count against the
            // rate limit ("在未开通服务时,如果连续请求导致 API 请求频率超过限制 ...
            // 1008"), so the quota is taken before the service check.
            if shared.rate_limits.load(Ordering::Relaxed) {
                app.limits.try_acquire(endpoint, now, message.weight)?;
            }
            if let Some(service) = message.kind.service()
                && !app.is_enabled(service)
            {
                return Err(Rejection::not_enabled(format!(
                    "the {} service is not enabled for this App Key",
                    service.name()
                )));
            }
            let body = commit(shared, app, endpoint, host, message, request_id, now);
            Ok(Outcome::success(body, true))
        }
    }
}

/// Assigns message ids, records the delivery and builds the success answer.
fn commit(
    shared: &Shared,
    app: &App,
    endpoint: Endpoint,
    host: usize,
    message: MessageRequest,
    request_id: &Option<HeaderValue>,
    now: u64,
) -> Bytes {
    let recipients = match &message.push_audience {
        Some(audience) if message.recipients.is_empty() => resolve_audience(shared, app, audience),
        _ => message.recipients,
    };
    let (message_ids, body) = match message.kind {
        DeliveryKind::PrivateMessage | DeliveryKind::SystemMessage => {
            let ids: Vec<String> = recipients.iter().map(|_| next_message_id()).collect();
            let body = answer::publish(&recipients, &ids);
            (ids, body)
        }
        DeliveryKind::OnlineBroadcast => {
            let id = next_message_id();
            let body = answer::online_broadcast(&id);
            (vec![id], body)
        }
        DeliveryKind::Broadcast | DeliveryKind::Push | DeliveryKind::PackageNotification => {
            let id = next_message_id();
            let body = answer::push(&id);
            (vec![id], body)
        }
    };
    shared.records.push_delivery(Delivery {
        seq: shared.records.next_delivery_seq(),
        kind: message.kind,
        path: endpoint.path().to_owned(),
        app_key: app.key.clone(),
        host,
        sender: message.sender,
        recipients,
        audience: message.audience,
        object_name: message.object_name,
        content: message.content,
        params: message.params,
        message_ids,
        request_id: request_id
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        at_millis: now,
    });
    body
}

/// The users a tag or `is_to_all` audience reaches among those tagged through this
/// emulator. A package-name condition cannot be resolved: the emulator does not know
/// which package a user installed, so such audiences reach nobody it can name.
fn resolve_audience(shared: &Shared, app: &App, audience: &PushAudience) -> Vec<String> {
    if audience.is_to_all {
        return shared.records.users_with_tags(&app.key, |_| true);
    }
    if audience.package_name.is_some() || (audience.tag.is_empty() && audience.tag_or.is_empty()) {
        return Vec::new();
    }
    shared.records.users_with_tags(&app.key, |tags| {
        // 003: tag is AND, tag_or is OR, and both may be combined.
        audience.tag.iter().all(|t| tags.contains(t))
            && (audience.tag_or.is_empty() || audience.tag_or.iter().any(|t| tags.contains(t)))
    })
}

/// The address a host listens on, for logs.
pub(crate) fn url(addr: SocketAddr) -> String {
    format!("http://{addr}")
}
