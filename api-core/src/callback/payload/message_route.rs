//! The full message routing callback (全量消息路由): every message sent in
//! the app, posted as a form body.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::PayloadError;

/// One message, as the full message routing service posts it
/// (`application/x-www-form-urlencoded`, signed query).
///
/// Field names on the wire are those of RongCloud's demo server sealtalk
/// (`param/MsgRouteParam.java`, `MessageController` `/message/msgRoute`) and
/// of the provider's page `docs.rongcloud.cn/platform-chat-api/message/sync`,
/// as collected in the team's `API-BREADTH.md` §3b. What that page says
/// about the service: messages sent through the Server API are not routed
/// unless the app asks for it, messages blocked by a sensitive word are not
/// routed, and a replaced sensitive word arrives replaced. The demo server
/// answers HTTP 200 with `ok`.
///
/// Fields this type does not know are ignored. The serde derives read and
/// write the same names in JSON, for storing or forwarding a routed message;
/// the wire form is read by [`from_form`](Self::from_form).
///
/// ```
/// use api_core::callback::{ChannelType, MessageRoute};
///
/// let body = "fromUserId=u1&toUserId=g1&objectName=RC%3ATxtMsg\
///             &content=%7B%22content%22%3A%22hi+%26+bye%22%7D&channelType=GROUP\
///             &msgTimestamp=1665601025006&msgUID=BRGM-AH3D-RJ84-D4T6&sensitiveType=0\
///             &source=iOS&groupUserIds=u2&groupUserIds=u3";
/// let message = MessageRoute::from_form(body.as_bytes()).unwrap();
/// assert_eq!(message.channel_type, ChannelType::Group);
/// assert_eq!(message.content, r#"{"content":"hi & bye"}"#);
/// assert_eq!(message.content_json().unwrap()["content"], "hi & bye");
/// assert_eq!(message.group_user_ids, ["u2", "u3"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageRoute {
    /// The sender (`fromUserId`).
    pub from_user_id: String,
    /// The target (`toUserId`): the receiving user, or the group, chatroom
    /// or ultra group id, depending on [`channel_type`](Self::channel_type).
    pub to_user_id: String,
    /// The message type (`objectName`), `RC:TxtMsg` for a text message.
    pub object_name: String,
    /// The message content (`content`) as sent: JSON for the built-in
    /// types, any text for custom ones. See
    /// [`content_json`](Self::content_json) and
    /// [`content_as`](Self::content_as).
    pub content: String,
    /// The kind of conversation (`channelType`).
    pub channel_type: ChannelType,
    /// When the server received the message, in milliseconds since the
    /// Unix epoch (`msgTimestamp`).
    pub msg_timestamp: u64,
    /// The message's unique id (`msgUID`), the one recall takes.
    #[serde(rename = "msgUID")]
    pub msg_uid: String,
    /// `originalMsgUID`, when the provider sets it (sealtalk reads it
    /// without interpreting it).
    #[serde(
        rename = "originalMsgUID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub original_msg_uid: Option<String>,
    /// `sensitiveType`, the sensitive-word flag of the message, as the
    /// integer sent. The sources at hand (sealtalk reads it as an integer;
    /// `API-BREADTH.md` lists the name only) do not give its values, so it is
    /// not mapped to an enum here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive_type: Option<i64>,
    /// Where the message was sent from (`source`), as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The ultra group channel (`busChannel`), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bus_channel: Option<String>,
    /// The members of the group the message went to (`groupUserIds`,
    /// repeated), empty when not sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_user_ids: Vec<String>,
}

/// Collects the form fields, refusing a single-valued one given twice.
#[derive(Default)]
struct Fields {
    from_user_id: Option<String>,
    to_user_id: Option<String>,
    object_name: Option<String>,
    content: Option<String>,
    channel_type: Option<String>,
    msg_timestamp: Option<String>,
    msg_uid: Option<String>,
    original_msg_uid: Option<String>,
    sensitive_type: Option<String>,
    source: Option<String>,
    bus_channel: Option<String>,
    group_user_ids: Vec<String>,
}

fn set(slot: &mut Option<String>, field: &'static str, value: String) -> Result<(), PayloadError> {
    if slot.is_some() {
        return Err(PayloadError::Duplicate { field });
    }
    *slot = Some(value);
    Ok(())
}

