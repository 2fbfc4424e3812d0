//! The group calls end to end over real HTTP against `api-emulator`, which
//! keeps groups with their members and names and records a bound
//! notification as a group message: what the typed API sends is what the
//! emulator stores. Invalid requests are refused before anything is sent.

use api_core::{Client, CustomMessage, Delivery, Rule};
use api_emulator::{DeliveryKind, Emulator, Fault};
use api_endpoints::*;

#[path = "support/areas.rs"]
mod areas;
use areas::{TRICKY, client_of, refused};

async fn start() -> (Emulator, Client) {
    let emulator = Emulator::start().await.expect("emulator starts");
    let client = client_of(&emulator);
    (emulator, client)
}

async fn members(client: &Client, group: &str) -> Vec<String> {
    GroupMemberQuery::new(group)
        .send(client)
        .await
        .unwrap()
        .ids()
        .map(str::to_owned)
        .collect()
}

async fn groups_of(client: &Client, user: &str) -> Vec<(String, String)> {
    UserGroupQuery::new(user)
        .send(client)
        .await
        .unwrap()
        .groups
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect()
}

#[tokio::test]
async fn membership_follows_create_join_and_quit() {
    let (emulator, client) = start().await;
    let created = GroupCreate::new(["alice", "bob"], "hikers", TRICKY)
        .send(&client)
        .await
        .unwrap();
    assert_eq!(created, GroupOperationResponse::default());
    let group = emulator.group("hikers").expect("created");
    assert_eq!(group.name, TRICKY);
    assert_eq!(group.members, ["alice", "bob"]);
    assert_eq!(members(&client, "hikers").await, ["alice", "bob"]);

    GroupJoin::new(["carol", "dave"], "hikers")
        .send(&client)
        .await
        .unwrap();
    // Joining again is harmless (the call is idempotent without a notification).
    GroupJoin::new(["carol"], "hikers")
        .send(&client)
        .await
        .unwrap();
    assert_eq!(
        members(&client, "hikers").await,
        ["alice", "bob", "carol", "dave"]
    );
    GroupQuit::new(["alice", "dave"], "hikers")
        .send(&client)
        .await
        .unwrap();
    assert_eq!(members(&client, "hikers").await, ["bob", "carol"]);
    assert_eq!(
        groups_of(&client, "bob").await,
        [("hikers".to_owned(), TRICKY.to_owned())]
    );
    assert!(groups_of(&client, "alice").await.is_empty());
    // None of these sent a message.
    assert!(emulator.deliveries().is_empty());
}

