//! The user online status callback (用户在线状态订阅): one event per
//! connection change, posted as JSON.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{PayloadError, lenient, parse_json_batch};

/// One change of a user's connection, as the online status subscription
/// posts it (`application/json`, signed query).
///
/// Fields as the provider's page `docs.rongcloud.cn/platform-chat-api/user/onlinestatus`
/// gives them (`userid`, `status`, `os`, `time`, `clientIp`, `sessionId`),
/// read by RongCloud's demo server bestcase as `community/dto/UserStatusSyncDTO.java`;
/// see the team's `API-BREADTH.md` §3b. `userid`, `status` and `time` are
/// required; unknown fields are ignored.
///
/// ```
/// use api_core::callback::{OnlineStatus, UserOnlineStatus};
///
/// let body = br#"[
///   {"userid":"u1","status":"0","os":"iOS","time":1665601025006,
///    "clientIp":"203.0.113.7:50312","sessionId":"s-1"},
///   {"userid":"u1","status":"1","time":1665601099000}
/// ]"#;
/// let events = UserOnlineStatus::parse_batch(body).unwrap();
/// assert_eq!(events[0].status, OnlineStatus::Online);
/// assert_eq!(events[0].session_id.as_deref(), Some("s-1"));
/// assert_eq!(events[1].status, OnlineStatus::Offline);
/// assert_eq!(events[1].os, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserOnlineStatus {
    /// The user (`userid`, all lowercase on the wire).
    pub userid: String,
    /// What happened (`status`).
    pub status: OnlineStatus,
    /// The operating system (`os`): `iOS`, `Android`, `Websocket`, `PC`,
    /// `MiniProgram`; the page says it comes with a user going online.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    /// When it happened, in milliseconds since the Unix epoch (`time`).
    #[serde(deserialize_with = "lenient::u64_or_string")]
    pub time: u64,
    /// The user's IP address and port (`clientIp`).
    #[serde(rename = "clientIp", default, skip_serializing_if = "Option::is_none")]
    pub client_ip: Option<String>,
    /// The connection's id (`sessionId`): a user online on several devices
    /// has one per connection.
    #[serde(rename = "sessionId", default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
}

impl UserOnlineStatus {
    /// Reads a callback body: a JSON array of events (a single event object
    /// is read as a batch of one).
    pub fn parse_batch(body: &[u8]) -> Result<Vec<Self>, PayloadError> {
        parse_json_batch(body)
    }
}

/// A user status change (`status`): `"0"` online, `"1"` offline, `"2"`
/// logged out. Read from a string or a number; another value is kept in
/// [`Other`](OnlineStatus::Other).
///
/// ```
/// use api_core::callback::OnlineStatus;
///
/// assert_eq!(OnlineStatus::from("2"), OnlineStatus::Logout);
/// assert_eq!(OnlineStatus::Offline.as_str(), "1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OnlineStatus {
    /// `0`: the client connected.
    Online,
    /// `1`: the client's connection ended without a logout.
    Offline,
    /// `2`: the user logged out.
    Logout,
    /// Another value, as sent.
    Other(String),
}

impl OnlineStatus {
    /// The value as sent.
    pub fn as_str(&self) -> &str {
        match self {
            OnlineStatus::Online => "0",
            OnlineStatus::Offline => "1",
            OnlineStatus::Logout => "2",
            OnlineStatus::Other(value) => value,
        }
    }
}

impl From<&str> for OnlineStatus {
    fn from(value: &str) -> Self {
        match value {
            "0" => OnlineStatus::Online,
            "1" => OnlineStatus::Offline,
            "2" => OnlineStatus::Logout,
            other => OnlineStatus::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for OnlineStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for OnlineStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for OnlineStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        lenient::scalar_text(deserializer).map(|text| OnlineStatus::from(text.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_and_every_status() {
        let body = br#"[
            {"userid":"u1","status":"0","os":"Android","time":1,"clientIp":"198.51.100.1:1","sessionId":"a","extra":{"x":1}},
            {"userid":"u2","status":1,"time":"2"},
            {"userid":"u3","status":"2","time":3},
            {"userid":"u4","status":"9","time":4}
        ]"#;
        let events = UserOnlineStatus::parse_batch(body).unwrap();
        assert_eq!(
            events[0],
            UserOnlineStatus {
                userid: "u1".into(),
                status: OnlineStatus::Online,
                os: Some("Android".into()),
                time: 1,
                client_ip: Some("198.51.100.1:1".into()),
                session_id: Some("a".into()),
            }
        );
        let statuses: Vec<_> = events.iter().map(|e| (e.status.clone(), e.time)).collect();
        assert_eq!(
            statuses,
            [
                (OnlineStatus::Online, 1),
                (OnlineStatus::Offline, 2),
                (OnlineStatus::Logout, 3),
                (OnlineStatus::Other("9".into()), 4),
            ]
        );
    }

    #[test]
    fn a_single_object_is_a_batch_of_one() {
        let events =
            UserOnlineStatus::parse_batch(br#" {"userid":"u","status":"0","time":7}"#).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].userid, "u");
    }

    #[test]
    fn missing_and_malformed_fields_are_named() {
        let error = UserOnlineStatus::parse_batch(br#"[{"status":"0","time":1}]"#).unwrap_err();
        assert!(
            error.to_string().contains("missing field `userid`"),
            "{error}"
        );
        let error =
            UserOnlineStatus::parse_batch(br#"[{"userid":"u","status":"0","time":"later"}]"#)
                .unwrap_err();
        assert!(
            error.to_string().contains("non-negative integer"),
            "{error}"
        );
        let error = UserOnlineStatus::parse_batch(b"<html>bad gateway</html>").unwrap_err();
        assert!(matches!(error, PayloadError::Json(_)), "{error}");
    }

    #[test]
    fn serializes_with_the_wire_names() {
        let event = UserOnlineStatus {
            userid: "u".into(),
            status: OnlineStatus::Logout,
            os: None,
            time: 9,
            client_ip: Some("ip".into()),
            session_id: None,
        };
        assert_eq!(
            serde_json::to_string(&event).unwrap(),
            r#"{"userid":"u","status":"2","time":9,"clientIp":"ip"}"#
        );
    }
}
