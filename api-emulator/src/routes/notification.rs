//! The notification message `/group/create.json`, `join`, `quit` and `dismiss`
//! can send in the same call (`bindNotifyMsg=true`; Go `sdk/group.go`
//! `MessageOptions`): recorded as a group message, answered with its
//! `messageUID` and the group's `memberCount`.

use super::Call;
use super::outbox::Outgoing;
use super::params;
use crate::form::Form;
use crate::ids::next_message_id;
use crate::records::DeliveryKind;
use crate::rejection::Checked;
use crate::rules::push_ext;

/// A checked bound notification.
#[derive(Debug)]
pub(super) struct Bound<'f> {
    sender: &'f str,
    object_name: &'f str,
    content: &'f str,
    include_sender: bool,
}

/// Checks the notification parameters. Without `bindNotifyMsg=true` there is
/// none, and the other parameters are not looked at (the Go SDK sends them
/// only when binding).
pub(super) fn check<'f>(form: &'f Form<'_>) -> Checked<Option<Bound<'f>>> {
    if params::optional_bool(form, "bindNotifyMsg")? != Some(true) {
        return Ok(None);
    }
    // Go `validateMessageOptions`: fromUserId, objectName and content are
    // required when binding.
    let sender = params::user_id(form, "fromUserId")?;
    let object_name = params::required(form, "objectName")?;
    params::check_object_name("objectName", object_name)?;
    let content = params::required(form, "content")?;
    params::check_content("content", content)?;
    params::optional_text(form, "pushContent")?;
    params::optional_text(form, "pushData")?;
    let include_sender = params::optional_flag(form, "isIncludeSender")? == Some(true);
    params::optional_flag(form, "isPersisted")?;
    // The Go SDK sends maxMember=0 when unset; what the server does with it is
    // not documented, so it is checked as a count and kept in the record only.
    params::optional_int(form, "maxMember", 0, i64::from(i32::MAX))?;
    if let Some(ext) = params::optional_text(form, "pushExt")?.filter(|e| !e.is_empty()) {
        push_ext::check(ext)?;
    }
    params::optional_bool(form, "disableUpdateLastMsg")?;
    Ok(Some(Bound {
        sender,
        object_name,
        content,
        include_sender,
    }))
}

impl Bound<'_> {
    /// Records the notification to `members` of `group_id` (the sender only with
    /// `isIncludeSender=1`) and answers its id.
    pub(super) fn send(
        &self,
        call: &Call<'_>,
        form: &Form<'_>,
        group_id: &str,
        members: Vec<String>,
    ) -> String {
        let mut recipients: Vec<String> =
            members.into_iter().filter(|m| m != self.sender).collect();
        if self.include_sender {
            recipients.push(self.sender.to_owned());
        }
        let id = next_message_id();
        call.deliver(Outgoing {
            sender: Some(self.sender.to_owned()),
            target_id: Some(group_id.to_owned()),
            recipients,
            object_name: Some(self.object_name.to_owned()),
            content: Some(self.content.to_owned()),
            params: form.rest(&["fromUserId", "objectName", "content", "userId", "groupId"]),
            message_ids: vec![id.clone()],
            ..Outgoing::new(DeliveryKind::GroupNotification)
        });
        id
    }
}
