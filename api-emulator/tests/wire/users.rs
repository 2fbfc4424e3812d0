//! Users: registration and tokens, refresh and info, bans on the clock, online
//! status.

use std::time::Duration;

use api_emulator::OnlineStatusEvent;

use crate::client::{self, RawRequest};
use crate::{assert_error, assert_ok, emulator, emulator_at_morning, enc, inspect, post};

const GET_TOKEN: &str = "/user/getToken.json";
const REFRESH: &str = "/user/refresh.json";
const INFO: &str = "/user/info.json";
const EXPIRE: &str = "/user/token/expire.json";
const BLOCK: &str = "/user/block.json";
const UNBLOCK: &str = "/user/unblock.json";
const BLOCK_QUERY: &str = "/user/block/query.json";
const CHECK_ONLINE: &str = "/user/checkOnline.json";

#[tokio::test]
async fn register_then_info_answers_the_registration() {
    let (emu, clock) = emulator_at_morning().await;
    let portrait = "https://example.com/a b.png?x=1&y=2";
    let body = format!(
        "userId=user_1&name={}&portraitUri={}",
        enc("李雷 & Co"),
        enc(portrait)
    );
    let first = assert_ok(&post(&emu, GET_TOKEN, &body).await);
    assert_eq!(first["userId"], "user_1");
    let token = first["token"].as_str().unwrap().to_owned();
    assert!(!token.is_empty() && token.len() <= 256, "{token}");

    let info = assert_ok(&post(&emu, INFO, "userId=user_1").await);
    assert_eq!(info["userName"], "李雷 & Co");
    assert_eq!(info["userPortrait"], portrait);
    // 09:00 Beijing on 2026-01-01, in the page's format.
    assert_eq!(info["createTime"], "2026-01-01 09:00:00");

    // Registering again issues another token and keeps the creation time.
    clock.advance(Duration::from_secs(90));
    let again = assert_ok(&post(&emu, GET_TOKEN, "userId=user_1&name=Lei").await);
    assert_ne!(again["token"], token.as_str());
    let info = assert_ok(&post(&emu, INFO, "userId=user_1").await);
    assert_eq!(
        (info["userName"].as_str(), info["userPortrait"].as_str()),
        (Some("Lei"), Some(""))
    );
    assert_eq!(info["createTime"], "2026-01-01 09:00:00");
    let user = emu.user("user_1").unwrap();
    assert_eq!(user.tokens.len(), 2);
    assert_eq!(user.tokens[0].token, token);
}

#[tokio::test]
async fn get_token_limits_name_their_parameter() {
    let emu = emulator().await;
    let cases = [
        ("name=a", 400, 1002, "userId: required"),
        ("userId=a%40b&name=a", 400, 1002, "userId: only letters"),
        (
            &format!("userId={}&name=a", "u".repeat(65)),
            400,
            1005,
            "userId: at most 64 bytes",
        ),
        ("userId=u", 400, 1002, "name: required"),
        (
            &format!("userId=u&name={}", "名".repeat(65)),
            400,
            1005,
            "name: at most 64 characters",
        ),
        (
            &format!("userId=u&name=a&portraitUri={}", "p".repeat(1025)),
            400,
            1005,
            "portraitUri: at most 1024 bytes",
        ),
    ];
    for (body, status, code, mentions) in cases {
        assert_error(&post(&emu, GET_TOKEN, body).await, status, code, mentions);
    }
    // The older page's + = - _ pass; 64 bytes pass.
    assert_ok(
        &post(
            &emu,
            GET_TOKEN,
            &format!("userId={}&name=a", enc("a+b=c-d_e")),
        )
        .await,
    );
    assert_ok(
        &post(
            &emu,
            GET_TOKEN,
            &format!("userId={}&name={}", "u".repeat(64), "名".repeat(64)),
        )
        .await,
    );
    assert_eq!(emu.users().len(), 2);
}

#[tokio::test]
async fn refresh_changes_only_what_it_names() {
    let emu = emulator().await;
    assert_ok(
        &post(
            &emu,
            GET_TOKEN,
            "userId=u1&name=Ann&portraitUri=https%3A%2F%2Fx%2F1",
        )
        .await,
    );
    // The Go SDK sends both fields, empty when unchanged.
    assert_ok(
        &post(
            &emu,
            REFRESH,
            "userId=u1&name=&portraitUri=https%3A%2F%2Fx%2F2",
        )
        .await,
    );
    let info = assert_ok(&post(&emu, INFO, "userId=u1").await);
    assert_eq!(
        (info["userName"].as_str(), info["userPortrait"].as_str()),
        (Some("Ann"), Some("https://x/2"))
    );
    assert_ok(&post(&emu, REFRESH, "userId=u1&name=Anne").await);
    assert_eq!(emu.user("u1").unwrap().name, "Anne");
    // Users never registered: the emulator's choice is 1002 naming userId.
    assert_error(
        &post(&emu, REFRESH, "userId=ghost&name=x").await,
        400,
        1002,
        "userId: no user \"ghost\"",
    );
    assert_error(
        &post(&emu, INFO, "userId=ghost").await,
        400,
        1002,
        "userId: no user",
    );
}

