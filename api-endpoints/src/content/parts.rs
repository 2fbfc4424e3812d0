//! Parts embedded in several contents: the sender's `user` and the
//! `mentionedInfo` of an @ message.

use api_core::validate::rules;
use api_core::{Actual, Report, Rule, Setters, Validate};
use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Sender information carried inside a message (`user`).
///
/// Clients show it instead of the user profile they would otherwise look
/// up. The provider recommends it only for live-streaming chat rooms, where
/// looking up every sender's profile is too slow.
///
/// The documentation marks all four fields optional; this type asks for
/// `id` and `name` because information without them cannot be attributed or
/// shown.
///
/// ```
/// use api_endpoints::content::{TextMessage, UserInfo};
///
/// let user = UserInfo::new("4242", "Robin").portrait("http://example.com/p1.png");
/// let text = TextMessage::new("hello").user(user);
/// # let _ = text;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Setters)]
pub struct UserInfo {
    /// The sender's user id (`id`).
    pub id: String,
    /// The sender's display name (`name`).
    pub name: String,
    /// The URL of the sender's avatar (`portrait`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub portrait: Option<String>,
    /// Free-form data for the application (`extra`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
}

impl UserInfo {
    /// The user `id` called `name`, without avatar or extra data.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            portrait: None,
            extra: None,
        }
    }
}

/// Who an @ message mentions: `type` `1` (everyone) or `2` (the users of
/// `userIdList`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MentionTarget {
    /// Everyone in the group (`type` `1`).
    All,
    /// These users (`type` `2` with `userIdList`).
    Users(Vec<String>),
}

/// The `mentionedInfo` of an @ message in a group.
///
/// Serialized as `{"type": 1}` or `{"type": 2, "userIdList": [...]}`, plus
/// `mentionedContent` when set. The server only treats a message as an @
/// message when the publish call also sets `isMentioned` to `1`; without
/// it, this part is ignored. It has no use in one-to-one conversations.
///
/// ```
/// use api_endpoints::content::{MentionedInfo, TextMessage};
///
/// let text = TextMessage::new("@Alice hello")
///     .mentioned_info(MentionedInfo::users(["alice"]).mentioned_content("Someone mentioned you"));
/// let all = TextMessage::new("@all meeting at 3").mentioned_info(MentionedInfo::all());
/// # let _ = (text, all);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Setters)]
pub struct MentionedInfo {
    /// Everyone, or the listed users.
    pub target: MentionTarget,
    /// The push text shown to the mentioned users (`mentionedContent`); it
    /// takes precedence over any other push content.
    pub mentioned_content: Option<String>,
}

impl MentionedInfo {
    /// Mentions everyone in the group (`type` `1`).
    pub fn all() -> Self {
        Self {
            target: MentionTarget::All,
            mentioned_content: None,
        }
    }

    /// Mentions these users (`type` `2`, `userIdList`).
    pub fn users<I, S>(user_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            target: MentionTarget::Users(user_ids.into_iter().map(Into::into).collect()),
            mentioned_content: None,
        }
    }
}

/// The documented values of `mentionedInfo.type`.
const MENTION_ALL: u8 = 1;
const MENTION_USERS: u8 = 2;

impl Serialize for MentionedInfo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match &self.target {
            MentionTarget::All => map.serialize_entry("type", &MENTION_ALL)?,
            MentionTarget::Users(ids) => {
                map.serialize_entry("type", &MENTION_USERS)?;
                map.serialize_entry("userIdList", ids)?;
            }
        }
        if let Some(text) = &self.mentioned_content {
            map.serialize_entry("mentionedContent", text)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for MentionedInfo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Wire {
            #[serde(rename = "type")]
            kind: u8,
            #[serde(default)]
            user_id_list: Option<Vec<String>>,
            #[serde(default)]
            mentioned_content: Option<String>,
        }

        let wire = Wire::deserialize(deserializer)?;
        let target = match wire.kind {
            // A list sent along with "everyone" means nothing; clients ignore it.
            MENTION_ALL => MentionTarget::All,
            MENTION_USERS => MentionTarget::Users(wire.user_id_list.unwrap_or_default()),
            other => {
                return Err(D::Error::custom(format_args!(
                    "unknown mentionedInfo.type {other}, expected 1 (all) or 2 (users)"
                )));
            }
        };
        Ok(Self {
            target,
            mentioned_content: wire.mentioned_content,
        })
    }
}

impl Validate for MentionedInfo {
    fn validate_into(&self, report: &mut Report) {
        if let MentionTarget::Users(ids) = &self.target {
            // `userIdList` is required with type 2: an empty list mentions nobody.
            report.field("user_id_list", |report| {
                if ids.is_empty() {
                    report.violation(Rule::MinItems(1), Actual::Size(0));
                }
                rules::non_empty(report, ids);
            });
        }
    }
}

