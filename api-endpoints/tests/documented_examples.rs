//! Every example request of the documentation, reproduced from the typed API
//! and compared, decoded, with the documented body.
//!
//! Form bodies are compared as key → values in order (so repeated
//! `toUserId` order counts); JSON bodies as JSON values. Fields that hold
//! JSON inside a string (`content`, `pushExt`) are compared as JSON too, so
//! insignificant spacing in the documentation does not matter.
//!
//! The documented bodies are copied verbatim from `shared/api-docs`, with
//! the page each comes from.

use std::collections::BTreeMap;

use api_core::Endpoint;
use api_endpoints::*;
use serde_json::{Value, json};

type Form = BTreeMap<String, Vec<Value>>;

/// Decodes a form body; values holding JSON objects are parsed so that they
/// compare semantically.
fn decode_form(body: &[u8]) -> Form {
    let mut form = Form::new();
    for (key, value) in form_urlencoded::parse(body) {
        let value = match serde_json::from_str::<Value>(&value) {
            Ok(json @ Value::Object(_)) => json,
            _ => Value::String(value.into_owned()),
        };
        form.entry(key.into_owned()).or_default().push(value);
    }
    form
}

/// Parses a JSON body, and the JSON held in `message.content`.
fn decode_json(body: &[u8]) -> Value {
    let mut value: Value = serde_json::from_slice(body).expect("a JSON body");
    if let Some(content) = value.pointer_mut("/message/content") {
        let inner: Value =
            serde_json::from_str(content.as_str().expect("content is a string")).unwrap();
        *content = inner;
    }
    value
}

/// `is_to_all` is required (pages 000 and 003 say so, and issue #3 asks for
/// it always), but several page-003 examples leave it out; its documented
/// meaning when absent is `false`, which the typed API sends explicitly.
fn with_is_to_all(mut documented: Value) -> Value {
    if let Some(audience) = documented
        .get_mut("audience")
        .and_then(Value::as_object_mut)
    {
        audience.entry("is_to_all").or_insert(Value::Bool(false));
    }
    documented
}

fn assert_form<E: Endpoint>(request: &E, documented: &str) {
    request.validate().expect("the documented example is valid");
    let body = request.encode_body().unwrap();
    assert_eq!(
        decode_form(&body),
        decode_form(documented.as_bytes()),
        "{}",
        String::from_utf8_lossy(&body)
    );
}

fn assert_json<E: Endpoint>(request: &E, documented: &str) {
    request.validate().expect("the documented example is valid");
    let body = request.encode_body().unwrap();
    let documented = with_is_to_all(decode_json(documented.as_bytes()));
    assert_eq!(
        decode_json(&body),
        documented,
        "{}",
        String::from_utf8_lossy(&body)
    );
}

fn hello() -> TextMessage {
    examples::hello()
}

fn text_1111() -> TextMessage {
    examples::text_1111()
}

fn extras() -> Extras {
    examples::extras()
}

// Page 001.
#[test]
fn private_publish_example() {
    let request = examples::private_publish();
    assert_form(
        &request,
        "content=%7B%22content%22%3A%22hello%22%2C%22extra%22%3A%22helloExtra%22%7D&fromUserId=2191&toUserId=2193&toUserId=2192&objectName=RC:TxtMsg&pushContent=thisisapush&pushData=%7B%22pushData%22%3A%22hello%22%7D&count=4&verifyBlacklist=0&isPersisted=1&isIncludeSender=0&disablePush=false&expansion=false",
    );
}

