//! Read-only JSON views of the records, served on the same port under
//! `/_emulator/` so a quickstart or a test in another language can look at what
//! the emulator received:
//!
//! - `GET /_emulator/deliveries`: every delivery
//! - `GET /_emulator/inbox/{userId}`: deliveries that reached one user
//! - `GET /_emulator/requests`: every request with its answer
//! - `GET /_emulator/stats`: answers by code, dropped answers, connections

use bytes::Bytes;
use http::request::Parts;
use http::{HeaderValue, Method, Response, StatusCode, header};
use http_body_util::Full;
use serde::Serialize;

use crate::answer;
use crate::records::ConnectionStats;
use crate::server::Shared;

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

/// Answers an inspection request.
pub(crate) fn answer(shared: &Shared, parts: &Parts) -> Response<Full<Bytes>> {
    if parts.method != Method::GET {
        return json(
            StatusCode::METHOD_NOT_ALLOWED,
            answer::error(405, "inspection routes are read-only: use GET"),
        );
    }
    let route = &parts.uri.path()[PREFIX.len()..];
    let records = &shared.records;
    let body = match route {
        "deliveries" => serde_json::to_vec(&records.deliveries()),
        "requests" => serde_json::to_vec(&records.requests()),
        "stats" => serde_json::to_vec(&Stats {
            answers_by_code: records.answers_by_code(),
            dropped_answers: records.dropped_answers(),
            refused_connections: records.refused_connections(),
            connections: records.connections(),
        }),
        _ => match route.strip_prefix("inbox/").map(percent_decode) {
            Some(Some(user)) if !user.is_empty() => serde_json::to_vec(&records.inbox(None, &user)),
            Some(_) => {
                return json(
                    StatusCode::BAD_REQUEST,
                    answer::error(
                        400,
                        "inbox/{userId}: userId is not valid percent-encoded UTF-8",
                    ),
                );
            }
            None => {
                return json(
                    StatusCode::NOT_FOUND,
                    answer::error(404, "unknown inspection route"),
                );
            }
        },
    };
    match body {
        Ok(body) => json(StatusCode::OK, Bytes::from(body)),
        Err(e) => json(
            StatusCode::INTERNAL_SERVER_ERROR,
            answer::error(500, &e.to_string()),
        ),
    }
}

fn json(status: StatusCode, body: Bytes) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// Decodes `%XX` escapes of a path segment (`+` stays a plus in paths).
fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = segment.get(i + 1..i + 3)?;
            // `from_str_radix` alone would also take a sign such as "+1".
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_path_segments() {
        assert_eq!(percent_decode("a%20b+c").as_deref(), Some("a b+c"));
        assert_eq!(percent_decode("%E7%94%B7").as_deref(), Some("男"));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%+1"), None);
    }
}
