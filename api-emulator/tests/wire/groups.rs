//! Groups: membership through create, join, quit, dismiss and sync; both
//! membership queries; the 3000-member cap; the bound notification message.

use api_emulator::DeliveryKind;

use crate::{assert_error, assert_ok, emulator, inspect, post};

const CREATE: &str = "/group/create.json";
const JOIN: &str = "/group/join.json";
const QUIT: &str = "/group/quit.json";
const DISMISS: &str = "/group/dismiss.json";
const SYNC: &str = "/group/sync.json";
const REFRESH: &str = "/group/refresh.json";
const MEMBERS: &str = "/group/user/query.json";
const OF_USER: &str = "/user/group/query.json";

async fn members(emu: &api_emulator::Emulator, group: &str) -> serde_json::Value {
    assert_ok(&post(emu, MEMBERS, &format!("groupId={group}")).await)["users"].clone()
}

async fn groups_of(emu: &api_emulator::Emulator, body: &str) -> serde_json::Value {
    assert_ok(&post(emu, OF_USER, body).await)["groups"].clone()
}

#[tokio::test]
async fn create_join_quit_dismiss() {
    let emu = emulator().await;
    let created =
        assert_ok(&post(&emu, CREATE, "userId=a&userId=b&groupId=g1&groupName=First").await);
    // Without a bound notification the answer is the plain {"code":200}.
    assert_eq!(created, serde_json::json!({"code": 200}));
    assert_ok(&post(&emu, JOIN, "userId=c&userId=a&groupId=g1").await);
    assert_eq!(
        members(&emu, "g1").await,
        serde_json::json!([{"id": "a"}, {"id": "b"}, {"id": "c"}])
    );
    assert_eq!(
        groups_of(&emu, "userId=c").await,
        serde_json::json!([{"id": "g1", "name": "First"}])
    );

    assert_ok(&post(&emu, QUIT, "userId=b&userId=nobody&groupId=g1").await);
    assert_eq!(
        members(&emu, "g1").await,
        serde_json::json!([{"id": "a"}, {"id": "c"}])
    );
    assert!(
        groups_of(&emu, "userId=b")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );

    assert_ok(&post(&emu, REFRESH, "groupId=g1&groupName=Renamed").await);
    assert_eq!(emu.group("g1").unwrap().name, "Renamed");

    assert_ok(&post(&emu, DISMISS, "userId=a&groupId=g1").await);
    assert_eq!(members(&emu, "g1").await, serde_json::json!([]));
    assert!(
        groups_of(&emu, "userId=a")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(emu.groups().is_empty());
    // Dismissing again, refreshing or quitting an unknown group changes nothing.
    assert_ok(&post(&emu, DISMISS, "userId=a&groupId=g1").await);
    assert_ok(&post(&emu, REFRESH, "groupId=g1&groupName=x").await);
    assert!(emu.group("g1").is_none());
}

#[tokio::test]
async fn sync_replaces_the_users_groups() {
    let emu = emulator().await;
    assert_ok(&post(&emu, CREATE, "userId=a&userId=b&groupId=g1&groupName=One").await);
    assert_ok(&post(&emu, CREATE, "userId=a&groupId=g2&groupName=Two").await);
    assert_ok(&post(&emu, SYNC, "userId=a&group%5Bg2%5D=Zwei&group[g3]=Drei").await);
    assert_eq!(
        groups_of(&emu, "userId=a").await,
        serde_json::json!([{"id": "g2", "name": "Zwei"}, {"id": "g3", "name": "Drei"}])
    );
    assert_eq!(members(&emu, "g1").await, serde_json::json!([{"id": "b"}]));
    // None given: unbound from every group.
    assert_ok(&post(&emu, SYNC, "userId=a").await);
    assert!(
        groups_of(&emu, "userId=a")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(inspect(&emu, "/_emulator/groups").await[0]["groupId"], "g1");

    assert_error(
        &post(&emu, SYNC, "userId=a&group[g-1]=x").await,
        400,
        1002,
        "group[g-1]: only letters and digits",
    );
    assert_error(
        &post(&emu, SYNC, "userId=a&group[g1]=").await,
        400,
        1002,
        "group[g1]: the group name",
    );
    assert_error(
        &post(&emu, SYNC, "userId=a&group[g1]=x&group[g1]=y").await,
        400,
        1002,
        "given more than once",
    );
    assert_error(
        &post(&emu, SYNC, "group[g1]=x").await,
        400,
        1002,
        "userId: required",
    );
}

#[tokio::test]
async fn parameters_and_limits_are_checked() {
    let emu = emulator().await;
    let thousand_and_one: String = (0..1001).map(|i| format!("userId=u{i}&")).collect();
    let cases = [
        (
            format!("{thousand_and_one}groupId=g&groupName=n"),
            1002,
            "userId: at most 1000",
        ),
        ("groupId=g&groupName=n".to_owned(), 1002, "userId: required"),
        ("userId=a&groupName=n".to_owned(), 1002, "groupId: required"),
        (
            "userId=a&groupId=g_1&groupName=n".to_owned(),
            1002,
            "groupId: only letters and digits",
        ),
        (
            format!("userId=a&groupId={}&groupName=n", "g".repeat(65)),
            1005,
            "groupId: at most 64",
        ),
        ("userId=a&groupId=g".to_owned(), 1002, "groupName: required"),
        (
            format!("userId=a&groupId=g&groupName={}", "n".repeat(65)),
            1005,
            "groupName: at most 64",
        ),
    ];
    for (body, code, mentions) in cases {
        assert_error(&post(&emu, CREATE, &body).await, 400, code, mentions);
    }
    assert!(emu.groups().is_empty(), "nothing refused was applied");
    assert_error(
        &post(&emu, DISMISS, "groupId=g").await,
        400,
        1002,
        "userId: required",
    );
    assert_error(
        &post(&emu, OF_USER, "userId=a&size=1001").await,
        400,
        1002,
        "size: must be between 1 and 1000",
    );
    assert_error(
        &post(&emu, OF_USER, "userId=a&page=0").await,
        400,
        1002,
        "page: must be between 1",
    );
}

#[tokio::test]
async fn a_group_holds_at_most_3000_members() {
    let emu = emulator().await;
    for batch in 0..3 {
        let body: String = (0..1000)
            .map(|i| format!("userId=u{}&", batch * 1000 + i))
            .collect();
        assert_ok(&post(&emu, JOIN, &format!("{body}groupId=big")).await);
    }
    assert_eq!(emu.group("big").unwrap().members.len(), 3000);
    let resp = post(&emu, JOIN, "userId=late&userId=u1&groupId=big").await;
    // The code table's HTTP 405 "group capacity exceeded"; nothing joined.
    assert_error(
        &resp,
        405,
        405,
        "userId: group big would have 3001 members, at most 3000",
    );
    assert_eq!(emu.group("big").unwrap().members.len(), 3000);
    assert_error(
        &post(&emu, SYNC, "userId=late&group[big]=Big").await,
        405,
        405,
        "group[big]",
    );
    // Members already in do not count.
    assert_ok(&post(&emu, JOIN, "userId=u1&groupId=big").await);
}

#[tokio::test]
async fn user_groups_page() {
    let emu = emulator().await;
    for g in ["g1", "g2", "g3", "g4", "g5"] {
        assert_ok(&post(&emu, JOIN, &format!("userId=a&groupId={g}&groupName=N{g}")).await);
    }
    let ids = |v: serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|g| g["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(groups_of(&emu, "userId=a").await).len(), 5);
    assert_eq!(
        ids(groups_of(&emu, "userId=a&page=2&size=2").await),
        ["g3", "g4"]
    );
    assert_eq!(ids(groups_of(&emu, "userId=a&page=3&size=2").await), ["g5"]);
    assert!(ids(groups_of(&emu, "userId=a&page=4&size=2").await).is_empty());
}

#[tokio::test]
async fn bound_notification_is_recorded_as_a_group_message() {
    let emu = emulator().await;
    let notify = "bindNotifyMsg=true&fromUserId=admin&objectName=RC%3AGrpNtf\
                  &content=%7B%22operation%22%3A%22Create%22%7D\
                  &isPersisted=1&maxMember=0&pushContent=&pushExt=";
    let created = assert_ok(
        &post(
            &emu,
            CREATE,
            &format!(
                "userId=admin&userId=a&userId=b&groupId=g1&groupName=G&{notify}&isIncludeSender=0"
            ),
        )
        .await,
    );
    assert_eq!(created["memberCount"], 3);
    let uid = created["messageUID"].as_str().unwrap().to_owned();
    let d = emu.deliveries().pop().unwrap();
    assert_eq!(d.kind, DeliveryKind::GroupNotification);
    assert_eq!(d.target_id.as_deref(), Some("g1"));
    assert_eq!(
        d.recipients,
        ["a", "b"],
        "the sender only with isIncludeSender=1"
    );
    assert_eq!(d.message_ids, [uid]);
    assert_eq!(d.object_name.as_deref(), Some("RC:GrpNtf"));

    // Quit: the leaving user still gets the notification; the count is after.
    let quit = assert_ok(
        &post(
            &emu,
            QUIT,
            &format!("userId=b&groupId=g1&{notify}&isIncludeSender=1"),
        )
        .await,
    );
    assert_eq!(quit["memberCount"], 2);
    assert_eq!(
        emu.deliveries().pop().unwrap().recipients,
        ["a", "b", "admin"]
    );
    let dismissed =
        assert_ok(&post(&emu, DISMISS, &format!("userId=admin&groupId=g1&{notify}")).await);
    assert_eq!(dismissed["memberCount"], 0);
    assert_eq!(emu.deliveries().pop().unwrap().recipients, ["a"]);

    // Binding needs the message; the Go SDK checks the same three.
    for (missing, name) in [
        ("fromUserId=admin&", "content"),
        ("content=x&", "fromUserId"),
    ] {
        let body = format!(
            "userId=a&groupId=g2&groupName=G&bindNotifyMsg=true&objectName=RC%3AGrpNtf&{missing}"
        );
        assert_error(
            &post(&emu, CREATE, &body).await,
            400,
            1002,
            &format!("{name}: required"),
        );
    }
    assert_error(
        &post(&emu, JOIN, "userId=a&groupId=g2&bindNotifyMsg=yes").await,
        400,
        1002,
        "bindNotifyMsg: must be true or false",
    );
    assert!(emu.group("g2").is_none());
}

#[tokio::test]
async fn the_pages_example_requests_are_accepted() {
    use api_emulator::documented::{
        CHATROOM_DESTROY, GROUP_CREATE, GROUP_SYNC, USER_INFO, USER_TOKEN_EXPIRE,
    };
    let emu = emulator().await;
    assert_ok(&post(&emu, CREATE, GROUP_CREATE).await);
    assert_eq!(emu.group("123").unwrap().members, ["1", "2"]);
    assert_eq!(emu.group("123").unwrap().name, "TestGroup");
    assert_ok(&post(&emu, SYNC, GROUP_SYNC).await);
    assert_eq!(
        groups_of(&emu, "userId=2014").await,
        serde_json::json!([
            {"id": "10001", "name": "TestGroup1"},
            {"id": "10002", "name": "TestGroup2"},
            {"id": "10003", "name": "TestGroup3"},
        ])
    );
    assert_ok(&post(&emu, "/user/getToken.json", "userId=123&name=n").await);
    assert_eq!(
        assert_ok(&post(&emu, "/user/info.json", USER_INFO).await)["userName"],
        "n"
    );
    assert_ok(&post(&emu, "/user/token/expire.json", USER_TOKEN_EXPIRE).await);
    assert_ok(
        &post(
            &emu,
            "/chatroom/create.json",
            "chatroom[10001]=a&chatroom[10002]=b",
        )
        .await,
    );
    assert_ok(&post(&emu, "/chatroom/destroy.json", CHATROOM_DESTROY).await);
    assert!(emu.chatrooms().is_empty());
}
