//! `POST /message/ultragroup/publish.json` (a JSON body).

use api_core::{Message, MessageContent, Report, endpoint};
use serde::{Deserialize, Serialize, Serializer};

use crate::extra_content::ExtraContent;
use crate::private_publish::expansion_rule;
use crate::push_ext::PushExt;

/// Sends a message to 1 to 3 ultra groups, or to one channel of them.
/// Every member receives it, the sender included.
///
/// - Limits: 1 to 3 groups, each 1 to 64 characters of `A-Za-z0-9`;
///   `fromUserId` 1 to 64 bytes; `content` at most 128 KiB; a custom
///   `objectName` at most 32 characters, not starting with `RC:`;
///   `busChannel` 1 to 20 characters of `A-Za-z0-9`; `pushExt.title` at most
///   50 characters; `extraContent` only with `expansion`.
/// - Rate limit: 100 messages a second for the app, where a call to N groups
///   counts N (declared, so the client paces it); also 20 a second in one
///   channel (in one group when no `busChannel` is given), which depends on
///   the target and is left to the server (code 1008).
/// - Not idempotent: a repeat sends the message again. `msg_random` lets the
///   server refuse a repeat within a minute, once the provider has enabled
///   that feature for the app.
/// - Sources: Dcn:message/send-ultragroup;
///   `doc.rongcloud.cn/imserver/server/v1/message/send-ultragroup`; Go
///   `sdk/ultragroup.go` `UGMessagePublish` (1 to 3 groups); Java
///   `MessageModel.java` (`msgRandom`) (API-BREADTH.md §2 row 25, §1b).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::{TextMessage, UltraGroupPublish};
///
/// let answer = UltraGroupPublish::new("owner", ["fans"], TextMessage::new("Live in 5 minutes"))
///     .bus_channel("live")
///     .is_persisted(true)
///     .send(client)
///     .await?;
/// println!("{}", answer.message_uid);
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/message/ultragroup/publish.json",
    encoding = "json",
    response = UltraGroupPublishResponse,
    rate_limit(items = 100, per = second, counted_by = to_group_ids),
    check = Self::check
)]
#[derive(Debug, Clone, PartialEq)]
pub struct UltraGroupPublish<C: MessageContent> {
    /// The sender (`fromUserId`).
    #[endpoint(non_empty, max_bytes = 64)]
    pub from_user_id: String,
    /// The ultra groups (`toGroupIds`), 1 to 3.
    #[endpoint(
        min_items = 1,
        max_items = 3,
        non_empty,
        max_chars = 64,
        chars = "alnum"
    )]
    pub to_group_ids: Vec<String>,
    /// The message: `objectName` and `content`.
    #[endpoint(flatten)]
    pub message: Message<C>,
    /// The channel (`busChannel`), 1 to 20 characters of `A-Za-z0-9`; by
    /// default the groups' default channel.
    #[endpoint(non_empty, max_chars = 20, chars = "alnum")]
    pub bus_channel: Option<String>,
    /// The push notification text for offline members (`pushContent`).
    pub push_content: Option<String>,
    /// Data handed to the app with the push (`pushData`).
    pub push_data: Option<String>,
    /// The push options (`pushExt`, a JSON string).
    #[endpoint(json, nested)]
    pub push_ext: Option<PushExt>,
    /// Store it in the history (`isPersisted`, `"1"` by default).
    pub is_persisted: Option<StringFlag>,
    /// Count it as unread (`isCounted`, `"1"` by default).
    pub is_counted: Option<StringFlag>,
    /// It mentions someone (`isMentioned`, `"0"` by default).
    pub is_mentioned: Option<StringFlag>,
    /// iOS silent push (`contentAvailable`, `"0"` by default).
    pub content_available: Option<StringFlag>,
    /// Whether clients may attach expansion data to it (`expansion`).
    pub expansion: Option<bool>,
    /// Its expansion pairs (`extraContent`, a JSON string); only with
    /// `expansion = true`.
    #[endpoint(json, nested)]
    pub extra_content: Option<ExtraContent>,
    /// Whether it counts in the unread count of mentions (`unreadCountFlag`).
    pub unread_count_flag: Option<bool>,
    /// An idempotency key (`msgRandom`): with the provider's idempotency
    /// feature enabled (by ticket), a repeat within one minute is refused.
    pub msg_random: Option<i64>,
}

