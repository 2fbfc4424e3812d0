//! `POST /message/recall.json` (D:message/msgrecall).

use std::borrow::Cow;

use api_core::{Actual, Report, Rule, endpoint};

use super::ConversationType;

/// Recalls a message: sends a recall command that makes clients delete it
/// and show an `RC:RcNtf` notice instead (unless `is_delete`).
///
/// - Limits: every id 1 to 64 bytes; `busChannel` (at most 20 letters and
///   digits) only for an ultra group message, and then exactly as it was
///   sent; `sentTime` not negative.
/// - Rate limit: 100 calls a second.
/// - Not idempotent: each call sends a recall command of its own, stored in
///   the history like any message.
///
/// Sources: <https://docs.rongcloud.io/platform-chat-api/message/msgrecall>
/// (parameters, conversation types, `busChannel` rule, rate limit); the Go
/// SDK's recall functions (`sentTime`), the Java SDK's `Chatroom.java`
/// (`extra`) (API-BREADTH.md §2 #19).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::{ConversationType, GroupPublish, Recall, TextMessage};
///
/// let sent = GroupPublish::new("2191", ["group1"], TextMessage::new("oops"))
///     .send(client)
///     .await?;
/// if let Some(uid) = sent.message_uid_for("group1") {
///     Recall::group("2191", "group1", uid).send(client).await?;
///     // The same call, spelled out:
///     let same = Recall::new("2191", ConversationType::Group, "group1", uid);
///     assert_eq!(same, Recall::group("2191", "group1", uid));
/// }
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/message/recall.json",
    encoding = "form",
    rate_limit(calls = 100, per = second),
    check = Self::check
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recall {
    /// The user recalling (`fromUserId`): the sender, or anyone with
    /// `is_admin`.
    #[endpoint(non_empty, max_bytes = 64)]
    pub from_user_id: String,
    /// The conversation the message was sent in.
    pub conversation_type: ConversationType,
    /// The conversation's target (`targetId`): the other user, the group,
    /// the room, the ultra group, or the system conversation's sender.
    #[endpoint(non_empty, max_bytes = 64)]
    pub target_id: String,
    /// The message (`messageUID`), from a publish answer or the routing
    /// callback.
    #[endpoint(rename = "messageUID", non_empty)]
    pub message_uid: String,
    /// When the message was sent, in milliseconds since the epoch
    /// (`sentTime`; the Go SDK always sends it).
    #[endpoint(min = 0)]
    pub sent_time: Option<i64>,
    /// The ultra group channel the message was sent in (`busChannel`); only
    /// for [`ConversationType::UltraGroup`], and required then if the send
    /// named one.
    #[endpoint(non_empty, max_chars = 20, chars = "alnum")]
    pub bus_channel: Option<String>,
    /// Recall as an administrator (`isAdmin`, `1`): IMKit then shows
    /// "an administrator recalled a message" (default `0`).
    #[endpoint(int_bool)]
    pub is_admin: Option<bool>,
    /// Delete the message without leaving a recall notice (`isDelete`, `1`;
    /// default `0`).
    #[endpoint(int_bool)]
    pub is_delete: Option<bool>,
    /// No push notification for the recall (default `false`).
    pub disable_push: Option<bool>,
    /// Free data carried by the recall command (`extra`).
    pub extra: Option<String>,
    /// Leave the conversation's last message unchanged (default `false`).
    pub disable_update_last_msg: Option<bool>,
}

impl Recall {
    /// Recalls `message_uid`, sent by `from_user_id` in the conversation
    /// `conversation_type` / `target_id`, nothing optional set.
    pub fn new(
        from_user_id: impl Into<String>,
        conversation_type: ConversationType,
        target_id: impl Into<String>,
        message_uid: impl Into<String>,
    ) -> Self {
        Self {
            from_user_id: from_user_id.into(),
            conversation_type,
            target_id: target_id.into(),
            message_uid: message_uid.into(),
            sent_time: None,
            bus_channel: None,
            is_admin: None,
            is_delete: None,
            disable_push: None,
            extra: None,
            disable_update_last_msg: None,
        }
    }

