//! `pushExt`: the push notification options of a published message
//! (pages 001 and 002), sent as a JSON string inside the form.

use std::borrow::Cow;

use api_core::{Actual, Report, Rule, Setters, Validate};
use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};

/// The longest notification title, in characters (pages 000, 001, 002).
pub const MAX_TITLE_CHARS: usize = 50;

/// How a message's push notification looks: its title, its template, whether
/// its content is forced on screen, and options per push vendor.
///
/// Ignored by the server when `disablePush` is `true`.
///
/// ```
/// use api_endpoints::{HwConfig, Importance, PushConfigs, PushExt};
///
/// let push_ext = PushExt::new()
///     .title("you have a new message.")
///     .force_show_push_content(true)
///     .push_configs(PushConfigs::new().hw(HwConfig::new().channel_id("hw-123").importance(Importance::Normal)));
/// let json = serde_json::to_value(&push_ext).unwrap();
/// assert_eq!(json["pushConfigs"][0]["HW"]["channelId"], "hw-123");
/// assert_eq!(json["forceShowPushContent"], 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Setters, Validate)]
#[serde(rename_all = "camelCase")]
pub struct PushExt {
    /// The notification title, at most 50 characters. By default the
    /// sender's name (private) or the group's name (group).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(max_chars = 50)]
    pub title: Option<String>,
    /// A push template id (console "custom push texts"): the text is chosen
    /// by the recipient's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_id: Option<String>,
    /// Show `pushContent` even where the device hides notification contents
    /// (sent as `1`; `0`, the default, does not force).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "int_bool")]
    pub force_show_push_content: Option<bool>,
    /// Options per push vendor.
    #[serde(skip_serializing_if = "PushConfigs::is_empty")]
    #[validate(nested)]
    pub push_configs: PushConfigs,
}

impl PushExt {
    /// Push options with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the per-vendor options.
    #[must_use]
    pub fn push_configs(mut self, configs: PushConfigs) -> Self {
        self.push_configs = configs;
        self
    }
}

/// `Option<bool>` as the documented `0` / `1`.
pub(crate) fn int_bool<S: Serializer>(
    value: &Option<bool>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serializer.serialize_u8(u8::from(*value)),
        None => serializer.serialize_none(),
    }
}

/// The per-vendor options of `pushConfigs`.
///
/// On the wire an array of one-key objects (`[{"HW": {...}}, {"MI": {...}}]`);
/// here one optional field per vendor, so a vendor cannot be configured
/// twice. Vendors are written in the documentation's order: HONOR, HW, MI,
/// OPPO, VIVO, APNs, FCM, OHOS.
#[derive(Debug, Clone, Default, PartialEq, Eq, Setters, Validate)]
pub struct PushConfigs {
    /// Honor (`HONOR`).
    #[validate(nested)]
    pub honor: Option<HonorConfig>,
    /// Huawei (`HW`).
    #[validate(nested)]
    pub hw: Option<HwConfig>,
    /// Xiaomi (`MI`).
    pub mi: Option<MiConfig>,
    /// OPPO (`OPPO`).
    pub oppo: Option<OppoConfig>,
    /// vivo (`VIVO`).
    #[validate(nested)]
    pub vivo: Option<VivoConfig>,
    /// Apple Push Notification service (`APNs`).
    pub apns: Option<ApnsConfig>,
    /// Firebase Cloud Messaging (`FCM`).
    pub fcm: Option<FcmConfig>,
    /// HarmonyOS (`OHOS`).
    #[validate(nested)]
    pub ohos: Option<OhosConfig>,
}

macro_rules! vendor_options {
    ($($field:ident, $vendor:literal;)*) => {
        impl PushConfigs {
            /// No vendor options.
            pub fn new() -> Self {
                Self::default()
            }

            /// Whether no vendor has options.
            pub fn is_empty(&self) -> bool {
                $(self.$field.is_none())&&*
            }
        }

        impl Serialize for PushConfigs {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(None)?;
                $(
                    if let Some(config) = &self.$field {
                        seq.serialize_element(&Vendor { name: $vendor, config })?;
                    }
                )*
                seq.end()
            }
        }
    };
}

vendor_options! {
    honor, "HONOR";
    hw, "HW";
    mi, "MI";
    oppo, "OPPO";
    vivo, "VIVO";
    apns, "APNs";
    fcm, "FCM";
    ohos, "OHOS";
}

/// `{"<vendor>": config}`.
struct Vendor<'a, T> {
    name: &'static str,
    config: &'a T,
}

impl<T: Serialize> Serialize for Vendor<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.name, self.config)?;
        map.end()
    }
}

/// Honor and Huawei notification priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Importance {
    /// `NORMAL`: service and communication messages (Huawei's default).
    #[serde(rename = "NORMAL")]
    Normal,
    /// `LOW`: news and marketing (Honor shows no image for these).
    #[serde(rename = "LOW")]
    Low,
}

/// Reports a URL that the documentation requires to be HTTPS.
fn https_url(report: &mut Report, name: &'static str, url: &Option<String>) {
    if let Some(url) = url {
        if !url.starts_with("https://") {
            report.field(name, |report| {
                report.violation(
                    Rule::Other(Cow::Borrowed("must be an https:// URL")),
                    Actual::text(url),
                )
            });
        }
    }
}

/// Honor (`HONOR`) options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Setters, Validate)]
#[validate(check = HonorConfig::check)]
pub struct HonorConfig {
    /// Notification priority.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub importance: Option<Importance>,
    /// The large icon on the right of the notification: an https URL of an
    /// image under 512 KB (40 × 40 dp suggested).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

impl HonorConfig {
    /// Honor options with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    fn check(&self, report: &mut Report) {
        https_url(report, "image", &self.image);
    }
}

