//! What each endpoint accepts: body encoding, required parameters and every limit
//! the documentation pages state. Each rule's comment names the page it comes from
//! (files in `shared/api-docs/`):
//!
//! - `001`: `001_8382b4136befb2a3.txt`, private publish and `pushExt`
//! - `002`: `002_73be1647165ea27a.txt`, system publish
//! - `004`: `004_c7f7adbaaf6a9be8.txt`, online broadcast
//! - `000`: `000_b5be01abfbc0dbdb.txt`, `/push.json` package-name notification and
//!   the full `notification` structure
//! - `003`: `003_e12e40e0c7509474.txt`, tags, `/push.json` broadcast and push

mod extra_content;
mod fields;
mod json;
mod notification;
mod online;
mod private;
mod publish;
mod push;
mod push_ext;
mod system;
mod tags;
mod vendors;

use serde_json::{Map, Value};

use crate::records::DeliveryKind;
use crate::rejection::{Checked, Rejection};

/// The endpoints the emulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Endpoint {
    PrivatePublish,
    SystemPublish,
    OnlineBroadcast,
    Push,
    TagSet,
    TagBatchSet,
}

/// How an endpoint's body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Form,
    Json,
}

impl Endpoint {
    /// Maps a request path to its endpoint. Only the `.json` format is served (the
    /// pages also mention `.xml` for tags and push; no client in scope uses it).
    pub fn from_path(path: &str) -> Option<Self> {
        Some(match path {
            "/message/private/publish.json" => Self::PrivatePublish,
            "/message/system/publish.json" => Self::SystemPublish,
            "/message/online/broadcast.json" => Self::OnlineBroadcast,
            "/push.json" => Self::Push,
            "/user/tag/set.json" => Self::TagSet,
            "/user/tag/batch/set.json" => Self::TagBatchSet,
            _ => return None,
        })
    }

    /// The endpoint's path.
    pub fn path(self) -> &'static str {
        match self {
            Self::PrivatePublish => "/message/private/publish.json",
            Self::SystemPublish => "/message/system/publish.json",
            Self::OnlineBroadcast => "/message/online/broadcast.json",
            Self::Push => "/push.json",
            Self::TagSet => "/user/tag/set.json",
            Self::TagBatchSet => "/user/tag/batch/set.json",
        }
    }

    fn encoding(self) -> Encoding {
        match self {
            // 001, 002, 004: "HTTP 请求正文数据格式为 application/x-www-form-urlencoded"
            Self::PrivatePublish | Self::SystemPublish | Self::OnlineBroadcast => Encoding::Form,
            // 000, 003: "Content-Type 类型必须为 application/json"
            Self::Push | Self::TagSet | Self::TagBatchSet => Encoding::Json,
        }
    }
}

/// An accepted request, ready to be committed.
// Built once per request and moved once; boxing the big variant would only add an
// allocation to the hot path.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub(crate) enum Accepted {
    /// A message or notification to record as a delivery.
    Message(MessageRequest),
    /// A tag assignment (`/user/tag/set.json`, `/user/tag/batch/set.json`).
    Tags(TagRequest),
}

/// A message the request asks to send, as parsed from the wire.
#[derive(Debug)]
pub(crate) struct MessageRequest {
    pub kind: DeliveryKind,
    pub sender: Option<String>,
    /// Users named in the request, in request order.
    pub recipients: Vec<String>,
    pub audience: Option<Value>,
    pub object_name: Option<String>,
    pub content: Option<String>,
    pub params: Map<String, Value>,
    /// How much of the rate-limit quota the call uses (recipients for publish).
    pub weight: u64,
    /// The `/push.json` audience, to resolve tag conditions against known users.
    pub push_audience: Option<PushAudience>,
}

/// The targeting conditions of a `/push.json` call.
#[derive(Debug, Clone, Default)]
pub(crate) struct PushAudience {
    pub is_to_all: bool,
    pub tag: Vec<String>,
    pub tag_or: Vec<String>,
    pub userid: Vec<String>,
    pub package_name: Option<String>,
}

/// Users and the tags to set on each of them.
#[derive(Debug)]
pub(crate) struct TagRequest {
    pub user_ids: Vec<String>,
    pub tags: Vec<String>,
}

/// Checks the content type and body of a signed request to `endpoint`.
pub(crate) fn check(
    endpoint: Endpoint,
    content_type: Option<&str>,
    body: &[u8],
) -> Checked<Accepted> {
    if body.is_empty() {
        return Err(Rejection::no_body());
    }
    check_content_type(endpoint.encoding(), content_type)?;
    match endpoint {
        Endpoint::PrivatePublish => private::check(body).map(Accepted::Message),
        Endpoint::SystemPublish => system::check(body).map(Accepted::Message),
        Endpoint::OnlineBroadcast => online::check(body).map(Accepted::Message),
        Endpoint::Push => push::check(body).map(Accepted::Message),
        Endpoint::TagSet => tags::check_set(body).map(Accepted::Tags),
        Endpoint::TagBatchSet => tags::check_batch_set(body).map(Accepted::Tags),
    }
}

fn check_content_type(expected: Encoding, content_type: Option<&str>) -> Checked<()> {
    let wanted = match expected {
        Encoding::Form => "application/x-www-form-urlencoded",
        Encoding::Json => "application/json",
    };
    // Parameters such as `charset=utf-8` are allowed; the media type must match.
    let media_type = content_type
        .and_then(|ct| ct.split(';').next())
        .map(str::trim)
        .unwrap_or("");
    if media_type.eq_ignore_ascii_case(wanted) {
        Ok(())
    } else if media_type.is_empty() {
        Err(Rejection::invalid(format!(
            "Content-Type: missing, this endpoint takes {wanted}"
        )))
    } else {
        Err(Rejection::invalid(format!(
            "Content-Type: {media_type} given, this endpoint takes {wanted}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_parameters_are_allowed() {
        check_content_type(Encoding::Json, Some("application/json; charset=utf-8")).unwrap();
        check_content_type(Encoding::Form, Some("Application/X-WWW-Form-Urlencoded")).unwrap();
        assert_eq!(
            check_content_type(Encoding::Json, Some("text/plain"))
                .unwrap_err()
                .code,
            1002
        );
        assert!(check_content_type(Encoding::Form, None).is_err());
    }
}