fn required(slot: Option<String>, field: &'static str) -> Result<String, PayloadError> {
    slot.ok_or(PayloadError::Missing { field })
}

/// An optional field: absent and empty are both `None`.
fn optional(slot: Option<String>) -> Option<String> {
    slot.filter(|value| !value.is_empty())
}

impl MessageRoute {
    /// Reads the form body the routing service posts.
    ///
    /// `fromUserId`, `toUserId`, `objectName`, `content`, `channelType`,
    /// `msgTimestamp` and `msgUID` are required; the others may be absent
    /// or empty. A single-valued field given twice is refused
    /// ([`PayloadError::Duplicate`]); `groupUserIds` (also read as
    /// `groupUserIds[]`) repeats, one member per pair. Unknown fields are
    /// ignored.
    pub fn from_form(body: &[u8]) -> Result<Self, PayloadError> {
        let mut fields = Fields::default();
        for (name, value) in form_urlencoded::parse(body) {
            let value = value.into_owned();
            match &*name {
                "fromUserId" => set(&mut fields.from_user_id, "fromUserId", value)?,
                "toUserId" => set(&mut fields.to_user_id, "toUserId", value)?,
                "objectName" => set(&mut fields.object_name, "objectName", value)?,
                "content" => set(&mut fields.content, "content", value)?,
                "channelType" => set(&mut fields.channel_type, "channelType", value)?,
                "msgTimestamp" => set(&mut fields.msg_timestamp, "msgTimestamp", value)?,
                "msgUID" => set(&mut fields.msg_uid, "msgUID", value)?,
                "originalMsgUID" => set(&mut fields.original_msg_uid, "originalMsgUID", value)?,
                "sensitiveType" => set(&mut fields.sensitive_type, "sensitiveType", value)?,
                "source" => set(&mut fields.source, "source", value)?,
                "busChannel" => set(&mut fields.bus_channel, "busChannel", value)?,
                "groupUserIds" | "groupUserIds[]" => fields.group_user_ids.push(value),
                _ => {}
            }
        }
        // Required fields in wire order, so the first missing one is named.
        let from_user_id = required(fields.from_user_id, "fromUserId")?;
        let to_user_id = required(fields.to_user_id, "toUserId")?;
        let object_name = required(fields.object_name, "objectName")?;
        let content = required(fields.content, "content")?;
        let channel_type = required(fields.channel_type, "channelType")?;
        if channel_type.is_empty() {
            return Err(PayloadError::Missing {
                field: "channelType",
            });
        }
        let msg_timestamp = required(fields.msg_timestamp, "msgTimestamp")?
            .trim()
            .parse()
            .map_err(|_| PayloadError::Invalid {
                field: "msgTimestamp",
                expected: "a time in milliseconds",
            })?;
        let msg_uid = required(fields.msg_uid, "msgUID")?;
        let sensitive_type = optional(fields.sensitive_type)
            .map(|text| text.trim().parse())
            .transpose()
            .map_err(|_| PayloadError::Invalid {
                field: "sensitiveType",
                expected: "an integer",
            })?;
        Ok(MessageRoute {
            from_user_id,
            to_user_id,
            object_name,
            content,
            channel_type: ChannelType::from(channel_type),
            msg_timestamp,
            msg_uid,
            original_msg_uid: optional(fields.original_msg_uid),
            sensitive_type,
            source: optional(fields.source),
            bus_channel: optional(fields.bus_channel),
            group_user_ids: fields.group_user_ids,
        })
    }

    /// The content parsed as JSON, whatever its shape.
    pub fn content_json(&self) -> Result<serde_json::Value, PayloadError> {
        self.content_as()
    }

