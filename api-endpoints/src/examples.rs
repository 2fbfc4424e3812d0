//! The documentation's example requests, built through the typed API.
//!
//! One function per documented example that the quickstart sends; the
//! tests compare each with the documented body, decoded, and the benches
//! measure them. Handy for trying a client against a server too.
//!
//! ```
//! use api_core::Validate;
//!
//! let request = api_endpoints::examples::private_publish();
//! assert_eq!(request.to_user_id, ["2193", "2192"]);
//! assert!(request.validate().is_ok());
//! ```

use serde_json::json;

use crate::{
    AndroidNotification, Audience, AudienceConditions, BroadcastMessage, Extras,
    HarmonyOsNotification, HwConfig, Importance, IosNotification, MiConfig, Notification,
    OhosConfig, OnlineBroadcast, OppoConfig, OppoNotifyLevel, PackageNameNotification,
    PrivatePublish, PushNotification, SystemPublish, TagBatchSet, TagSet, TextMessage,
    UserAudience, VivoClassification, VivoConfig,
};

/// `{"id": "1", "name": "2"}`, the `extras` of every documented example.
pub fn extras() -> Extras {
    let mut extras = Extras::new();
    extras.insert("id".into(), json!("1"));
    extras.insert("name".into(), json!("2"));
    extras
}

/// `{"content":"hello","extra":"helloExtra"}` (pages 001, 002, 004).
pub fn hello() -> TextMessage {
    TextMessage::new("hello").extra("helloExtra")
}

/// `{"content":"1111","extra":"aa"}` (pages 000, 003).
pub fn text_1111() -> TextMessage {
    TextMessage::new("1111").extra("aa")
}

/// Page 001's request.
pub fn private_publish() -> PrivatePublish<TextMessage> {
    PrivatePublish::new("2191", ["2193", "2192"], hello())
        .push_content("thisisapush")
        .push_data(r#"{"pushData":"hello"}"#)
        .count(4)
        .verify_blacklist(false)
        .is_persisted(true)
        .is_include_sender(false)
        .disable_push(false)
        .expansion(false)
}

/// Page 002's request.
pub fn system_publish() -> SystemPublish<TextMessage> {
    SystemPublish::new("2191", ["2191", "2192"], hello())
        .push_content("thisisapush")
        .push_data("hello")
}

/// Page 004's request.
pub fn online_broadcast() -> OnlineBroadcast<TextMessage> {
    OnlineBroadcast::new("2191", hello())
}

/// Page 000's request: every platform's options.
pub fn package_name_notification() -> PackageNameNotification<TextMessage> {
    PackageNameNotification::new("fromuseId1", "xxx.rong.xxx", text_1111()).notification(
        Notification::alert("this is a push")
            .title("标题")
            .force_show_push_content(false)
            .ios(
                IosNotification::new()
                    .alert("override alert")
                    .thread_id("223")
                    .apns_collapse_id("111")
                    .extras(extras()),
            )
            .android(
                AndroidNotification::new()
                    .alert("override alert")
                    .hw(HwConfig::new()
                        .channel_id("NotificationKanong")
                        .importance(Importance::Normal)
                        .image("https://example.com/image.png"))
                    .mi(MiConfig::new()
                        .channel_id("rongcloud_kanong")
                        .large_icon_uri("https://example.com/image.png"))
                    .oppo(
                        OppoConfig::new()
                            .channel_id("rc_notification_id")
                            .category("IM")
                            .notify_level(OppoNotifyLevel::BarLockScreen),
                    )
                    .vivo(VivoConfig::new().classification(VivoClassification::Operation))
                    .extras(extras()),
            )
            .harmony_os(
                HarmonyOsNotification::new()
                    .ohos(
                        OhosConfig::new()
                            .category("IM")
                            .image("https://example.com/image.png"),
                    )
                    .extras(extras()),
            ),
    )
}

/// Page 003, section 1.
pub fn tag_set() -> TagSet {
    TagSet::new("31232", ["bj", "男"])
}

/// Page 003, section 2.
pub fn tag_batch_set() -> TagBatchSet {
    TagBatchSet::new(["id1", "id2"], ["bj", "男"])
}

/// The audience of the first examples of page 003's sections 3 and 4: user
/// ids, with tag conditions the server ignores beside them.
pub fn users_with_ignored_tags() -> Audience {
    Audience::Users(UserAudience {
        user_ids: vec!["123".into(), "456".into()],
        ignored_conditions: AudienceConditions::tags(["女", "年轻"]).and_any_tag(["北京", "上海"]),
    })
}

/// Page 003, section 3, the first example (broadcast message).
pub fn broadcast_message() -> BroadcastMessage<TextMessage> {
    BroadcastMessage::new("fromuseId1", users_with_ignored_tags(), text_1111()).notification(
        Notification::alert("this is a push")
            .ios(
                IosNotification::new()
                    .alert("override alert")
                    .extras(extras()),
            )
            .android(
                AndroidNotification::new()
                    .alert("override alert")
                    .extras(extras()),
            ),
    )
}

/// Page 003, section 4, the first example (push without message).
pub fn push_notification() -> PushNotification {
    PushNotification::new(
        users_with_ignored_tags(),
        Notification::alert("this is a push")
            .ios(
                IosNotification::new()
                    .title("标题")
                    .alert("override alert")
                    .extras(extras()),
            )
            .android(
                AndroidNotification::new()
                    .alert("override alert")
                    .extras(extras()),
            ),
    )
}
