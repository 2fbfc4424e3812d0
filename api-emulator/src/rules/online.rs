//! `POST /message/online/broadcast.json`: page 004 ("发送在线用户广播").

use super::MessageRequest;
use super::fields::{self, check_content, check_object_name};
use crate::form::Form;
use crate::records::DeliveryKind;
use crate::rejection::Checked;

/// Parameters surfaced as fields of the delivery rather than in `params`.
const SURFACED: &[&str] = &["fromUserId", "objectName", "content"];

pub(super) fn check(body: &[u8]) -> Checked<MessageRequest> {
    let form = Form::parse(body)?;
    // 004: fromUserId, objectName, content are the documented parameters.
    let sender = fields::required(&form, "fromUserId")?;
    let object_name = fields::required(&form, "objectName")?;
    check_object_name("objectName", object_name)?;
    let content = fields::required(&form, "content")?;
    check_content("content", content)?;
    // 004: disableUpdateLastMsg is Boolean.
    fields::optional_bool(&form, "disableUpdateLastMsg")?;
    Ok(MessageRequest {
        kind: DeliveryKind::OnlineBroadcast,
        sender: Some(sender.to_owned()),
        recipients: Vec::new(),
        audience: None,
        object_name: Some(object_name.to_owned()),
        content: Some(content.to_owned()),
        params: form.rest(SURFACED),
        // 004: "每分钟限 60 次": calls, not recipients.
        weight: 1,
        push_audience: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_example_is_accepted() {
        // The body of page 004's "请求示例".
        let body = crate::documented::ONLINE_BROADCAST;
        let req = check(body.as_bytes()).unwrap();
        assert_eq!(req.sender.as_deref(), Some("2191"));
        assert!(req.recipients.is_empty());
    }

    #[test]
    fn missing_content_names_the_parameter() {
        let err = check(b"fromUserId=a&objectName=o").unwrap_err();
        assert_eq!(err.code, 1002);
        assert!(err.message.contains("content"));
    }
}
