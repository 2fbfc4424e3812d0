//! Every endpoint end to end over real HTTP against `api-emulator`, which
//! parses the wire itself: what our typed API sends is what the emulator
//! records, and its refusals come back as typed errors.

use api_core::{Client, Credentials, CustomMessage, Delivery, Error, ErrorCode, Pacing, RequestId};
use api_emulator::{DeliveryKind, Emulator, Service};
use api_endpoints::*;
use http::StatusCode;

/// The emulator, and a client whose pacer stands aside: these tests move
/// the emulator's clock, which the client's (real-time) pacer cannot see.
async fn start() -> (Emulator, Client) {
    let emulator = Emulator::start().await.expect("emulator starts");
    let client = Client::builder(Credentials::new(emulator.app_key(), emulator.app_secret()))
        .base_urls(emulator.base_urls())
        .pacing(Pacing::disabled())
        .build()
        .unwrap();
    (emulator, client)
}

fn tricky() -> &'static str {
    "a&b=c+d%20 \"quoted\" \n 中文 😀"
}

#[tokio::test]
async fn private_publish_is_delivered_as_sent() {
    let (emulator, client) = start().await;
    let id = RequestId::parse("e2e-private-1").unwrap();
    let request = PrivatePublish::new("sender&1", ["to=1", "用户2"], TextMessage::new(tricky()))
        .push_content(tricky())
        .count(-1)
        .is_persisted(false)
        .expansion(true)
        .extra_content(ExtraContent::new().insert("type", "3"))
        .push_ext(
            PushExt::new()
                .title("标题")
                .push_configs(PushConfigs::new().hw(HwConfig::new().category("IM"))),
        );
    let answer = client.send_with_id(&request, id).await.unwrap();
    let deliveries = emulator.deliveries();
    assert_eq!(deliveries.len(), 1);
    let delivery = &deliveries[0];
    assert_eq!(delivery.kind, DeliveryKind::PrivateMessage);
    assert_eq!(delivery.sender.as_deref(), Some("sender&1"));
    assert_eq!(delivery.recipients, ["to=1", "用户2"]);
    assert_eq!(delivery.object_name.as_deref(), Some("RC:TxtMsg"));
    let content: serde_json::Value =
        serde_json::from_str(delivery.content.as_deref().unwrap()).unwrap();
    assert_eq!(content["content"], tricky());
    assert_eq!(delivery.param("pushContent"), Some(tricky()));
    assert_eq!(delivery.param("count"), Some("-1"));
    assert_eq!(delivery.param("isPersisted"), Some("0"));
    assert_eq!(delivery.request_id.as_deref(), Some("e2e-private-1"));
    // The answer's ids are the ones the emulator recorded, per recipient.
    assert_eq!(answer.message_uids.len(), 2);
    assert_eq!(answer.message_uid("to=1"), delivery.message_id_for("to=1"));
    assert_eq!(
        answer.message_uid("用户2"),
        delivery.message_id_for("用户2")
    );
    assert_eq!(emulator.inbox("用户2").len(), 1);
}

#[tokio::test]
async fn system_publish_and_online_broadcast() {
    let (emulator, client) = start().await;
    let system = SystemPublish::new("2191", ["2191", "2192"], TextMessage::new("hello"))
        .send(&client)
        .await
        .unwrap();
    assert_eq!(system.message_uids.len(), 2);
    let online = OnlineBroadcast::new(
        "2191",
        CustomMessage::new("App:Ping", "not json, allowed for custom types"),
    )
    .send(&client)
    .await
    .unwrap();
    let kinds: Vec<DeliveryKind> = emulator.deliveries().iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        [DeliveryKind::SystemMessage, DeliveryKind::OnlineBroadcast]
    );
    let broadcast = &emulator.deliveries()[1];
    assert_eq!(
        broadcast.message_ids,
        std::slice::from_ref(&online.message_uid)
    );
    assert_eq!(broadcast.object_name.as_deref(), Some("App:Ping"));
    assert_eq!(
        broadcast.content.as_deref(),
        Some("not json, allowed for custom types")
    );
}

