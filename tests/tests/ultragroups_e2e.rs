//! The ultra group calls end to end over real HTTP against `api-emulator`,
//! which keeps ultra groups with their members and records each published
//! message per group: what the typed API sends (a JSON body for publish) is
//! what the emulator stores. Invalid requests are refused before anything is
//! sent.

use api_core::{Client, Error, ErrorCode, Rule};
use api_emulator::{DeliveryKind, Emulator, Service};
use api_endpoints::*;

#[path = "support/areas.rs"]
mod areas;
use areas::{TRICKY, client_of, refused};

/// An emulator (every service open, the ultra group one included), and a
/// client of it.
async fn start() -> (Emulator, Client) {
    let emulator = Emulator::start().await.expect("emulator starts");
    let client = client_of(&emulator);
    (emulator, client)
}

fn members(emulator: &Emulator, group: &str) -> Option<Vec<String>> {
    emulator
        .ultra_groups()
        .into_iter()
        .find(|g| g.group_id == group)
        .map(|g| g.members)
}

#[tokio::test]
async fn membership_follows_create_join_quit_and_dissolve() {
    let (emulator, client) = start().await;
    UltraGroupCreate::new("owner", "fans", TRICKY)
        .send(&client)
        .await
        .unwrap();
    let created = emulator.ultra_groups();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].name, TRICKY);
    assert_eq!(created[0].members, ["owner"]);

    UltraGroupJoin::new("fan1", "fans")
        .send(&client)
        .await
        .unwrap();
    UltraGroupJoin::new("fan2", "fans")
        .send(&client)
        .await
        .unwrap();
    // Joining again is harmless.
    UltraGroupJoin::new("fan1", "fans")
        .send(&client)
        .await
        .unwrap();
    assert_eq!(
        members(&emulator, "fans").unwrap(),
        ["owner", "fan1", "fan2"]
    );
    UltraGroupQuit::new("fan1", "fans")
        .send(&client)
        .await
        .unwrap();
    assert_eq!(members(&emulator, "fans").unwrap(), ["owner", "fan2"]);

    UltraGroupDissolve::new("fans").send(&client).await.unwrap();
    assert!(members(&emulator, "fans").is_none());
    // Ultra groups exist only through create: joining it now is refused.
    let error = UltraGroupJoin::new("fan1", "fans")
        .send(&client)
        .await
        .unwrap_err();
    let Error::Api(api) = error else {
        panic!("{error:?}")
    };
    assert_eq!(api.code(), ErrorCode::InvalidParameter);
}

#[tokio::test]
async fn publish_delivers_to_every_member_of_each_group() {
    let (emulator, client) = start().await;
    UltraGroupCreate::new("owner", "g1", "One")
        .send(&client)
        .await
        .unwrap();
    UltraGroupJoin::new("fan", "g1")
        .send(&client)
        .await
        .unwrap();
    UltraGroupCreate::new("owner", "g2", "Two")
        .send(&client)
        .await
        .unwrap();
    let answer = UltraGroupPublish::new("owner", ["g1", "g2"], TextMessage::new(TRICKY))
        .bus_channel("live1")
        .push_content(TRICKY)
        .is_persisted(false)
        .is_counted(true)
        .expansion(true)
        .extra_content(ExtraContent::new().insert("k", TRICKY))
        .send(&client)
        .await
        .unwrap();
    let deliveries = emulator.deliveries();
    assert_eq!(deliveries.len(), 2);
    for (delivery, group) in deliveries.iter().zip(["g1", "g2"]) {
        assert_eq!(delivery.kind, DeliveryKind::UltraGroupMessage);
        assert_eq!(delivery.sender.as_deref(), Some("owner"));
        assert_eq!(delivery.target_id.as_deref(), Some(group));
        assert_eq!(delivery.bus_channel.as_deref(), Some("live1"));
        assert_eq!(delivery.object_name.as_deref(), Some("RC:TxtMsg"));
        let content: serde_json::Value =
            serde_json::from_str(delivery.content.as_deref().unwrap()).unwrap();
        assert_eq!(content["content"], TRICKY);
        assert_eq!(delivery.param("pushContent"), Some(TRICKY));
        assert_eq!(delivery.param("isPersisted"), Some("0"));
        assert_eq!(delivery.param("isCounted"), Some("1"));
        let extra: serde_json::Value =
            serde_json::from_str(delivery.param("extraContent").unwrap()).unwrap();
        assert_eq!(extra["k"], TRICKY);
        assert_eq!(
            answer.message_uid_for(group),
            Some(delivery.message_ids[0].as_str())
        );
    }
    // The sender receives it too (the page), every member of each group.
    assert_eq!(deliveries[0].recipients, ["owner", "fan"]);
    assert_eq!(deliveries[1].recipients, ["owner"]);
    assert_eq!(answer.message_uid, deliveries[0].message_ids[0]);
}

#[tokio::test]
async fn a_closed_service_is_refused_with_1009() {
    let emulator = Emulator::builder()
        .service(Service::UltraGroup, false)
        .start()
        .await
        .unwrap();
    let client = client_of(&emulator);
    let error = UltraGroupCreate::new("owner", "g1", "One")
        .send(&client)
        .await
        .unwrap_err();
    let Error::Api(api) = error else {
        panic!("{error:?}")
    };
    assert_eq!(api.code(), ErrorCode::ServiceNotEnabled);
    assert!(emulator.ultra_groups().is_empty());
}

#[tokio::test]
async fn invalid_ultra_group_calls_send_nothing() {
    let (emulator, client) = start().await;
    refused(
        &emulator,
        &client,
        &UltraGroupCreate::new("owner", "fans", ""),
        "group_name",
        Rule::Required,
    )
    .await;
    refused(
        &emulator,
        &client,
        &UltraGroupJoin::new("u".repeat(65), "fans"),
        "user_id",
        Rule::MaxBytes(64),
    )
    .await;
    refused(
        &emulator,
        &client,
        &UltraGroupQuit::new("fan", "粉丝"),
        "group_id",
        Rule::Charset("letters and digits (A-Za-z0-9)"),
    )
    .await;
    refused(
        &emulator,
        &client,
        &UltraGroupDissolve::new(""),
        "group_id",
        Rule::Required,
    )
    .await;
    refused(
        &emulator,
        &client,
        &UltraGroupPublish::new("owner", ["a", "b", "c", "d"], TextMessage::new("x")),
        "to_group_ids",
        Rule::MaxItems(3),
    )
    .await;
    refused(
        &emulator,
        &client,
        &UltraGroupPublish::new("owner", ["a"], TextMessage::new("x")).bus_channel("c".repeat(21)),
        "bus_channel",
        Rule::MaxChars(20),
    )
    .await;
}
