//! Typed answers shared by several endpoints.

use serde::Deserialize;

/// The answer of a publish call: one message id per recipient.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PublishResponse {
    /// One entry per recipient, matching the request's `toUserId`.
    #[serde(rename = "messageUIDs")]
    pub message_uids: Vec<RecipientMessageUid>,
}

impl PublishResponse {
    /// The message id sent to `user_id`, if the answer has one.
    pub fn message_uid(&self, user_id: &str) -> Option<&str> {
        self.message_uids
            .iter()
            .find(|entry| entry.user_id == user_id)
            .map(|entry| entry.message_uid.as_str())
    }
}

impl api_core::PerRecipientIds for PublishResponse {
    fn per_recipient_ids(&self) -> impl Iterator<Item = (&str, &str)> {
        self.message_uids
            .iter()
            .map(|entry| (entry.user_id.as_str(), entry.message_uid.as_str()))
    }
}

/// The message id one recipient got.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct RecipientMessageUid {
    /// The recipient (`userId`).
    #[serde(rename = "userId")]
    pub user_id: String,
    /// The message's unique id (`messageUID`).
    #[serde(rename = "messageUID")]
    pub message_uid: String,
}

/// The answer of a call that creates one message: its unique id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct MessageUidResponse {
    /// The message's unique id (`messageUID`).
    #[serde(rename = "messageUID")]
    pub message_uid: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_answer_decodes() {
        let body = br#"{"code":200,"messageUIDs":[{"userId":"2193","messageUID":"XXXX-JJJJ-KKK-LLLL"},{"userId":"2192","messageUID":"XXXX-JJJJ-KKK-LLKL"}]}"#;
        let answer: PublishResponse = api_core::decode_response(http_ok(), body, None).unwrap();
        assert_eq!(answer.message_uids.len(), 2);
        assert_eq!(answer.message_uid("2192"), Some("XXXX-JJJJ-KKK-LLKL"));
        assert_eq!(answer.message_uid("2193"), Some("XXXX-JJJJ-KKK-LLLL"));
        assert_eq!(answer.message_uid("nobody"), None);
    }

    fn http_ok() -> http::StatusCode {
        http::StatusCode::OK
    }
}
