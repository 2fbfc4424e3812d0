//! The chatroom status callback (聊天室状态同步): rooms created and
//! destroyed, members joining and leaving, posted as JSON.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{PayloadError, lenient, parse_json_batch};

/// One chatroom event, as the chatroom status sync posts it (JSON, signed
/// query).
///
/// Fields as RongCloud's demo server bestcase reads them
/// (`room/pojos/ReqRoomStatusSync.java`, `RoomController.statusSync`), see
/// the team's `API-BREADTH.md` §3b: `chatRoomId`, `userIds`, `status`,
/// `type`, `time`. `chatRoomId`, `type` and `time` are required; `userIds`
/// may be absent (empty) and `status` too; unknown fields are ignored.
///
/// ```
/// use api_core::callback::{ChatroomEvent, ChatroomEventCause, ChatroomStatus};
///
/// let body = br#"[{"chatRoomId":"room1","userIds":["u1","u2"],"status":0,"type":1,"time":1665601025006}]"#;
/// let events = ChatroomStatus::parse_batch(body).unwrap();
/// assert_eq!(events[0].event, ChatroomEvent::Joined);
/// assert_eq!(events[0].status, Some(ChatroomEventCause::ApiCall));
/// assert_eq!(events[0].user_ids, ["u1", "u2"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatroomStatus {
    /// The chatroom (`chatRoomId`).
    #[serde(rename = "chatRoomId")]
    pub chat_room_id: String,
    /// The users concerned (`userIds`), empty when not sent.
    #[serde(rename = "userIds", default)]
    pub user_ids: Vec<String>,
    /// What caused the event (`status`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ChatroomEventCause>,
    /// What happened (`type`).
    #[serde(rename = "type")]
    pub event: ChatroomEvent,
    /// When it happened, in milliseconds since the Unix epoch (`time`).
    #[serde(deserialize_with = "lenient::u64_or_string")]
    pub time: u64,
}

impl ChatroomStatus {
    /// Reads a callback body: a JSON array of events (a single event object
    /// is read as a batch of one).
    pub fn parse_batch(body: &[u8]) -> Result<Vec<Self>, PayloadError> {
        parse_json_batch(body)
    }
}

/// Writes the serde impls of an integer code with an `Other` fallback.
macro_rules! integer_code {
    ($name:ident { $($variant:ident = $code:literal),* $(,)? }) => {
        impl $name {
            /// The integer as sent.
            pub fn code(&self) -> i64 {
                match self {
                    $($name::$variant => $code,)*
                    $name::Other(code) => *code,
                }
            }
        }

        impl From<i64> for $name {
            fn from(code: i64) -> Self {
                match code {
                    $($code => $name::$variant,)*
                    other => $name::Other(other),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                lenient::i64_or_string(deserializer).map($name::from)
            }
        }
    };
}

/// What happened to a chatroom (`type`).
///
/// ```
/// use api_core::callback::ChatroomEvent;
///
/// assert_eq!(ChatroomEvent::from(3), ChatroomEvent::Destroyed);
/// assert_eq!(ChatroomEvent::Quit.code(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChatroomEvent {
    /// `0`: the chatroom was created.
    Created,
    /// `1`: users joined.
    Joined,
    /// `2`: users left.
    Quit,
    /// `3`: the chatroom was destroyed.
    Destroyed,
    /// Another value, as sent.
    Other(i64),
}

integer_code!(ChatroomEvent {
    Created = 0,
    Joined = 1,
    Quit = 2,
    Destroyed = 3,
});

/// What caused a chatroom event (`status`).
///
/// ```
/// use api_core::callback::ChatroomEventCause;
///
/// assert_eq!(ChatroomEventCause::from(1), ChatroomEventCause::KickedOut);
/// assert_eq!(ChatroomEventCause::Other(7).code(), 7);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChatroomEventCause {
    /// `0`: a Server API call.
    ApiCall,
    /// `1`: the provider's leave mechanism removed the users (for example
    /// after a period without activity).
    KickedOut,
    /// `2`: the users were banned.
    Banned,
    /// `3`: the provider's destroy mechanism destroyed the chatroom
    /// automatically.
    AutoDestroyed,
    /// Another value, as sent.
    Other(i64),
}

integer_code!(ChatroomEventCause {
    ApiCall = 0,
    KickedOut = 1,
    Banned = 2,
    AutoDestroyed = 3,
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_and_cause() {
        let body = br#"[
            {"chatRoomId":"r","userIds":[],"status":0,"type":0,"time":1},
            {"chatRoomId":"r","userIds":["a"],"status":"1","type":"1","time":"2"},
            {"chatRoomId":"r","userIds":["a","b"],"status":2,"type":2,"time":3,"new":true},
            {"chatRoomId":"r","status":3,"type":3,"time":4},
            {"chatRoomId":"r","type":9,"time":5,"status":8}
        ]"#;
        let events = ChatroomStatus::parse_batch(body).unwrap();
        let seen: Vec<_> = events
            .iter()
            .map(|e| (e.event, e.status, e.user_ids.len(), e.time))
            .collect();
        assert_eq!(
            seen,
            [
                (
                    ChatroomEvent::Created,
                    Some(ChatroomEventCause::ApiCall),
                    0,
                    1
                ),
                (
                    ChatroomEvent::Joined,
                    Some(ChatroomEventCause::KickedOut),
                    1,
                    2
                ),
                (ChatroomEvent::Quit, Some(ChatroomEventCause::Banned), 2, 3),
                (
                    ChatroomEvent::Destroyed,
                    Some(ChatroomEventCause::AutoDestroyed),
                    0,
                    4
                ),
                (
                    ChatroomEvent::Other(9),
                    Some(ChatroomEventCause::Other(8)),
                    0,
                    5
                ),
            ]
        );
    }

    #[test]
    fn missing_and_malformed_fields_are_named() {
        let error = ChatroomStatus::parse_batch(br#"[{"chatRoomId":"r","time":1}]"#).unwrap_err();
        assert!(
            error.to_string().contains("missing field `type`"),
            "{error}"
        );
        let error = ChatroomStatus::parse_batch(br#"[{"chatRoomId":"r","type":"join","time":1}]"#)
            .unwrap_err();
        assert!(error.to_string().contains("an integer"), "{error}");
        let status =
            ChatroomStatus::parse_batch(br#"{"chatRoomId":"r","type":1,"time":1}"#).unwrap();
        assert_eq!(status[0].status, None, "status may be absent");
    }

    #[test]
    fn serializes_with_the_wire_names() {
        let event = ChatroomStatus {
            chat_room_id: "r".into(),
            user_ids: vec!["u".into()],
            status: Some(ChatroomEventCause::Banned),
            event: ChatroomEvent::Quit,
            time: 9,
        };
        assert_eq!(
            serde_json::to_string(&event).unwrap(),
            r#"{"chatRoomId":"r","userIds":["u"],"status":2,"type":2,"time":9}"#
        );
    }
}
