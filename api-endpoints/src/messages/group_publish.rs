//! `POST /message/group/publish.json` (D:message/send-group).

use std::borrow::Cow;

use api_core::{Actual, Message, MessageContent, Report, Rule, endpoint};
use serde::Deserialize;

use crate::extra_content::ExtraContent;
use crate::private_publish::expansion_rule;
use crate::push_ext::PushExt;

/// The most groups one call reaches: "Supports up to 3 group IDs"
/// (D:message/send-group).
pub const MAX_GROUPS: usize = 3;

/// Sends a message to up to 3 groups, or a targeted message to some members
/// of one group.
///
/// The sender need not be a member. By default the message is neither synced
/// to the sender's other clients nor stored in the sender's history (see
/// `is_include_sender`).
///
/// - Limits: 1 to 3 `toGroupId`, each at most 64 letters and digits; with
///   `toUserId` (a targeted message) exactly one group, and none of
///   `expansion`, `extraContent`, `disablePush`, `pushExt`; ids at most 64
///   bytes; `content` at most 128 KiB; a custom `objectName` at most 32
///   characters, not starting with `RC:`; `pushExt.title` at most 50
///   characters; `extraContent` only with `expansion`.
/// - Rate limit: 20 messages a second, where a call to 3 groups counts 3.
/// - Not idempotent: a repeat delivers the message again. `msgRandom` makes
///   the server refuse a repeat within a minute once the provider has
///   enabled it for the app (by ticket).
/// - Answer: the message id of each group ([`GroupPublishResponse`]). A
///   bulk send ([`Client::bulk`](api_core::Client::bulk)) takes the groups
///   as its recipients, 3 a call.
///
/// Sources: <https://docs.rongcloud.io/platform-chat-api/message/send-group>
/// (parameters, the 3 groups, the targeted message and what it does not
/// support, the rate limit); the Go SDK's `GroupSend` and `MessageResult`
/// (the answer's `messageUID` and `messageUIDs`); the Java SDK's
/// `MessageModel.msgRandom` (API-BREADTH.md §1b, §2 #15).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::{GroupPublish, TextMessage};
///
/// let answer = GroupPublish::new("2191", ["group1", "group2"], TextMessage::new("hello"))
///     .push_content("you have a new message")
///     .send(client)
///     .await?;
/// println!("{:?}", answer.message_uid_for("group1"));
///
/// // Only two members of group1 get this one.
/// GroupPublish::targeted("2191", "group1", ["u1", "u2"], TextMessage::new("psst"))
///     .send(client)
///     .await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/message/group/publish.json",
    encoding = "form",
    max_recipients = 3,
    response = GroupPublishResponse,
    rate_limit(items = 20, per = second, counted_by = to_group_id),
    check = Self::check
)]
#[derive(Debug, Clone, PartialEq)]
pub struct GroupPublish<C: MessageContent> {
    /// The sender (`fromUserId`). It should have had a user token issued, or
    /// push notifications cannot show the sender's profile.
    #[endpoint(non_empty, max_bytes = 64)]
    pub from_user_id: String,
    /// The groups (`toGroupId`, repeated), 1 to 3, each at most 64 letters
    /// and digits.
    #[endpoint(recipients, max_chars = 64, chars = "alnum")]
    pub to_group_id: Vec<String>,
    /// The members a targeted message goes to (`toUserId`, repeated); empty
    /// for a message to the whole group. Only with a single group.
    #[endpoint(non_empty, max_bytes = 64)]
    pub to_user_id: Vec<String>,
    /// The message: `objectName` and `content`.
    #[endpoint(flatten)]
    pub message: Message<C>,
    /// The notification text shown when a member is offline.
    pub push_content: Option<String>,
    /// Data handed to the app with the push (`appData` on iOS and Android).
    pub push_data: Option<String>,
    /// The notification options; not with a targeted message.
    #[endpoint(json, nested)]
    pub push_ext: Option<PushExt>,
    /// Store the message in the members' cloud history (default `1`).
    #[endpoint(int_bool)]
    pub is_persisted: Option<bool>,
    /// Sync the message to the sender's clients (`1`; default `0`).
    #[endpoint(int_bool)]
    pub is_include_sender: Option<bool>,
    /// The message mentions members (`isMentioned`, `1`): the content's
    /// `mentionedInfo` then decides who is notified (default `0`).
    #[endpoint(int_bool)]
    pub is_mentioned: Option<bool>,
    /// iOS silent push (`contentAvailable`, default `0`).
    #[endpoint(int_bool)]
    pub content_available: Option<bool>,
    /// Count the message as unread (`isCounted`, default `1`).
    #[endpoint(int_bool)]
    pub is_counted: Option<bool>,
    /// Ask the members' clients for read receipts (`needReadReceipt`, `1`).
    #[endpoint(int_bool)]
    pub need_read_receipt: Option<bool>,
    /// Whether clients may attach expansion data to the message (default
    /// `false`); not with a targeted message.
    pub expansion: Option<bool>,
    /// The message's expansion pairs; only with `expansion = true`.
    #[endpoint(json, nested)]
    pub extra_content: Option<ExtraContent>,
    /// A silent message: no notification when offline (default `false`);
    /// not with a targeted message.
    pub disable_push: Option<bool>,
    /// Leave the conversation's last message unchanged (default `false`).
    pub disable_update_last_msg: Option<bool>,
    /// The idempotency key (`msgRandom`): once the provider enables the
    /// feature for the app, a repeat with the same key within a minute is
    /// refused instead of delivered again.
    pub msg_random: Option<i64>,
}

