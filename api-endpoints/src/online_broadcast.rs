//! `POST /message/online/broadcast.json` (page 004).

use api_core::{Message, MessageContent, endpoint};

use crate::response::MessageUidResponse;

/// Sends a message to every user of the app who is online now.
///
/// Clients poll for it (it arrives within 3 minutes); a user who comes
/// online within 10 minutes still gets it, later ones do not. It lands in
/// the SYSTEM conversation whose target is `from_user_id` and cannot be
/// recalled. Needs the online-broadcast service (code 1009 otherwise).
///
/// - Limits: `content` at most 128 KiB; a custom `objectName` at most 32
///   characters, not starting with `RC:`.
/// - Rate limit: 60 calls a minute.
/// - Not idempotent: a repeat broadcasts again.
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::{OnlineBroadcast, TextMessage};
///
/// let answer = OnlineBroadcast::new("2191", TextMessage::new("hello")).send(client).await?;
/// println!("{}", answer.message_uid);
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/message/online/broadcast.json",
    encoding = "form",
    response = MessageUidResponse,
    rate_limit(calls = 60, per = minute)
)]
#[derive(Debug, Clone, PartialEq)]
pub struct OnlineBroadcast<C: MessageContent> {
    /// The sender (`fromUserId`), the target of the SYSTEM conversation.
    #[endpoint(non_empty)]
    pub from_user_id: String,
    /// The message: `objectName` and `content`.
    #[endpoint(flatten)]
    pub message: Message<C>,
    /// Leave the conversation's last message unchanged (default `false`).
    pub disable_update_last_msg: Option<bool>,
}

impl<C: MessageContent> OnlineBroadcast<C> {
    /// A broadcast from `from_user_id` with nothing optional set.
    pub fn new(from_user_id: impl Into<String>, content: C) -> Self {
        Self {
            from_user_id: from_user_id.into(),
            message: Message::new(content),
            disable_update_last_msg: None,
        }
    }
}
