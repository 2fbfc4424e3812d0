//! Pages 000 and 003: `/push.json` as broadcast, push and package-name notification.

use api_emulator::{DeliveryKind, Emulator};
use serde_json::{Value, json as j};

use crate::{PUSH, TAG_SET, assert_error, call, json};
use api_emulator::documented::{
    BROADCAST_BY_TAG, PACKAGE_NOTIFICATION, PUSH_BY_PACKAGE_NAME, PUSH_BY_USERID, PUSH_EXAMPLES,
    PUSH_TO_ALL,
};

/// Rate limits off: these tests send more than the 2 calls an hour allows.
async fn emulator() -> Emulator {
    Emulator::builder()
        .rate_limits(false)
        .start()
        .await
        .unwrap()
}

/// A valid push to everyone, to be modified by a test.
fn base() -> Value {
    j!({
        "platform": ["ios", "android"],
        "audience": {"is_to_all": true},
        "notification": {"alert": "hello"}
    })
}

async fn push(emu: &Emulator, body: &Value) -> crate::client::RawResponse {
    call(emu, &json(emu, PUSH, &body.to_string())).await
}

#[tokio::test]
async fn every_documented_example_is_accepted_with_the_documented_answer() {
    let emu = emulator().await;
    for (name, body) in PUSH_EXAMPLES {
        let resp = call(&emu, &json(&emu, PUSH, body)).await;
        assert_eq!(
            (resp.status, resp.code()),
            (200, 200),
            "{name}: {}",
            resp.error_message()
        );
        let answer = resp.json();
        assert_eq!(answer["id"], answer["messageUID"], "{name}");
        assert!(crate::is_message_id(answer["id"].as_str().unwrap()));
        assert_eq!(
            answer.as_object().unwrap().len(),
            3,
            "{name}: code, id, messageUID"
        );
    }
    assert_eq!(emu.deliveries().len(), PUSH_EXAMPLES.len());
}

#[tokio::test]
async fn kinds_and_records_follow_the_body() {
    let emu = emulator().await;
    let package = call(&emu, &json(&emu, PUSH, PACKAGE_NOTIFICATION))
        .await
        .json();
    call(&emu, &json(&emu, PUSH, BROADCAST_BY_TAG)).await;
    call(&emu, &json(&emu, PUSH, PUSH_BY_USERID)).await;
    call(&emu, &json(&emu, PUSH, PUSH_BY_PACKAGE_NAME)).await;
    let d = emu.deliveries();
    let kinds: Vec<DeliveryKind> = d.iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        [
            DeliveryKind::PackageNotification,
            DeliveryKind::Broadcast,
            DeliveryKind::Push,
            DeliveryKind::PackageNotification
        ]
    );
    assert_eq!(d[0].sender.as_deref(), Some("fromuseId1"));
    assert_eq!(d[0].object_name.as_deref(), Some("RC:TxtMsg"));
    assert_eq!(
        d[0].content.as_deref(),
        Some(r#"{"content":"1111","extra":"aa"}"#)
    );
    assert_eq!(
        d[0].audience.as_ref().unwrap()["packageName"],
        "xxx.rong.xxx"
    );
    assert_eq!(d[0].params["notification"]["title"], "标题");
    assert_eq!(d[0].message_ids, [package["id"].as_str().unwrap()]);
    assert_eq!(d[2].recipients, ["123", "456"]);
    assert_eq!(emu.inbox("456").len(), 1);
}

#[tokio::test]
async fn platform_rules() {
    let emu = emulator().await;
    let mut body = base();
    body.as_object_mut().unwrap().remove("platform");
    assert_error(&push(&emu, &body).await, 400, 1002, "platform");
    for platform in [
        j!([]),
        j!(["web"]),
        j!(["iOS"]),
        j!("ios"),
        j!(["harmonyOS"]),
    ] {
        let mut body = base();
        body["platform"] = platform.clone();
        assert_error(&push(&emu, &body).await, 400, 1002, "platform");
    }
    let mut body = base();
    body["platform"] = j!(["android"]);
    assert_eq!(push(&emu, &body).await.code(), 200);
}