impl<C: MessageContent> UltraGroupPublish<C> {
    /// A message from `from_user_id` to `to_group_ids` with nothing optional
    /// set.
    pub fn new<I, S>(from_user_id: impl Into<String>, to_group_ids: I, content: C) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            from_user_id: from_user_id.into(),
            to_group_ids: to_group_ids.into_iter().map(Into::into).collect(),
            message: Message::new(content),
            bus_channel: None,
            push_content: None,
            push_data: None,
            push_ext: None,
            is_persisted: None,
            is_counted: None,
            is_mentioned: None,
            content_available: None,
            expansion: None,
            extra_content: None,
            unread_count_flag: None,
            msg_random: None,
        }
    }

    fn check(&self, report: &mut Report) {
        expansion_rule(report, self.expansion, self.extra_content.as_ref());
    }
}

/// A yes/no the page types as a string: `"1"` or `"0"` in the JSON body.
/// Made from a `bool`, so setters take `true` and `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StringFlag(pub bool);

impl From<bool> for StringFlag {
    fn from(value: bool) -> Self {
        Self(value)
    }
}

impl Serialize for StringFlag {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(if self.0 { "1" } else { "0" })
    }
}

/// The answer of [`UltraGroupPublish`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UltraGroupPublishResponse {
    /// The message's id (`messageUID`; the first group's when several).
    #[serde(rename = "messageUID")]
    pub message_uid: String,
    /// One id per group (`messageUIDs`, Go `MessageResult`), when the server
    /// answers them.
    #[serde(rename = "messageUIDs", default)]
    pub message_uids: Vec<UltraGroupMessageUid>,
}

impl UltraGroupPublishResponse {
    /// The id of the message sent to `group_id`, if the answer has one.
    pub fn message_uid_for(&self, group_id: &str) -> Option<&str> {
        self.message_uids
            .iter()
            .find(|entry| entry.group_id == group_id)
            .map(|entry| entry.message_uid.as_str())
    }
}

/// The message id one ultra group got.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct UltraGroupMessageUid {
    /// The group (`groupId`).
    #[serde(rename = "groupId")]
    pub group_id: String,
    /// The message's id there (`messageUID`).
    #[serde(rename = "messageUID")]
    pub message_uid: String,
}

#[cfg(test)]
mod tests {
    use api_core::{Endpoint, Rule, Validate};

    use super::*;
    use crate::TextMessage;

    #[test]
    fn the_body_is_json_with_string_flags_and_json_string_parts() {
        let request = UltraGroupPublish::new("u&1", ["g1", "g2"], TextMessage::new("a\"b\n中😀"))
            .bus_channel("live")
            .is_persisted(false)
            .is_counted(true)
            .expansion(true)
            .extra_content(ExtraContent::new().insert("k", "v"))
            .push_ext(PushExt::new().title("t"))
            .msg_random(42);
        let body: serde_json::Value =
            serde_json::from_slice(&request.encode_body().unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "fromUserId": "u&1",
                "toGroupIds": ["g1", "g2"],
                "objectName": "RC:TxtMsg",
                "content": r#"{"content":"a\"b\n中😀"}"#,
                "busChannel": "live",
                "pushExt": r#"{"title":"t"}"#,
                "isPersisted": "0",
                "isCounted": "1",
                "expansion": true,
                "extraContent": r#"{"k":"v"}"#,
                "msgRandom": 42,
            })
        );
        const { assert!(!<UltraGroupPublish<TextMessage> as Endpoint>::IDEMPOTENT) };
        assert!(!request.is_idempotent());
        assert_eq!(request.rate_weight(), 2);
    }

    #[test]
    fn groups_channels_and_expansion_are_checked() {
        let error = UltraGroupPublish::new("u", ["a", "b", "c", "d"], TextMessage::new("x"))
            .bus_channel("no-dash")
            .extra_content(ExtraContent::new().insert("k", "v"))
            .validate()
            .unwrap_err();
        assert_eq!(error.at("to_group_ids").unwrap().rule(), &Rule::MaxItems(3));
        assert!(matches!(
            error.at("bus_channel").unwrap().rule(),
            Rule::Charset(_)
        ));
        assert!(error.at("extra_content").is_some());
        let none = UltraGroupPublish::new("u", Vec::<String>::new(), TextMessage::new("x"));
        assert_eq!(
            none.validate()
                .unwrap_err()
                .at("to_group_ids")
                .unwrap()
                .rule(),
            &Rule::MinItems(1)
        );
    }
}