    /// The content parsed into a type: one of `api-endpoints`' message
    /// contents (`TextMessage`, `ImageMessage`, ...) once
    /// [`object_name`](Self::object_name) says which, or a type of your own.
    ///
    /// ```
    /// use api_core::callback::MessageRoute;
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Text {
    ///     content: String,
    /// }
    ///
    /// # let body = "fromUserId=a&toUserId=b&objectName=RC:TxtMsg&content=%7B%22content%22%3A%22%E4%BD%A0%E5%A5%BD%22%7D&channelType=PERSON&msgTimestamp=1&msgUID=x";
    /// let message = MessageRoute::from_form(body.as_bytes()).unwrap();
    /// if message.object_name == "RC:TxtMsg" {
    ///     let text: Text = message.content_as().unwrap();
    ///     assert_eq!(text.content, "你好");
    /// }
    /// ```
    pub fn content_as<T: DeserializeOwned>(&self) -> Result<T, PayloadError> {
        serde_json::from_str(&self.content).map_err(PayloadError::Content)
    }
}

/// The kind of conversation a routed message belongs to (`channelType`).
///
/// The names are those of sealtalk's `MsgRouteParam.ChannelType`, with the
/// kinds its comments give; a name not listed is kept in
/// [`Other`](ChannelType::Other).
///
/// ```
/// use api_core::callback::ChannelType;
///
/// assert_eq!(ChannelType::from("TEMPGROUP"), ChannelType::TempGroup);
/// assert_eq!(ChannelType::from("NEWKIND"), ChannelType::Other("NEWKIND".into()));
/// assert_eq!(ChannelType::UltraGroup.as_str(), "ULTRAGROUP");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ChannelType {
    /// `PERSON`: one-to-one chat.
    Person,
    /// `PERSONS`: discussion group (deprecated by the provider).
    Persons,
    /// `GROUP`: group chat.
    Group,
    /// `TEMPGROUP`: chatroom.
    TempGroup,
    /// `CUSTOMERSERVICE`: customer service (deprecated by the provider).
    CustomerService,
    /// `NOTIFY`: system notification.
    Notify,
    /// `MC`: app public service.
    Mc,
    /// `MP`: public service.
    Mp,
    /// `ULTRAGROUP`: ultra group.
    UltraGroup,
    /// A name not listed above, as sent.
    Other(String),
}

impl ChannelType {
    /// The name as sent.
    pub fn as_str(&self) -> &str {
        match self {
            ChannelType::Person => "PERSON",
            ChannelType::Persons => "PERSONS",
            ChannelType::Group => "GROUP",
            ChannelType::TempGroup => "TEMPGROUP",
            ChannelType::CustomerService => "CUSTOMERSERVICE",
            ChannelType::Notify => "NOTIFY",
            ChannelType::Mc => "MC",
            ChannelType::Mp => "MP",
            ChannelType::UltraGroup => "ULTRAGROUP",
            ChannelType::Other(name) => name,
        }
    }

    fn known(name: &str) -> Option<Self> {
        Some(match name {
            "PERSON" => ChannelType::Person,
            "PERSONS" => ChannelType::Persons,
            "GROUP" => ChannelType::Group,
            "TEMPGROUP" => ChannelType::TempGroup,
            "CUSTOMERSERVICE" => ChannelType::CustomerService,
            "NOTIFY" => ChannelType::Notify,
            "MC" => ChannelType::Mc,
            "MP" => ChannelType::Mp,
            "ULTRAGROUP" => ChannelType::UltraGroup,
            _ => return None,
        })
    }
}

impl From<&str> for ChannelType {
    fn from(name: &str) -> Self {
        ChannelType::known(name).unwrap_or_else(|| ChannelType::Other(name.to_owned()))
    }
}

impl From<String> for ChannelType {
    fn from(name: String) -> Self {
        ChannelType::known(&name).unwrap_or(ChannelType::Other(name))
    }
}

