//! The user calls end to end over real HTTP against `api-emulator`, which
//! keeps users, tokens, bans and sessions: what the typed API sends is what
//! the emulator stores, and what it answers reads back typed. Invalid
//! requests are refused before anything reaches the emulator.

use std::time::Duration;

use api_core::{Client, Endpoint, Rule};
use api_emulator::{Clock, Emulator, OnlineStatusEvent};
use api_endpoints::*;

#[path = "support/areas.rs"]
mod areas;
use areas::{TRICKY, client_of, refused};

/// An emulator on a manual clock (bans end on it), and a client of it.
async fn start() -> (Emulator, Client) {
    let emulator = Emulator::builder()
        .clock(Clock::manual())
        .start()
        .await
        .expect("emulator starts");
    let client = client_of(&emulator);
    (emulator, client)
}

#[tokio::test]
async fn register_issues_a_token_and_info_follows_refresh() {
    let (emulator, client) = start().await;
    let first = UserRegister::new("user_1+a=b-c", TRICKY)
        .portrait_uri("https://example.com/p.png?size=64&v=2")
        .send(&client)
        .await
        .unwrap();
    assert_eq!(first.user_id, "user_1+a=b-c");
    assert!(!first.token.is_empty());
    let stored = emulator.user("user_1+a=b-c").expect("registered");
    assert_eq!(stored.name, TRICKY);
    assert_eq!(
        stored.portrait_uri.as_deref(),
        Some("https://example.com/p.png?size=64&v=2")
    );
    assert_eq!(stored.tokens.last().unwrap().token, first.token);

    let info = UserInfo::new("user_1+a=b-c").send(&client).await.unwrap();
    assert_eq!(info.user_name, TRICKY);
    assert_eq!(info.user_portrait, "https://example.com/p.png?size=64&v=2");
    assert_eq!(info.create_time, stored.create_time);

    // A refresh changes the name only; info shows it, the portrait stays.
    UserRefresh::new("user_1+a=b-c")
        .name("新名字 & co 🚀")
        .send(&client)
        .await
        .unwrap();
    let info = UserInfo::new("user_1+a=b-c").send(&client).await.unwrap();
    assert_eq!(info.user_name, "新名字 & co 🚀");
    assert_eq!(info.user_portrait, "https://example.com/p.png?size=64&v=2");

    // Registering again is safe and issues another token.
    let second = UserRegister::new("user_1+a=b-c", "again")
        .send(&client)
        .await
        .unwrap();
    assert_ne!(second.token, first.token);
    let tokens = emulator.user("user_1+a=b-c").unwrap().tokens;
    assert_eq!(tokens.len(), 2);
    assert!(tokens.iter().all(|t| t.valid));
    assert_eq!(emulator.user("user_1+a=b-c").unwrap().name, "again");
}

#[tokio::test]
async fn token_expiry_ends_earlier_tokens() {
    let (emulator, client) = start().await;
    let issued = UserRegister::new("u1", "One").send(&client).await.unwrap();
    emulator.clock().advance(Duration::from_secs(5));
    let cutoff = emulator.clock().now_millis();
    UserTokenExpire::new(["u1", "u2"], cutoff)
        .send(&client)
        .await
        .unwrap();
    let user = emulator.user("u1").unwrap();
    assert_eq!(user.tokens_expire_before_millis, Some(cutoff));
    assert_eq!(user.tokens[0].token, issued.token);
    assert!(!user.tokens[0].valid);
    // A token issued after the cutoff is valid.
    emulator.clock().advance(Duration::from_secs(1));
    UserRegister::new("u1", "One").send(&client).await.unwrap();
    assert!(emulator.user("u1").unwrap().tokens[1].valid);
}

