//! Group and chatroom messages, recalls and the hourly message log end to
//! end: the typed requests over real HTTP to `api-emulator`, which parses
//! the wire itself and keeps groups, deliveries, recalls and the log.

mod e2e_support;

use std::collections::BTreeSet;
use std::io::Read;
use std::time::{Duration, Instant};

use api_core::{CustomMessage, Endpoint, Pacing, Rule};
use api_emulator::{Delivery, DeliveryKind, Emulator};
use api_endpoints::*;
use e2e_support::{client_for, create_group, expect_invalid, start, tricky};
use http_body_util::{BodyExt, Empty};

fn members(delivery: &Delivery) -> BTreeSet<&str> {
    delivery.recipients.iter().map(String::as_str).collect()
}

fn set<'a>(items: &[&'a str]) -> BTreeSet<&'a str> {
    items.iter().copied().collect()
}

#[tokio::test]
async fn a_group_message_reaches_every_member_of_each_group() {
    let (emulator, client) = start().await;
    create_group(&client, "g1", &["alice", "bob", "carol"]).await;
    create_group(&client, "g2", &["alice", "dave"]).await;
    create_group(&client, "g3", &["erin"]).await;

    let answer = GroupPublish::new("alice", ["g1", "g2", "g3"], TextMessage::new("hello"))
        .push_content("new message")
        .is_persisted(true)
        .send(&client)
        .await
        .unwrap();

    let deliveries = emulator.deliveries();
    assert_eq!(deliveries.len(), 3);
    let expected = [
        ("g1", set(&["bob", "carol"])),
        ("g2", set(&["dave"])),
        ("g3", set(&["erin"])),
    ];
    for (delivery, (group, who)) in deliveries.iter().zip(&expected) {
        assert_eq!(delivery.kind, DeliveryKind::GroupMessage);
        assert_eq!(delivery.target_id.as_deref(), Some(*group));
        assert_eq!(delivery.sender.as_deref(), Some("alice"));
        // The sender is not among the recipients without isIncludeSender.
        assert_eq!(&members(delivery), who, "{group}");
        assert_eq!(delivery.param("pushContent"), Some("new message"));
        assert_eq!(delivery.param("isPersisted"), Some("1"));
        // The answer names each group's message id as recorded.
        assert_eq!(
            answer.message_uid_for(group),
            delivery.message_ids.first().map(String::as_str)
        );
    }
    assert_eq!(answer.message_uids.len(), 3);
    assert_eq!(
        answer.message_uid,
        deliveries[0].message_ids.first().cloned()
    );

    // With isIncludeSender the sender's clients get it too.
    GroupPublish::new("alice", ["g2"], TextMessage::new("synced"))
        .is_include_sender(true)
        .send(&client)
        .await
        .unwrap();
    let last = emulator.deliveries().pop().unwrap();
    assert_eq!(members(&last), set(&["alice", "dave"]));
    assert_eq!(last.param("isIncludeSender"), Some("1"));
}

#[tokio::test]
async fn a_targeted_message_reaches_only_the_named_members() {
    let (emulator, client) = start().await;
    create_group(&client, "team", &["lead", "ann", "ben", "cid"]).await;
    let answer = GroupPublish::targeted(
        "lead",
        "team",
        ["ann", "cid", "stranger"],
        TextMessage::new("just you two"),
    )
    .send(&client)
    .await
    .unwrap();
    let deliveries = emulator.deliveries();
    assert_eq!(deliveries.len(), 1);
    // "stranger" is not a member, so gets nothing; "ben" was not named.
    assert_eq!(members(&deliveries[0]), set(&["ann", "cid"]));
    assert!(emulator.inbox("ben").is_empty());
    assert!(emulator.inbox("stranger").is_empty());
    assert_eq!(
        answer.message_uid_for("team"),
        deliveries[0].message_ids.first().map(String::as_str)
    );
}

