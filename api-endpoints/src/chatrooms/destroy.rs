//! `POST /chatroom/destroy.json` (D:chatroom/destroy).

use api_core::endpoint;

/// Destroys chatrooms at once, removing their members.
///
/// - Limits: at least one `chatroomId`, each 1 to 64 bytes (the page sets
///   no maximum count).
/// - Rate limit: 100 calls a second.
/// - Idempotent: destroying a room that is gone changes nothing.
///
/// Sources: <https://docs.rongcloud.io/platform-chat-api/chatroom/destroy>
/// (parameters, several rooms a call, the rate limit); the Go SDK's
/// `ChatRoomDestroy` (API-BREADTH.md §2 #17).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::ChatroomDestroy;
///
/// ChatroomDestroy::new(["10001", "10002"]).send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/chatroom/destroy.json",
    encoding = "form",
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatroomDestroy {
    /// The rooms (`chatroomId`, repeated).
    #[endpoint(min_items = 1, non_empty, max_bytes = 64)]
    pub chatroom_id: Vec<String>,
}

impl ChatroomDestroy {
    /// Destroys the rooms `chatroom_id`.
    pub fn new<I, S>(chatroom_id: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            chatroom_id: chatroom_id.into_iter().map(Into::into).collect(),
        }
    }
}