#[tokio::test]
async fn audience_rules() {
    let emu = emulator().await;
    let tags21: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
    let users1001: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    let cases = [
        (Value::Null, 1002, "audience"),
        (j!({}), 1002, "audience"),
        (j!({"is_to_all": false}), 1002, "audience"),
        (j!({"is_to_all": "true"}), 1002, "is_to_all"),
        (j!({"tag": tags21}), 1002, "audience.tag"),
        (j!({"tag_or": tags21}), 1002, "audience.tag_or"),
        (j!({"tag": ["x".repeat(41)]}), 1005, "audience.tag"),
        (j!({"tag_or": ["北京".repeat(7)]}), 1005, "audience.tag_or"),
        (j!({"userid": users1001}), 1002, "audience.userid"),
        (j!({"packageName": ""}), 1002, "audience.packageName"),
        (j!({"tag": "vip"}), 1002, "audience.tag"),
    ];
    for (audience, code, mentions) in cases {
        let mut body = base();
        body["audience"] = audience.clone();
        assert_error(&push(&emu, &body).await, 400, code, mentions);
    }
    let mut body = base();
    body["audience"] =
        j!({"tag": tags21[..20], "tag_or": ["x".repeat(40)], "userid": users1001[..1000]});
    assert_eq!(push(&emu, &body).await.code(), 200);
}

#[tokio::test]
async fn notification_rules() {
    let emu = emulator().await;
    let cases = [
        (
            j!({"alert": "a", "title": "t".repeat(51)}),
            1005,
            "notification.title",
        ),
        (j!({"alert": "a", "ios": {"badge": 10000}}), 1002, "badge"),
        (j!({"alert": "a", "ios": {"badge": "1"}}), 1002, "badge"),
        (
            j!({"alert": "a", "ios": {"contentAvailable": 2}}),
            1002,
            "contentAvailable",
        ),
        (
            j!({"alert": "a", "forceShowPushContent": 5}),
            1002,
            "forceShowPushContent",
        ),
        (
            j!({"alert": "a", "ios": {"interruption-level": "urgent"}}),
            1002,
            "interruption-level",
        ),
        (j!({"alert": "a", "ios": {"extras": "x"}}), 1002, "extras"),
        (
            j!({"alert": "a", "android": {"hw": {"importance": "HIGH"}}}),
            1002,
            "hw.importance",
        ),
        (
            j!({"alert": "a", "android": {"hw": {"category": "im"}}}),
            1002,
            "hw.category",
        ),
        (
            j!({"alert": "a", "android": {"honor": {"image": "http://x/y.png"}}}),
            1002,
            "honor.image",
        ),
        (
            j!({"alert": "a", "android": {"oppo": {"notify_level": 4}}}),
            1002,
            "notify_level",
        ),
        (
            j!({"alert": "a", "android": {"vivo": {"classification": "2"}}}),
            1002,
            "classification",
        ),
        (
            j!({"alert": "a", "android": {"vivo": {"category": "IM"}}}),
            1002,
            "classification",
        ),
        (
            j!({"alert": "a", "harmonyOS": {"ohos": {"image": "ftp://x"}}}),
            1002,
            "ohos.image",
        ),
        (j!({"alert": "a", "ios": {"alert": ""}}), 1002, "ios.alert"),
        // No alert anywhere, or none for one targeted platform.
        (j!({"title": "t"}), 1002, "alert"),
        (j!({"ios": {"alert": "i"}}), 1002, "android"),
        (j!({"android": {"alert": "a"}}), 1002, "ios"),
        (j!("alert"), 1002, "notification"),
    ];
    for (notification, code, mentions) in cases {
        let mut body = base();
        body["notification"] = notification.clone();
        assert_error(&push(&emu, &body).await, 400, code, mentions);
    }
    // Limits themselves pass.
    let mut body = base();
    body["notification"] = j!({
        "title": "标".repeat(50),
        "ios": {"alert": "i", "badge": 9999},
        "android": {"alert": "a"}
    });
    assert_eq!(push(&emu, &body).await.code(), 200);
    body["notification"]["ios"]["badge"] = j!(-5);
    assert_eq!(push(&emu, &body).await.code(), 200);
    // A push without message needs a notification.
    let mut body = base();
    body.as_object_mut().unwrap().remove("notification");
    assert_error(&push(&emu, &body).await, 400, 1002, "notification");
}