#[tokio::test]
async fn special_characters_round_trip_in_group_and_chatroom_messages() {
    let (emulator, client) = start().await;
    create_group(&client, "g1", &["a&b=c+d%", "用户😀"]).await;
    GroupPublish::new(
        "a&b=c+d%",
        ["g1"],
        TextMessage::new(tricky()).extra(tricky()),
    )
    .push_content(tricky())
    .push_data(tricky())
    .send(&client)
    .await
    .unwrap();
    ChatroomPublish::new(
        "主持人 \"&=\"",
        ["room+1", "房间%2"],
        CustomMessage::new("App:Say", tricky()),
    )
    .send(&client)
    .await
    .unwrap();

    let deliveries = emulator.deliveries();
    assert_eq!(deliveries.len(), 3);
    let group = &deliveries[0];
    assert_eq!(group.sender.as_deref(), Some("a&b=c+d%"));
    assert_eq!(members(group), set(&["用户😀"]));
    let content: serde_json::Value =
        serde_json::from_str(group.content.as_deref().unwrap()).unwrap();
    assert_eq!(content["content"], tricky());
    assert_eq!(content["extra"], tricky());
    assert_eq!(group.param("pushContent"), Some(tricky()));
    assert_eq!(group.param("pushData"), Some(tricky()));
    for (room, delivery) in ["room+1", "房间%2"].iter().zip(&deliveries[1..]) {
        assert_eq!(delivery.kind, DeliveryKind::ChatroomMessage);
        assert_eq!(delivery.target_id.as_deref(), Some(*room));
        assert_eq!(delivery.sender.as_deref(), Some("主持人 \"&=\""));
        assert_eq!(delivery.object_name.as_deref(), Some("App:Say"));
        assert_eq!(delivery.content.as_deref(), Some(tricky()));
    }
}

#[tokio::test]
async fn a_chatroom_message_is_recorded_once_per_room() {
    let (emulator, client) = start().await;
    let answer = ChatroomPublish::new("host", ["r1", "r2", "r3"], TextMessage::new("welcome"))
        .is_include_sender(true)
        .is_persisted(false)
        .send(&client)
        .await
        .unwrap();
    let deliveries = emulator.deliveries();
    let rooms: Vec<&str> = deliveries
        .iter()
        .map(|d| d.target_id.as_deref().unwrap())
        .collect();
    assert_eq!(rooms, ["r1", "r2", "r3"]);
    for delivery in &deliveries {
        assert_eq!(delivery.kind, DeliveryKind::ChatroomMessage);
        // The emulator cannot see room members; the sender is there with
        // isIncludeSender.
        assert_eq!(delivery.recipients, ["host"]);
        assert_eq!(delivery.param("isPersisted"), Some("0"));
        assert_eq!(
            answer.message_uid_for(delivery.target_id.as_deref().unwrap()),
            delivery.message_ids.first().map(String::as_str)
        );
    }
}

#[tokio::test]
async fn a_recall_names_the_message_as_it_was_sent() {
    let (emulator, client) = start().await;
    create_group(&client, "g1", &["alice", "bob"]).await;
    let sent = GroupPublish::new("alice", ["g1"], TextMessage::new("oops"))
        .send(&client)
        .await
        .unwrap();
    let uid = sent.message_uid_for("g1").unwrap().to_owned();
    Recall::group("alice", "g1", &uid)
        .sent_time(1_700_000_000_000)
        .is_delete(true)
        .extra(tricky())
        .send(&client)
        .await
        .unwrap();
    let private = PrivatePublish::new("alice", ["bob"], TextMessage::new("psst"))
        .send(&client)
        .await
        .unwrap();
    let private_uid = private.message_uid("bob").unwrap().to_owned();
    Recall::new("root", ConversationType::Private, "bob", &private_uid)
        .is_admin(true)
        .send(&client)
        .await
        .unwrap();

    let recalls = emulator.recalls();
    assert_eq!(recalls.len(), 2);
    assert_eq!(recalls[0].message_uid, uid);
    assert_eq!(recalls[0].from_user_id, "alice");
    assert_eq!(recalls[0].conversation_type, 3);
    assert_eq!(recalls[0].target_id, "g1");
    assert!(recalls[0].is_delete && !recalls[0].is_admin);
    assert_eq!(recalls[1].message_uid, private_uid);
    assert_eq!(recalls[1].conversation_type, 1);
    assert!(recalls[1].is_admin);

    // Naming the message in the wrong conversation is refused, and not
    // recorded.
    let wrong = Recall::new("alice", ConversationType::Chatroom, "g1", &uid)
        .send(&client)
        .await
        .unwrap_err();
    let api = e2e_support::api_error(wrong);
    assert_eq!(api.code().code(), 1002);
    assert!(
        api.message().starts_with("conversationType"),
        "{}",
        api.message()
    );
    assert_eq!(emulator.recalls().len(), 2);
}