impl fmt::Display for ChannelType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ChannelType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ChannelType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(ChannelType::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = "fromUserId=u%201&toUserId=g%2B1&objectName=RC%3ATxtMsg\
        &content=%7B%22content%22%3A%22a%26b%3Dc%2Bd%25e%5Cn%E4%BD%A0%F0%9F%98%80%22%7D\
        &channelType=GROUP&msgTimestamp=1665601025006&msgUID=BRGM-AH3D-RJ84-D4T6\
        &originalMsgUID=ORIG-1&sensitiveType=2&source=Android&busChannel=ch1\
        &groupUserIds=u2&groupUserIds%5B%5D=u3&groupUserIds=u4&unknownField=x";

    #[test]
    fn every_field_is_read_with_special_characters_intact() {
        let message = MessageRoute::from_form(FULL.as_bytes()).unwrap();
        assert_eq!(
            message,
            MessageRoute {
                from_user_id: "u 1".into(),
                to_user_id: "g+1".into(),
                object_name: "RC:TxtMsg".into(),
                content: "{\"content\":\"a&b=c+d%e\\n你😀\"}".into(),
                channel_type: ChannelType::Group,
                msg_timestamp: 1_665_601_025_006,
                msg_uid: "BRGM-AH3D-RJ84-D4T6".into(),
                original_msg_uid: Some("ORIG-1".into()),
                sensitive_type: Some(2),
                source: Some("Android".into()),
                bus_channel: Some("ch1".into()),
                group_user_ids: vec!["u2".into(), "u3".into(), "u4".into()],
            }
        );
        assert_eq!(
            message.content_json().unwrap()["content"],
            "a&b=c+d%e\n你😀"
        );
    }

    #[test]
    fn optional_fields_may_be_absent_or_empty() {
        let body = "fromUserId=a&toUserId=b&objectName=App:X&content=plain%20text\
            &channelType=PERSON&msgTimestamp=5&msgUID=m&busChannel=&sensitiveType=";
        let message = MessageRoute::from_form(body.as_bytes()).unwrap();
        assert_eq!(message.original_msg_uid, None);
        assert_eq!(message.sensitive_type, None);
        assert_eq!(message.source, None);
        assert_eq!(message.bus_channel, None);
        assert!(message.group_user_ids.is_empty());
        // Custom content need not be JSON.
        assert_eq!(message.content, "plain text");
        let error = message.content_json().unwrap_err();
        assert!(
            error.to_string().starts_with("field content is not"),
            "{error}"
        );
    }

    #[test]
    fn each_required_field_is_named_when_missing() {
        let all = [
            "fromUserId=a",
            "toUserId=b",
            "objectName=o",
            "content=c",
            "channelType=PERSON",
            "msgTimestamp=1",
            "msgUID=m",
        ];
        for left_out in 0..all.len() {
            let body: Vec<&str> = all
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != left_out)
                .map(|(_, pair)| *pair)
                .collect();
            let error = MessageRoute::from_form(body.join("&").as_bytes()).unwrap_err();
            let field = all[left_out].split('=').next().unwrap();
            assert!(
                matches!(error, PayloadError::Missing { field: f } if f == field),
                "{error}"
            );
        }
    }

    #[test]
    fn malformed_and_duplicate_fields_are_refused() {
        let base = "fromUserId=a&toUserId=b&objectName=o&content=c&channelType=PERSON&msgUID=m";
        let error =
            MessageRoute::from_form(format!("{base}&msgTimestamp=soon").as_bytes()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "field msgTimestamp is not a time in milliseconds"
        );
        let error =
            MessageRoute::from_form(format!("{base}&msgTimestamp=1&sensitiveType=x").as_bytes())
                .unwrap_err();
        assert_eq!(error.to_string(), "field sensitiveType is not an integer");
        let error = MessageRoute::from_form(format!("{base}&msgTimestamp=1&content=d").as_bytes())
            .unwrap_err();
        assert_eq!(error.to_string(), "field content appears more than once");
    }

    #[test]
    fn channel_types_round_trip() {
        for name in [
            "PERSON",
            "PERSONS",
            "GROUP",
            "TEMPGROUP",
            "CUSTOMERSERVICE",
            "NOTIFY",
            "MC",
            "MP",
            "ULTRAGROUP",
            "SOMETHING_NEW",
        ] {
            let kind = ChannelType::from(name);
            assert_eq!(kind.as_str(), name);
            assert_eq!(
                kind == ChannelType::Other(name.into()),
                name == "SOMETHING_NEW"
            );
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<ChannelType>(&json).unwrap(), kind);
        }
    }

    #[test]
    fn json_uses_the_wire_names() {
        let message = MessageRoute::from_form(FULL.as_bytes()).unwrap();
        let json = serde_json::to_value(&message).unwrap();
        for name in [
            "fromUserId",
            "toUserId",
            "objectName",
            "content",
            "channelType",
            "msgTimestamp",
            "msgUID",
            "originalMsgUID",
            "sensitiveType",
            "source",
            "busChannel",
            "groupUserIds",
        ] {
            assert!(json.get(name).is_some(), "{name} missing from {json}");
        }
        assert_eq!(
            serde_json::from_value::<MessageRoute>(json).unwrap(),
            message
        );
    }
}