/// Huawei (`HW`) options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Setters, Validate)]
#[serde(rename_all = "camelCase")]
#[validate(check = HwConfig::check)]
pub struct HwConfig {
    /// The notification channel id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<String>,
    /// Notification priority (default `NORMAL`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub importance: Option<Importance>,
    /// The large icon on the right: an https URL of an image under 512 KB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Huawei's self-classification of the message, in capital letters
    /// (`IM`); needs Huawei's approval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

impl HwConfig {
    /// Huawei options with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    fn check(&self, report: &mut Report) {
        https_url(report, "image", &self.image);
        if let Some(category) = &self.category {
            if category.is_empty() || !category.bytes().all(|b| b.is_ascii_uppercase()) {
                report.field("category", |report| {
                    report.violation(Rule::Charset("capital letters A-Z"), Actual::text(category))
                });
            }
        }
    }
}

/// Xiaomi (`MI`) options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Setters)]
pub struct MiConfig {
    /// The notification channel id.
    #[serde(rename = "channelId", skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<String>,
    /// The icon on the right (120 × 120 px png or jpg; MIUI 12 and later in
    /// mainland China).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub large_icon_uri: Option<String>,
}

impl MiConfig {
    /// Xiaomi options with nothing set.
    pub fn new() -> Self {
        Self::default()
    }
}

/// OPPO's notification alert level (`notify_level`), effective with a
/// category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OppoNotifyLevel {
    /// `1`: notification bar.
    Bar,
    /// `2`: notification bar and lock screen.
    BarLockScreen,
    /// `16`: bar, lock screen, banner, vibration and ring.
    BarLockScreenBannerVibrationRing,
}

impl OppoNotifyLevel {
    /// The documented number.
    pub fn value(self) -> u8 {
        match self {
            Self::Bar => 1,
            Self::BarLockScreen => 2,
            Self::BarLockScreenBannerVibrationRing => 16,
        }
    }
}

impl Serialize for OppoNotifyLevel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.value())
    }
}

/// OPPO (`OPPO`) options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Setters)]
pub struct OppoConfig {
    /// The notification channel id.
    #[serde(rename = "channelId", skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<String>,
    /// OPPO's content category (`IM`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The alert level; effective only with a category.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notify_level: Option<OppoNotifyLevel>,
}

impl OppoConfig {
    /// OPPO options with nothing set.
    pub fn new() -> Self {
        Self::default()
    }
}

/// vivo's message class (`classification`). The documentation's examples
/// send it as a string, `"0"` or `"1"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum VivoClassification {
    /// `"0"`: operational message (the default).
    #[serde(rename = "0")]
    Operation,
    /// `"1"`: system message.
    #[serde(rename = "1")]
    System,
}

/// vivo (`VIVO`) options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Setters, Validate)]
#[validate(check = VivoConfig::check)]
pub struct VivoConfig {
    /// The message class.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<VivoClassification>,
    /// vivo's second-level category (`IM`, ...); needs the matching
    /// classification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

impl VivoConfig {
    /// vivo options with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    fn check(&self, report: &mut Report) {
        if self.category.is_some() && self.classification.is_none() {
            report.field("classification", |report| {
                report.violation(
                    Rule::Other(Cow::Borrowed("required when `category` is set")),
                    Actual::Missing,
                )
            });
        }
    }
}

/// iOS 15 interruption level (`interruption-level`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InterruptionLevel {
    /// `passive`.
    Passive,
    /// `active` (the default).
    Active,
    /// `time-sensitive`.
    TimeSensitive,
    /// `critical`.
    Critical,
}

/// Apple (`APNs`) options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Setters)]
pub struct ApnsConfig {
    /// Notification group: more than 5 of one group are folded.
    #[serde(rename = "thread-id", skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<String>,
    /// Notifications with the same id are merged (iOS 10 and later).
    #[serde(rename = "apns-collapse-id", skip_serializing_if = "Option::is_none")]
    pub apns_collapse_id: Option<String>,
    /// An icon URL the app shows itself (iOS 10 and later).
    #[serde(rename = "richMediaUri", skip_serializing_if = "Option::is_none")]
    pub rich_media_uri: Option<String>,
    /// The interruption level (iOS 15 and later).
    #[serde(rename = "interruption-level", skip_serializing_if = "Option::is_none")]
    pub interruption_level: Option<InterruptionLevel>,
}

impl ApnsConfig {
    /// APNs options with nothing set.
    pub fn new() -> Self {
        Self::default()
    }
}

/// Firebase (`FCM`) options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Setters)]
pub struct FcmConfig {
    /// The notification channel id (the app must have created it).
    #[serde(rename = "channelId", skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<String>,
    /// Messages with the same key are collapsed into the last one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collapse_key: Option<String>,
    /// The icon on the right (at most 1 MB; needs the certificate and
    /// notification-message setup in the console).
    #[serde(rename = "imageUrl", skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
}

impl FcmConfig {
    /// FCM options with nothing set.
    pub fn new() -> Self {
        Self::default()
    }
}

/// HarmonyOS (`OHOS`) options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Setters, Validate)]
#[validate(check = OhosConfig::check)]
pub struct OhosConfig {
    /// The notification category for scenario-based push (`IM`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The large icon on the right: an https URL (png, jpg, jpeg or bmp).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

impl OhosConfig {
    /// HarmonyOS options with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    fn check(&self, report: &mut Report) {
        https_url(report, "image", &self.image);
    }
}
