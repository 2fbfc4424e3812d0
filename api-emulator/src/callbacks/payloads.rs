//! The bodies of the three callbacks, with the field names of API-BREADTH.md §3b.

use bytes::Bytes;
use serde::{Deserialize, Serialize};

/// One message as the message-routing callback (全量消息路由) carries it: a
/// form-encoded body (Seal `param/MsgRouteParam.java`).
#[derive(Debug, Clone)]
pub(crate) struct RoutedMessage {
    pub from_user_id: String,
    /// The recipient of a private or system message; the group, chatroom or
    /// ultra group id otherwise.
    pub to_user_id: String,
    pub object_name: String,
    pub content: String,
    /// `PERSON`, `GROUP`, `TEMPGROUP` (chatroom), `NOTIFY` (system),
    /// `ULTRAGROUP`.
    pub channel_type: &'static str,
    pub msg_timestamp: u64,
    pub msg_uid: String,
    pub sensitive_type: u8,
    pub bus_channel: Option<String>,
    /// The targeted members of a targeted group message.
    pub group_user_ids: Vec<String>,
}

impl RoutedMessage {
    /// The form body; `groupUserIds` repeats once per targeted member and is
    /// absent when there is none.
    pub fn form_body(&self) -> Bytes {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("fromUserId", &self.from_user_id)
            .append_pair("toUserId", &self.to_user_id)
            .append_pair("objectName", &self.object_name)
            .append_pair("content", &self.content)
            .append_pair("channelType", self.channel_type)
            .append_pair("msgTimestamp", &self.msg_timestamp.to_string())
            .append_pair("msgUID", &self.msg_uid)
            // Set by the provider for a modified message; the emulator modifies none.
            .append_pair("originalMsgUID", "")
            .append_pair("sensitiveType", &self.sensitive_type.to_string())
            // The provider's value for a message sent through the Server API.
            .append_pair("source", "Server")
            .append_pair("busChannel", self.bus_channel.as_deref().unwrap_or(""));
        for user in &self.group_user_ids {
            form.append_pair("groupUserIds", user);
        }
        Bytes::from(form.finish())
    }
}

/// One user online-status event, as the user-status callback posts them in a
/// JSON array (Dcn:user/onlinestatus; bestcase `UserStatusSyncDTO`), and as
/// `POST /_emulator/online-status` takes them.
///
/// ```
/// use api_emulator::OnlineStatusEvent;
///
/// let online = OnlineStatusEvent::new("user-1", "0");
/// assert_eq!(online.os, "iOS");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OnlineStatusEvent {
    /// The user (`userid`, all lower case on the wire).
    #[serde(rename = "userid")]
    pub userid: String,
    /// "0" online, "1" offline, "2" logged out.
    pub status: String,
    /// The client platform, for example `iOS`, `Android`, `Websocket`, `PC`.
    #[serde(default = "default_os")]
    pub os: String,
    /// When the change happened, in milliseconds (0: the emulator's clock).
    #[serde(default)]
    pub time: u64,
    /// The client's address (default `127.0.0.1`).
    #[serde(default = "default_ip")]
    pub client_ip: String,
    /// The connection; one user may have several (default: a fresh random id).
    #[serde(default)]
    pub session_id: String,
}

fn default_os() -> String {
    "iOS".to_owned()
}

fn default_ip() -> String {
    "127.0.0.1".to_owned()
}

impl OnlineStatusEvent {
    /// An event for `userid` with `status` "0" (online), "1" (offline) or "2"
    /// (logout); the other fields take their defaults.
    pub fn new(userid: impl Into<String>, status: impl Into<String>) -> Self {
        Self {
            userid: userid.into(),
            status: status.into(),
            os: default_os(),
            time: 0,
            client_ip: default_ip(),
            session_id: String::new(),
        }
    }

    /// Sets the session id.
    pub fn session(mut self, session_id: impl Into<String>) -> Self {
        self.session_id = session_id.into();
        self
    }

    /// Sets the platform.
    pub fn os(mut self, os: impl Into<String>) -> Self {
        self.os = os.into();
        self
    }
}

/// One chatroom status event (bestcase `ReqRoomStatusSync`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ChatroomStatusEvent {
    pub chat_room_id: String,
    pub user_ids: Vec<String>,
    /// 0: caused by an API call (the only cause the emulator has).
    pub status: u8,
    /// 0 create, 1 join, 2 quit, 3 destroy.
    #[serde(rename = "type")]
    pub kind: u8,
    pub time: u64,
}

/// `ChatroomStatusEvent::kind` of a creation.
pub(crate) const CHATROOM_CREATED: u8 = 0;
/// `ChatroomStatusEvent::kind` of a destruction.
pub(crate) const CHATROOM_DESTROYED: u8 = 3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routing_body_is_form_encoded_with_repeated_group_users() {
        let message = RoutedMessage {
            from_user_id: "a&b".into(),
            to_user_id: "g1".into(),
            object_name: "RC:TxtMsg".into(),
            content: r#"{"content":"1+1=2"}"#.into(),
            channel_type: "GROUP",
            msg_timestamp: 1_700_000_000_000,
            msg_uid: "ABCD-EFGH-IJK-LMNO".into(),
            sensitive_type: 0,
            bus_channel: None,
            group_user_ids: vec!["u1".into(), "u2".into()],
        };
        let body = String::from_utf8(message.form_body().to_vec()).unwrap();
        assert!(body.starts_with("fromUserId=a%26b&toUserId=g1&"), "{body}");
        assert!(
            body.contains("content=%7B%22content%22%3A%221%2B1%3D2%22%7D"),
            "{body}"
        );
        assert!(body.ends_with("&groupUserIds=u1&groupUserIds=u2"), "{body}");
    }

    #[test]
    fn online_events_fill_defaults() {
        let event: OnlineStatusEvent =
            serde_json::from_str(r#"{"userid":"u","status":"1"}"#).unwrap();
        assert_eq!(event, OnlineStatusEvent::new("u", "1"));
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["clientIp"], "127.0.0.1");
        assert_eq!(json["userid"], "u");
    }
}
