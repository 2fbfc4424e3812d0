//! Ultra groups: create, join, quit, dis, and `/message/ultragroup/publish.json`
//! (JSON) with its app-wide and per-channel limits and its service switch.

use std::time::Duration;

use api_emulator::{DeliveryKind, Emulator, Service};

use crate::{assert_error, assert_ok, call, emulator, emulator_at_morning, json, post};

const CREATE: &str = "/ultragroup/create.json";
const JOIN: &str = "/ultragroup/join.json";
const QUIT: &str = "/ultragroup/quit.json";
const DIS: &str = "/ultragroup/dis.json";
const PUBLISH: &str = "/message/ultragroup/publish.json";

fn message(groups: &[&str], channel: Option<&str>) -> String {
    let mut body = serde_json::json!({
        "fromUserId": "s",
        "toGroupIds": groups,
        "objectName": "RC:TxtMsg",
        "content": "{\"content\":\"hi\"}",
        "isCounted": "1",
        "expansion": false,
    });
    if let Some(channel) = channel {
        body["busChannel"] = channel.into();
    }
    body.to_string()
}

async fn publish(emu: &Emulator, body: &str) -> crate::client::RawResponse {
    call(emu, &json(emu, PUBLISH, body)).await
}

#[tokio::test]
async fn membership_and_publish() {
    let emu = emulator().await;
    assert_ok(&post(&emu, CREATE, "userId=owner&groupId=ug1&groupName=Big").await);
    assert_ok(&post(&emu, JOIN, "userId=a&groupId=ug1").await);
    assert_ok(&post(&emu, JOIN, "userId=s&groupId=ug1").await);
    assert_ok(&post(&emu, QUIT, "userId=a&groupId=ug1").await);
    assert_eq!(emu.ultra_groups()[0].members, ["owner", "s"]);

    let answer = assert_ok(&publish(&emu, &message(&["ug1"], Some("ch1"))).await);
    let uid = answer["messageUID"].as_str().unwrap();
    assert_eq!(answer["messageUIDs"][0]["groupId"], "ug1");
    let d = emu.deliveries().pop().unwrap();
    assert_eq!(d.kind, DeliveryKind::UltraGroupMessage);
    // The page: the sender receives its own ultra group message too.
    assert_eq!(d.recipients, ["owner", "s"]);
    assert_eq!(d.bus_channel.as_deref(), Some("ch1"));
    assert_eq!(d.message_ids, [uid]);
    // Recalled with the same channel, as the recall page requires.
    let recall =
        format!("fromUserId=s&conversationType=10&targetId=ug1&messageUID={uid}&busChannel=ch1");
    assert_ok(&post(&emu, "/message/recall.json", &recall).await);

    assert_ok(&post(&emu, DIS, "groupId=ug1").await);
    assert!(emu.ultra_groups().is_empty());
    // Unlike groups, ultra groups exist only through create.
    assert_error(
        &post(&emu, JOIN, "userId=a&groupId=ug1").await,
        400,
        1002,
        "groupId: no ultra group \"ug1\"",
    );
    assert_error(
        &publish(&emu, &message(&["ug1"], None)).await,
        400,
        1002,
        "toGroupIds: no ultra group",
    );
    // Quitting or dissolving an unknown one changes nothing.
    assert_ok(&post(&emu, QUIT, "userId=a&groupId=ug1").await);
    assert_ok(&post(&emu, DIS, "groupId=ug1").await);
}

