//! `POST /message/chatroom/publish.json` (D:message/send-chatroom).

use api_core::{Message, MessageContent, endpoint};
use serde::Deserialize;

/// Sends a message to one or more chatrooms.
///
/// Chatroom messages have no offline push: only members in the room get
/// them.
///
/// - Limits: at least one `toChatroomId`, each 1 to 64 bytes (the page
///   recommends at most 10 rooms a call; more are allowed and only use more
///   of the quota); `content` at most 128 KiB; a custom `objectName` at
///   most 32 characters, not starting with `RC:`.
/// - Rate limit: 100 messages a second, where a call to 10 rooms counts 10.
/// - Not idempotent: a repeat delivers the message again (see `msg_random`).
///
/// Sources: <https://docs.rongcloud.io/platform-chat-api/message/send-chatroom>
/// (parameters, the rate limit counted per room); the Go SDK's
/// `ChatRoomSend` and `MessageResult`; the Java SDK's `Chatroom.java`
/// (`msgRandom`) (API-BREADTH.md §2 #18).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::{ChatroomPublish, TextMessage};
///
/// let answer = ChatroomPublish::new("host", ["room1", "room2"], TextMessage::new("welcome"))
///     .send(client)
///     .await?;
/// println!("{:?}", answer.message_uid_for("room2"));
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/message/chatroom/publish.json",
    encoding = "form",
    response = ChatroomPublishResponse,
    rate_limit(items = 100, per = second, counted_by = to_chatroom_id)
)]
#[derive(Debug, Clone, PartialEq)]
pub struct ChatroomPublish<C: MessageContent> {
    /// The sender (`fromUserId`).
    #[endpoint(non_empty, max_bytes = 64)]
    pub from_user_id: String,
    /// The rooms (`toChatroomId`, repeated), at least one.
    #[endpoint(min_items = 1, non_empty, max_bytes = 64)]
    pub to_chatroom_id: Vec<String>,
    /// The message: `objectName` and `content`.
    #[endpoint(flatten)]
    pub message: Message<C>,
    /// Store the message in the room's cloud history, for apps with that
    /// service (default `1`).
    #[endpoint(int_bool)]
    pub is_persisted: Option<bool>,
    /// Sync the message to the sender's clients (`1`; default `0`).
    #[endpoint(int_bool)]
    pub is_include_sender: Option<bool>,
    /// The idempotency key (`msgRandom`): once the provider enables the
    /// feature for the app, a repeat with the same key within a minute is
    /// refused instead of delivered again.
    pub msg_random: Option<i64>,
}

impl<C: MessageContent> ChatroomPublish<C> {
    /// A message from `from_user_id` to the rooms `to_chatroom_id`, nothing
    /// optional set.
    pub fn new<I, S>(from_user_id: impl Into<String>, to_chatroom_id: I, content: C) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            from_user_id: from_user_id.into(),
            to_chatroom_id: to_chatroom_id.into_iter().map(Into::into).collect(),
            message: Message::new(content),
            is_persisted: None,
            is_include_sender: None,
            msg_random: None,
        }
    }
}

/// The answer of [`ChatroomPublish`]: the id of the message in each room.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ChatroomPublishResponse {
    /// The message id (`messageUID`; with several rooms, the first room's).
    /// Absent from older answers.
    #[serde(rename = "messageUID", default)]
    pub message_uid: Option<String>,
    /// One entry per room (`messageUIDs`); empty when the answer has none.
    #[serde(rename = "messageUIDs", default)]
    pub message_uids: Vec<ChatroomMessageUid>,
}

impl ChatroomPublishResponse {
    /// The id of the message sent to `chatroom_id`, if the answer names it.
    pub fn message_uid_for(&self, chatroom_id: &str) -> Option<&str> {
        self.message_uids
            .iter()
            .find(|entry| entry.chatroom_id == chatroom_id)
            .map(|entry| entry.message_uid.as_str())
    }
}

/// The message id one room got.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct ChatroomMessageUid {
    /// The room (`chatroomId`).
    /// Empty if the entry does not name it: the publish succeeded either
    /// way, so an answer shaped differently must not fail the call.
    #[serde(rename = "chatroomId", default)]
    pub chatroom_id: String,
    /// The message's unique id (`messageUID`).
    #[serde(rename = "messageUID")]
    pub message_uid: String,
}

#[cfg(test)]
mod tests {
    use api_core::{Endpoint, Rule, Validate};

    use super::*;
    use crate::TextMessage;

    #[test]
    fn each_room_counts_and_is_a_repeated_key() {
        let publish =
            ChatroomPublish::new("host", ["r1", "r 2"], TextMessage::new("hi")).is_persisted(false);
        assert_eq!(publish.rate_weight(), 2);
        assert_eq!(
            publish.encode_body().unwrap(),
            b"fromUserId=host&toChatroomId=r1&toChatroomId=r+2&objectName=RC%3ATxtMsg&content=%7B%22content%22%3A%22hi%22%7D&isPersisted=0"
        );
        let none = ChatroomPublish::new("host", Vec::<String>::new(), TextMessage::new("hi"));
        let error = none.validate().unwrap_err();
        assert_eq!(error.violations()[0].path(), "to_chatroom_id");
        assert_eq!(error.violations()[0].rule(), &Rule::MinItems(1));
    }
}
