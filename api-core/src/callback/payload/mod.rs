//! Typed payloads of the callbacks, read from their raw bodies.

mod chatroom_status;
mod lenient;
mod message_route;
mod user_status;

pub use chatroom_status::{ChatroomEvent, ChatroomEventCause, ChatroomStatus};
pub use message_route::{ChannelType, MessageRoute};
pub use user_status::{OnlineStatus, UserOnlineStatus};

use bytes::Bytes;

/// Why a callback body could not be read as the expected payload.
///
/// The message names the field at fault; it may quote a value from the body
/// (serde_json's messages do), never anything from the verifier.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PayloadError {
    /// A field the payload cannot do without is absent or empty.
    #[error("missing field {field}")]
    Missing {
        /// The wire name of the field.
        field: &'static str,
    },
    /// A single-valued form field appears more than once.
    #[error("field {field} appears more than once")]
    Duplicate {
        /// The wire name of the field.
        field: &'static str,
    },
    /// A form field's value is not of its type.
    #[error("field {field} is not {expected}")]
    Invalid {
        /// The wire name of the field.
        field: &'static str,
        /// What it should be.
        expected: &'static str,
    },
    /// A JSON body is not the expected JSON.
    #[error("the body is not the expected JSON: {0}")]
    Json(#[source] serde_json::Error),
    /// A message's `content` is not the expected JSON.
    #[error("field content is not the expected JSON: {0}")]
    Content(#[source] serde_json::Error),
}

/// A callback payload read from the raw request body.
///
/// Implemented by [`MessageRoute`], `Vec<`[`UserOnlineStatus`]`>`,
/// `Vec<`[`ChatroomStatus`]`>` and, for the callbacks without a typed
/// payload here (the message callback service, profile hosting, ...),
/// [`Bytes`], the body as it is. The axum extractor `VerifiedCallback`
/// (feature `axum`) reads its payload through this trait.
///
/// ```
/// use api_core::callback::{FromCallbackBody, UserOnlineStatus, OnlineStatus};
///
/// let body = br#"[{"userid":"u1","status":"0","os":"iOS","time":1665601025006}]"#;
/// let events = Vec::<UserOnlineStatus>::from_callback_body(body.as_slice().into()).unwrap();
/// assert_eq!(events[0].status, OnlineStatus::Online);
/// ```
pub trait FromCallbackBody: Sized {
    /// Reads the payload from the whole body.
    fn from_callback_body(body: Bytes) -> Result<Self, PayloadError>;
}

impl FromCallbackBody for Bytes {
    fn from_callback_body(body: Bytes) -> Result<Self, PayloadError> {
        Ok(body)
    }
}

impl FromCallbackBody for MessageRoute {
    fn from_callback_body(body: Bytes) -> Result<Self, PayloadError> {
        MessageRoute::from_form(&body)
    }
}

impl FromCallbackBody for Vec<UserOnlineStatus> {
    fn from_callback_body(body: Bytes) -> Result<Self, PayloadError> {
        UserOnlineStatus::parse_batch(&body)
    }
}

impl FromCallbackBody for Vec<ChatroomStatus> {
    fn from_callback_body(body: Bytes) -> Result<Self, PayloadError> {
        ChatroomStatus::parse_batch(&body)
    }
}

/// Reads a JSON array of `T`, or a single `T` object as a batch of one.
///
/// The status pages describe the body both ways (the user-status page says
/// "a JSON object", its sources and the demo servers read arrays), so
/// both are read.
fn parse_json_batch<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<Vec<T>, PayloadError> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        serde_json::from_slice(body)
            .map(|one| vec![one])
            .map_err(PayloadError::Json)
    } else {
        serde_json::from_slice(body).map_err(PayloadError::Json)
    }
}