    /// Recalls a one-to-one message `from_user_id` sent to `to_user_id`.
    pub fn private(
        from_user_id: impl Into<String>,
        to_user_id: impl Into<String>,
        message_uid: impl Into<String>,
    ) -> Self {
        Self::new(
            from_user_id,
            ConversationType::Private,
            to_user_id,
            message_uid,
        )
    }

    /// Recalls a message `from_user_id` sent to the group `group_id`.
    pub fn group(
        from_user_id: impl Into<String>,
        group_id: impl Into<String>,
        message_uid: impl Into<String>,
    ) -> Self {
        Self::new(from_user_id, ConversationType::Group, group_id, message_uid)
    }

    /// Recalls a message `from_user_id` sent to the room `chatroom_id`.
    pub fn chatroom(
        from_user_id: impl Into<String>,
        chatroom_id: impl Into<String>,
        message_uid: impl Into<String>,
    ) -> Self {
        Self::new(
            from_user_id,
            ConversationType::Chatroom,
            chatroom_id,
            message_uid,
        )
    }

    /// Recalls a message `from_user_id` sent to the ultra group `group_id`
    /// in the channel `bus_channel` (`None` when the send named none).
    pub fn ultra_group(
        from_user_id: impl Into<String>,
        group_id: impl Into<String>,
        message_uid: impl Into<String>,
        bus_channel: Option<String>,
    ) -> Self {
        Self {
            bus_channel,
            ..Self::new(
                from_user_id,
                ConversationType::UltraGroup,
                group_id,
                message_uid,
            )
        }
    }

    fn check(&self, report: &mut Report) {
        if self.bus_channel.is_some() && self.conversation_type != ConversationType::UltraGroup {
            report.field("bus_channel", |report| {
                report.violation(
                    Rule::Other(Cow::Borrowed(
                        "only for an ultra group message (conversation_type 10)",
                    )),
                    Actual::Number(self.conversation_type as i64),
                )
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use api_core::{Endpoint, Validate};

    use super::*;

    #[test]
    fn the_conversation_type_is_its_number() {
        let recall = Recall::new("u1", ConversationType::UltraGroup, "ug1", "5GSB-RRDL")
            .sent_time(1_700_000_000_000)
            .bus_channel("ch1")
            .is_delete(true);
        assert_eq!(recall.validate(), Ok(()));
        assert_eq!(
            recall.encode_body().unwrap(),
            b"fromUserId=u1&conversationType=10&targetId=ug1&messageUID=5GSB-RRDL&sentTime=1700000000000&busChannel=ch1&isDelete=1"
        );
        const { assert!(!Recall::IDEMPOTENT) };
    }

    #[test]
    fn constructors_name_the_conversation() {
        assert_eq!(
            Recall::group("u", "g1", "X"),
            Recall::new("u", ConversationType::Group, "g1", "X")
        );
        assert_eq!(
            Recall::private("u", "v", "X").conversation_type,
            ConversationType::Private
        );
        assert_eq!(
            Recall::chatroom("u", "r", "X").conversation_type,
            ConversationType::Chatroom
        );
        let ultra = Recall::ultra_group("u", "ug", "X", Some("ch".into()));
        assert_eq!(ultra.conversation_type, ConversationType::UltraGroup);
        assert_eq!(ultra.bus_channel.as_deref(), Some("ch"));
        assert_eq!(ultra.validate(), Ok(()));
    }

    #[test]
    fn a_channel_is_only_for_ultra_groups() {
        let recall = Recall::new("u1", ConversationType::Group, "g1", "X").bus_channel("ch1");
        let error = recall.validate().unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid request, nothing was sent: bus_channel: only for an ultra group message (conversation_type 10) (got 3)"
        );
    }
}