impl<C: MessageContent> GroupPublish<C> {
    /// A message from `from_user_id` to every member of each of
    /// `to_group_id` (1 to 3 groups), nothing optional set.
    pub fn new<I, S>(from_user_id: impl Into<String>, to_group_id: I, content: C) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            from_user_id: from_user_id.into(),
            to_group_id: to_group_id.into_iter().map(Into::into).collect(),
            to_user_id: Vec::new(),
            message: Message::new(content),
            push_content: None,
            push_data: None,
            push_ext: None,
            is_persisted: None,
            is_include_sender: None,
            is_mentioned: None,
            content_available: None,
            is_counted: None,
            need_read_receipt: None,
            expansion: None,
            extra_content: None,
            disable_push: None,
            disable_update_last_msg: None,
            msg_random: None,
        }
    }

    /// A targeted message: from `from_user_id` to the members `to_user_id`
    /// of the group `to_group_id` only; the group's other members do not get
    /// it.
    pub fn targeted<I, S>(
        from_user_id: impl Into<String>,
        to_group_id: impl Into<String>,
        to_user_id: I,
        content: C,
    ) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::new(from_user_id, [to_group_id.into()], content).to_users(to_user_id)
    }

    /// Makes this a targeted message to `to_user_id` (members of the single
    /// group).
    pub fn to_users<I, S>(mut self, to_user_id: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.to_user_id = to_user_id.into_iter().map(Into::into).collect();
        self
    }

    fn check(&self, report: &mut Report) {
        expansion_rule(report, self.expansion, self.extra_content.as_ref());
        if self.to_user_id.is_empty() {
            return;
        }
        // D:message/send-group: "When sending targeted group messages, only
        // one toGroupId is supported, and expansion, extraContent,
        // disablePush, and pushExt fields are not supported."
        if self.to_group_id.len() > 1 {
            report.field("to_group_id", |report| {
                report.violation(
                    Rule::Other(Cow::Borrowed(
                        "exactly one group for a targeted message (to_user_id)",
                    )),
                    Actual::Size(self.to_group_id.len()),
                )
            });
        }
        let unsupported = [
            ("expansion", self.expansion == Some(true)),
            ("extra_content", self.extra_content.is_some()),
            ("disable_push", self.disable_push == Some(true)),
            ("push_ext", self.push_ext.is_some()),
        ];
        for (field, set) in unsupported {
            if set {
                report.field(field, |report| {
                    report.violation(
                        Rule::Other(Cow::Borrowed(
                            "not supported on a targeted message (to_user_id)",
                        )),
                        Actual::Text("set".to_owned()),
                    )
                });
            }
        }
    }
}

/// The answer of [`GroupPublish`]: the id of the message in each group.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GroupPublishResponse {
    /// The message id (`messageUID`; with several groups, the first
    /// group's). Absent from older answers.
    #[serde(rename = "messageUID", default)]
    pub message_uid: Option<String>,
    /// One entry per group (`messageUIDs`); empty when the answer has none.
    #[serde(rename = "messageUIDs", default)]
    pub message_uids: Vec<GroupMessageUid>,
}

