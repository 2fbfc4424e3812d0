//! Response bodies, in the shapes the pages document under "返回结果示例".

use bytes::Bytes;
use serde::Serialize;

/// `{"code":200}`: tag calls (003).
pub(crate) const OK: &[u8] = br#"{"code":200}"#;

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: u32,
    #[serde(rename = "errorMessage")]
    error_message: &'a str,
}

#[derive(Serialize)]
struct UidEntry<'a> {
    #[serde(rename = "userId")]
    user_id: &'a str,
    #[serde(rename = "messageUID")]
    message_uid: &'a str,
}

#[derive(Serialize)]
struct PublishBody<'a> {
    code: u32,
    #[serde(rename = "messageUIDs")]
    message_uids: Vec<UidEntry<'a>>,
}

#[derive(Serialize)]
struct BroadcastBody<'a> {
    code: u32,
    #[serde(rename = "messageUID")]
    message_uid: &'a str,
}

#[derive(Serialize)]
struct PushBody<'a> {
    code: u32,
    id: &'a str,
    #[serde(rename = "messageUID")]
    message_uid: &'a str,
}

/// `{"code":200}`.
pub(crate) fn ok() -> Bytes {
    Bytes::from_static(OK)
}

/// Any JSON value as an answer body.
pub(crate) fn json(value: &impl Serialize) -> Bytes {
    to_bytes(value)
}

/// A publish to groups, chatrooms or ultra groups: `messageUID` (the first
/// target's) and `messageUIDs` with one entry per target, keyed `key`
/// (`groupId`, `chatroomId`): the Go SDK's `MessageResult` / `MessageUIDEntry`.
pub(crate) fn publish_to_targets(key: &str, targets: &[(String, String)]) -> Bytes {
    let entries: Vec<serde_json::Value> = targets
        .iter()
        .map(|(target, id)| serde_json::json!({ key: target, "messageUID": id }))
        .collect();
    to_bytes(&serde_json::json!({
        "code": 200,
        "messageUID": targets.first().map(|(_, id)| id.as_str()).unwrap_or(""),
        "messageUIDs": entries,
    }))
}

fn to_bytes(value: &impl Serialize) -> Bytes {
    // Serializing these plain structs cannot fail; an empty body would be the
    // visible symptom if it ever did.
    Bytes::from(serde_json::to_vec(value).unwrap_or_default())
}

/// `{"code":N,"errorMessage":"..."}` (REFERENCE.md).
pub(crate) fn error(code: u32, message: &str) -> Bytes {
    to_bytes(&ErrorBody {
        code,
        error_message: message,
    })
}

/// 001 / 002: `{"code":200,"messageUIDs":[{"userId":..,"messageUID":..},..]}`, one
/// entry per recipient in request order.
pub(crate) fn publish(recipients: &[String], ids: &[String]) -> Bytes {
    to_bytes(&PublishBody {
        code: 200,
        message_uids: recipients
            .iter()
            .zip(ids)
            .map(|(user_id, message_uid)| UidEntry {
                user_id,
                message_uid,
            })
            .collect(),
    })
}

/// 004: `{"code":200,"messageUID":".."}`.
pub(crate) fn online_broadcast(id: &str) -> Bytes {
    to_bytes(&BroadcastBody {
        code: 200,
        message_uid: id,
    })
}

/// 000: `{"code":200,"id":"..","messageUID":".."}` where "id ... 和 messageUID 一致".
pub(crate) fn push(id: &str) -> Bytes {
    to_bytes(&PushBody {
        code: 200,
        id,
        message_uid: id,
    })
}
