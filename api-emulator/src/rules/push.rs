//! `POST /push.json`: page 000 (package-name notification) and page 003 (broadcast
//! message with `message`, plain push without it). One endpoint, three services.

use super::fields::{check_content, check_object_name};
use super::json::{self, Obj};
use super::notification::{self, Platforms};
use super::{MessageRequest, PushAudience};
use crate::records::DeliveryKind;
use crate::rejection::{Checked, Rejection};

/// 000 / 003: "每次发送时最多发送 20 个标签" for `tag` and for `tag_or`.
const MAX_TAGS: usize = 20;
/// 003: "每个 tags 最大不能超过 40 个字节".
const MAX_TAG_BYTES: usize = 40;
/// 000 / 003: "每次发送时最多发送 1000 个用户".
const MAX_USERIDS: usize = 1000;

pub(super) fn check(body: &[u8]) -> Checked<MessageRequest> {
    let mut obj = json::parse_object(body, "body")?;
    let platforms = platform(&obj)?;
    let audience_value = obj
        .get("audience")
        .filter(|v| !v.is_null())
        .cloned()
        .ok_or_else(|| Rejection::invalid("audience: required"))?;
    let audience = match &audience_value {
        serde_json::Value::Object(a) => check_audience(a)?,
        _ => return Err(Rejection::invalid("audience: must be a JSON object")),
    };

    // 003 broadcast / 000: message.content and message.objectName are required
    // when there is a message, and so is the sender `fromuserid`.
    let (object_name, content, sender) = match json::opt_obj(&obj, "", "message")? {
        Some(message) => {
            let object_name = json::req_str(message, "message", "objectName")?;
            check_object_name("message.objectName", object_name)?;
            let content = json::req_str(message, "message", "content")?;
            check_content("message.content", content)?;
            let sender = json::req_str(&obj, "", "fromuserid")?;
            (
                Some(object_name.to_owned()),
                Some(content.to_owned()),
                Some(sender.to_owned()),
            )
        }
        None => (
            None,
            None,
            json::opt_str(&obj, "", "fromuserid")?.map(str::to_owned),
        ),
    };

    // 003 push: notification is "(必传)"; for a broadcast message it is "(非必传)".
    match json::opt_obj(&obj, "", "notification")? {
        Some(n) => notification::check(n, platforms)?,
        None if object_name.is_none() => {
            return Err(Rejection::invalid(
                "notification: required for a push without message",
            ));
        }
        None => {}
    }

    let kind = if audience.package_name.is_some() && !audience.is_to_all {
        DeliveryKind::PackageNotification
    } else if object_name.is_some() {
        DeliveryKind::Broadcast
    } else {
        DeliveryKind::Push
    };
    // 000 / 003: "如果 tag 和 userid 两个条件同时存在时,则以 userid 为准";
    // is_to_all makes every other condition void.
    let recipients = if audience.is_to_all {
        Vec::new()
    } else {
        audience.userid.clone()
    };
    obj.remove("fromuserid");
    obj.remove("audience");
    Ok(MessageRequest {
        kind,
        sender,
        recipients,
        audience: Some(audience_value),
        object_name,
        content,
        params: obj,
        // 000 / 003: the quota counts calls ("每小时限发送 2 次").
        weight: 1,
        push_audience: Some(audience),
    })
}

/// `platform`: 000 / 003 "目标操作系统,iOS、Android 最少传递一个" (required).
/// `harmonyOS` is accepted as well since `notification.harmonyOS` exists (000),
/// but it does not replace iOS or Android.
fn platform(obj: &Obj) -> Checked<Platforms> {
    let values = json::opt_str_array(obj, "", "platform")?
        .ok_or_else(|| Rejection::invalid("platform: required"))?;
    let mut platforms = Platforms::default();
    for value in values {
        match value {
            "ios" => platforms.ios = true,
            "android" => platforms.android = true,
            "harmonyOS" => platforms.harmony = true,
            other => {
                return Err(Rejection::invalid(format!(
                    "platform: unknown value {other:?} (ios, android)"
                )));
            }
        }
    }
    if !platforms.ios && !platforms.android {
        return Err(Rejection::invalid(
            "platform: must contain at least one of ios, android",
        ));
    }
    Ok(platforms)
}

/// `audience`: 000 / 003 tables.
fn check_audience(a: &Obj) -> Checked<PushAudience> {
    const P: &str = "audience";
    // 000 types is_to_all as Boolean; the examples of 003 omit it when targeting by
    // tag or userid, so a missing is_to_all means false.
    let is_to_all = json::opt_bool(a, P, "is_to_all")?.unwrap_or(false);
    let tag = tags(a, "tag")?;
    let tag_or = tags(a, "tag_or")?;
    let userid = json::opt_str_array(a, P, "userid")?.unwrap_or_default();
    if userid.len() > MAX_USERIDS {
        return Err(Rejection::invalid(format!(
            "audience.userid: at most {MAX_USERIDS} users per call, got {}",
            userid.len()
        )));
    }
    if userid.iter().any(|u| u.is_empty()) {
        return Err(Rejection::invalid(
            "audience.userid: must not contain empty ids",
        ));
    }
    let package_name = match json::opt_str(a, P, "packageName")? {
        Some("") => {
            return Err(Rejection::invalid(
                "audience.packageName: must not be empty",
            ));
        }
        other => other.map(str::to_owned),
    };
    if !is_to_all
        && tag.is_empty()
        && tag_or.is_empty()
        && userid.is_empty()
        && package_name.is_none()
    {
        return Err(Rejection::invalid(
            "audience: set is_to_all to true or give tag, tag_or, userid or packageName",
        ));
    }
    Ok(PushAudience {
        is_to_all,
        tag,
        tag_or,
        userid: userid.into_iter().map(str::to_owned).collect(),
        package_name,
    })
}

