//! The `notification` object of `/push.json`: page 000 (full structure with ios,
//! android vendors and harmonyOS) and page 003 (broadcast and push sections).

use super::json::{self, Obj, field};
use super::vendors;
use crate::rejection::{Checked, Rejection};

/// 000: "notification.title ... 最长不超过 50 个字符".
const MAX_TITLE_CHARS: usize = 50;
/// 000 / 003: badge "最大不超过 9999".
const MAX_BADGE: i64 = 9999;

/// The operating systems a `/push.json` call targets (`platform`).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Platforms {
    pub ios: bool,
    pub android: bool,
    pub harmony: bool,
}

/// Checks `notification` for a call targeting `platforms`.
pub(super) fn check(n: &Obj, platforms: Platforms) -> Checked<()> {
    const P: &str = "notification";
    json::opt_str_max_chars(n, P, "title", MAX_TITLE_CHARS)?;
    // 000: forceShowPushContent "默认值 0 表示不强制,1 表示强制".
    json::opt_int_in(n, P, "forceShowPushContent", &[0, 1])?;
    let alert = json::opt_str(n, P, "alert")?.filter(|a| !a.is_empty());

    let ios_alert = match json::opt_obj(n, P, "ios")? {
        Some(ios) => check_ios(ios)?,
        None => None,
    };
    let android_alert = match json::opt_obj(n, P, "android")? {
        Some(android) => check_android(android)?,
        None => None,
    };
    let harmony_alert = match json::opt_obj(n, P, "harmonyOS")? {
        Some(harmony) => check_harmony(harmony)?,
        None => None,
    };

    // 000: "如果此处 notification.alert 不传,则必须在 notification.ios.alert 和
    // notification.android.alert 分别指定 iOS 和 Android 下的推送通知内容 ...
    // 如果都不填写,则无法发起推送". Checked for each targeted platform.
    if alert.is_none() {
        for (targeted, platform_alert, name) in [
            (platforms.ios, ios_alert, "ios"),
            (platforms.android, android_alert, "android"),
            (platforms.harmony, harmony_alert, "harmonyOS"),
        ] {
            if targeted && platform_alert.is_none() {
                return Err(Rejection::invalid(format!(
                    "notification.alert: required unless notification.{name}.alert is set \
                     for the targeted platform {name}"
                )));
            }
        }
    }
    Ok(())
}

/// A platform `alert`: 003 "传入后默认的推送消息内容失效,不能为空".
fn platform_alert<'o>(obj: &'o Obj, path: &str) -> Checked<Option<&'o str>> {
    match json::opt_str(obj, path, "alert")? {
        Some("") => Err(Rejection::invalid(format!(
            "{}: must not be empty",
            field(path, "alert")
        ))),
        other => Ok(other),
    }
}

/// 000 "notification.ios 参数结构说明".
fn check_ios(ios: &Obj) -> Checked<Option<&str>> {
    const P: &str = "notification.ios";
    json::opt_str(ios, P, "title")?;
    // "1 表示为开启,0 表示为关闭,默认为 0"
    json::opt_int_in(ios, P, "contentAvailable", &[0, 1])?;
    let alert = platform_alert(ios, P)?;
    // "为 0 或负数时,表示 App 角标上的数字清零 ... 最大不超过 9999"
    if let Some(badge) = json::opt_int(ios, P, "badge")?
        && badge > MAX_BADGE
    {
        return Err(Rejection::invalid(format!(
            "notification.ios.badge: at most {MAX_BADGE}, got {badge}"
        )));
    }
    json::opt_str(ios, P, "category")?;
    vendors::apns(ios, P)?;
    json::opt_obj(ios, P, "extras")?;
    Ok(alert)
}

/// 000 "notification.android 结构说明".
fn check_android(android: &Obj) -> Checked<Option<&str>> {
    const P: &str = "notification.android";
    let alert = platform_alert(android, P)?;
    type VendorCheck = fn(&Obj, &str) -> Checked<()>;
    let vendor_checks: [(&str, VendorCheck); 6] = [
        ("honor", vendors::honor),
        ("hw", vendors::huawei),
        ("mi", vendors::xiaomi),
        ("oppo", vendors::oppo),
        ("vivo", vendors::vivo),
        ("fcm", vendors::fcm),
    ];
    for (key, check) in vendor_checks {
        if let Some(settings) = json::opt_obj(android, P, key)? {
            check(settings, &field(P, key))?;
        }
    }
    json::opt_obj(android, P, "extras")?;
    Ok(alert)
}

/// 000 "notification.harmonyOS 结构说明".
fn check_harmony(harmony: &Obj) -> Checked<Option<&str>> {
    const P: &str = "notification.harmonyOS";
    let alert = platform_alert(harmony, P)?;
    if let Some(ohos) = json::opt_obj(harmony, P, "ohos")? {
        vendors::ohos(ohos, "notification.harmonyOS.ohos")?;
    }
    json::opt_obj(harmony, P, "extras")?;
    Ok(alert)
}
