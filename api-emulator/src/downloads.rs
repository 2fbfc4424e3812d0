//! Files the emulator serves itself, like the provider's download servers:
//! `GET /_emulator/history/{appKey}/{yyyyMMddHH}.gz`, the hourly message log
//! `/message/history.json` points at. Served whether or not the inspection
//! routes are on, since an API answer names it.
//!
//! The file is gzip (flate2) of UTF-8 text with one JSON object per message,
//! one line each. No stored page shows the provider's file content, so the
//! fields are the emulator's choice, named after the provider's usual log
//! fields: `appId`, `fromUserId`, `targetId`, `targetType` (the recall
//! `conversationType`: 1 private, 3 group, 4 chatroom, 6 system, 10 ultra
//! group), `GroupId` (the group, chatroom or ultra group, else empty),
//! `classname` (the `objectName`), `content` (parsed when it is JSON),
//! `busChannel`, `dateTime` (`yyyy-MM-dd HH:mm:ss.SSS`, Beijing time), `msgUID`.
//! A private or system message to N users is N lines, one per id answered;
//! messages a blocking sensitive word stopped are not in the log.

use std::io::Write;

use bytes::Bytes;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::{Value, json};

use crate::records::Delivery;
use crate::shared::{App, Shared};
use crate::state::KEPT_MS;
use crate::sync::lock;
use crate::time::{self, HOUR_MS};

/// Path prefix of the history files.
pub(crate) const HISTORY_PREFIX: &str = "/_emulator/history/";

/// The path of one hour's file.
pub(crate) fn history_path(app_key: &str, date: &str) -> String {
    format!("{HISTORY_PREFIX}{}/{date}.gz", encode_segment(app_key))
}

/// Percent-encodes what a path segment cannot hold as it is.
fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn lines_of(d: &Delivery, out: &mut Vec<Value>) {
    let Some(target_type) = d.kind.conversation_type() else {
        return;
    };
    if d.sensitive == crate::records::Sensitive::Blocked {
        return;
    }
    let content = d.content.as_deref().unwrap_or("");
    let content = serde_json::from_str::<Value>(content).unwrap_or_else(|_| Value::from(content));
    let line = |target: &str, uid: &str| {
        json!({
            "appId": d.app_key,
            "fromUserId": d.sender.as_deref().unwrap_or(""),
            "targetId": target,
            "targetType": target_type,
            "GroupId": d.target_id.as_deref().unwrap_or(""),
            "classname": d.object_name.as_deref().unwrap_or(""),
            "content": content,
            "busChannel": d.bus_channel.as_deref().unwrap_or(""),
            "dateTime": time::datetime_millis(d.at_millis),
            "msgUID": uid,
        })
    };
    match &d.target_id {
        Some(target) => {
            if let Some(uid) = d.message_ids.first() {
                out.push(line(target, uid));
            }
        }
        None => {
            for (user, uid) in d.recipients.iter().zip(&d.message_ids) {
                out.push(line(user, uid));
            }
        }
    }
}

/// The log lines of the hour starting at `start` for `app`.
fn history_lines(shared: &Shared, app: &App, start: u64) -> Vec<Value> {
    let first_kept = lock(&app.state.history).first_kept(start);
    let end = start + HOUR_MS;
    shared.records.scan(|deliveries| {
        let mut out = Vec::new();
        for d in deliveries {
            if d.app_key == app.key && d.seq >= first_kept && (start..end).contains(&d.at_millis) {
                lines_of(d, &mut out);
            }
        }
        out
    })
}

/// How many lines the hour's file has.
pub(crate) fn history_count(shared: &Shared, app: &App, start: u64) -> usize {
    history_lines(shared, app, start).len()
}

/// The gzip file at `path` (below [`HISTORY_PREFIX`]), or `None` when there is
/// no such file (unknown app, malformed date, an hour without messages or past
/// the 3 days the provider keeps files).
pub(crate) fn history_file(shared: &Shared, rest: &str) -> Option<Bytes> {
    let (app_key, file) = rest.split_once('/')?;
    let app_key = crate::form::decode_path_segment(app_key)?;
    let date = file.strip_suffix(".gz")?;
    let start = time::parse_hour_label(date)?;
    let app = shared.apps.get(&app_key)?;
    if start.saturating_add(HOUR_MS + KEPT_MS) <= shared.clock.now_millis() {
        return None;
    }
    let lines = history_lines(shared, app, start);
    if lines.is_empty() {
        return None;
    }
    let mut text = Vec::new();
    for line in &lines {
        // Serializing a `Value` cannot fail.
        let _ = serde_json::to_writer(&mut text, line);
        text.push(b'\n');
    }
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(&text).ok()?;
    gz.finish().ok().map(Bytes::from)
}