/// The `pushExt` structure example of page 001.
fn documented_push_ext_001() -> PushExt {
    PushExt::new()
        .title("you have a new message.")
        .template_id("123456")
        .force_show_push_content(false)
        .push_configs(
            PushConfigs::new()
                .hw(HwConfig::new()
                    .channel_id("hw-123")
                    .importance(Importance::Normal)
                    .image("https://example.com/image.png"))
                .mi(MiConfig::new()
                    .channel_id("mi-123")
                    .large_icon_uri("https://example.com/image.png"))
                .oppo(
                    OppoConfig::new()
                        .channel_id("oppo-123")
                        .category("IM")
                        .notify_level(OppoNotifyLevel::BarLockScreen),
                )
                .vivo(VivoConfig::new().classification(VivoClassification::Operation))
                .apns(
                    ApnsConfig::new()
                        .thread_id("123")
                        .apns_collapse_id("123456")
                        .rich_media_uri("https://example.com/image.png"),
                )
                .fcm(
                    FcmConfig::new()
                        .channel_id("rongcloud_channelid")
                        .collapse_key("1234")
                        .image_url("https://example.com/image.png"),
                )
                .ohos(
                    OhosConfig::new()
                        .category("IM")
                        .image("https://example.com/image.png"),
                ),
        )
}

#[test]
fn push_ext_structure_example_001() {
    let documented: Value = serde_json::from_str(
        r#"{
"title":"you have a new message.",
"templateId":"123456",
"forceShowPushContent":0,
"pushConfigs": [
{ "HW": { "channelId": "hw-123", "importance": "NORMAL", "image":"https://example.com/image.png" } },
{ "MI": { "channelId": "mi-123", "large_icon_uri":"https://example.com/image.png" } },
{ "OPPO": { "channelId": "oppo-123", "category": "IM", "notify_level": 2 } },
{ "VIVO" : {"classification": "0"} },
{ "APNs": { "thread-id": "123", "apns-collapse-id":"123456", "richMediaUri":"https://example.com/image.png" } },
{ "FCM": { "channelId":"rongcloud_channelid", "collapse_key":"1234", "imageUrl":"https://example.com/image.png" } },
{ "OHOS": { "category": "IM", "image":"https://example.com/image.png" } }
]
}"#,
    )
    .unwrap();
    let push_ext = documented_push_ext_001();
    api_core::Validate::validate(&push_ext).unwrap();
    assert_eq!(serde_json::to_value(&push_ext).unwrap(), documented);

    // And inside a request it travels as one form field holding that JSON.
    let request = PrivatePublish::new("2191", ["2193"], hello()).push_ext(push_ext);
    let form = decode_form(&request.encode_body().unwrap());
    assert_eq!(form["pushExt"], vec![documented]);
}

// Page 002.
#[test]
fn system_publish_example() {
    let request = examples::system_publish();
    assert_form(
        &request,
        "content=%7B%22content%22%3A%22hello%22%2C%22extra%22%3A%22helloExtra%22%7D&fromUserId=2191&toUserId=2191&toUserId=2192&objectName=RC:TxtMsg&pushContent=thisisapush&pushData=hello",
    );
}

#[test]
fn push_ext_structure_example_002() {
    // Page 002's example differs from 001's only in the OPPO entry.
    let documented: Value = serde_json::from_str(
        r#"{ "title":"you have a new message.", "templateId":"123456", "forceShowPushContent":0, "pushConfigs": [ { "HW": { "channelId": "hw-123", "importance": "NORMAL", "image":"https://example.com/image.png" } }, { "MI": { "channelId": "mi-123", "large_icon_uri":"https://example.com/image.png" } }, { "OPPO": {"channelId": "oppo-123"} }, { "VIVO" : {"classification": "0"} }, { "APNs": { "thread-id": "123", "apns-collapse-id":"123456", "richMediaUri":"https://example.com/image.png" } }, { "FCM": { "channelId":"rongcloud_channelid", "collapse_key":"1234", "imageUrl":"https://example.com/image.png" } }, { "OHOS": { "category": "IM", "image":"https://example.com/image.png" } } ] }"#,
    )
    .unwrap();
    let mut push_ext = documented_push_ext_001();
    push_ext.push_configs.oppo = Some(OppoConfig::new().channel_id("oppo-123"));
    assert_eq!(serde_json::to_value(&push_ext).unwrap(), documented);
}

