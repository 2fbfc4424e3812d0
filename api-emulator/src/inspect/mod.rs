//! Inspection routes, served on the same port under `/_emulator/` so a
//! quickstart or a test in another language can look at what the emulator
//! received and holds. JSON, read-only except for the one route that plays a
//! client connecting or disconnecting:
//!
//! - `GET /_emulator/deliveries`: every delivery
//! - `GET /_emulator/inbox/{userId}`: deliveries that reached one user
//! - `GET /_emulator/delivery-counts`: how many deliveries each user received
//!   (`{"userId": n}`; a campaign sent once has every value 1)
//! - `GET /_emulator/requests`: every request with its answer
//! - `GET /_emulator/stats`: answers by code, dropped answers, connections
//! - `GET /_emulator/users`, `/bans`, `/groups`, `/chatrooms`, `/ultragroups`,
//!   `/sensitive-words`, `/recalls`: the app's state; `/state`: all of it
//! - `GET /_emulator/callbacks`: callbacks queued, delivered, failed, dropped
//! - `POST /_emulator/online-status`: a JSON array of online-status events
//!   (`{"userid":..,"status":"0"|"1"|"2",...}`) applied to `/user/checkOnline.json`
//!   and posted to the user-status callback URL
//!
//! State routes and `delivery-counts`, `deliveries` and `online-status` take
//! `?appKey=KEY` to pick an app other than the first.

mod online;

use bytes::Bytes;
use http::request::Parts;
use http::{HeaderValue, Method, Response, StatusCode, header};
use http_body_util::Full;
use serde::Serialize;

pub(crate) use online::apply_online_events;

use crate::answer;
use crate::form::decode_path_segment;
use crate::records::ConnectionStats;
use crate::shared::{App, Shared};

/// Path prefix of the inspection routes.
pub(crate) const PREFIX: &str = "/_emulator/";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Stats {
    answers_by_code: std::collections::BTreeMap<u32, u64>,
    dropped_answers: u64,
    refused_connections: u64,
    connections: Vec<ConnectionStats>,
}

fn app_key_param(parts: &Parts) -> Option<String> {
    let query = parts.uri.query()?;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "appKey")
        .map(|(_, v)| v.into_owned())
}

fn error(status: StatusCode, message: &str) -> Response<Full<Bytes>> {
    json(status, answer::error(u32::from(status.as_u16()), message))
}

/// Answers an inspection request (`body` is the request body, read already).
pub(crate) fn answer(shared: &Shared, parts: &Parts, body: &[u8]) -> Response<Full<Bytes>> {
    let route = &parts.uri.path()[PREFIX.len()..];
    let app_key = app_key_param(parts);
    let app = match shared.app(app_key.as_deref()) {
        Some(app) => app,
        None => return error(StatusCode::NOT_FOUND, "appKey: no such app"),
    };
    if route == "online-status" {
        return if parts.method == Method::POST {
            online::answer(shared, app, body)
        } else {
            error(
                StatusCode::METHOD_NOT_ALLOWED,
                "online-status takes POST with a JSON array of events",
            )
        };
    }
    if parts.method != Method::GET {
        return error(
            StatusCode::METHOD_NOT_ALLOWED,
            "inspection routes are read-only: use GET",
        );
    }
    match view(shared, app, app_key.as_deref(), route) {
        Some(Ok(body)) => json(StatusCode::OK, Bytes::from(body)),
        Some(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        None => match route.strip_prefix("inbox/").map(decode_path_segment) {
            Some(Some(user)) if !user.is_empty() => {
                match serde_json::to_vec(&shared.records.inbox(app_key.as_deref(), &user)) {
                    Ok(body) => json(StatusCode::OK, Bytes::from(body)),
                    Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
                }
            }
            Some(_) => error(
                StatusCode::BAD_REQUEST,
                "inbox/{userId}: userId is not valid percent-encoded UTF-8",
            ),
            None => error(StatusCode::NOT_FOUND, "unknown inspection route"),
        },
    }
}

/// The JSON of a fixed route, or `None` for an unknown one.
fn view(
    shared: &Shared,
    app: &App,
    app_key: Option<&str>,
    route: &str,
) -> Option<serde_json::Result<Vec<u8>>> {
    let records = &shared.records;
    let now = shared.clock.now_millis();
    let state = &app.state;
    Some(match route {
        "deliveries" => match app_key {
            Some(key) => serde_json::to_vec(
                &records
                    .deliveries()
                    .into_iter()
                    .filter(|d| d.app_key == key)
                    .collect::<Vec<_>>(),
            ),
            None => serde_json::to_vec(&records.deliveries()),
        },
        "delivery-counts" => serde_json::to_vec(&records.delivery_counts(Some(&app.key))),
        "requests" => serde_json::to_vec(&records.requests()),
        "stats" => serde_json::to_vec(&Stats {
            answers_by_code: records.answers_by_code(),
            dropped_answers: records.dropped_answers(),
            refused_connections: records.refused_connections(),
            connections: records.connections(),
        }),
        "callbacks" => serde_json::to_vec(&shared.callbacks.stats()),
        "state" => serde_json::to_vec(&state.snapshot(now)),
        "users" => serde_json::to_vec(&crate::sync::lock(&state.users).all()),
        "bans" => serde_json::to_vec(&crate::sync::lock(&state.users).bans(now)),
        "groups" => serde_json::to_vec(&crate::sync::lock(&state.groups).all()),
        "chatrooms" => serde_json::to_vec(&crate::sync::lock(&state.chatrooms).all()),
        "ultragroups" => serde_json::to_vec(&crate::sync::lock(&state.ultra_groups).all()),
        "sensitive-words" => serde_json::to_vec(&state.words.list(2)),
        "recalls" => serde_json::to_vec(&crate::sync::lock(&state.recalls).all()),
        _ => return None,
    })
}

pub(crate) fn json(status: StatusCode, body: Bytes) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}