#[tokio::test]
async fn the_three_uses_of_push_json() {
    let (emulator, client) = start().await;
    let package = PackageNameNotification::new("from", "cn.example.app", TextMessage::new("x"))
        .notification(Notification::alert("a"))
        .send(&client)
        .await
        .unwrap();
    assert_eq!(package.message_uid.as_deref(), Some(package.id.as_str()));
    let broadcast =
        BroadcastMessage::new("from", Audience::users(["u1", "u2"]), TextMessage::new("x"))
            .notification(
                Notification::per_platform()
                    .ios(IosNotification::new().alert("i").badge(9999))
                    .android(AndroidNotification::new().alert("a")),
            )
            .send(&client)
            .await
            .unwrap();
    let kinds: Vec<DeliveryKind> = emulator.deliveries().iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        [DeliveryKind::PackageNotification, DeliveryKind::Broadcast]
    );
    assert_eq!(emulator.deliveries()[1].recipients, ["u1", "u2"]);
    assert_eq!(
        emulator.deliveries()[1].message_ids,
        std::slice::from_ref(&broadcast.id)
    );
    // The third call of the hour would be refused: move the emulator's
    // clock on, as a test can.
    emulator
        .clock()
        .advance(std::time::Duration::from_secs(3601));
    PushNotification::new(Audience::All, Notification::alert("all"))
        .platforms([Platform::Ios])
        .send(&client)
        .await
        .unwrap();
    assert_eq!(emulator.deliveries()[2].kind, DeliveryKind::Push);
}

#[tokio::test]
async fn tags_are_set_and_replaced() {
    let (emulator, client) = start().await;
    TagSet::new("31232", ["bj", "男"])
        .send(&client)
        .await
        .unwrap();
    assert_eq!(
        emulator.user_tags("31232"),
        Some(vec!["bj".to_owned(), "男".to_owned()])
    );
    TagBatchSet::new(["31232", "id2"], ["\"quoted\" tag"])
        .send(&client)
        .await
        .unwrap();
    assert_eq!(
        emulator.user_tags("31232"),
        Some(vec!["\"quoted\" tag".to_owned()])
    );
    assert_eq!(
        emulator.user_tags("id2"),
        Some(vec!["\"quoted\" tag".to_owned()])
    );
}

fn api_error(error: Error) -> api_core::ApiError {
    match error {
        Error::Api(api) => api,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn refusals_are_typed_errors_with_status_code_and_request_id() {
    let (emulator, _) = start().await;
    let request = || OnlineBroadcast::new("a", TextMessage::new("b"));

    let wrong_secret = Client::builder(Credentials::new(emulator.app_key(), "not-the-secret"))
        .base_urls(emulator.base_urls())
        .build()
        .unwrap();
    let error = wrong_secret
        .send_with_id(&request(), RequestId::parse("rid-1004").unwrap())
        .await
        .unwrap_err();
    assert_eq!(error.delivery(), Delivery::Rejected);
    let api = api_error(error);
    assert_eq!(api.code(), ErrorCode::SignatureMismatch);
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(api.request_id(), Some("rid-1004"));
    assert!(!api.message().is_empty());

    let unknown_key = Client::builder(Credentials::new("no-such-app", "s"))
        .base_urls(emulator.base_urls())
        .build()
        .unwrap();
    let api = api_error(request().send(&unknown_key).await.unwrap_err());
    assert_eq!(api.code(), ErrorCode::AppKeyMismatch);
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED);

    let client = Client::builder(Credentials::new(emulator.app_key(), emulator.app_secret()))
        .base_urls(emulator.base_urls())
        .build()
        .unwrap();
    assert!(emulator.set_service(emulator.app_key(), Service::OnlineBroadcast, false));
    let api = api_error(request().send(&client).await.unwrap_err());
    assert_eq!(api.code(), ErrorCode::ServiceNotEnabled);
    assert_eq!(api.status().as_u16(), 430);
    assert!(
        emulator.deliveries().is_empty(),
        "nothing refused is recorded"
    );
}
