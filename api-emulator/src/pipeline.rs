//! The request pipeline: emulator routes → faults → endpoint → method →
//! signature → app → encoding → parameters → rate limit → service → state and
//! records → answer.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use bytes::Bytes;
use http::request::Parts;
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;

use crate::access::{Ending, Finish, Outcome, respond};
use crate::answer;
use crate::downloads;
use crate::endpoints::Endpoint;
use crate::faults::FaultKind;
use crate::inspect;
use crate::records::ConnectionEntry;
use crate::rejection::{Checked, Rejection};
use crate::routes::{self, Call, Reply};
use crate::shared::Shared;
use crate::signature::SigningHeaders;

/// Largest body read. The biggest legal body is a private publish to 1000 users with
/// 128 KiB of content percent-encoded (up to three bytes per byte), well under this.
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Returned by the service to make hyper close the connection without answering.
#[derive(Debug, thiserror::Error)]
#[error("connection closed without answer by the emulator")]
pub(crate) struct CloseConnection;

impl Outcome {
    fn rejected(r: &Rejection, path: &str) -> Self {
        // The Go SDK reads ultra group errors as `{code, msg}` (API-BREADTH.md §2
        // #25): those answers carry the message under both names.
        let body = if path.contains("/ultragroup/") {
            answer::json(&serde_json::json!({
                "code": r.code,
                "errorMessage": r.message,
                "msg": r.message,
            }))
        } else {
            answer::error(r.code, &r.message)
        };
        Self {
            status: r.status,
            code: r.code,
            body,
            delivered: false,
            retry_after: None,
        }
    }

    fn success(reply: Reply) -> Self {
        Self {
            status: 200,
            code: 200,
            body: reply.body,
            delivered: reply.delivered,
            retry_after: None,
        }
    }
}

pub(crate) async fn handle(
    shared: Arc<Shared>,
    host: usize,
    connection: Arc<ConnectionEntry>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, CloseConnection> {
    let started = Instant::now();
    connection.requests.fetch_add(1, Ordering::Relaxed);
    let (parts, body) = req.into_parts();
    let path = parts.uri.path();
    if let Some(rest) = path.strip_prefix(downloads::HISTORY_PREFIX) {
        return Ok(download(&shared, &parts, rest));
    }
    let at_millis = shared.clock.now_millis();
    let inspection = shared.inspection && path.starts_with(inspect::PREFIX);
    let fault = if inspection {
        None
    } else {
        shared.faults.take_for_request(path, host)
    };
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
    if inspection {
        let body = body.unwrap_or_default();
        return Ok(inspect::answer(&shared, &parts, &body));
    }

    let finish = Finish {
        shared: &shared,
        host,
        connection: &connection,
        parts: &parts,
        request_id: &request_id,
    };
    let outcome = match &fault {
        Some(FaultKind::Hang(duration)) => {
            tokio::time::sleep(*duration).await;
            finish.finish(started, at_millis, Ending::NotProcessed, true);
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
            Ok(reply) => Outcome::success(reply),
            Err(rejection) => Outcome::rejected(&rejection, parts.uri.path()),
        },
    };

    match fault {
        Some(FaultKind::Delay(delay)) => tokio::time::sleep(delay).await,
        Some(FaultKind::DropAfterProcessing) => {
            finish.finish(started, at_millis, Ending::Dropped(&outcome), true);
            return Err(CloseConnection);
        }
        _ => {}
    }
    finish.finish(
        started,
        at_millis,
        Ending::Answered(&outcome),
        fault.is_some(),
    );
    Ok(respond(&outcome, request_id))
}

/// Runs the checks of REFERENCE.md, then the endpoint's own.
fn process(
    shared: &Shared,
    host: usize,
    parts: &Parts,
    body: &Bytes,
    request_id: &Option<HeaderValue>,
    now: u64,
) -> Checked<Reply> {
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
    let call = Call {
        shared,
        app,
        endpoint,
        host,
        request_id: request_id.as_ref().and_then(|v| v.to_str().ok()),
        now,
    };
    routes::serve(&call, content_type, body)
}

/// `GET /_emulator/history/...`: the gzip file, or 404.
fn download(shared: &Shared, parts: &Parts, rest: &str) -> Response<Full<Bytes>> {
    if parts.method != Method::GET {
        return inspect::json(
            StatusCode::METHOD_NOT_ALLOWED,
            answer::error(405, "history files are read with GET"),
        );
    }
    match downloads::history_file(shared, rest) {
        Some(file) => {
            let mut response = Response::new(Full::new(file));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/gzip"),
            );
            response
        }
        None => inspect::json(
            StatusCode::NOT_FOUND,
            answer::error(
                404,
                "no history file: no messages in that hour, or past 3 days",
            ),
        ),
    }
}
