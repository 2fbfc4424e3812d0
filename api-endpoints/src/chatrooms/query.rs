//! `POST /chatroom/query.json` (D:chatroom/deprecated-info).

use api_core::endpoint;
use serde::Deserialize;

/// The most rooms one query names (D:chatroom/deprecated-info).
pub const MAX_ROOMS_PER_QUERY: usize = 20;

/// Reads the id, name and creation time of up to 20 chatrooms. Rooms that
/// do not exist are left out of the answer.
///
/// The provider marks this call deprecated in favour of `/chatroom/get.json`
/// (one room, with member count and destruction settings); its SDKs still
/// call it.
///
/// - Limits: 1 to 20 `chatroomId`, each 1 to 64 bytes.
/// - Rate limit: 100 calls a second.
/// - Idempotent: it only reads.
///
/// Sources: <https://docs.rongcloud.io/platform-chat-api/chatroom/deprecated-info>
/// (parameters, 20 rooms, the answer's `chatRooms[].chrmId`, `name`,
/// `time`, the rate limit); the Go SDK's `ChatRoomQuery` (API-BREADTH.md
/// §1c).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::ChatroomQuery;
///
/// let answer = ChatroomQuery::new(["10001", "10002"]).send(client).await?;
/// for room in &answer.chat_rooms {
///     println!("{} {} created {}", room.chatroom_id, room.name, room.time);
/// }
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/chatroom/query.json",
    encoding = "form",
    response = ChatroomQueryResponse,
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatroomQuery {
    /// The rooms (`chatroomId`, repeated), 1 to 20.
    #[endpoint(min_items = 1, max_items = 20, non_empty, max_bytes = 64)]
    pub chatroom_id: Vec<String>,
}

impl ChatroomQuery {
    /// Reads the rooms `chatroom_id`.
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

/// The answer of [`ChatroomQuery`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ChatroomQueryResponse {
    /// The rooms that exist among those asked (`chatRooms`).
    #[serde(rename = "chatRooms", default)]
    pub chat_rooms: Vec<ChatroomInfo>,
}

impl ChatroomQueryResponse {
    /// The room `chatroom_id`, if it exists.
    pub fn room(&self, chatroom_id: &str) -> Option<&ChatroomInfo> {
        self.chat_rooms
            .iter()
            .find(|room| room.chatroom_id == chatroom_id)
    }
}

/// One room of a [`ChatroomQueryResponse`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ChatroomInfo {
    /// The room (`chrmId`; an older page's example says `chatroomId`, also
    /// read).
    #[serde(rename = "chrmId", alias = "chatroomId")]
    pub chatroom_id: String,
    /// Its name (`name`); empty for a room created without one.
    #[serde(default)]
    pub name: String,
    /// When it was created (`time`), `YYYY-MM-DD HH:MM:SS` in Beijing time
    /// on the China data center, UTC on the global ones, as the server
    /// writes it (the page's example has `2014-01-01 1:1:1`).
    pub time: String,
}

#[cfg(test)]
mod tests {
    use api_core::{Rule, Validate};

    use super::*;

    #[test]
    fn the_documented_answer_decodes() {
        let body = br#"{"code":200,"chatRooms":[{"chrmId":"10001","name":"name1","time":"2014-01-01 1:1:1"},{"chatroomId":"10002","name":"name2","time":"2014-01-01 1:1:2"}]}"#;
        let answer: ChatroomQueryResponse =
            api_core::decode_response(http::StatusCode::OK, body, None).unwrap();
        assert_eq!(answer.chat_rooms.len(), 2);
        assert_eq!(answer.room("10002").unwrap().name, "name2");
        assert_eq!(answer.room("10001").unwrap().time, "2014-01-01 1:1:1");
    }

    #[test]
    fn at_most_20_rooms() {
        let error = ChatroomQuery::new((0..21).map(|i| i.to_string()))
            .validate()
            .unwrap_err();
        assert_eq!(error.violations()[0].path(), "chatroom_id");
        assert_eq!(error.violations()[0].rule(), &Rule::MaxItems(20));
    }
}