// Page 004.
#[test]
fn online_broadcast_example() {
    let request = examples::online_broadcast();
    assert_form(
        &request,
        "content=%7B%22content%22%3A%22hello%22%2C%22extra%22%3A%22helloExtra%22%7D&fromUserId=2191&objectName=RC:TxtMsg",
    );
}

// Page 000.
#[test]
fn package_name_notification_example() {
    let request = examples::package_name_notification();
    assert_json(
        &request,
        r#"{
"platform":["ios","android"],
"fromuserid": "fromuseId1",
"audience":{
"packageName":"xxx.rong.xxx",
"is_to_all":false
},
"message": {
"content": "{\"content\":\"1111\",\"extra\":\"aa\"}",
"objectName": "RC:TxtMsg"
},
"notification":{
"title":"标题",
"forceShowPushContent":0,
"alert":"this is a push",
"ios":
{
"alert": "override alert",
"thread-id":"223",
"apns-collapse-id":"111",
"extras": {"id": "1","name": "2"}
},
"android": {
"alert": "override alert",
"hw":{
"channelId":"NotificationKanong",
"importance": "NORMAL",
"image":"https://example.com/image.png"
},
"mi":{
"channelId":"rongcloud_kanong",
"large_icon_uri":"https://example.com/image.png"
},
"oppo":{
"channelId":"rc_notification_id",
"category": "IM",
"notify_level": 2
},
"vivo":{
"classification":"0"
},
"extras": {"id": "1","name": "2"}
},
"harmonyOS": {
"ohos":{
"category":"IM",
"image":"https://example.com/image.png"
},
"extras": {"id": "1","name": "2"}
}
}
}"#,
    );
}

// Page 003, section 1.
#[test]
fn tag_set_example() {
    assert_json(
        &TagSet::new("31232", ["bj", "男"]),
        r#"{"userId":"31232","tags":["bj","男"]}"#,
    );
}

// Page 003, section 2.
#[test]
fn tag_batch_set_example() {
    assert_json(
        &examples::tag_batch_set(),
        r#"{"userIds":["id1","id2"],"tags":["bj","男"]}"#,
    );
}

fn ios_android(ios: IosNotification, android: AndroidNotification) -> Notification {
    Notification::alert("this is a push")
        .ios(ios)
        .android(android)
}