/// Serde helpers that read what other writers of the same contents send.
pub(super) mod lenient {
    use serde::de::{self, Deserializer, Visitor};
    use std::fmt;

    /// A `u64` sent as a number or as a string of digits: the provider's Go
    /// SDK (`server-sdk-go`, `rongcloud/rcmsg.go`, `FileMsg.Size`) sends
    /// `size` as a string, its other SDKs as a number.
    pub(in super::super) fn u64_or_string<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<u64, D::Error> {
        struct NumberOrString;

        impl Visitor<'_> for NumberOrString {
            type Value = u64;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative integer, as a number or a string")
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<u64, E> {
                Ok(value)
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<u64, E> {
                u64::try_from(value)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(value), &self))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<u64, E> {
                value
                    .trim()
                    .parse()
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(value), &self))
            }
        }

        deserializer.deserialize_any(NumberOrString)
    }

    /// A string, or any other JSON value kept as its JSON text: the
    /// provider's Java SDK (`server-sdk-java`,
    /// `io/rong/messages/GroupNotificationMessage.java`) sends the group
    /// notification `data` as an object, while the client SDKs write and
    /// read a string (Android reads an object as its JSON text).
    pub(in super::super) fn string_or_json_text<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<String, D::Error> {
        let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
        Ok(match value {
            serde_json::Value::String(text) => text,
            other => other.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn user_info_leaves_out_what_is_not_set() {
        let user = UserInfo::new("4242", "Robin");
        assert_eq!(
            serde_json::to_value(&user).unwrap(),
            json!({"id": "4242", "name": "Robin"})
        );
        let full = user.portrait("http://example.com/p1.png").extra("vip");
        assert_eq!(
            serde_json::to_value(&full).unwrap(),
            json!({"id": "4242", "name": "Robin", "portrait": "http://example.com/p1.png", "extra": "vip"})
        );
    }

    #[test]
    fn mentioned_info_wire_forms() {
        assert_eq!(
            serde_json::to_value(MentionedInfo::all()).unwrap(),
            json!({"type": 1})
        );
        assert_eq!(
            serde_json::to_value(
                MentionedInfo::users(["zhangsan", "lisi"]).mentioned_content("有人@你")
            )
            .unwrap(),
            json!({"type": 2, "userIdList": ["zhangsan", "lisi"], "mentionedContent": "有人@你"})
        );
    }

    #[test]
    fn mentioned_info_reads_back_and_rejects_unknown_types() {
        let users: MentionedInfo = serde_json::from_value(
            json!({"type": 2, "userIdList": ["a"], "mentionedContent": "x"}),
        )
        .unwrap();
        assert_eq!(users, MentionedInfo::users(["a"]).mentioned_content("x"));
        let all: MentionedInfo =
            serde_json::from_value(json!({"type": 1, "userIdList": ["ignored"]})).unwrap();
        assert_eq!(all, MentionedInfo::all());
        let error = serde_json::from_value::<MentionedInfo>(json!({"type": 3})).unwrap_err();
        assert!(
            error.to_string().contains("unknown mentionedInfo.type 3"),
            "{error}"
        );
    }

    #[test]
    fn mentioned_users_must_be_listed_and_not_empty() {
        let error = MentionedInfo::users(Vec::<String>::new())
            .validate()
            .unwrap_err();
        assert_eq!(error.violations().len(), 1);
        assert_eq!(error.violations()[0].path(), "user_id_list");
        assert_eq!(error.violations()[0].rule(), &Rule::MinItems(1));

        let error = MentionedInfo::users(["a", ""]).validate().unwrap_err();
        assert_eq!(error.violations().len(), 1);
        assert_eq!(error.violations()[0].path(), "user_id_list[1]");
        assert_eq!(error.violations()[0].rule(), &Rule::Required);

        assert!(MentionedInfo::all().validate().is_ok());
        assert!(MentionedInfo::users(["a"]).validate().is_ok());
    }

    #[derive(Debug, Deserialize)]
    struct Lenient {
        #[serde(deserialize_with = "lenient::u64_or_string")]
        size: u64,
        #[serde(deserialize_with = "lenient::string_or_json_text")]
        data: String,
    }

    #[test]
    fn lenient_readers_accept_the_other_sdks_forms() {
        let parsed: Lenient =
            serde_json::from_value(json!({"size": "3014", "data": {"a": [1, "b"]}})).unwrap();
        assert_eq!(parsed.size, 3014);
        assert_eq!(parsed.data, r#"{"a":[1,"b"]}"#);
        let parsed: Lenient = serde_json::from_value(json!({"size": 7, "data": "{}"})).unwrap();
        assert_eq!(parsed.size, 7);
        assert_eq!(parsed.data, "{}");
        assert!(serde_json::from_value::<Lenient>(json!({"size": -1, "data": ""})).is_err());
        assert!(serde_json::from_value::<Lenient>(json!({"size": "12kb", "data": ""})).is_err());
    }
}