#[tokio::test]
async fn expiring_tokens_invalidates_those_issued_before() {
    let (emu, clock) = emulator_at_morning().await;
    assert_ok(&post(&emu, GET_TOKEN, "userId=u1&name=a").await);
    clock.advance(Duration::from_secs(10));
    let cut = clock.now_millis();
    clock.advance(Duration::from_secs(10));
    assert_ok(&post(&emu, GET_TOKEN, "userId=u1&name=a").await);
    assert_ok(&post(&emu, EXPIRE, &format!("userId=u1&userId=u2&time={cut}")).await);
    let valid: Vec<bool> = emu
        .user("u1")
        .unwrap()
        .tokens
        .iter()
        .map(|t| t.valid)
        .collect();
    assert_eq!(valid, [false, true]);
    let users = inspect(&emu, "/_emulator/users").await;
    assert_eq!(users[0]["tokensExpireBeforeMillis"], cut);

    let many: String = (0..21).map(|i| format!("userId=u{i}&")).collect();
    assert_error(
        &post(&emu, EXPIRE, &format!("{many}time=1")).await,
        400,
        1002,
        "userId: at most 20",
    );
    assert_error(
        &post(&emu, EXPIRE, "userId=u1").await,
        400,
        1002,
        "time: required",
    );
    assert_error(
        &post(&emu, EXPIRE, "userId=u1&time=soon").await,
        400,
        1002,
        "time: must be an integer",
    );
}

#[tokio::test]
async fn bans_end_on_the_emulators_clock() {
    let (emu, clock) = emulator_at_morning().await;
    assert_ok(&post(&emu, BLOCK, "userId=u1&userId=u2&minute=10").await);
    assert_ok(&post(&emu, BLOCK, "userId=u3&minute=43200").await);
    let query = assert_ok(&post(&emu, BLOCK_QUERY, "").await);
    assert_eq!(
        query["users"],
        serde_json::json!([
            {"userId": "u1", "blockEndTime": "2026-01-01 09:10:00"},
            {"userId": "u2", "blockEndTime": "2026-01-01 09:10:00"},
            {"userId": "u3", "blockEndTime": "2026-01-31 09:00:00"},
        ])
    );
    assert_ok(&post(&emu, UNBLOCK, "userId=u2").await);
    clock.advance(Duration::from_secs(9 * 60 + 59));
    let still: Vec<String> = emu.bans().into_iter().map(|b| b.user_id).collect();
    assert_eq!(still, ["u1", "u3"]);
    clock.advance(Duration::from_secs(1));
    let query = assert_ok(&post(&emu, BLOCK_QUERY, "").await);
    assert_eq!(
        query["users"],
        serde_json::json!([{"userId": "u3", "blockEndTime": "2026-01-31 09:00:00"}])
    );

    // A duration out of range is the documented 1502 "quantity exceeded".
    for body in ["userId=u1&minute=0", "userId=u1&minute=43201"] {
        assert_error(
            &post(&emu, BLOCK, body).await,
            400,
            1502,
            "minute: must be between 1 and 43200",
        );
    }
    for (body, mentions) in [
        ("userId=u1&minute=ten", "minute"),
        ("userId=u1", "minute: required"),
        ("minute=5", "userId: required"),
    ] {
        assert_error(&post(&emu, BLOCK, body).await, 400, 1002, mentions);
    }
}

#[tokio::test]
async fn check_online_follows_posted_status_events_and_bans() {
    let emu = emulator().await;
    let online = |user: &str| {
        let emu = &emu;
        let body = format!("userId={user}");
        async move { assert_ok(&post(emu, CHECK_ONLINE, &body).await)["status"].clone() }
    };
    assert_eq!(online("u1").await, "0");
    // Through the route, as a test in another language would.
    let resp = client::send(
        emu.addrs()[0],
        &RawRequest::post("/_emulator/online-status")
            .json(r#"[{"userid":"u1","status":"0","os":"Android","sessionId":"s1"}]"#),
    )
    .await
    .unwrap();
    assert_eq!(
        resp.json(),
        serde_json::json!({"code": 200, "events": 1, "posted": false})
    );
    assert_eq!(online("u1").await, "1");
    // A second device, then the first logs out: still online.
    emu.post_online_status([OnlineStatusEvent::new("u1", "0").session("s2")])
        .unwrap();
    emu.post_online_status([OnlineStatusEvent::new("u1", "2").session("s1")])
        .unwrap();
    assert_eq!(online("u1").await, "1");
    // A ban disconnects at once.
    assert_ok(&post(&emu, BLOCK, "userId=u1&minute=1").await);
    assert_eq!(online("u1").await, "0");
    assert!(!emu.is_online("u1"));

    let bad = client::send(
        emu.addrs()[0],
        &RawRequest::post("/_emulator/online-status").json(r#"[{"userid":"u1","status":"5"}]"#),
    )
    .await
    .unwrap();
    assert_eq!(bad.status, 400);
    assert!(
        bad.error_message().contains("status"),
        "{}",
        bad.error_message()
    );
}
