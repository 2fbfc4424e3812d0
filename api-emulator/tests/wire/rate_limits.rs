//! Documented rate limits (pages 001, 002, 004, 000, 003) on injectable clocks.

use std::time::{Duration, UNIX_EPOCH};

use api_emulator::{Clock, Emulator, Service};

use crate::{ONLINE, PRIVATE, PUSH, SYSTEM, assert_error, call, form, json, private_body};
use api_emulator::documented::{BROADCAST_TO_ALL, PACKAGE_NOTIFICATION, PUSH_TO_ALL};

/// 2026-01-01 09:00 in Beijing (01:00 UTC): far from a natural-day boundary.
fn beijing_morning() -> std::time::SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_767_225_600 + 3600)
}

async fn with_clock(clock: &Clock) -> Emulator {
    Emulator::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn private_publish_allows_6000_recipients_per_minute() {
    let clock = Clock::manual();
    let emu = with_clock(&clock).await;
    let users: Vec<String> = (0..1000).map(|i| format!("u{i}")).collect();
    let refs: Vec<&str> = users.iter().map(String::as_str).collect();
    for _ in 0..6 {
        assert_eq!(
            call(&emu, &form(&emu, PRIVATE, &private_body(&refs)))
                .await
                .code(),
            200
        );
    }
    // The 6001st message is refused whole and not recorded.
    let resp = call(&emu, &form(&emu, PRIVATE, &private_body(&["late"]))).await;
    assert_error(&resp, 429, 1008, "6000");
    assert_eq!(emu.deliveries().len(), 6);
    assert!(emu.inbox("late").is_empty());
    clock.advance(Duration::from_secs(59));
    let resp = call(&emu, &form(&emu, PRIVATE, &private_body(&["late"]))).await;
    assert_eq!(resp.code(), 1008);
    clock.advance(Duration::from_secs(1));
    let resp = call(&emu, &form(&emu, PRIVATE, &private_body(&["late"]))).await;
    assert_eq!(resp.code(), 200);
    assert_eq!(emu.answer_count(1008), 2);
}

#[tokio::test]
async fn system_publish_allows_100_recipients_per_second() {
    let clock = Clock::manual();
    let emu = with_clock(&clock).await;
    let users: Vec<String> = (0..100).map(|i| format!("u{i}")).collect();
    let refs: Vec<&str> = users.iter().map(String::as_str).collect();
    assert_eq!(
        call(&emu, &form(&emu, SYSTEM, &private_body(&refs)))
            .await
            .code(),
        200
    );
    let resp = call(&emu, &form(&emu, SYSTEM, &private_body(&["one"]))).await;
    assert_error(&resp, 429, 1008, "100");
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        call(&emu, &form(&emu, SYSTEM, &private_body(&refs[..60])))
            .await
            .code(),
        200
    );
    assert_eq!(
        call(&emu, &form(&emu, SYSTEM, &private_body(&refs[..40])))
            .await
            .code(),
        200
    );
    assert_eq!(
        call(&emu, &form(&emu, SYSTEM, &private_body(&["x"])))
            .await
            .code(),
        1008
    );
}

#[tokio::test]
async fn online_broadcast_allows_60_calls_per_minute() {
    let clock = Clock::manual();
    let emu = with_clock(&clock).await;
    let body = "fromUserId=a&objectName=RC:TxtMsg&content=x";
    for _ in 0..60 {
        assert_eq!(call(&emu, &form(&emu, ONLINE, body)).await.code(), 200);
    }
    assert_error(
        &call(&emu, &form(&emu, ONLINE, body)).await,
        429,
        1008,
        "60",
    );
    clock.advance(Duration::from_secs(60));
    assert_eq!(call(&emu, &form(&emu, ONLINE, body)).await.code(), 200);
}

