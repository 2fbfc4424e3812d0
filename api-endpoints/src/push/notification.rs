//! `notification`: what a `/push.json` call shows, globally and per platform
//! (pages 000 and 003).

use std::borrow::Cow;

use api_core::{Actual, Report, Rule, Setters, Validate};
use serde::Serialize;

use crate::push_ext::{
    FcmConfig, HonorConfig, HwConfig, InterruptionLevel, MiConfig, OhosConfig, OppoConfig,
    VivoConfig, int_bool,
};

/// Free-form data handed to the app with a notification (`extras`).
pub type Extras = serde_json::Map<String, serde_json::Value>;

/// The largest iOS badge.
pub const MAX_BADGE: i32 = 9999;

/// A target operating system (`platform`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// `ios`.
    Ios,
    /// `android`.
    Android,
}

impl Platform {
    /// Both documented platforms, as the examples send them.
    pub const ALL: [Platform; 2] = [Platform::Ios, Platform::Android];
}

/// The notification of a push or broadcast.
///
/// An alert (the text) must exist: `alert` here, or the `alert` of every
/// targeted platform's part. A platform's own alert wins over the global
/// one. Checked before sending.
///
/// ```
/// use api_endpoints::{IosNotification, Notification};
///
/// let notification = Notification::alert("this is a push")
///     .ios(IosNotification::new().alert("override alert").badge(2));
/// let json = serde_json::to_value(&notification).unwrap();
/// assert_eq!(json["ios"]["badge"], 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Setters, Validate)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    /// The title, at most 50 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(max_chars = 50)]
    pub title: Option<String>,
    /// Show the content even where the device hides notification contents
    /// (sent as `1`; `0`, the default, does not force).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "int_bool")]
    pub force_show_push_content: Option<bool>,
    /// The default text of every platform.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(non_empty)]
    // `Notification::alert` is the constructor.
    #[setters(skip)]
    pub alert: Option<String>,
    /// The iOS part.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub ios: Option<IosNotification>,
    /// The Android part.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub android: Option<AndroidNotification>,
    /// The HarmonyOS part (`harmonyOS`).
    #[serde(rename = "harmonyOS", skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub harmony_os: Option<HarmonyOsNotification>,
}

impl Notification {
    /// A notification whose text, on every platform, is `alert`.
    pub fn alert(alert: impl Into<String>) -> Self {
        Self {
            alert: Some(alert.into()),
            ..Self::default()
        }
    }

    /// A notification with no global text: every targeted platform's part
    /// must then have its own alert.
    pub fn per_platform() -> Self {
        Self::default()
    }

    /// Reports, at `notification`, each targeted platform left without any
    /// alert.
    pub(crate) fn check_alerts(&self, report: &mut Report, platforms: &[Platform]) {
        if self.alert.is_some() {
            return;
        }
        for platform in platforms {
            let (name, has_alert) = match platform {
                Platform::Ios => ("ios", self.ios.as_ref().is_some_and(|p| p.alert.is_some())),
                Platform::Android => (
                    "android",
                    self.android.as_ref().is_some_and(|p| p.alert.is_some()),
                ),
            };
            if !has_alert {
                report.field(name, |report| {
                    report.field("alert", |report| {
                        report.violation(
                            Rule::Other(Cow::Borrowed(
                                "an alert is needed here or in `notification.alert` for a targeted platform",
                            )),
                            Actual::Missing,
                        )
                    })
                });
            }
        }
    }
}

/// The iOS part of a notification (`notification.ios`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Setters, Validate)]
#[serde(rename_all = "camelCase")]
pub struct IosNotification {
    /// The title (iOS 8.2 and later); wins over `notification.title`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(max_chars = 50)]
    pub title: Option<String>,
    /// A silent push that runs app code in the background (sent as `1`).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "int_bool")]
    pub content_available: Option<bool>,
    /// The text on iOS; wins over `notification.alert`. Not empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(non_empty)]
    pub alert: Option<String>,
    /// The app badge: unset keeps it, 0 or less clears it, at most 9999.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(max = 9999)]
    pub badge: Option<i32>,
    /// Notification group: more than 5 of one group are folded.
    #[serde(rename = "thread-id", skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<String>,
    /// Notifications with the same id are merged (iOS 10 and later).
    #[serde(rename = "apns-collapse-id", skip_serializing_if = "Option::is_none")]
    pub apns_collapse_id: Option<String>,
    /// A rich notification type the app interprets, with `rich_media_uri`;
    /// sends `mutable-content: 1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The rich notification's content URL, with `category`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rich_media_uri: Option<String>,
    /// The interruption level (iOS 15 and later).
    #[serde(rename = "interruption-level", skip_serializing_if = "Option::is_none")]
    pub interruption_level: Option<InterruptionLevel>,
    /// Data for the app.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extras: Option<Extras>,
}

impl IosNotification {
    /// An iOS part with nothing set.
    pub fn new() -> Self {
        Self::default()
    }
}

/// The Android part of a notification (`notification.android`), with
/// options per vendor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Setters, Validate)]
pub struct AndroidNotification {
    /// The text on Android; wins over `notification.alert`. Not empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(non_empty)]
    pub alert: Option<String>,
    /// Honor options.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub honor: Option<HonorConfig>,
    /// Huawei options.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub hw: Option<HwConfig>,
    /// Xiaomi options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mi: Option<MiConfig>,
    /// OPPO options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oppo: Option<OppoConfig>,
    /// vivo options.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub vivo: Option<VivoConfig>,
    /// Firebase options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fcm: Option<FcmConfig>,
    /// Data for the app.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extras: Option<Extras>,
}

impl AndroidNotification {
    /// An Android part with nothing set.
    pub fn new() -> Self {
        Self::default()
    }
}

/// The HarmonyOS part of a notification (`notification.harmonyOS`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Setters, Validate)]
pub struct HarmonyOsNotification {
    /// The text on HarmonyOS; wins over `notification.alert`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(non_empty)]
    pub alert: Option<String>,
    /// HarmonyOS push options.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub ohos: Option<OhosConfig>,
    /// Data for the app.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extras: Option<Extras>,
}

impl HarmonyOsNotification {
    /// A HarmonyOS part with nothing set.
    pub fn new() -> Self {
        Self::default()
    }
}
