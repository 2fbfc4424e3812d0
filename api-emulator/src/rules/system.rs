//! `POST /message/system/publish.json`: page 002 ("发送系统通知普通消息").

use super::publish::Publish;
use super::{MessageRequest, fields};
use crate::form::Form;
use crate::records::DeliveryKind;
use crate::rejection::Checked;

/// 002: "单次最多向 100 个用户发送消息".
const MAX_RECIPIENTS: usize = 100;

pub(super) fn check(body: &[u8]) -> Checked<MessageRequest> {
    let form = Form::parse(body)?;
    let publish = Publish::check(&form, MAX_RECIPIENTS)?;
    // 002: isPersisted "0 表示不存储;1 表示存储"; contentAvailable "1 表示为开启,0 表示为关闭".
    fields::optional_flag(&form, "isPersisted")?;
    fields::optional_flag(&form, "contentAvailable")?;
    // 002: disablePush is Boolean.
    fields::optional_bool(&form, "disablePush")?;
    publish.into_request(DeliveryKind::SystemMessage, &form)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The body of page 002's "请求示例".
    const EXAMPLE: &str = crate::documented::SYSTEM_PUBLISH;

    #[test]
    fn documented_example_is_accepted() {
        let req = check(EXAMPLE.as_bytes()).unwrap();
        assert_eq!(req.recipients, ["2191", "2192"]);
        assert_eq!(req.params["pushData"], "hello");
    }

    #[test]
    fn at_most_100_recipients() {
        let ok: String = (0..100).map(|i| format!("&toUserId=u{i}")).collect();
        check(format!("fromUserId=a&objectName=o&content=c{ok}").as_bytes()).unwrap();
        let too_many = format!("{ok}&toUserId=x");
        let err =
            check(format!("fromUserId=a&objectName=o&content=c{too_many}").as_bytes()).unwrap_err();
        assert_eq!(err.code, 1002);
        assert!(err.message.contains("toUserId"));
    }
}
