//! `POST /message/private/publish.json`: page 001 ("发送单聊普通消息").

use super::publish::Publish;
use super::{MessageRequest, extra_content, fields};
use crate::form::Form;
use crate::records::DeliveryKind;
use crate::rejection::Checked;

/// 001: "单次最多向 1000 个用户发送消息".
const MAX_RECIPIENTS: usize = 1000;

pub(super) fn check(body: &[u8]) -> Checked<MessageRequest> {
    let form = Form::parse(body)?;
    let publish = Publish::check(&form, MAX_RECIPIENTS)?;
    // 001: isIncludeSender "1 表示同步,默认值为 0"; verifyBlacklist "0 ... 1";
    // isPersisted "0 表示不存储;1 表示存储"; contentAvailable "1 表示为开启,0 表示为关闭".
    for flag in [
        "isIncludeSender",
        "verifyBlacklist",
        "isPersisted",
        "contentAvailable",
    ] {
        fields::optional_flag(&form, flag)?;
    }
    // 001: count "为 -1 时不改变角标数 ... 最大不超过 9999".
    fields::optional_int(&form, "count", -1, 9999)?;
    // 001: expansion, disablePush, disableUpdateLastMsg are Boolean.
    fields::optional_bool(&form, "expansion")?;
    fields::optional_bool(&form, "disablePush")?;
    fields::optional_bool(&form, "disableUpdateLastMsg")?;
    if let Some(extra) = fields::optional_text(&form, "extraContent")? {
        extra_content::check(extra)?;
    }
    publish.into_request(DeliveryKind::PrivateMessage, &form)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The body of page 001's "请求示例".
    const EXAMPLE: &str = crate::documented::PRIVATE_PUBLISH;

    #[test]
    fn documented_example_is_accepted() {
        let req = check(EXAMPLE.as_bytes()).unwrap();
        assert_eq!(req.recipients, ["2193", "2192"]);
        assert_eq!(req.sender.as_deref(), Some("2191"));
        assert_eq!(req.object_name.as_deref(), Some("RC:TxtMsg"));
        assert_eq!(
            req.content.as_deref(),
            Some(r#"{"content":"hello","extra":"helloExtra"}"#)
        );
        assert_eq!(req.params["count"], "4");
        assert_eq!(req.weight, 2);
    }

    #[test]
    fn each_rule_rejects() {
        let base = "fromUserId=a&toUserId=b&objectName=RC:TxtMsg&content=x";
        check(base.as_bytes()).unwrap();
        for (extra, code) in [
            ("&isIncludeSender=2", 1002),
            ("&verifyBlacklist=yes", 1002),
            ("&isPersisted=-1", 1002),
            ("&contentAvailable=true", 1002),
            ("&count=10000", 1002),
            ("&count=-2", 1002),
            ("&expansion=1", 1002),
            ("&disablePush=TRUE", 1002),
            ("&disableUpdateLastMsg=", 1002),
            ("&pushExt=%7B", 1002),
            ("&extraContent=%5B%5D", 1002),
            ("&fromUserId=c", 1002),
        ] {
            let body = format!("{base}{extra}");
            assert_eq!(check(body.as_bytes()).unwrap_err().code, code, "{extra}");
        }
        check(format!("{base}&count=-1&count2=9").as_bytes()).unwrap();
        let long_name = format!(
            "fromUserId=a&toUserId=b&objectName={}&content=x",
            "A".repeat(33)
        );
        assert_eq!(check(long_name.as_bytes()).unwrap_err().code, 1005);
        let many: String = (0..1001).map(|i| format!("&toUserId=u{i}")).collect();
        let body = format!("fromUserId=a&objectName=RC:TxtMsg&content=x{many}");
        assert_eq!(check(body.as_bytes()).unwrap_err().code, 1002);
    }
}