// Page 003, section 3: broadcast message, every example.
#[test]
fn broadcast_message_examples() {
    let cases: Vec<(BroadcastMessage<TextMessage>, &str)> = vec![
        (
            examples::broadcast_message(),
            r#"{"platform":["ios","android"],"fromuserid": "fromuseId1","audience":{"tag":["女","年轻"],"tag_or":["北京","上海"],"userid":["123","456"],"is_to_all":false},"message": {"content": "{\"content\":\"1111\",\"extra\":\"aa\"}","objectName": "RC:TxtMsg"},"notification":{"alert":"this is a push","ios": {"alert": "override alert","extras": {"id": "1","name": "2"}},"android": {"alert": "override alert","extras": {"id": "1","name": "2"}}}}"#,
        ),
        (
            BroadcastMessage::new(
                "fromuseId1",
                AudienceConditions::tags(["女", "年轻", "北京"]),
                text_1111(),
            )
            .notification(Notification::alert("this is a push")),
            r#"{"platform":["ios","android"],"fromuserid": "fromuseId1","audience":{"tag":["女","年轻","北京"]},"message": {"content": "{\"content\":\"1111\",\"extra\":\"aa\"}","objectName": "RC:TxtMsg"},"notification":{"alert":"this is a push"}}"#,
        ),
        (
            BroadcastMessage::new("fromuseId1", Audience::users(["123", "456"]), text_1111())
                .notification(Notification::alert("this is a push")),
            r#"{"platform":["ios","android"],"fromuserid": "fromuseId1","audience":{"userid":["123","456"]},"message": {"content": "{\"content\":\"1111\",\"extra\":\"aa\"}","objectName": "RC:TxtMsg"},"notification":{"alert":"this is a push"}}"#,
        ),
        (
            BroadcastMessage::new("fromuseId1", Audience::All, text_1111())
                .notification(Notification::alert("this is a push")),
            r#"{"platform":["ios","android"],"fromuserid": "fromuseId1","audience":{"is_to_all":true},"message": {"content": "{\"content\":\"1111\",\"extra\":\"aa\"}","objectName": "RC:TxtMsg"},"notification":{"alert":"this is a push"}}"#,
        ),
        (
            BroadcastMessage::new("fromuseId1", Audience::All, text_1111()).notification(
                ios_android(
                    IosNotification::new()
                        .alert("iOS 通知显示内容")
                        .extras(extras()),
                    AndroidNotification::new()
                        .alert("Android 通知显示内容")
                        .extras(extras()),
                ),
            ),
            r#"{"platform":["ios","android"],"fromuserid": "fromuseId1","audience":{"is_to_all":true},"message": {"content": "{\"content\":\"1111\",\"extra\":\"aa\"}","objectName": "RC:TxtMsg"},"notification":{"alert":"this is a push","ios": {"alert": "iOS 通知显示内容","extras": {"id": "1","name": "2"}},"android": {"alert": "Android 通知显示内容","extras": {"id": "1","name": "2"}}}}"#,
        ),
        (
            BroadcastMessage::new("fromuseId1", Audience::All, text_1111()).notification(
                ios_android(
                    IosNotification::new()
                        .alert("iOS 通知显示内容")
                        .content_available(true),
                    AndroidNotification::new().alert("Android 通知显示内容"),
                ),
            ),
            r#"{"platform":["ios","android"],"fromuserid": "fromuseId1","audience":{"is_to_all":true},"message": {"content": "{\"content\":\"1111\",\"extra\":\"aa\"}","objectName": "RC:TxtMsg"},"notification":{"alert":"this is a push","ios": {"alert": "iOS 通知显示内容","contentAvailable":1},"android": {"alert": "Android 通知显示内容"}}}"#,
        ),
    ];
    for (request, documented) in &cases {
        assert_json(request, documented);
    }
}

