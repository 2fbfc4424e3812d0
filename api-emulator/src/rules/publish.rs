//! What pages 001 and 002 (private and system publish) check alike: the
//! sender, the recipients, the message, the push texts and `pushExt`.

use super::fields::{self, check_content, check_object_name};
use super::{MessageRequest, push_ext};
use crate::form::Form;
use crate::records::DeliveryKind;
use crate::rejection::Checked;

/// Parameters surfaced as fields of the delivery rather than in `params`.
const SURFACED: &[&str] = &["fromUserId", "toUserId", "objectName", "content"];

/// The checked parameters both pages have.
pub(super) struct Publish<'f> {
    sender: &'f str,
    recipients: Vec<String>,
    object_name: &'f str,
    content: &'f str,
}

impl<'f> Publish<'f> {
    /// Checks, in this order, `fromUserId`, `toUserId` (at most
    /// `max_recipients`), `objectName`, `content`, `pushContent` and
    /// `pushData`.
    pub(super) fn check(form: &'f Form<'_>, max_recipients: usize) -> Checked<Self> {
        let sender = fields::required(form, "fromUserId")?;
        let recipients = fields::recipients(form, "toUserId", max_recipients)?;
        let object_name = fields::required(form, "objectName")?;
        check_object_name("objectName", object_name)?;
        let content = fields::required(form, "content")?;
        check_content("content", content)?;
        fields::optional_text(form, "pushContent")?;
        fields::optional_text(form, "pushData")?;
        Ok(Self {
            sender,
            recipients,
            object_name,
            content,
        })
    }

    /// Checks `pushExt` (after the page's own parameters) and makes the
    /// request, weighted by its recipients (the limits count recipients).
    pub(super) fn into_request(
        self,
        kind: DeliveryKind,
        form: &Form<'_>,
    ) -> Checked<MessageRequest> {
        if let Some(ext) = fields::optional_text(form, "pushExt")? {
            push_ext::check(ext)?;
        }
        Ok(MessageRequest {
            kind,
            sender: Some(self.sender.to_owned()),
            weight: self.recipients.len() as u64,
            recipients: self.recipients,
            audience: None,
            object_name: Some(self.object_name.to_owned()),
            content: Some(self.content.to_owned()),
            params: form.rest(SURFACED),
            push_audience: None,
        })
    }
}