fn tags(a: &Obj, key: &str) -> Checked<Vec<String>> {
    let values = json::opt_str_array(a, "audience", key)?.unwrap_or_default();
    if values.len() > MAX_TAGS {
        return Err(Rejection::invalid(format!(
            "audience.{key}: at most {MAX_TAGS} tags per call, got {}",
            values.len()
        )));
    }
    for tag in &values {
        if tag.is_empty() {
            return Err(Rejection::invalid(format!(
                "audience.{key}: must not contain empty tags"
            )));
        }
        if tag.len() > MAX_TAG_BYTES {
            return Err(Rejection::too_long(format!(
                "audience.{key}: tag {tag:?} is {} bytes, at most {MAX_TAG_BYTES}",
                tag.len()
            )));
        }
    }
    Ok(values.into_iter().map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(body: &str) -> u32 {
        check(body.as_bytes()).unwrap_err().code
    }

    #[test]
    fn kinds_follow_message_and_package_name() {
        let push =
            r#"{"platform":["ios"],"audience":{"is_to_all":true},"notification":{"alert":"a"}}"#;
        assert_eq!(check(push.as_bytes()).unwrap().kind, DeliveryKind::Push);
        let broadcast = r#"{"platform":["ios"],"fromuserid":"f","audience":{"is_to_all":true},"message":{"objectName":"RC:TxtMsg","content":"{}"}}"#;
        assert_eq!(
            check(broadcast.as_bytes()).unwrap().kind,
            DeliveryKind::Broadcast
        );
        let package =
            r#"{"platform":["ios"],"audience":{"packageName":"a.b"},"notification":{"alert":"a"}}"#;
        assert_eq!(
            check(package.as_bytes()).unwrap().kind,
            DeliveryKind::PackageNotification
        );
    }

    #[test]
    fn rules_reject() {
        let n = r#""notification":{"alert":"a"}"#;
        assert_eq!(
            code(&format!(r#"{{"audience":{{"is_to_all":true}},{n}}}"#)),
            1002
        );
        assert_eq!(
            code(&format!(
                r#"{{"platform":["web"],"audience":{{"is_to_all":true}},{n}}}"#
            )),
            1002
        );
        assert_eq!(
            code(&format!(
                r#"{{"platform":["harmonyOS"],"audience":{{"is_to_all":true}},{n}}}"#
            )),
            1002
        );
        assert_eq!(code(&format!(r#"{{"platform":["ios"],{n}}}"#)), 1002);
        assert_eq!(
            code(&format!(r#"{{"platform":["ios"],"audience":{{}},{n}}}"#)),
            1002
        );
        assert_eq!(
            code(&format!(
                r#"{{"platform":["ios"],"audience":{{"is_to_all":"true"}},{n}}}"#
            )),
            1002
        );
        let many: Vec<String> = (0..21).map(|i| format!("\"t{i}\"")).collect();
        assert_eq!(
            code(&format!(
                r#"{{"platform":["ios"],"audience":{{"tag":[{}]}},{n}}}"#,
                many.join(",")
            )),
            1002
        );
        assert_eq!(
            code(&format!(
                r#"{{"platform":["ios"],"audience":{{"tag_or":["{}"]}},{n}}}"#,
                "x".repeat(41)
            )),
            1005
        );
        // no alert for android
        assert_eq!(
            code(
                r#"{"platform":["ios","android"],"audience":{"is_to_all":true},"notification":{"ios":{"alert":"x"}}}"#
            ),
            1002
        );
        check(r#"{"platform":["ios","android"],"audience":{"is_to_all":true},"notification":{"ios":{"alert":"x"},"android":{"alert":"y"}}}"#.as_bytes()).unwrap();
        // badge
        assert_eq!(
            code(
                r#"{"platform":["ios"],"audience":{"is_to_all":true},"notification":{"alert":"a","ios":{"badge":10000}}}"#
            ),
            1002
        );
        // title
        assert_eq!(
            code(&format!(
                r#"{{"platform":["ios"],"audience":{{"is_to_all":true}},"notification":{{"alert":"a","title":"{}"}}}}"#,
                "t".repeat(51)
            )),
            1005
        );
        // message content must be a string, fromuserid required with a message
        assert_eq!(
            code(
                r#"{"platform":["ios"],"fromuserid":"f","audience":{"is_to_all":true},"message":{"objectName":"RC:TxtMsg","content":{"content":"x"}}}"#
            ),
            1002
        );
        assert_eq!(
            code(
                r#"{"platform":["ios"],"audience":{"is_to_all":true},"message":{"objectName":"RC:TxtMsg","content":"x"}}"#
            ),
            1002
        );
        // push without message needs a notification
        assert_eq!(
            code(r#"{"platform":["ios"],"audience":{"is_to_all":true}}"#),
            1002
        );
    }
}
