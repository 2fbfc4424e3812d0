//! What the endpoints of pages 000-004 accept: required parameters and every
//! limit the documentation pages state. Each rule's comment names the page it comes from
//! (files in `shared/api-docs/`):
//!
//! - `001`: `001_8382b4136befb2a3.txt`, private publish and `pushExt`
//! - `002`: `002_73be1647165ea27a.txt`, system publish
//! - `004`: `004_c7f7adbaaf6a9be8.txt`, online broadcast
//! - `000`: `000_b5be01abfbc0dbdb.txt`, `/push.json` package-name notification and
//!   the full `notification` structure
//! - `003`: `003_e12e40e0c7509474.txt`, tags, `/push.json` broadcast and push

pub(crate) mod extra_content;
pub(crate) mod fields;
pub(crate) mod json;
mod notification;
mod online;
mod private;
mod publish;
mod push;
pub(crate) mod push_ext;
mod system;
mod tags;
mod vendors;

use serde_json::{Map, Value};

use crate::endpoints::Endpoint;
use crate::records::DeliveryKind;
use crate::rejection::Checked;

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

/// Checks the body of a signed request to one of the endpoints of pages
/// 000-004 (its encoding was checked already).
pub(crate) fn check(endpoint: Endpoint, body: &[u8]) -> Checked<Accepted> {
    match endpoint {
        Endpoint::PrivatePublish => private::check(body).map(Accepted::Message),
        Endpoint::SystemPublish => system::check(body).map(Accepted::Message),
        Endpoint::OnlineBroadcast => online::check(body).map(Accepted::Message),
        Endpoint::Push => push::check(body).map(Accepted::Message),
        Endpoint::TagSet => tags::check_set(body).map(Accepted::Tags),
        Endpoint::TagBatchSet => tags::check_batch_set(body).map(Accepted::Tags),
        other => unreachable!("{} is not served by rules::check", other.path()),
    }
}
