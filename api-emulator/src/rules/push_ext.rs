//! `pushExt`: a JSON object sent as a string form parameter (001 "pushExt 参数说明",
//! repeated in 002).

use serde_json::Value;

use super::json::{self, Obj};
use super::vendors;
use crate::rejection::{Checked, Rejection};

/// 001 / 002: "title ... 最长不超过 50 个字符".
const MAX_TITLE_CHARS: usize = 50;

/// Checks a `pushExt` value.
pub(crate) fn check(raw: &str) -> Checked<()> {
    let obj = json::parse_object(raw.as_bytes(), "pushExt")?;
    json::opt_str_max_chars(&obj, "pushExt", "title", MAX_TITLE_CHARS)?;
    json::opt_str(&obj, "pushExt", "templateId")?;
    // "默认值 0 表示不强制,1 表示强制"
    json::opt_int_in(&obj, "pushExt", "forceShowPushContent", &[0, 1])?;
    match obj.get("pushConfigs") {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Array(items)) => items.iter().try_for_each(push_config),
        Some(_) => Err(Rejection::invalid(
            "pushExt.pushConfigs: must be an array of objects",
        )),
    }
}

/// One `pushConfigs` element: `{"HW": {...}}` and so on. The supported channels are
/// "MI、HONOR、HW、OPPO、VIVO、APNs、FCM" plus OHOS, which the table also documents.
fn push_config(item: &Value) -> Checked<()> {
    let Value::Object(map) = item else {
        return Err(Rejection::invalid(
            "pushExt.pushConfigs: must be an array of objects",
        ));
    };
    for (vendor, settings) in map {
        let path = format!("pushExt.pushConfigs.{vendor}");
        let Value::Object(settings) = settings else {
            return Err(Rejection::invalid(format!("{path}: must be a JSON object")));
        };
        vendor_settings(vendor, settings, &path)?;
    }
    Ok(())
}

fn vendor_settings(vendor: &str, settings: &Obj, path: &str) -> Checked<()> {
    match vendor {
        "MI" => vendors::xiaomi(settings, path),
        "HONOR" => vendors::honor(settings, path),
        "HW" => vendors::huawei(settings, path),
        "OPPO" => vendors::oppo(settings, path),
        "VIVO" => vendors::vivo(settings, path),
        "APNs" => vendors::apns(settings, path),
        "FCM" => vendors::fcm(settings, path),
        "OHOS" => vendors::ohos(settings, path),
        other => Err(Rejection::invalid(format!(
            "pushExt.pushConfigs: unknown push channel {other:?} \
             (MI, HONOR, HW, OPPO, VIVO, APNs, FCM, OHOS)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The "pushExt 结构示例" of page 001.
    const PAGE_001_EXAMPLE: &str = r#"{
        "title":"you have a new message.",
        "templateId":"123456",
        "forceShowPushContent":0,
        "pushConfigs": [
            {"HW": {"channelId": "hw-123","importance": "NORMAL","image":"https://example.com/image.png"}},
            {"MI": {"channelId": "mi-123","large_icon_uri":"https://example.com/image.png"}},
            {"OPPO": {"channelId": "oppo-123","category": "IM","notify_level": 2}},
            {"VIVO" : {"classification": "0"}},
            {"APNs": {"thread-id": "123","apns-collapse-id":"123456","richMediaUri":"https://example.com/image.png"}},
            {"FCM": {"channelId":"rongcloud_channelid","collapse_key":"1234","imageUrl":"https://example.com/image.png"}},
            {"OHOS": {"category": "IM","image":"https://example.com/image.png"}}
        ]
    }"#;

    #[test]
    fn documented_example_passes() {
        check(PAGE_001_EXAMPLE).unwrap();
    }

    #[test]
    fn limits_are_enforced() {
        let long_title = format!(r#"{{"title":"{}"}}"#, "标".repeat(51));
        assert_eq!(check(&long_title).unwrap_err().code, 1005);
        check(&format!(r#"{{"title":"{}"}}"#, "标".repeat(50))).unwrap();
        assert_eq!(check("not json").unwrap_err().code, 1002);
        assert_eq!(
            check(r#"{"forceShowPushContent":2}"#).unwrap_err().code,
            1002
        );
        assert_eq!(
            check(r#"{"pushConfigs":[{"XX":{}}]}"#).unwrap_err().code,
            1002
        );
        assert_eq!(
            check(r#"{"pushConfigs":[{"HW":{"image":"http://x"}}]}"#)
                .unwrap_err()
                .code,
            1002
        );
        assert_eq!(
            check(r#"{"pushConfigs":[{"VIVO":{"category":"IM"}}]}"#)
                .unwrap_err()
                .code,
            1002
        );
    }
}
