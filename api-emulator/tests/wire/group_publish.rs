//! `/message/group/publish.json`: deliveries to members, targeted messages, the
//! 3-group limit and the 20-a-second limit counted per group.

use std::time::Duration;

use api_emulator::DeliveryKind;

use crate::{assert_error, assert_ok, emulator, emulator_at_morning, inspect, is_message_id, post};

const PUBLISH: &str = "/message/group/publish.json";
const JOIN: &str = "/group/join.json";
const MESSAGE: &str = "objectName=RC%3ATxtMsg&content=%7B%22content%22%3A%22hi%22%7D";

async fn setup(emu: &api_emulator::Emulator) {
    assert_ok(
        &post(
            emu,
            JOIN,
            "userId=s&userId=a&userId=b&groupId=g1&groupName=One",
        )
        .await,
    );
    assert_ok(&post(emu, JOIN, "userId=b&userId=c&groupId=g2&groupName=Two").await);
}

#[tokio::test]
async fn every_member_but_the_sender_gets_one_delivery_per_group() {
    let emu = emulator().await;
    setup(&emu).await;
    let body = format!("fromUserId=s&toGroupId=g1&toGroupId=g2&{MESSAGE}");
    let answer = assert_ok(&post(&emu, PUBLISH, &body).await);
    let entries = answer["messageUIDs"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(
        (
            entries[0]["groupId"].as_str(),
            entries[1]["groupId"].as_str()
        ),
        (Some("g1"), Some("g2"))
    );
    assert_eq!(answer["messageUID"], entries[0]["messageUID"]);
    assert!(is_message_id(entries[1]["messageUID"].as_str().unwrap()));

    let deliveries = emu.deliveries();
    assert_eq!(deliveries.len(), 2);
    assert_eq!(deliveries[0].kind, DeliveryKind::GroupMessage);
    assert_eq!(deliveries[0].target_id.as_deref(), Some("g1"));
    assert_eq!(deliveries[0].recipients, ["a", "b"]);
    assert_eq!(deliveries[1].recipients, ["b", "c"]);
    assert_eq!(
        deliveries[1].message_ids[0],
        entries[1]["messageUID"].as_str().unwrap()
    );
    // b is in both groups: one delivery for each group.
    assert_eq!(
        inspect(&emu, "/_emulator/delivery-counts").await,
        serde_json::json!({"a": 1, "b": 2, "c": 1})
    );

    // isIncludeSender=1 adds the sender, member or not.
    assert_ok(
        &post(
            &emu,
            PUBLISH,
            &format!("fromUserId=x&toGroupId=g2&isIncludeSender=1&{MESSAGE}"),
        )
        .await,
    );
    assert_eq!(emu.deliveries().pop().unwrap().recipients, ["b", "c", "x"]);
    // A group nobody joined gets a delivery with no recipients.
    assert_ok(
        &post(
            &emu,
            PUBLISH,
            &format!("fromUserId=s&toGroupId=empty&{MESSAGE}"),
        )
        .await,
    );
    assert!(emu.deliveries().pop().unwrap().recipients.is_empty());
}

#[tokio::test]
async fn targeted_messages_reach_only_named_members_of_one_group() {
    let emu = emulator().await;
    setup(&emu).await;
    let body = format!(
        "fromUserId=s&toGroupId=g1&toUserId=b&toUserId=c&{MESSAGE}&expansion=false&disablePush=false"
    );
    assert_ok(&post(&emu, PUBLISH, &body).await);
    let d = emu.deliveries().pop().unwrap();
    // c is not in g1: the targeted message reaches b only.
    assert_eq!(d.recipients, ["b"]);
    assert_eq!(emu.delivery_count("a"), 0);

    let two = format!("fromUserId=s&toGroupId=g1&toGroupId=g2&toUserId=b&{MESSAGE}");
    assert_error(
        &post(&emu, PUBLISH, &two).await,
        400,
        1002,
        "toUserId: a targeted message goes to exactly one group",
    );
    for (extra, name) in [
        ("expansion=true", "expansion"),
        ("disablePush=true", "disablePush"),
        ("extraContent=%7B%22k%22%3A%22v%22%7D", "extraContent"),
        ("pushExt=%7B%22title%22%3A%22t%22%7D", "pushExt"),
    ] {
        let body = format!("fromUserId=s&toGroupId=g1&toUserId=b&{MESSAGE}&{extra}");
        assert_error(
            &post(&emu, PUBLISH, &body).await,
            400,
            1002,
            &format!("{name}: not supported on a targeted"),
        );
    }
}

#[tokio::test]
async fn parameters_are_checked_before_anything_is_recorded() {
    let emu = emulator().await;
    let cases = [
        (
            format!("toGroupId=g1&{MESSAGE}"),
            1002,
            "fromUserId: required",
        ),
        (
            format!("fromUserId=s&{MESSAGE}"),
            1002,
            "toGroupId: required",
        ),
        (
            format!("fromUserId=s&toGroupId=a&toGroupId=b&toGroupId=c&toGroupId=d&{MESSAGE}"),
            1002,
            "toGroupId: at most 3",
        ),
        (
            format!("fromUserId=s&toGroupId=g-1&{MESSAGE}"),
            1002,
            "toGroupId: only letters and digits",
        ),
        (
            "fromUserId=s&toGroupId=g1&content=x".to_owned(),
            1002,
            "objectName: required",
        ),
        (
            format!(
                "fromUserId=s&toGroupId=g1&objectName={}&content=x",
                "O".repeat(33)
            ),
            1005,
            "objectName: at most 32",
        ),
        (
            format!(
                "fromUserId=s&toGroupId=g1&objectName=o&content={}",
                "x".repeat(128 * 1024 + 1)
            ),
            1005,
            "content: at most",
        ),
        (
            format!("fromUserId=s&toGroupId=g1&{MESSAGE}&isIncludeSender=2"),
            1002,
            "isIncludeSender: must be 0 or 1",
        ),
        (
            format!("fromUserId=s&toGroupId=g1&{MESSAGE}&pushExt=%7B"),
            1002,
            "pushExt",
        ),
    ];
    for (body, code, mentions) in cases {
        assert_error(&post(&emu, PUBLISH, &body).await, 400, code, mentions);
    }
    assert!(emu.deliveries().is_empty());
}

#[tokio::test]
async fn twenty_messages_a_second_counted_per_group() {
    let (emu, clock) = emulator_at_morning().await;
    let three = format!("fromUserId=s&toGroupId=g1&toGroupId=g2&toGroupId=g3&{MESSAGE}");
    for _ in 0..6 {
        assert_ok(&post(&emu, PUBLISH, &three).await);
    }
    // 18 used: a call to 3 more groups would make 21.
    let resp = post(&emu, PUBLISH, &three).await;
    assert_error(
        &resp,
        429,
        1008,
        "allows 20 messages per second (a call to N groups counts N)",
    );
    assert_eq!(
        emu.deliveries().len(),
        18,
        "the refused call recorded nothing"
    );
    let two = format!("fromUserId=s&toGroupId=g1&toGroupId=g2&{MESSAGE}");
    assert_ok(&post(&emu, PUBLISH, &two).await);
    let one = format!("fromUserId=s&toGroupId=g1&{MESSAGE}");
    assert_eq!(post(&emu, PUBLISH, &one).await.code(), 1008);
    clock.advance(Duration::from_secs(1));
    assert_ok(&post(&emu, PUBLISH, &three).await);
    assert_eq!(emu.answer_count(1008), 2);
}