// Page 003, section 4: push without a message, every example.
#[test]
fn push_notification_examples() {
    let push =
        |audience: Audience| PushNotification::new(audience, Notification::alert("this is a push"));
    let cases: Vec<(PushNotification, &str)> = vec![
        (
            examples::push_notification(),
            r#"{"platform":["ios","android"],"audience":{"tag":["女","年轻"],"tag_or":["北京","上海"],"userid":["123","456"],"is_to_all":false},"notification":{"alert":"this is a push","ios": {"title": "标题","alert": "override alert","extras": {"id": "1","name": "2"}},"android": {"alert": "override alert","extras": {"id": "1","name": "2"}}}}"#,
        ),
        (
            push(AudienceConditions::tags(["女", "年轻", "北京"]).into()),
            r#"{"platform":["ios","android"],"audience":{"tag":["女","年轻","北京"]},"notification":{"alert":"this is a push"}}"#,
        ),
        (
            push(Audience::users(["123", "456"])),
            r#"{"platform":["ios","android"],"audience":{"userid":["123","456"]},"notification":{"alert":"this is a push"}}"#,
        ),
        (
            push(Audience::package_name("cn.xxxxxx.xxx")),
            r#"{"platform":["ios","android"],"audience":{"packageName": "cn.xxxxxx.xxx"},"notification":{"alert":"this is a push"}}"#,
        ),
        (
            push(Audience::All),
            r#"{"platform":["ios","android"],"audience":{"is_to_all":true},"notification":{"alert":"this is a push"}}"#,
        ),
        (
            PushNotification::new(
                Audience::All,
                ios_android(
                    IosNotification::new()
                        .alert("iOS 平台显示内容")
                        .extras(extras()),
                    AndroidNotification::new()
                        .alert("Android 平台显示内容")
                        .extras(extras()),
                ),
            ),
            r#"{"platform":["ios","android"],"audience":{"is_to_all":true},"notification":{"alert":"this is a push","ios": {"alert": "iOS 平台显示内容","extras": {"id": "1","name": "2"}},"android": {"alert": "Android 平台显示内容","extras": {"id": "1","name": "2"}}}}"#,
        ),
        (
            PushNotification::new(
                Audience::All,
                ios_android(
                    IosNotification::new()
                        .alert("iOS 平台显示内容")
                        .badge(2)
                        .extras(extras()),
                    AndroidNotification::new()
                        .alert("Android 平台显示内容")
                        .extras(extras()),
                ),
            ),
            r#"{"platform":["ios","android"],"audience":{"is_to_all":true},"notification":{"alert":"this is a push","ios": {"alert": "iOS 平台显示内容","badge":2,"extras": {"id": "1","name": "2"}},"android": {"alert": "Android 平台显示内容","extras": {"id": "1","name": "2"}}}}"#,
        ),
        (
            PushNotification::new(
                Audience::All,
                ios_android(
                    IosNotification::new()
                        .title("iOS 平台显示标题")
                        .alert("iOS 平台显示内容")
                        .extras(extras()),
                    AndroidNotification::new()
                        .alert("Android 平台显示内容")
                        .extras(extras()),
                ),
            ),
            r#"{"platform":["ios","android"],"audience":{"is_to_all":true},"notification":{"alert":"this is a push","ios": {"title": "iOS 平台显示标题","alert": "iOS 平台显示内容","extras": {"id": "1","name": "2"}},"android": {"alert": "Android 平台显示内容","extras": {"id": "1","name": "2"}}}}"#,
        ),
        (
            PushNotification::new(
                Audience::All,
                ios_android(
                    IosNotification::new()
                        .title("iOS 平台显示标题")
                        .alert("iOS 平台显示内容")
                        .content_available(true),
                    AndroidNotification::new().alert("Android 平台显示内容"),
                ),
            ),
            r#"{"platform":["ios","android"],"audience":{"is_to_all":true},"notification":{"alert":"this is a push","ios": {"title": "iOS 平台显示标题","alert": "iOS 平台显示内容","contentAvailable":1},"android": {"alert": "Android 平台显示内容"}}}"#,
        ),
    ];
    for (request, documented) in &cases {
        assert_json(request, documented);
    }
}

/// The comparison itself must be able to fail: a changed value, a missing
/// key or a reordered recipient list is a difference.
#[test]
fn the_comparison_sees_differences() {
    let documented = "toUserId=a&toUserId=b&content=%7B%22x%22%3A1%7D";
    assert_eq!(
        decode_form(documented.as_bytes()),
        decode_form(b"content=%7B%20%22x%22%3A%201%7D&toUserId=a&toUserId=b")
    );
    assert_ne!(
        decode_form(documented.as_bytes()),
        decode_form(b"toUserId=b&toUserId=a&content=%7B%22x%22%3A1%7D")
    );
    assert_ne!(
        decode_form(documented.as_bytes()),
        decode_form(b"toUserId=a&content=%7B%22x%22%3A1%7D")
    );
    let body = br#"{"audience":{"tag":["a"]},"message":{"content":"{\"a\":1}"}}"#;
    assert_eq!(
        with_is_to_all(decode_json(body))["audience"]["is_to_all"],
        json!(false)
    );
    assert_eq!(decode_json(body)["message"]["content"], json!({"a": 1}));
    assert_ne!(
        decode_json(body),
        decode_json(br#"{"audience":{"tag":["b"]},"message":{"content":"{\"a\":1}"}}"#)
    );
}
