//! The notification message `/group/create.json`, `join`, `quit` and
//! `dismiss` can send to the group in the same call (`bindNotifyMsg`; Go
//! `sdk/group.go` `MessageOptions`, `setMessageOptions`).

use std::borrow::Cow;

use api_core::encode::form::{FormEncoder, FormFields, FormName, FormValue, IntBool};
use api_core::{EncodeError, Message, MessageContent, Report, Setters, Validate};

use crate::push_ext::PushExt;

/// A message sent to the group by the same call that changes it (a
/// "welcome" on join, a notice on dismiss): `bindNotifyMsg=true` with the
/// message's fields. The call then answers the message's id and the group's
/// member count (see [`GroupOperationResponse`](crate::GroupOperationResponse)).
///
/// A call carrying one is not idempotent: a repeat would send the message
/// again, so the client never repeats it after a lost answer.
///
/// - Limits: `fromUserId` 1 to 64 bytes; the message as for any publish
///   (`objectName` at most 32 characters, `content` at most 128 KiB);
///   `pushExt.title` at most 50 characters.
/// - Sources: API-BREADTH.md §1b; Go `sdk/group.go` `MessageOptions`,
///   `setMessageOptions` and `validateMessageOptions` (`fromUserId`,
///   `objectName` and `content` required).
///
/// ```
/// use api_core::Validate;
/// use api_endpoints::{BoundNotification, GroupJoin, GroupNotification, GroupOperation};
///
/// let welcome = GroupNotification::new("admin", GroupOperation::Add, "{}", "Bob joined");
/// let join = GroupJoin::new(["bob"], "hikers")
///     .with_notification(BoundNotification::new("admin", welcome).is_include_sender(true));
/// assert!(join.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Setters, Validate)]
pub struct BoundNotification<C: MessageContent> {
    /// The sender (`fromUserId`).
    #[validate(non_empty, max_bytes = 64)]
    pub from_user_id: String,
    /// The message: `objectName` and `content`.
    #[validate(nested)]
    pub message: Message<C>,
    /// The push notification text for offline members (`pushContent`).
    pub push_content: Option<String>,
    /// Data handed to the app with the push (`pushData`).
    pub push_data: Option<String>,
    /// Deliver it to the sender too (`isIncludeSender`, `1`; default `0`).
    pub is_include_sender: Option<bool>,
    /// Store it in the members' history (`isPersisted`, default `1`).
    pub is_persisted: Option<bool>,
    /// `maxMember` (Go `MessageOptions.MaxMember`): the provider's pages do
    /// not describe it; sent only when set.
    pub max_member: Option<u32>,
    /// The push options (`pushExt`, a JSON string).
    #[validate(nested)]
    pub push_ext: Option<PushExt>,
    /// Leave the conversation's last message unchanged
    /// (`disableUpdateLastMsg`, default `false`).
    pub disable_update_last_msg: Option<bool>,
}

impl<C: MessageContent> BoundNotification<C> {
    /// `content` sent by `from_user_id`, nothing optional set.
    pub fn new(from_user_id: impl Into<String>, content: C) -> Self {
        Self {
            from_user_id: from_user_id.into(),
            message: Message::new(content),
            push_content: None,
            push_data: None,
            is_include_sender: None,
            is_persisted: None,
            max_member: None,
            push_ext: None,
            disable_update_last_msg: None,
        }
    }
}

impl<C: MessageContent> FormFields for BoundNotification<C> {
    fn append_fields(&self, form: &mut FormEncoder) -> Result<(), EncodeError> {
        true.append_to(const { FormName::plain("bindNotifyMsg") }, form);
        self.from_user_id
            .append_to(const { FormName::plain("fromUserId") }, form);
        self.message.append_fields(form)?;
        self.push_content
            .append_to(const { FormName::plain("pushContent") }, form);
        self.push_data
            .append_to(const { FormName::plain("pushData") }, form);
        self.is_include_sender
            .as_int()
            .append_to(const { FormName::plain("isIncludeSender") }, form);
        self.is_persisted
            .as_int()
            .append_to(const { FormName::plain("isPersisted") }, form);
        self.max_member
            .append_to(const { FormName::plain("maxMember") }, form);
        if let Some(push_ext) = &self.push_ext {
            form.json(const { FormName::plain("pushExt") }, push_ext)?;
        }
        self.disable_update_last_msg
            .append_to(const { FormName::plain("disableUpdateLastMsg") }, form);
        Ok(())
    }
}

/// The content type of a group call without a notification message. It has
/// no values, so a [`BoundNotification<NoNotification>`] cannot be built:
/// `GroupJoin::new(..)` is a `GroupJoin<NoNotification>`, and
/// `with_notification` turns it into a call that carries one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoNotification {}

impl MessageContent for NoNotification {
    fn object_name(&self) -> &str {
        match *self {}
    }

    fn encode_content(&self) -> Result<Cow<'_, str>, EncodeError> {
        match *self {}
    }

    fn validate_content(&self, _: &mut Report) {
        match *self {}
    }
}

#[cfg(test)]
mod tests {
    use api_core::{CustomMessage, Rule};

    use super::*;

    #[test]
    fn every_field_goes_on_the_wire_after_bind_notify_msg() {
        let notification = BoundNotification::new("op&1", CustomMessage::new("App:Ntf", "a=b&c"))
            .push_content("新 😀")
            .push_data("d")
            .is_include_sender(true)
            .is_persisted(false)
            .max_member(3000)
            .push_ext(PushExt::new().title("t"))
            .disable_update_last_msg(true);
        let mut form = FormEncoder::with_capacity(64);
        notification.append_fields(&mut form).unwrap();
        let body = form.finish();
        let pairs: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect();
        let expected: Vec<(String, String)> = [
            ("bindNotifyMsg", "true"),
            ("fromUserId", "op&1"),
            ("objectName", "App:Ntf"),
            ("content", "a=b&c"),
            ("pushContent", "新 😀"),
            ("pushData", "d"),
            ("isIncludeSender", "1"),
            ("isPersisted", "0"),
            ("maxMember", "3000"),
            ("pushExt", r#"{"title":"t"}"#),
            ("disableUpdateLastMsg", "true"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(pairs, expected);
    }

    #[test]
    fn the_sender_and_message_are_checked() {
        let error = BoundNotification::new("", CustomMessage::new("RC:Mine", "{}"))
            .validate()
            .unwrap_err();
        assert_eq!(error.at("from_user_id").unwrap().rule(), &Rule::Required);
        assert!(error.at("message.object_name").is_some(), "{error}");
    }
}
