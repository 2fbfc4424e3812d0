//! Per-vendor push settings. The same settings appear in `pushExt.pushConfigs`
//! (001 / 002, upper-case vendor keys) and in `notification.android` /
//! `notification.harmonyOS` / `notification.ios` of `/push.json` (000, lower-case keys).

use serde_json::Value;

use super::json::{self, Obj, field};
use crate::rejection::{Checked, Rejection};

/// 000 / 001: importance "取值 NORMAL、LOW".
const IMPORTANCE: &[&str] = &["NORMAL", "LOW"];

/// Honor: `importance`, `image` (000 `honor.*`, 001 `pushConfigs.HONOR.*`).
pub(super) fn honor(obj: &Obj, path: &str) -> Checked<()> {
    json::opt_enum(obj, path, "importance", IMPORTANCE)?;
    json::opt_https_url(obj, path, "image")
}

/// Huawei: `channelId`, `importance`, `image`, `category` (000 `hw.*`, 001 `pushConfigs.HW.*`).
pub(super) fn huawei(obj: &Obj, path: &str) -> Checked<()> {
    json::opt_str(obj, path, "channelId")?;
    json::opt_enum(obj, path, "importance", IMPORTANCE)?;
    json::opt_https_url(obj, path, "image")?;
    // 000 / 001: "category 取值必须为大写字母,例如 IM" (Huawei's own names also use `_`,
    // as in DEVICE_REMINDER).
    if let Some(category) = json::opt_str(obj, path, "category")?
        && (category.is_empty()
            || !category
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b == b'_'))
    {
        return Err(Rejection::invalid(format!(
            "{}: must be upper-case letters, got {category:?}",
            field(path, "category")
        )));
    }
    Ok(())
}

/// Xiaomi: `channelId`, `large_icon_uri` (000 `mi.*`, 001 `pushConfigs.MI.*`).
pub(super) fn xiaomi(obj: &Obj, path: &str) -> Checked<()> {
    json::opt_str(obj, path, "channelId")?;
    json::opt_str(obj, path, "large_icon_uri")?;
    Ok(())
}

/// OPPO: `channelId`, `category`, `notify_level` (000 `oppo.*`, 001 `pushConfigs.OPPO.*`).
pub(super) fn oppo(obj: &Obj, path: &str) -> Checked<()> {
    json::opt_str(obj, path, "channelId")?;
    json::opt_str(obj, path, "category")?;
    // "通知提醒类型,1 通知栏、2 通知栏+锁屏、16 通知栏+锁屏+横幅+震动+铃声"
    json::opt_int_in(obj, path, "notify_level", &[1, 2, 16])
}

/// vivo: `classification`, `category` (000 `vivo.*`, 001 `pushConfigs.VIVO.*`).
pub(super) fn vivo(obj: &Obj, path: &str) -> Checked<()> {
    // "可选值 0(运营消息,默认值) 和 1(系统消息)". Page 001 types it Number but its
    // example sends the string "0"; page 000 types it String. Both spellings pass.
    let classification = match obj.get("classification") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s == "0" || s == "1" => Some(()),
        Some(Value::Number(n)) if n.as_i64() == Some(0) || n.as_i64() == Some(1) => Some(()),
        Some(other) => {
            return Err(Rejection::invalid(format!(
                "{}: must be 0 or 1, got {other}",
                field(path, "classification")
            )));
        }
    };
    // "如果指定 category,必须同时传入与当前二级分类匹配的 classification 字段的值"
    if json::opt_str(obj, path, "category")?.is_some() && classification.is_none() {
        return Err(Rejection::invalid(format!(
            "{}: required when {} is set",
            field(path, "classification"),
            field(path, "category")
        )));
    }
    Ok(())
}

/// FCM: `channelId`, `collapse_key`, `imageUrl` (000 `fcm.*`, 001 `pushConfigs.FCM.*`).
pub(super) fn fcm(obj: &Obj, path: &str) -> Checked<()> {
    json::opt_str(obj, path, "channelId")?;
    json::opt_str(obj, path, "collapse_key")?;
    json::opt_str(obj, path, "imageUrl")?;
    Ok(())
}

/// HarmonyOS: `category`, `image` (000 `harmonyOS.ohos.*`, 001 `pushConfigs.OHOS.*`).
pub(super) fn ohos(obj: &Obj, path: &str) -> Checked<()> {
    json::opt_str(obj, path, "category")?;
    json::opt_https_url(obj, path, "image")
}

/// APNs: `thread-id`, `apns-collapse-id`, `richMediaUri`, `interruption-level`
/// (000 `notification.ios.*`, 001 `pushConfigs.APNs.*`).
pub(super) fn apns(obj: &Obj, path: &str) -> Checked<()> {
    json::opt_str(obj, path, "thread-id")?;
    json::opt_str(obj, path, "apns-collapse-id")?;
    json::opt_str(obj, path, "richMediaUri")?;
    // "取值为 passive,active(默认),time-sensitive,或 critical"
    json::opt_enum(
        obj,
        path,
        "interruption-level",
        &["passive", "active", "time-sensitive", "critical"],
    )
}