#[tokio::test]
async fn parameters_are_checked() {
    let emu = emulator().await;
    assert_error(
        &post(&emu, CREATE, "userId=a&userId=b&groupId=ug&groupName=n").await,
        400,
        1002,
        "userId: given more than once",
    );
    assert_error(
        &post(&emu, CREATE, "userId=a&groupId=u-g&groupName=n").await,
        400,
        1002,
        "groupId: only letters and digits",
    );
    assert_error(
        &post(&emu, CREATE, "userId=a&groupId=ug").await,
        400,
        1002,
        "groupName: required",
    );
    assert_ok(&post(&emu, CREATE, "userId=a&groupId=ug&groupName=n").await);
    let cases = [
        (message(&[], None), 1002, "toGroupIds: 1 to 3 ultra groups per call, got 0"),
        (message(&["ug", "a", "b", "c"], None), 1002, "toGroupIds: 1 to 3 ultra groups per call, got 4"),
        (message(&["ug"], Some(&"c".repeat(21))), 1005, "busChannel: at most 20 characters"),
        (message(&["ug"], Some("ch-1")), 1002, "busChannel: only letters and digits"),
        (r#"{"toGroupIds":["ug"],"objectName":"o","content":"c"}"#.to_owned(), 1002, "fromUserId: required"),
        (r#"{"fromUserId":"s","toGroupIds":"ug","objectName":"o","content":"c"}"#.to_owned(), 1002, "toGroupIds: must be an array"),
        (r#"{"fromUserId":"s","toGroupIds":["ug"],"objectName":"o","content":"c","isPersisted":"yes"}"#.to_owned(), 1002, "isPersisted: must be \"0\" or \"1\""),
        (r#"{"fromUserId":"s","toGroupIds":["ug"],"objectName":"o","content":"c","expansion":"true"}"#.to_owned(), 1002, "expansion: must be true or false"),
    ];
    for (body, code, mentions) in cases {
        let resp = publish(&emu, &body).await;
        assert_error(&resp, 400, code, mentions);
        // Ultra group errors also carry the message as `msg` (Go reads `{code,msg}`).
        assert_eq!(resp.json()["msg"], resp.json()["errorMessage"]);
    }
    // A form body is refused: this endpoint takes JSON.
    assert_error(
        &post(&emu, PUBLISH, "fromUserId=s").await,
        400,
        1002,
        "Content-Type",
    );
    assert!(emu.deliveries().is_empty());
}

#[tokio::test]
async fn twenty_a_second_per_channel_and_100_per_app() {
    let (emu, clock) = emulator_at_morning().await;
    for g in ["ug1", "ug2", "ug3", "ug4", "ug5", "ug6"] {
        assert_ok(&post(&emu, CREATE, &format!("userId=s&groupId={g}&groupName=n")).await);
    }
    for _ in 0..20 {
        assert_ok(&publish(&emu, &message(&["ug1"], Some("c1"))).await);
    }
    let resp = publish(&emu, &message(&["ug1"], Some("c1"))).await;
    assert_error(&resp, 429, 1008, "20 messages per second in one channel");
    // Another channel of the same group, or the group without a channel, is free.
    assert_ok(&publish(&emu, &message(&["ug1"], Some("c2"))).await);
    assert_ok(&publish(&emu, &message(&["ug1"], None)).await);
    // 22 used of the app's 100: 26 calls to 3 groups would pass it.
    let mut refused = None;
    for i in 0..30 {
        let groups = ["ug2", "ug3", "ug4", "ug5", "ug6"];
        let pick = [groups[i % 5], groups[(i + 1) % 5], groups[(i + 2) % 5]];
        let resp = publish(&emu, &message(&pick, Some(&format!("k{i}")))).await;
        if resp.code() == 1008 {
            refused = Some((i, resp.error_message()));
            break;
        }
    }
    let (i, message_text) = refused.expect("the app limit refuses");
    assert_eq!(i, 26, "22 + 26 * 3 = 100");
    assert!(
        message_text.contains("100 messages per second (a call to N ultra groups counts N)"),
        "{message_text}"
    );
    clock.advance(Duration::from_secs(1));
    assert_ok(&publish(&emu, &message(&["ug1"], Some("c1"))).await);
}

#[tokio::test]
async fn the_service_must_be_on() {
    let emu = Emulator::builder()
        .service(Service::UltraGroup, false)
        .start()
        .await
        .unwrap();
    assert_error(
        &post(&emu, CREATE, "userId=a&groupId=ug&groupName=n").await,
        430,
        1009,
        "ultra group",
    );
    assert_error(
        &publish(&emu, &message(&["ug"], None)).await,
        430,
        1009,
        "ultra group",
    );
    assert!(emu.set_service(emu.app_key(), Service::UltraGroup, true));
    assert_ok(&post(&emu, CREATE, "userId=a&groupId=ug&groupName=n").await);
}