#[tokio::test]
async fn bans_are_listed_with_their_end_until_they_end_or_are_lifted() {
    let (emulator, client) = start().await;
    UserBlock::new(["b1", "b2"], 60)
        .send(&client)
        .await
        .unwrap();
    UserBlock::new(["b3"], 1).send(&client).await.unwrap();
    let listed = UserBlockQuery::new().send(&client).await.unwrap();
    let ids: Vec<&str> = listed.users.iter().map(|u| u.user_id.as_str()).collect();
    assert_eq!(ids, ["b1", "b2", "b3"]);
    // The end times are the emulator's, 60 and 1 minutes from its clock.
    let bans = emulator.bans();
    let now = emulator.clock().now_millis();
    for (answered, ban) in listed.users.iter().zip(&bans) {
        assert_eq!(answered.block_end_time, ban.block_end_time);
    }
    assert_eq!(bans[0].end_millis, now + 60 * 60_000);
    assert_eq!(bans[2].end_millis, now + 60_000);
    assert_ne!(
        listed.users[0].block_end_time,
        listed.users[2].block_end_time
    );

    // Unblocking lifts b2; b3's ban ends on the clock.
    UserUnblock::new(["b2", "never-banned"])
        .send(&client)
        .await
        .unwrap();
    emulator.clock().advance(Duration::from_secs(61));
    let listed = UserBlockQuery::new().send(&client).await.unwrap();
    let ids: Vec<&str> = listed.users.iter().map(|u| u.user_id.as_str()).collect();
    assert_eq!(ids, ["b1"]);
    // Blocking again is safe to repeat: the same ban, from the new time.
    UserBlock::new(["b1"], 60).send(&client).await.unwrap();
    assert_eq!(
        emulator.bans()[0].end_millis,
        emulator.clock().now_millis() + 60 * 60_000
    );
}

#[tokio::test]
async fn check_online_follows_sessions_and_bans() {
    let (emulator, client) = start().await;
    let status = |user: &'static str| {
        let client = client.clone();
        async move {
            UserCheckOnline::new(user)
                .send(&client)
                .await
                .unwrap()
                .status
        }
    };
    assert_eq!(status("u1").await, OnlineStatus::Offline);
    emulator
        .post_online_status([OnlineStatusEvent::new("u1", "0")])
        .unwrap();
    assert_eq!(status("u1").await, OnlineStatus::Online);
    assert_eq!(status("u2").await, OnlineStatus::Offline);
    // A ban disconnects at once.
    UserBlock::new(["u1"], 10).send(&client).await.unwrap();
    assert_eq!(status("u1").await, OnlineStatus::Offline);
}

#[tokio::test]
async fn invalid_user_calls_send_nothing() {
    let (emulator, client) = start().await;
    refused(
        &emulator,
        &client,
        &UserRegister::new("has space", "n"),
        "user_id",
        Rule::Charset("characters of [A-Za-z0-9+=-_]"),
    )
    .await;
    refused(
        &emulator,
        &client,
        &UserRegister::new("u1", "名".repeat(65)),
        "name",
        Rule::MaxChars(64),
    )
    .await;
    refused(
        &emulator,
        &client,
        &UserRegister::new("u1", "n").portrait_uri("p".repeat(1025)),
        "portrait_uri",
        Rule::MaxBytes(1024),
    )
    .await;
    refused(
        &emulator,
        &client,
        &UserRefresh::new("u".repeat(65)).name("n"),
        "user_id",
        Rule::MaxBytes(64),
    )
    .await;
    refused(
        &emulator,
        &client,
        &UserInfo::new(""),
        "user_id",
        Rule::Required,
    )
    .await;
    let twenty_one: Vec<String> = (0..21).map(|i| format!("u{i}")).collect();
    refused(
        &emulator,
        &client,
        &UserTokenExpire::new(twenty_one.clone(), 1),
        "user_id[20]",
        Rule::MaxItems(20),
    )
    .await;
    refused(
        &emulator,
        &client,
        &UserBlock::new(["u1"], 43_201),
        "minute",
        Rule::Range {
            min: 1,
            max: 43_200,
        },
    )
    .await;
    refused(
        &emulator,
        &client,
        &UserUnblock::new(Vec::<String>::new()),
        "user_id",
        Rule::MinItems(1),
    )
    .await;
    refused(
        &emulator,
        &client,
        &UserCheckOnline::new(""),
        "user_id",
        Rule::Required,
    )
    .await;
    // The ban list has no parameters, so nothing can be wrong with it.
    assert_eq!(UserBlockQuery::new().encode_body().unwrap(), b"");
    assert!(emulator.requests().is_empty());
}
