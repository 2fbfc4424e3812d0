//! `notification`: what a `/push.json` call shows, globally and per platform
//! (pages 000 and 003).

use std::borrow::Cow;

use api_core::{Actual, Report, Rule, Validate};
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Validate)]
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

    /// Sets the title (at most 50 characters).
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Forces (or explicitly does not force) the content on screen.
    #[must_use]
    pub fn force_show_push_content(mut self, force: bool) -> Self {
        self.force_show_push_content = Some(force);
        self
    }

    /// Sets the iOS part.
    #[must_use]
    pub fn ios(mut self, ios: IosNotification) -> Self {
        self.ios = Some(ios);
        self
    }

    /// Sets the Android part.
    #[must_use]
    pub fn android(mut self, android: AndroidNotification) -> Self {
        self.android = Some(android);
        self
    }

    /// Sets the HarmonyOS part.
    #[must_use]
    pub fn harmony_os(mut self, harmony_os: HarmonyOsNotification) -> Self {
        self.harmony_os = Some(harmony_os);
        self
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Validate)]
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

    /// Sets the iOS title.
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Makes it a silent push (or explicitly not).
    #[must_use]
    pub fn content_available(mut self, available: bool) -> Self {
        self.content_available = Some(available);
        self
    }

    /// Sets the iOS text.
    #[must_use]
    pub fn alert(mut self, alert: impl Into<String>) -> Self {
        self.alert = Some(alert.into());
        self
    }

    /// Sets the badge.
    #[must_use]
    pub fn badge(mut self, badge: i32) -> Self {
        self.badge = Some(badge);
        self
    }

    /// Sets the thread id.
    #[must_use]
    pub fn thread_id(mut self, id: impl Into<String>) -> Self {
        self.thread_id = Some(id.into());
        self
    }

    /// Sets the collapse id.
    #[must_use]
    pub fn apns_collapse_id(mut self, id: impl Into<String>) -> Self {
        self.apns_collapse_id = Some(id.into());
        self
    }

    /// Sets the rich notification category.
    #[must_use]
    pub fn category(mut self, category: impl Into<String>) -> Self {
        self.category = Some(category.into());
        self
    }

    /// Sets the rich media URL.
    #[must_use]
    pub fn rich_media_uri(mut self, url: impl Into<String>) -> Self {
        self.rich_media_uri = Some(url.into());
        self
    }

    /// Sets the interruption level.
    #[must_use]
    pub fn interruption_level(mut self, level: InterruptionLevel) -> Self {
        self.interruption_level = Some(level);
        self
    }

    /// Sets the app data.
    #[must_use]
    pub fn extras(mut self, extras: Extras) -> Self {
        self.extras = Some(extras);
        self
    }
}

/// The Android part of a notification (`notification.android`), with
/// options per vendor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Validate)]
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

    /// Sets the Android text.
    #[must_use]
    pub fn alert(mut self, alert: impl Into<String>) -> Self {
        self.alert = Some(alert.into());
        self
    }

    /// Sets the Honor options.
    #[must_use]
    pub fn honor(mut self, config: HonorConfig) -> Self {
        self.honor = Some(config);
        self
    }

    /// Sets the Huawei options.
    #[must_use]
    pub fn hw(mut self, config: HwConfig) -> Self {
        self.hw = Some(config);
        self
    }

    /// Sets the Xiaomi options.
    #[must_use]
    pub fn mi(mut self, config: MiConfig) -> Self {
        self.mi = Some(config);
        self
    }

    /// Sets the OPPO options.
    #[must_use]
    pub fn oppo(mut self, config: OppoConfig) -> Self {
        self.oppo = Some(config);
        self
    }

    /// Sets the vivo options.
    #[must_use]
    pub fn vivo(mut self, config: VivoConfig) -> Self {
        self.vivo = Some(config);
        self
    }

    /// Sets the Firebase options.
    #[must_use]
    pub fn fcm(mut self, config: FcmConfig) -> Self {
        self.fcm = Some(config);
        self
    }

    /// Sets the app data.
    #[must_use]
    pub fn extras(mut self, extras: Extras) -> Self {
        self.extras = Some(extras);
        self
    }
}

/// The HarmonyOS part of a notification (`notification.harmonyOS`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Validate)]
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

    /// Sets the HarmonyOS text.
    #[must_use]
    pub fn alert(mut self, alert: impl Into<String>) -> Self {
        self.alert = Some(alert.into());
        self
    }

    /// Sets the HarmonyOS options.
    #[must_use]
    pub fn ohos(mut self, config: OhosConfig) -> Self {
        self.ohos = Some(config);
        self
    }

    /// Sets the app data.
    #[must_use]
    pub fn extras(mut self, extras: Extras) -> Self {
        self.extras = Some(extras);
        self
    }
}