/// GETs `url` over a real connection and gunzips the body.
async fn download_gzip(url: &str) -> String {
    let uri: http::Uri = url.parse().unwrap();
    let authority = uri.authority().unwrap().clone();
    let stream = tokio::net::TcpStream::connect(authority.as_str())
        .await
        .unwrap();
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(connection);
    let request = http::Request::get(uri.path())
        .header(http::header::HOST, authority.as_str())
        .body(Empty::<bytes::Bytes>::new())
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    assert_eq!(response.status(), http::StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_string(&mut text)
        .expect("a gzip file");
    text
}

#[tokio::test]
async fn the_history_url_serves_that_hours_messages() {
    let (emulator, client) = start().await;
    create_group(&client, "g1", &["alice", "bob"]).await;
    let sent = GroupPublish::new("alice", ["g1"], TextMessage::new(tricky()))
        .send(&client)
        .await
        .unwrap();
    let uid = sent.message_uid_for("g1").unwrap().to_owned();
    // The emulator's log hours are Beijing time, like the China data center.
    let hour = HistoryHour::beijing(emulator.deliveries()[0].at());

    let answer = History::new(hour).send(&client).await.unwrap();
    assert_eq!(answer.date, hour);
    let url = answer.download_url().expect("the hour has a file");
    let log = download_gzip(url).await;
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{log}");
    assert_eq!(lines[0]["msgUID"], uid.as_str());
    assert_eq!(lines[0]["fromUserId"], "alice");
    assert_eq!(lines[0]["targetId"], "g1");
    assert_eq!(lines[0]["content"]["content"], tricky());

    // An hour without messages has no file.
    let before = History::new(hour.previous()).send(&client).await.unwrap();
    assert_eq!(before.download_url(), None);
    assert_eq!(before.url, "");
    assert_eq!(before.date, hour.previous());

    // Deleted, the hour has no file either, and deleting again is fine.
    HistoryDelete::new(hour).send(&client).await.unwrap();
    HistoryDelete::new(hour).send(&client).await.unwrap();
    let after = History::new(hour).send(&client).await.unwrap();
    assert_eq!(after.download_url(), None);
}

/// 20 messages a second counted per group: the client's pacer counts a
/// 3-group call as 3, so 10 such calls (30 messages) take a second window
/// and the emulator, which counts the same way, never refuses one.
#[tokio::test]
async fn a_three_group_call_counts_three_against_the_20_a_second() {
    let emulator = Emulator::start().await.unwrap();
    // A wider margin than the default 2 %: the emulator counts a call when
    // it arrives, and on a loaded machine the first calls may arrive later
    // after their turn than the 7th does. The weight is what is tested.
    let client = client_for(&emulator)
        .pacing(Pacing::documented().margin(0.15))
        .build()
        .unwrap();
    for group in ["g1", "g2", "g3"] {
        create_group(&client, group, &["m1", "m2"]).await;
    }
    let publish = GroupPublish::new("m1", ["g1", "g2", "g3"], TextMessage::new("hi"));
    assert_eq!(publish.rate_weight(), 3);

    let started = Instant::now();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let client = client.clone();
        let publish = publish.clone();
        calls.spawn(async move { publish.send(&client).await });
    }
    while let Some(result) = calls.join_next().await {
        result.unwrap().unwrap();
    }
    let elapsed = started.elapsed();
    assert_eq!(
        emulator.answer_count(1008),
        0,
        "{:?}",
        emulator.answers_by_code()
    );
    assert_eq!(emulator.deliveries().len(), 30);
    // 6 calls (18 messages) fit the first second; the 7th waits for the next.
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");

    // The emulator does count per group: unpaced, the same burst is
    // partly refused with 1008 (and those calls are repeated after it).
    let emulator = Emulator::start().await.unwrap();
    let unpaced = client_for(&emulator)
        .pacing(Pacing::disabled())
        .build()
        .unwrap();
    for group in ["g1", "g2", "g3"] {
        create_group(&unpaced, group, &["m1", "m2"]).await;
    }
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let client = unpaced.clone();
        let publish = publish.clone();
        calls.spawn(async move { publish.send(&client).await });
    }
    while let Some(result) = calls.join_next().await {
        result.unwrap().unwrap();
    }
    assert!(
        emulator.answer_count(1008) > 0,
        "{:?}",
        emulator.answers_by_code()
    );
    assert_eq!(emulator.deliveries().len(), 30);
}

