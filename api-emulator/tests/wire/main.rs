//! The emulator's own rules, exercised over real HTTP on loopback with hand-written
//! requests (bodies and signatures built by hand, sent on raw TCP).

mod client;

mod callbacks;
mod chatrooms;
mod connections;
mod faults;
mod group_publish;
mod groups;
mod history;
mod inspection;
mod online_broadcast;
mod private_publish;
mod push;
mod rate_limits;
mod recall;
mod routing;
mod sensitive;
mod services;
mod signature;
mod system_publish;
mod tags;
mod ultragroups;
mod users;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use api_emulator::{Clock, Emulator};
use client::{RawRequest, RawResponse};

pub const PRIVATE: &str = "/message/private/publish.json";
pub const SYSTEM: &str = "/message/system/publish.json";
pub const ONLINE: &str = "/message/online/broadcast.json";
pub const PUSH: &str = "/push.json";
pub const TAG_SET: &str = "/user/tag/set.json";
pub const TAG_BATCH_SET: &str = "/user/tag/batch/set.json";

/// An emulator with the defaults.
pub async fn emulator() -> Emulator {
    Emulator::start().await.expect("emulator starts")
}

/// 2026-01-01 09:00 in Beijing (01:00 UTC): far from an hour or day boundary
/// that a test could cross by accident.
pub fn beijing_morning() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_767_225_600 + 3600)
}

/// An emulator on a manual clock standing at [`beijing_morning`].
pub async fn emulator_at_morning() -> (Emulator, Clock) {
    let clock = Clock::manual_at(beijing_morning());
    let emu = Emulator::builder()
        .clock(clock.clone())
        .start()
        .await
        .expect("emulator starts");
    (emu, clock)
}

/// Sends a signed form POST and asserts a 200 answer with code 200; answers
/// its JSON.
#[track_caller]
pub fn assert_ok(resp: &RawResponse) -> serde_json::Value {
    let body = resp.json();
    assert_eq!(
        (resp.status, resp.code()),
        (200, 200),
        "unexpected answer {body}"
    );
    body
}

/// A signed form POST to the primary host, answered.
pub async fn post(emu: &Emulator, path: &str, body: &str) -> RawResponse {
    call(emu, &form(emu, path, body)).await
}

/// Percent-encodes a form value.
pub fn enc(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A GET of an emulator route on the primary host, answered as JSON.
pub async fn inspect(emu: &Emulator, route: &str) -> serde_json::Value {
    let resp = client::send(emu.addrs()[0], &RawRequest::get(route))
        .await
        .expect("an answer");
    assert_eq!(
        resp.status,
        200,
        "{route}: {:?}",
        String::from_utf8_lossy(&resp.body)
    );
    resp.json()
}

/// A form POST to `path`, signed for the emulator's first app.
pub fn form(emu: &Emulator, path: &str, body: &str) -> RawRequest {
    RawRequest::post(path)
        .signed(emu.app_key(), emu.app_secret())
        .form(body)
}

/// A JSON POST to `path`, signed for the emulator's first app.
pub fn json(emu: &Emulator, path: &str, body: &str) -> RawRequest {
    RawRequest::post(path)
        .signed(emu.app_key(), emu.app_secret())
        .json(body)
}

/// Sends `req` to the primary host on a fresh connection.
pub async fn call(emu: &Emulator, req: &RawRequest) -> RawResponse {
    client::send(emu.addrs()[0], req).await.expect("an answer")
}

/// Asserts an error answer: HTTP status, body code, and a message naming `mentions`.
#[track_caller]
pub fn assert_error(resp: &RawResponse, status: u16, code: u64, mentions: &str) {
    let body = resp.json();
    assert_eq!(
        (resp.status, resp.code()),
        (status, code),
        "unexpected answer {body}"
    );
    let message = resp.error_message();
    assert!(
        message.contains(mentions),
        "errorMessage {message:?} does not mention {mentions:?}"
    );
}

/// Minimal private publish body.
pub fn private_body(to: &[&str]) -> String {
    let mut body = String::from(
        "fromUserId=sender&objectName=RC%3ATxtMsg&content=%7B%22content%22%3A%22hi%22%7D",
    );
    for user in to {
        body.push_str("&toUserId=");
        body.push_str(user);
    }
    body
}

/// True when `id` looks like `XXXX-XXXX-XXX-XXXX`.
pub fn is_message_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [4, 4, 3, 4]
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        })
}
