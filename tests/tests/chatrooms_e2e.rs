//! Chatroom creation, query and destruction end to end against
//! `api-emulator`, which keeps the rooms.

mod e2e_support;

use api_core::Rule;
use api_endpoints::*;
use e2e_support::{expect_invalid, start, tricky};

#[tokio::test]
async fn create_new_keeps_every_setting() {
    let (emulator, client) = start().await;
    ChatroomCreateNew::new("room1")
        .destroy_type(DestroyType::FixedTime)
        .destroy_time(MAX_DESTROY_MINUTES)
        .is_ban(true)
        .white_users(["host", "主持人"])
        .entries("host", [("topic", tricky()), ("键", "值😀")])
        .send(&client)
        .await
        .unwrap();
    ChatroomCreateNew::new("room2").send(&client).await.unwrap();

    let rooms = emulator.chatrooms();
    assert_eq!(rooms.len(), 2);
    let room = &rooms[0];
    assert_eq!(room.chatroom_id, "room1");
    assert_eq!(room.destroy_type, 1);
    assert_eq!(room.destroy_time_minutes, 10_080);
    assert!(room.is_ban);
    assert_eq!(room.white_user_ids, ["host", "主持人"]);
    assert_eq!(room.entry_owner_id.as_deref(), Some("host"));
    let info = room.entry_info.as_ref().unwrap();
    assert_eq!(info["topic"], tricky());
    assert_eq!(info["键"], "值😀");
    // The defaults: destroyed after 60 inactive minutes, nobody muted.
    let plain = &rooms[1];
    assert_eq!(plain.destroy_type, 0);
    assert_eq!(plain.destroy_time_minutes, 60);
    assert!(!plain.is_ban && plain.white_user_ids.is_empty());

    // Creating it again is accepted and changes nothing (declared
    // idempotent).
    ChatroomCreateNew::new("room1").send(&client).await.unwrap();
    assert_eq!(emulator.chatrooms()[0].destroy_time_minutes, 10_080);
    assert_eq!(emulator.chatrooms().len(), 2);
}

#[tokio::test]
async fn the_older_create_names_rooms_and_query_reads_them_back() {
    let (emulator, client) = start().await;
    let name = "Games & fun = \"100%\" +1\n大厅 😀";
    ChatroomCreate::new([("10001", name)])
        .room("10002", "Lobby")
        .send(&client)
        .await
        .unwrap();
    let records: Vec<(String, String)> = emulator
        .chatrooms()
        .into_iter()
        .map(|r| (r.chatroom_id, r.name))
        .collect();
    assert_eq!(
        records,
        [
            ("10001".to_owned(), name.to_owned()),
            ("10002".to_owned(), "Lobby".to_owned())
        ]
    );

    let answer = ChatroomQuery::new(["10002", "nosuchroom", "10001"])
        .send(&client)
        .await
        .unwrap();
    let ids: Vec<&str> = answer
        .chat_rooms
        .iter()
        .map(|r| r.chatroom_id.as_str())
        .collect();
    assert_eq!(ids, ["10002", "10001"]);
    let first = answer.room("10001").unwrap();
    assert_eq!(first.name, name);
    assert_eq!(first.time, emulator.chatrooms()[0].time);
    assert!(answer.room("nosuchroom").is_none());
}

#[tokio::test]
async fn destroyed_rooms_are_gone_and_destroying_again_is_fine() {
    let (emulator, client) = start().await;
    ChatroomCreate::new([("r1", "One"), ("r2", "Two"), ("r3", "Three")])
        .send(&client)
        .await
        .unwrap();
    ChatroomDestroy::new(["r1", "r3"])
        .send(&client)
        .await
        .unwrap();
    ChatroomDestroy::new(["r1", "r3"])
        .send(&client)
        .await
        .unwrap();
    let left: Vec<String> = emulator
        .chatrooms()
        .into_iter()
        .map(|r| r.chatroom_id)
        .collect();
    assert_eq!(left, ["r2"]);
    let answer = ChatroomQuery::new(["r1", "r2", "r3"])
        .send(&client)
        .await
        .unwrap();
    assert_eq!(answer.chat_rooms.len(), 1);
    assert_eq!(answer.chat_rooms[0].chatroom_id, "r2");
    assert_eq!(answer.chat_rooms[0].name, "Two");
}

#[tokio::test]
async fn invalid_requests_name_the_field_and_send_nothing() {
    let short = ChatroomCreateNew::new("r1").destroy_time(59);
    expect_invalid(
        &short,
        "destroy_time",
        Rule::Range {
            min: 60,
            max: 10_080,
        },
    )
    .await;
    let crowded = ChatroomCreateNew::new("r1").white_users((0..21).map(|i| format!("u{i}")));
    expect_invalid(&crowded, "white_user_ids", Rule::MaxItems(20)).await;
    let mut ownerless = ChatroomCreateNew::new("r1");
    ownerless.entry_info = Some([("k".to_owned(), "v".to_owned())].into());
    expect_invalid(
        &ownerless,
        "entry_owner_id",
        Rule::Other("required with entry_info".into()),
    )
    .await;

    let dashed = ChatroomCreate::new([("r-1", "One")]);
    expect_invalid(
        &dashed,
        "chatroom[\"r-1\"]",
        Rule::Charset("letters and digits (A-Za-z0-9)"),
    )
    .await;
    let too_many = ChatroomCreate::new((0..101).map(|i| (format!("r{i}"), "room")));
    expect_invalid(&too_many, "chatroom", Rule::MaxItems(MAX_ROOMS_PER_CREATE)).await;

    let nothing = ChatroomDestroy::new(Vec::<String>::new());
    expect_invalid(&nothing, "chatroom_id", Rule::MinItems(1)).await;
    let long = ChatroomDestroy::new(["r".repeat(65)]);
    expect_invalid(&long, "chatroom_id[0]", Rule::MaxBytes(64)).await;

    let query = ChatroomQuery::new((0..21).map(|i| format!("r{i}")));
    expect_invalid(&query, "chatroom_id", Rule::MaxItems(MAX_ROOMS_PER_QUERY)).await;
}