/// The groups are the recipients of a bulk send: 7 groups go in calls of
/// at most 3, and each group's message id is reported.
#[tokio::test]
async fn a_bulk_send_to_many_groups_goes_3_groups_a_call() {
    let (emulator, client) = start().await;
    let groups: Vec<String> = (1..=7).map(|i| format!("g{i}")).collect();
    for group in &groups {
        create_group(&client, group, &["owner", &format!("member{group}")]).await;
    }
    let template = GroupPublish::new("owner", ["placeholder"], TextMessage::new("news"));
    let report = client.bulk(&template, groups.iter().cloned()).send().await;
    assert!(report.is_complete(), "{report:?}");
    assert_eq!(report.delivered.len(), 7);

    let calls = emulator
        .requests()
        .into_iter()
        .filter(|r| r.path == GroupPublish::<TextMessage>::PATH)
        .count();
    assert_eq!(calls, 3);
    let deliveries = emulator.deliveries();
    assert_eq!(deliveries.len(), 7);
    for delivered in &report.delivered {
        let delivery = deliveries
            .iter()
            .find(|d| d.target_id.as_deref() == Some(delivered.recipient.as_str()))
            .unwrap();
        assert_eq!(delivered.message_id.as_ref(), delivery.message_ids.first());
        assert_eq!(
            delivery.recipients,
            [format!("member{}", delivered.recipient)]
        );
    }
}

#[tokio::test]
async fn invalid_requests_name_the_field_and_send_nothing() {
    let four = GroupPublish::new("a", ["g1", "g2", "g3", "g4"], TextMessage::new("hi"));
    expect_invalid(&four, "to_group_id[3]", Rule::MaxItems(MAX_GROUPS)).await;
    let targeted_two = GroupPublish::new("a", ["g1", "g2"], TextMessage::new("hi")).to_users(["b"]);
    expect_invalid(
        &targeted_two,
        "to_group_id",
        Rule::Other("exactly one group for a targeted message (to_user_id)".into()),
    )
    .await;
    let targeted_push = GroupPublish::targeted("a", "g1", ["b"], TextMessage::new("hi"))
        .push_ext(PushExt::new().title("t"));
    expect_invalid(
        &targeted_push,
        "push_ext",
        Rule::Other("not supported on a targeted message (to_user_id)".into()),
    )
    .await;
    let bad_group = GroupPublish::new("a", ["g_1"], TextMessage::new("hi"));
    expect_invalid(
        &bad_group,
        "to_group_id[0]",
        Rule::Charset("letters and digits (A-Za-z0-9)"),
    )
    .await;

    let no_room = ChatroomPublish::new("a", Vec::<String>::new(), TextMessage::new("hi"));
    expect_invalid(&no_room, "to_chatroom_id", Rule::MinItems(1)).await;
    let long_sender = ChatroomPublish::new("u".repeat(65), ["r1"], TextMessage::new("hi"));
    expect_invalid(&long_sender, "from_user_id", Rule::MaxBytes(64)).await;

    let channel = Recall::new("a", ConversationType::Group, "g1", "UID").bus_channel("ch1");
    expect_invalid(
        &channel,
        "bus_channel",
        Rule::Other("only for an ultra group message (conversation_type 10)".into()),
    )
    .await;
    let no_uid = Recall::new("a", ConversationType::Private, "b", "");
    expect_invalid(&no_uid, "message_uid", Rule::Required).await;

    // The log's hour is typed: a request for a malformed one cannot be
    // built, and the error names `date` and the rule.
    let error = "2026-12-03".parse::<HistoryHour>().unwrap_err();
    assert_eq!(error.violations()[0].path(), "date");
    assert_eq!(error.violations()[0].rule(), &Rule::Charset("digits (0-9)"));
    let error = HistoryHour::new(2026, 2, 30, 0).unwrap_err();
    assert_eq!(error.violations()[0].path(), "date");
    assert_eq!(
        error.to_string(),
        "invalid request, nothing was sent: date: a real hour yyyyMMddHH (year 1970-9999, month 01-12, a day of that month, hour 00-23) (got \"2026023000\")"
    );
}