#[tokio::test]
async fn a_bound_notification_is_recorded_as_a_group_message() {
    let (emulator, client) = start().await;
    let welcome = GroupNotification::new("admin", GroupOperation::Create, "{}", TRICKY);
    let created = GroupCreate::new(["admin", "bob", "carol"], "g1", "G1")
        .with_notification(
            BoundNotification::new("admin", welcome)
                .push_content(TRICKY)
                .is_persisted(false),
        )
        .send(&client)
        .await
        .unwrap();
    assert_eq!(created.member_count, Some(3));
    let deliveries = emulator.deliveries();
    assert_eq!(deliveries.len(), 1);
    let notice = &deliveries[0];
    assert_eq!(notice.kind, DeliveryKind::GroupNotification);
    assert_eq!(notice.sender.as_deref(), Some("admin"));
    assert_eq!(notice.target_id.as_deref(), Some("g1"));
    // Not to the sender without `isIncludeSender`.
    assert_eq!(notice.recipients, ["bob", "carol"]);
    assert_eq!(notice.object_name.as_deref(), Some("RC:GrpNtf"));
    let content: serde_json::Value =
        serde_json::from_str(notice.content.as_deref().unwrap()).unwrap();
    assert_eq!(content["message"], TRICKY);
    assert_eq!(content["operation"], "Create");
    assert_eq!(notice.param("pushContent"), Some(TRICKY));
    assert_eq!(notice.param("isPersisted"), Some("0"));
    assert_eq!(
        notice.message_ids,
        [created
            .message_uid
            .clone()
            .expect("an id for the notification")]
    );

    // Join, quit and dismiss carry one too; the sender is included on request.
    let joined = GroupJoin::new(["dave"], "g1")
        .with_notification(
            BoundNotification::new("admin", TextMessage::new("welcome dave"))
                .is_include_sender(true),
        )
        .send(&client)
        .await
        .unwrap();
    assert_eq!(joined.member_count, Some(4));
    let quit = GroupQuit::new(["bob"], "g1")
        .with_notification(BoundNotification::new(
            "admin",
            CustomMessage::new("App:Left", r#"{"who":"bob"}"#),
        ))
        .send(&client)
        .await
        .unwrap();
    assert_eq!(quit.member_count, Some(3));
    let dismissed = GroupDismiss::new("admin", "g1")
        .with_notification(BoundNotification::new("admin", TextMessage::new("bye")))
        .send(&client)
        .await
        .unwrap();
    assert!(dismissed.message_uid.is_some());
    let deliveries = emulator.deliveries();
    assert_eq!(deliveries.len(), 4);
    assert!(
        deliveries
            .iter()
            .all(|d| d.kind == DeliveryKind::GroupNotification)
    );
    assert_eq!(deliveries[1].recipients, ["bob", "carol", "dave", "admin"]);
    // Quit notifies before the users leave, so bob receives it.
    assert_eq!(deliveries[2].recipients, ["bob", "carol", "dave"]);
    assert_eq!(deliveries[2].content.as_deref(), Some(r#"{"who":"bob"}"#));
    assert_eq!(deliveries[3].message_ids, [dismissed.message_uid.unwrap()]);
    assert!(emulator.group("g1").is_none());
    assert!(members(&client, "g1").await.is_empty());
}

#[tokio::test]
async fn a_join_past_3000_members_is_refused_with_its_code_and_joins_no_one() {
    let (emulator, client) = start().await;
    let batch = |from: usize| {
        (from..from + 1000)
            .map(|i| format!("u{i}"))
            .collect::<Vec<_>>()
    };
    GroupCreate::new(batch(0), "big", "Big")
        .send(&client)
        .await
        .unwrap();
    for from in [1000, 2000] {
        GroupJoin::new(batch(from), "big")
            .send(&client)
            .await
            .unwrap();
    }
    assert_eq!(emulator.group("big").unwrap().members.len(), 3000);

    let error = GroupJoin::new(["one-too-many"], "big")
        .send(&client)
        .await
        .unwrap_err();
    let api_core::Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.code(), api_core::ErrorCode::GroupCapacityExceeded);
    assert_eq!(api.status(), 405);
    assert_eq!(error.delivery(), Delivery::Rejected);
    assert!(!error.is_retryable());
    assert_eq!(emulator.group("big").unwrap().members.len(), 3000);
}

#[tokio::test]
async fn sync_replaces_a_users_groups_and_refresh_renames() {
    let (emulator, client) = start().await;
    GroupCreate::new(["u1", "u2"], "g1", "One")
        .send(&client)
        .await
        .unwrap();
    GroupCreate::new(["u1"], "g2", "Two")
        .send(&client)
        .await
        .unwrap();
    GroupSync::new("u1", [("g2", "Two"), ("g3", TRICKY)])
        .send(&client)
        .await
        .unwrap();
    assert_eq!(
        groups_of(&client, "u1").await,
        [
            ("g2".to_owned(), "Two".to_owned()),
            ("g3".to_owned(), TRICKY.to_owned())
        ]
    );
    assert_eq!(emulator.group("g1").unwrap().members, ["u2"]);
    assert_eq!(emulator.group("g3").unwrap().name, TRICKY);

    GroupRefresh::new("g2", "二 & 2")
        .send(&client)
        .await
        .unwrap();
    assert_eq!(emulator.group("g2").unwrap().name, "二 & 2");
    assert_eq!(groups_of(&client, "u1").await[0].1, "二 & 2");

    // Paging: one group a page.
    let page = UserGroupQuery::new("u1")
        .page(2)
        .size(1)
        .send(&client)
        .await
        .unwrap();
    assert_eq!(page.groups.len(), 1);
    assert_eq!(page.groups[0].id, "g3");

    // No groups at all removes the user from every group.
    GroupSync::leave_all("u1").send(&client).await.unwrap();
    assert!(groups_of(&client, "u1").await.is_empty());
    assert_eq!(members(&client, "g1").await, ["u2"]);
}

#[tokio::test]
async fn invalid_group_calls_send_nothing() {
    let (emulator, client) = start().await;
    refused(
        &emulator,
        &client,
        &GroupCreate::new(["u1"], "no-dash", "n"),
        "group_id",
        Rule::Charset("letters and digits (A-Za-z0-9)"),
    )
    .await;
    let too_many: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    refused(
        &emulator,
        &client,
        &GroupJoin::new(too_many, "g1"),
        "user_id",
        Rule::MaxItems(1000),
    )
    .await;
    refused(
        &emulator,
        &client,
        &GroupQuit::new(Vec::<String>::new(), "g1"),
        "user_id",
        Rule::MinItems(1),
    )
    .await;
    refused(
        &emulator,
        &client,
        &GroupDismiss::new("op", "g1").with_notification(BoundNotification::new(
            "op",
            CustomMessage::new("RC:Fake", "{}"),
        )),
        "notification.message.object_name",
        Rule::Other(
            "a custom objectName must not start with \"RC:\" (reserved for built-in types)".into(),
        ),
    )
    .await;
    refused(
        &emulator,
        &client,
        &GroupSync::new("u1", [("g1", "n".repeat(65))]),
        r#"groups["g1"]"#,
        Rule::MaxChars(64),
    )
    .await;
    refused(
        &emulator,
        &client,
        &GroupRefresh::new("g1", ""),
        "group_name",
        Rule::Required,
    )
    .await;
    refused(
        &emulator,
        &client,
        &GroupMemberQuery::new("g".repeat(65)),
        "group_id",
        Rule::MaxChars(64),
    )
    .await;
    refused(
        &emulator,
        &client,
        &UserGroupQuery::new("u1").size(10),
        "size",
        Rule::Other("only with `page`".into()),
    )
    .await;
}

/// The client asks each request whether it may repeat it: a join whose
/// answer was lost is sent again, but not a join carrying a notification,
/// which would reach the group twice.
#[tokio::test]
async fn a_lost_answer_repeats_a_plain_join_but_never_a_notifying_one() {
    let (emulator, client) = start().await;
    emulator.inject(
        Fault::drop_after_processing()
            .on_path("/group/join.json")
            .times(1),
    );
    GroupJoin::new(["u1"], "g1").send(&client).await.unwrap();
    let requests = emulator.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(requests[0].status, None);
    assert_eq!(requests[1].status, Some(200));
    assert_eq!(emulator.group("g1").unwrap().members, ["u1"]);

    emulator.clear_records();
    emulator.inject(
        Fault::drop_after_processing()
            .on_path("/group/join.json")
            .times(1),
    );
    let error = GroupJoin::new(["u2"], "g1")
        .with_notification(BoundNotification::new("u1", TextMessage::new("hi u2")))
        .send(&client)
        .await
        .unwrap_err();
    assert_eq!(error.delivery(), Delivery::Unknown, "{error:?}");
    assert_eq!(emulator.requests().len(), 1, "no second attempt");
    assert_eq!(emulator.deliveries().len(), 1, "the notification went once");
    assert_eq!(emulator.group("g1").unwrap().members, ["u1", "u2"]);
}
