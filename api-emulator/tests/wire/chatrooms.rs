//! Chatrooms: create_new and the older create, destroy, query, and chatroom
//! publish recorded per room with its 100-a-second limit.

use std::time::Duration;

use api_emulator::DeliveryKind;

use crate::{assert_error, assert_ok, emulator, emulator_at_morning, enc, post};

const CREATE_NEW: &str = "/chatroom/create_new.json";
const CREATE: &str = "/chatroom/create.json";
const DESTROY: &str = "/chatroom/destroy.json";
const QUERY: &str = "/chatroom/query.json";
const PUBLISH: &str = "/message/chatroom/publish.json";
const MESSAGE: &str = "objectName=RC%3ATxtMsg&content=%7B%22content%22%3A%22hi%22%7D";

#[tokio::test]
async fn create_query_destroy() {
    let (emu, _clock) = emulator_at_morning().await;
    // What the Go SDK sends by default: destroyTime=0, isBan=false.
    assert_ok(
        &post(
            &emu,
            CREATE_NEW,
            "chatroomId=r1&destroyType=0&destroyTime=0&isBan=false",
        )
        .await,
    );
    let entry = enc(r#"{"topic":"rust"}"#);
    assert_ok(
        &post(
            &emu,
            CREATE_NEW,
            &format!("chatroomId=r2&destroyType=1&destroyTime=120&isBan=true&whiteUserIds=a&whiteUserIds=b&entryOwnerId=a&entryInfo={entry}"),
        )
        .await,
    );
    assert_ok(
        &post(
            &emu,
            CREATE,
            &format!("chatroom[r3]={}&chatroom%5Br4%5D=Four", enc("Room 3")),
        )
        .await,
    );

    let query = assert_ok(&post(&emu, QUERY, "chatroomId=r3&chatroomId=r1&chatroomId=none").await);
    assert_eq!(
        query["chatRooms"],
        serde_json::json!([
            {"chrmId": "r3", "name": "Room 3", "time": "2026-01-01 09:00:00"},
            {"chrmId": "r1", "name": "", "time": "2026-01-01 09:00:00"},
        ])
    );
    let rooms = emu.chatrooms();
    assert_eq!(rooms.len(), 4);
    assert_eq!(
        (rooms[0].destroy_type, rooms[0].destroy_time_minutes),
        (0, 60)
    );
    assert_eq!(
        (
            rooms[1].destroy_type,
            rooms[1].destroy_time_minutes,
            rooms[1].is_ban
        ),
        (1, 120, true)
    );
    assert_eq!(rooms[1].white_user_ids, ["a", "b"]);
    assert_eq!(
        rooms[1].entry_info,
        Some(serde_json::json!({"topic": "rust"}))
    );
    assert_eq!(rooms[2].created_by, CREATE);

    assert_ok(
        &post(
            &emu,
            DESTROY,
            "chatroomId=r1&chatroomId=r3&chatroomId=never",
        )
        .await,
    );
    let left: Vec<String> = emu.chatrooms().into_iter().map(|r| r.chatroom_id).collect();
    assert_eq!(left, ["r2", "r4"]);
    assert_eq!(
        assert_ok(&post(&emu, QUERY, "chatroomId=r1").await)["chatRooms"],
        serde_json::json!([])
    );
}

#[tokio::test]
async fn create_limits_name_their_parameter() {
    let emu = emulator().await;
    let create_new_cases = [
        ("destroyType=0".to_owned(), 1002, "chatroomId: required"),
        (
            format!("chatroomId={}", "r".repeat(65)),
            1005,
            "chatroomId: at most 64 bytes",
        ),
        (
            "chatroomId=r&destroyType=2".to_owned(),
            1002,
            "destroyType: must be between 0 and 1",
        ),
        (
            "chatroomId=r&destroyTime=59".to_owned(),
            1002,
            "destroyTime: must be between 60 and 10080",
        ),
        (
            "chatroomId=r&destroyTime=10081".to_owned(),
            1002,
            "destroyTime: must be between 0 and 10080",
        ),
        (
            "chatroomId=r&isBan=1".to_owned(),
            1002,
            "isBan: must be true or false",
        ),
        (
            format!(
                "chatroomId=r&{}",
                (0..21)
                    .map(|i| format!("whiteUserIds=u{i}"))
                    .collect::<Vec<_>>()
                    .join("&")
            ),
            1002,
            "whiteUserIds: at most 20",
        ),
        (
            "chatroomId=r&entryOwnerId=a&entryInfo=%5B%5D".to_owned(),
            1002,
            "entryInfo: must be a JSON object",
        ),
        (
            "chatroomId=r&entryInfo=%7B%7D".to_owned(),
            1002,
            "entryOwnerId: required with entryInfo",
        ),
    ];
    for (body, code, mentions) in create_new_cases {
        assert_error(&post(&emu, CREATE_NEW, &body).await, 400, code, mentions);
    }
    let hundred_and_one: String = (0..101).map(|i| format!("chatroom[r{i}]=n&")).collect();
    let create_cases = [
        ("x=1".to_owned(), 1002, "chatroom[<id>]: required"),
        (hundred_and_one, 1002, "chatroom[<id>]: at most 100 rooms"),
        (
            format!("chatroom[{}]=n", "r".repeat(65)),
            1005,
            "at most 64 bytes",
        ),
        (
            "chatroom[r-1]=n".to_owned(),
            1002,
            "chatroom[r-1]: only letters and digits are allowed",
        ),
        (
            "chatroom[r1]=".to_owned(),
            1002,
            "chatroom[r1]: the room name must not be empty",
        ),
        (
            "chatroom[r1=n".to_owned(),
            1002,
            "chatroom[r1: expected chatroom[<id>]=<name>",
        ),
    ];
    for (body, code, mentions) in create_cases {
        assert_error(&post(&emu, CREATE, &body).await, 400, code, mentions);
    }
    let hundred: String = (0..100).map(|i| format!("chatroom[r{i}]=n&")).collect();
    assert_ok(&post(&emu, CREATE, &hundred).await);
    assert_eq!(emu.chatrooms().len(), 100);
    assert_error(&post(&emu, DESTROY, "").await, 400, 1003, "body");
    assert_error(
        &post(&emu, QUERY, "x=1").await,
        400,
        1002,
        "chatroomId: required",
    );
    // D:chatroom/deprecated-info: at most 20 rooms a query.
    let twenty: Vec<String> = (0..20).map(|i| format!("chatroomId=r{i}")).collect();
    let answer = assert_ok(&post(&emu, QUERY, &twenty.join("&")).await);
    assert_eq!(answer["chatRooms"].as_array().unwrap().len(), 20);
    let twenty_one = format!("{}&chatroomId=r20", twenty.join("&"));
    assert_error(
        &post(&emu, QUERY, &twenty_one).await,
        400,
        1002,
        "chatroomId: at most 20 per call, got 21",
    );
}

#[tokio::test]
async fn messages_are_recorded_per_room() {
    let emu = emulator().await;
    assert_ok(&post(&emu, CREATE_NEW, "chatroomId=r1").await);
    let answer = assert_ok(
        &post(
            &emu,
            PUBLISH,
            &format!("fromUserId=s&toChatroomId=r1&toChatroomId=r2&{MESSAGE}&isPersisted=1"),
        )
        .await,
    );
    let entries = answer["messageUIDs"].as_array().unwrap();
    assert_eq!(
        (
            entries[0]["chatroomId"].as_str(),
            entries[1]["chatroomId"].as_str()
        ),
        (Some("r1"), Some("r2"))
    );
    let deliveries = emu.deliveries();
    assert_eq!(deliveries.len(), 2);
    assert!(
        deliveries
            .iter()
            .all(|d| d.kind == DeliveryKind::ChatroomMessage)
    );
    // The emulator cannot see who is in a room: no recipients but the sender
    // with isIncludeSender=1. A room never created through the API (clients
    // create rooms by joining) is accepted.
    assert_eq!(deliveries[1].target_id.as_deref(), Some("r2"));
    assert!(deliveries[0].recipients.is_empty());
    assert_ok(
        &post(
            &emu,
            PUBLISH,
            &format!("fromUserId=s&toChatroomId=r1&isIncludeSender=1&{MESSAGE}"),
        )
        .await,
    );
    assert_eq!(emu.deliveries().pop().unwrap().recipients, ["s"]);
    assert_error(
        &post(&emu, PUBLISH, &format!("fromUserId=s&{MESSAGE}")).await,
        400,
        1002,
        "toChatroomId: required",
    );
}

#[tokio::test]
async fn chatroom_messages_are_100_a_second_counted_per_room() {
    let (emu, clock) = emulator_at_morning().await;
    let ten: String = (0..10).map(|i| format!("toChatroomId=r{i}&")).collect();
    for _ in 0..10 {
        assert_ok(&post(&emu, PUBLISH, &format!("fromUserId=s&{ten}{MESSAGE}")).await);
    }
    let resp = post(
        &emu,
        PUBLISH,
        &format!("fromUserId=s&toChatroomId=r0&{MESSAGE}"),
    )
    .await;
    assert_error(
        &resp,
        429,
        1008,
        "allows 100 messages per second (a call to N chatrooms counts N)",
    );
    clock.advance(Duration::from_secs(1));
    assert_ok(
        &post(
            &emu,
            PUBLISH,
            &format!("fromUserId=s&toChatroomId=r0&{MESSAGE}"),
        )
        .await,
    );
    assert_eq!(emu.deliveries().len(), 101);
}
