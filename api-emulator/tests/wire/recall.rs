//! `/message/recall.json`: recalling recorded messages, checked against how
//! they were sent.

use crate::{PRIVATE, assert_error, assert_ok, emulator, inspect, post, private_body};

const RECALL: &str = "/message/recall.json";

#[tokio::test]
async fn a_recorded_private_message_is_recalled() {
    let emu = emulator().await;
    let answer = assert_ok(&post(&emu, PRIVATE, &private_body(&["a", "b"])).await);
    let to_b = answer["messageUIDs"][1]["messageUID"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = format!(
        "fromUserId=sender&conversationType=1&targetId=b&messageUID={to_b}&sentTime=1700000000000&isDelete=1"
    );
    assert_eq!(
        assert_ok(&post(&emu, RECALL, &body).await),
        serde_json::json!({"code": 200})
    );
    let recalls = emu.recalls();
    assert_eq!(recalls.len(), 1);
    assert_eq!(
        (
            recalls[0].message_uid.as_str(),
            recalls[0].target_id.as_str(),
            recalls[0].conversation_type
        ),
        (to_b.as_str(), "b", 1)
    );
    assert!(recalls[0].is_delete && !recalls[0].is_admin);
    let route = inspect(&emu, "/_emulator/recalls").await;
    assert_eq!(route[0]["messageUID"], to_b.as_str());
}

#[tokio::test]
async fn a_recall_must_name_the_message_as_it_was_sent() {
    let emu = emulator().await;
    let answer = assert_ok(&post(&emu, PRIVATE, &private_body(&["a"])).await);
    let uid = answer["messageUIDs"][0]["messageUID"]
        .as_str()
        .unwrap()
        .to_owned();
    let cases = [
        // The emulator's choice for an id it never answered: 1002.
        (
            "fromUserId=sender&conversationType=1&targetId=a&messageUID=AAAA-BBBB-CCC-DDDD"
                .to_owned(),
            "messageUID: no message",
        ),
        (
            format!("fromUserId=sender&conversationType=3&targetId=a&messageUID={uid}"),
            "conversationType: message",
        ),
        (
            format!("fromUserId=sender&conversationType=1&targetId=z&messageUID={uid}"),
            "targetId: message",
        ),
        (
            format!("fromUserId=other&conversationType=1&targetId=a&messageUID={uid}"),
            "fromUserId: message",
        ),
        (
            format!(
                "fromUserId=sender&conversationType=1&targetId=a&messageUID={uid}&busChannel=c1"
            ),
            "busChannel: message",
        ),
        (
            format!("fromUserId=sender&conversationType=2&targetId=a&messageUID={uid}"),
            "conversationType: must be 1, 3, 4, 6 or 10",
        ),
        (
            format!("fromUserId=sender&targetId=a&messageUID={uid}"),
            "conversationType: required",
        ),
        (
            "fromUserId=sender&conversationType=1&targetId=a".to_owned(),
            "messageUID: required",
        ),
        (
            format!("fromUserId=sender&conversationType=1&targetId=a&messageUID={uid}&isAdmin=yes"),
            "isAdmin: must be 0 or 1",
        ),
    ];
    for (body, mentions) in cases {
        assert_error(&post(&emu, RECALL, &body).await, 400, 1002, mentions);
    }
    assert!(emu.recalls().is_empty());
    // An administrator may recall another user's message.
    let admin =
        format!("fromUserId=admin&conversationType=1&targetId=a&messageUID={uid}&isAdmin=1");
    assert_ok(&post(&emu, RECALL, &admin).await);
    assert!(emu.recalls()[0].is_admin);
}

#[tokio::test]
async fn group_and_chatroom_messages_are_recalled_by_their_target() {
    let emu = emulator().await;
    assert_ok(&post(&emu, "/group/join.json", "userId=a&groupId=g1").await);
    let group = assert_ok(
        &post(
            &emu,
            "/message/group/publish.json",
            "fromUserId=s&toGroupId=g1&objectName=o&content=c",
        )
        .await,
    );
    let uid = group["messageUID"].as_str().unwrap();
    assert_ok(
        &post(
            &emu,
            RECALL,
            &format!("fromUserId=s&conversationType=3&targetId=g1&messageUID={uid}"),
        )
        .await,
    );
    let room = assert_ok(
        &post(
            &emu,
            "/message/chatroom/publish.json",
            "fromUserId=s&toChatroomId=r1&objectName=o&content=c",
        )
        .await,
    );
    let uid = room["messageUID"].as_str().unwrap();
    assert_ok(
        &post(
            &emu,
            RECALL,
            &format!("fromUserId=s&conversationType=4&targetId=r1&messageUID={uid}"),
        )
        .await,
    );
    let kinds: Vec<u8> = emu.recalls().iter().map(|r| r.conversation_type).collect();
    assert_eq!(kinds, [3, 4]);
}
