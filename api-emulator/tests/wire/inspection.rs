//! The read-only `/_emulator/` routes.

use api_emulator::Emulator;

use crate::client::{RawRequest, send};
use crate::{PRIVATE, call, emulator, form, private_body};

#[tokio::test]
async fn records_are_served_as_json() {
    let emu = emulator().await;
    call(&emu, &form(&emu, PRIVATE, &private_body(&["a%20b", "c"]))).await;
    let addr = emu.addrs()[0];

    let inbox = send(addr, &RawRequest::get("/_emulator/inbox/a%20b"))
        .await
        .unwrap();
    assert_eq!(inbox.status, 200);
    let inbox = inbox.json();
    assert_eq!(inbox.as_array().unwrap().len(), 1);
    assert_eq!(inbox[0]["recipients"][0], "a b");
    assert_eq!(inbox[0]["kind"], "privateMessage");

    let all = send(addr, &RawRequest::get("/_emulator/deliveries"))
        .await
        .unwrap()
        .json();
    assert_eq!(all[0]["messageIds"].as_array().unwrap().len(), 2);
    let requests = send(addr, &RawRequest::get("/_emulator/requests"))
        .await
        .unwrap()
        .json();
    assert_eq!(requests[0]["code"], 200);
    let stats = send(addr, &RawRequest::get("/_emulator/stats"))
        .await
        .unwrap()
        .json();
    assert_eq!(stats["answersByCode"]["200"], 1);

    let nobody = send(addr, &RawRequest::get("/_emulator/inbox/nobody"))
        .await
        .unwrap();
    assert_eq!(nobody.json(), serde_json::json!([]));
    assert_eq!(
        send(addr, &RawRequest::get("/_emulator/nothing"))
            .await
            .unwrap()
            .status,
        404
    );
    assert_eq!(
        send(addr, &RawRequest::post("/_emulator/deliveries"))
            .await
            .unwrap()
            .status,
        405
    );
}

#[tokio::test]
async fn routes_can_be_switched_off() {
    let emu = Emulator::builder()
        .inspection_routes(false)
        .start()
        .await
        .unwrap();
    let resp = send(emu.addrs()[0], &RawRequest::get("/_emulator/deliveries"))
        .await
        .unwrap();
    assert_eq!(resp.status, 404);
}

#[tokio::test]
async fn state_routes_serve_each_app() {
    let emu = Emulator::builder()
        .app("k1", "s1")
        .app("k2", "s2")
        .start()
        .await
        .unwrap();
    let signed = |key: &str, secret: &str, path: &str, body: &str| {
        RawRequest::post(path).signed(key, secret).form(body)
    };
    let addr = emu.addrs()[0];
    for (key, secret, user) in [("k1", "s1", "ann"), ("k2", "s2", "bob")] {
        send(
            addr,
            &signed(
                key,
                secret,
                "/user/getToken.json",
                &format!("userId={user}&name=N"),
            ),
        )
        .await
        .unwrap();
        send(
            addr,
            &signed(
                key,
                secret,
                "/group/join.json",
                &format!("userId={user}&groupId=g"),
            ),
        )
        .await
        .unwrap();
        send(
            addr,
            &signed(
                key,
                secret,
                "/user/block.json",
                &format!("userId={user}&minute=5"),
            ),
        )
        .await
        .unwrap();
        send(
            addr,
            &signed(key, secret, "/sensitiveword/add.json", "word=w"),
        )
        .await
        .unwrap();
        send(
            addr,
            &signed(key, secret, "/chatroom/create_new.json", "chatroomId=r"),
        )
        .await
        .unwrap();
    }
    let get = |route: String| async move {
        let resp = send(addr, &RawRequest::get(&route)).await.unwrap();
        assert_eq!(resp.status, 200, "{route}");
        resp.json()
    };
    // The first app by default, another with ?appKey=.
    assert_eq!(get("/_emulator/users".into()).await[0]["userId"], "ann");
    assert_eq!(
        get("/_emulator/users?appKey=k2".into()).await[0]["userId"],
        "bob"
    );
    assert_eq!(
        get("/_emulator/groups?appKey=k2".into()).await[0]["members"],
        serde_json::json!(["bob"])
    );
    assert_eq!(get("/_emulator/bans".into()).await[0]["userId"], "ann");
    assert_eq!(
        get("/_emulator/sensitive-words".into()).await,
        serde_json::json!([{"word": "w", "replaceWord": null}])
    );
    assert_eq!(
        get("/_emulator/chatrooms".into()).await[0]["chatroomId"],
        "r"
    );
    assert_eq!(
        get("/_emulator/ultragroups".into()).await,
        serde_json::json!([])
    );
    assert_eq!(
        get("/_emulator/recalls".into()).await,
        serde_json::json!([])
    );
    let state = get("/_emulator/state?appKey=k2".into()).await;
    assert_eq!(state["users"][0]["userId"], "bob");
    assert_eq!(state["bans"][0]["userId"], "bob");
    assert_eq!(get("/_emulator/callbacks".into()).await["enqueued"], 0);
    assert_eq!(
        emu.state_in("k2").unwrap().groups[0].members,
        ["bob"],
        "the Rust accessor agrees"
    );
    let missing = send(addr, &RawRequest::get("/_emulator/users?appKey=nope"))
        .await
        .unwrap();
    assert_eq!(missing.status, 404);
    let post_state = send(addr, &RawRequest::post("/_emulator/state"))
        .await
        .unwrap();
    assert_eq!(post_state.status, 405);
}

#[tokio::test]
async fn delivery_counts_count_each_recipient() {
    let emu = emulator().await;
    call(&emu, &form(&emu, PRIVATE, &private_body(&["a", "b"]))).await;
    call(&emu, &form(&emu, PRIVATE, &private_body(&["a"]))).await;
    let counts = send(
        emu.addrs()[0],
        &RawRequest::get("/_emulator/delivery-counts"),
    )
    .await
    .unwrap()
    .json();
    assert_eq!(counts, serde_json::json!({"a": 2, "b": 1}));
    assert_eq!(emu.delivery_count("a"), 2);
    assert_eq!(emu.delivery_counts().len(), 2);
}