#[tokio::test]
async fn push_json_shares_2_per_hour_and_3_per_natural_day() {
    let clock = Clock::manual_at(beijing_morning());
    let emu = with_clock(&clock).await;
    // Push, broadcast and package-name notification share one quota.
    assert_eq!(call(&emu, &json(&emu, PUSH, PUSH_TO_ALL)).await.code(), 200);
    assert_eq!(
        call(&emu, &json(&emu, PUSH, BROADCAST_TO_ALL)).await.code(),
        200
    );
    let resp = call(&emu, &json(&emu, PUSH, PACKAGE_NOTIFICATION)).await;
    assert_error(&resp, 429, 1008, "hour");
    clock.advance(Duration::from_secs(3600));
    assert_eq!(
        call(&emu, &json(&emu, PUSH, PACKAGE_NOTIFICATION))
            .await
            .code(),
        200
    );
    clock.advance(Duration::from_secs(3600));
    let resp = call(&emu, &json(&emu, PUSH, PUSH_TO_ALL)).await;
    assert_error(&resp, 429, 1008, "day");
    // 11:00 + 13 h is midnight in Beijing: a new natural day.
    clock.advance(Duration::from_secs(13 * 3600 - 1));
    assert_eq!(
        call(&emu, &json(&emu, PUSH, PUSH_TO_ALL)).await.code(),
        1008
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(call(&emu, &json(&emu, PUSH, PUSH_TO_ALL)).await.code(), 200);
    assert_eq!(emu.deliveries().len(), 4);
}

#[tokio::test]
async fn a_scaled_clock_runs_an_hourly_quota_in_milliseconds() {
    // One virtual hour per 500 real milliseconds: room for three calls on a busy
    // machine, yet a short wait.
    let clock = Clock::scaled_from(beijing_morning(), 7_200.0);
    let emu = with_clock(&clock).await;
    assert_eq!(call(&emu, &json(&emu, PUSH, PUSH_TO_ALL)).await.code(), 200);
    assert_eq!(call(&emu, &json(&emu, PUSH, PUSH_TO_ALL)).await.code(), 200);
    assert_eq!(
        call(&emu, &json(&emu, PUSH, PUSH_TO_ALL)).await.code(),
        1008
    );
    tokio::time::sleep(Duration::from_millis(550)).await;
    assert_eq!(call(&emu, &json(&emu, PUSH, PUSH_TO_ALL)).await.code(), 200);
}

#[tokio::test]
async fn rate_limits_can_be_switched_off_and_reset() {
    let emu = Emulator::builder()
        .rate_limits(false)
        .start()
        .await
        .unwrap();
    for _ in 0..5 {
        assert_eq!(call(&emu, &json(&emu, PUSH, PUSH_TO_ALL)).await.code(), 200);
    }
    emu.set_rate_limits(true);
    for _ in 0..2 {
        assert_eq!(call(&emu, &json(&emu, PUSH, PUSH_TO_ALL)).await.code(), 200);
    }
    assert_eq!(
        call(&emu, &json(&emu, PUSH, PUSH_TO_ALL)).await.code(),
        1008
    );
    emu.reset_rate_limits();
    assert_eq!(call(&emu, &json(&emu, PUSH, PUSH_TO_ALL)).await.code(), 200);
    assert_eq!(emu.answer_count(1008), 1);
}

#[tokio::test]
async fn calls_to_a_switched_off_service_still_use_the_quota() {
    // Pages 000 / 004: "在未开通服务时,如果连续请求导致 API 请求频率超过限制 ... 1008".
    let clock = Clock::manual_at(beijing_morning());
    let emu = Emulator::builder()
        .clock(clock.clone())
        .service(Service::Push, false)
        .start()
        .await
        .unwrap();
    assert_eq!(
        call(&emu, &json(&emu, PUSH, PUSH_TO_ALL)).await.code(),
        1009
    );
    assert_eq!(
        call(&emu, &json(&emu, PUSH, PUSH_TO_ALL)).await.code(),
        1009
    );
    assert_eq!(
        call(&emu, &json(&emu, PUSH, PUSH_TO_ALL)).await.code(),
        1008
    );
    assert!(emu.deliveries().is_empty());
}

#[tokio::test]
async fn undocumented_limits_are_the_providers_default_of_100_a_second() {
    let clock = Clock::manual_at(beijing_morning());
    let emu = with_clock(&clock).await;
    for _ in 0..100 {
        let resp = call(&emu, &form(&emu, "/chatroom/query.json", "chatroomId=r")).await;
        assert_eq!(resp.code(), 200);
    }
    let resp = call(&emu, &form(&emu, "/chatroom/query.json", "chatroomId=r")).await;
    assert_error(
        &resp,
        429,
        1008,
        "allows 100 calls per second (the provider's default",
    );
    // Documented ones do not say so; getToken is 200 a second.
    for _ in 0..200 {
        let resp = call(&emu, &form(&emu, "/user/getToken.json", "userId=u&name=n")).await;
        assert_eq!(resp.code(), 200);
    }
    let resp = call(&emu, &form(&emu, "/user/getToken.json", "userId=u&name=n")).await;
    assert_error(
        &resp,
        429,
        1008,
        "/user/getToken.json allows 200 calls per second",
    );
    assert!(!resp.error_message().contains("default"));
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        call(&emu, &form(&emu, "/chatroom/query.json", "chatroomId=r"))
            .await
            .code(),
        200
    );
}