#[tokio::test]
async fn message_rules_for_broadcast() {
    let emu = emulator().await;
    let broadcast = || {
        let mut body = base();
        body["fromuserid"] = j!("sender");
        body["message"] = j!({"objectName": "RC:TxtMsg", "content": "{\"content\":\"hi\"}"});
        body
    };
    // A broadcast does not need a notification (003: notification 非必传).
    let mut body = broadcast();
    body.as_object_mut().unwrap().remove("notification");
    assert_eq!(push(&emu, &body).await.code(), 200);

    let mut body = broadcast();
    body.as_object_mut().unwrap().remove("fromuserid");
    assert_error(&push(&emu, &body).await, 400, 1002, "fromuserid");
    let cases = [
        (j!({"content": "x"}), 1002, "message.objectName"),
        (j!({"objectName": "RC:TxtMsg"}), 1002, "message.content"),
        (
            j!({"objectName": "RC:TxtMsg", "content": {"content": "x"}}),
            1002,
            "message.content",
        ),
        (
            j!({"objectName": "O".repeat(33), "content": "x"}),
            1005,
            "message.objectName",
        ),
        (
            j!({"objectName": "O", "content": "c".repeat(128 * 1024 + 1)}),
            1005,
            "message.content",
        ),
        (j!("RC:TxtMsg"), 1002, "message"),
    ];
    for (message, code, mentions) in cases {
        let mut body = broadcast();
        body["message"] = message.clone();
        assert_error(&push(&emu, &body).await, 400, code, mentions);
    }
}

#[tokio::test]
async fn body_must_be_a_json_object() {
    let emu = emulator().await;
    for body in ["{", "[]", "\"x\"", "{\"platform\":[\"ios\"],}"] {
        let resp = call(&emu, &json(&emu, PUSH, body)).await;
        assert_error(&resp, 400, 1002, "body");
    }
}

#[tokio::test]
async fn tag_audiences_reach_users_tagged_through_the_emulator() {
    let emu = emulator().await;
    for (user, tags) in [
        ("u1", j!(["vip", "bj"])),
        ("u2", j!(["vip", "sh"])),
        ("u3", j!(["bj"])),
    ] {
        let body = j!({"userId": user, "tags": tags}).to_string();
        assert_eq!(call(&emu, &json(&emu, TAG_SET, &body)).await.code(), 200);
    }
    let mut body = base();
    body["audience"] = j!({"tag": ["vip"], "tag_or": ["bj", "gz"]});
    push(&emu, &body).await;
    body["audience"] = j!({"tag_or": ["sh", "bj"]});
    push(&emu, &body).await;
    call(&emu, &json(&emu, PUSH, PUSH_TO_ALL)).await;
    let d = emu.deliveries();
    assert_eq!(d[0].recipients, ["u1"]);
    assert_eq!(d[1].recipients, ["u1", "u2", "u3"]);
    assert_eq!(d[2].recipients, ["u1", "u2", "u3"]);
    assert_eq!(emu.inbox("u3").len(), 2);
    assert_eq!(
        emu.inbox("u1")[0].message_id_for("u1"),
        Some(d[0].message_ids[0].as_str())
    );
}