impl GroupPublishResponse {
    /// The id of the message sent to `group_id`, if the answer names it.
    pub fn message_uid_for(&self, group_id: &str) -> Option<&str> {
        self.message_uids
            .iter()
            .find(|entry| entry.group_id == group_id)
            .map(|entry| entry.message_uid.as_str())
    }
}

impl api_core::PerRecipientIds for GroupPublishResponse {
    fn per_recipient_ids(&self) -> impl Iterator<Item = (&str, &str)> {
        self.message_uids
            .iter()
            .map(|entry| (entry.group_id.as_str(), entry.message_uid.as_str()))
    }
}

/// The message id one group got.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct GroupMessageUid {
    /// The group (`groupId`).
    /// Empty if the entry does not name it: the publish succeeded either
    /// way, so an answer shaped differently must not fail the call.
    #[serde(rename = "groupId", default)]
    pub group_id: String,
    /// The message's unique id (`messageUID`).
    #[serde(rename = "messageUID")]
    pub message_uid: String,
}

#[cfg(test)]
mod tests {
    use api_core::{Endpoint, Validate};

    use super::*;
    use crate::TextMessage;

    fn decode(body: &str) -> Vec<(String, String)> {
        form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect()
    }

    #[test]
    fn a_targeted_message_names_its_group_and_members() {
        let publish = GroupPublish::targeted("s&1", "g1", ["u=1", "用户"], TextMessage::new("hi"))
            .is_include_sender(true)
            .msg_random(-7);
        assert_eq!(publish.validate(), Ok(()));
        let body = String::from_utf8(publish.encode_body().unwrap()).unwrap();
        assert_eq!(
            decode(&body),
            [
                ("fromUserId", "s&1"),
                ("toGroupId", "g1"),
                ("toUserId", "u=1"),
                ("toUserId", "用户"),
                ("objectName", "RC:TxtMsg"),
                ("content", r#"{"content":"hi"}"#),
                ("isIncludeSender", "1"),
                ("msgRandom", "-7"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert_eq!(publish.rate_weight(), 1);
    }

    #[test]
    fn three_groups_count_three_and_four_are_refused() {
        let three = GroupPublish::new("s", ["g1", "g2", "g3"], TextMessage::new("hi"));
        assert_eq!(three.rate_weight(), 3);
        assert_eq!(GroupPublish::<TextMessage>::MAX_RECIPIENTS, Some(3));
        const { assert!(!GroupPublish::<TextMessage>::IDEMPOTENT) };
        let four = GroupPublish::new("s", ["g1", "g2", "g3", "g4"], TextMessage::new("hi"));
        let error = four.validate().unwrap_err();
        assert_eq!(error.violations()[0].path(), "to_group_id[3]");
        assert_eq!(error.violations()[0].rule(), &Rule::MaxItems(3));
    }

    #[test]
    fn targeted_rules() {
        let bad = GroupPublish::new("s", ["g1", "g-2"], TextMessage::new("hi"))
            .to_users(["u1", ""])
            .expansion(true)
            .disable_push(false)
            .push_ext(PushExt::new().title("t"));
        let error = bad.validate().unwrap_err();
        let found: Vec<String> = error.violations().iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "to_group_id[1]: only letters and digits (A-Za-z0-9) (got \"g-2\")",
                "to_user_id[1]: required, must not be empty (got \"\")",
                "to_group_id: exactly one group for a targeted message (to_user_id) (got 2)",
                "expansion: not supported on a targeted message (to_user_id) (got \"set\")",
                "push_ext: not supported on a targeted message (to_user_id) (got \"set\")",
            ]
        );
    }

    #[test]
    fn the_answer_names_each_group() {
        let body = br#"{"code":200,"messageUID":"A","messageUIDs":[{"groupId":"g1","messageUID":"A"},{"groupId":"g2","messageUID":"B"}]}"#;
        let answer: GroupPublishResponse =
            api_core::decode_response(http::StatusCode::OK, body, None).unwrap();
        assert_eq!(answer.message_uid.as_deref(), Some("A"));
        assert_eq!(answer.message_uid_for("g2"), Some("B"));
        assert_eq!(answer.message_uid_for("g3"), None);
        let bare: GroupPublishResponse =
            api_core::decode_response(http::StatusCode::OK, br#"{"code":200}"#, None).unwrap();
        assert_eq!(bare.message_uid, None);
        assert!(bare.message_uids.is_empty());
    }
}
