//! `/message/history.json` and `/message/history/delete.json`: the hourly log,
//! served gzip-compressed by the emulator itself.

use std::io::Read;
use std::time::Duration;

use api_emulator::{Clock, Emulator, Service};
use flate2::read::GzDecoder;

use crate::client::{self, RawRequest};
use crate::{
    PRIVATE, assert_error, assert_ok, beijing_morning, emulator_at_morning, post, private_body,
};

const HISTORY: &str = "/message/history.json";
const DELETE: &str = "/message/history/delete.json";

/// Fetches the file a history answer names and decompresses it into lines.
async fn download(emu: &Emulator, url: &str) -> Vec<serde_json::Value> {
    let base = emu.base_url();
    let path = url
        .strip_prefix(&base)
        .unwrap_or_else(|| panic!("{url} is not under {base}"));
    let resp = client::send(emu.addrs()[0], &RawRequest::get(path))
        .await
        .unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("content-type"), Some("application/gzip"));
    let mut text = String::new();
    GzDecoder::new(&resp.body[..])
        .read_to_string(&mut text)
        .unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn the_hours_messages_are_served_as_a_gzip_file() {
    let (emu, clock) = emulator_at_morning().await;
    let answer = assert_ok(&post(&emu, PRIVATE, &private_body(&["a", "b"])).await);
    assert_ok(&post(&emu, "/group/join.json", "userId=a&groupId=g1").await);
    assert_ok(
        &post(
            &emu,
            "/message/group/publish.json",
            "fromUserId=s&toGroupId=g1&objectName=o&content=plain",
        )
        .await,
    );
    clock.advance(Duration::from_secs(3600));
    // The next hour's message is not in 09's file.
    assert_ok(&post(&emu, PRIVATE, &private_body(&["late"])).await);

    let history = assert_ok(&post(&emu, HISTORY, "date=2026010109").await);
    assert_eq!(history["date"], "2026010109");
    let url = history["url"].as_str().unwrap();
    assert!(
        url.ends_with("/_emulator/history/emulator-app-key/2026010109.gz"),
        "{url}"
    );
    let lines = download(&emu, url).await;
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0]["targetId"], "a");
    assert_eq!(lines[0]["msgUID"], answer["messageUIDs"][0]["messageUID"]);
    assert_eq!(lines[1]["targetId"], "b");
    assert_eq!(lines[0]["content"], serde_json::json!({"content": "hi"}));
    assert_eq!(lines[0]["classname"], "RC:TxtMsg");
    assert_eq!(lines[0]["targetType"], 1);
    assert_eq!(lines[0]["dateTime"], "2026-01-01 09:00:00.000");
    assert_eq!(
        (
            lines[2]["targetType"].as_u64(),
            lines[2]["GroupId"].as_str()
        ),
        (Some(3), Some("g1"))
    );
    assert_eq!(lines[2]["content"], "plain");

    // An hour without messages has an empty url.
    let empty = assert_ok(&post(&emu, HISTORY, "date=2026010108").await);
    assert_eq!(empty["url"], "");

    // Deleting the hour empties it; later hours stay.
    assert_ok(&post(&emu, DELETE, "date=2026010109").await);
    assert_eq!(
        assert_ok(&post(&emu, HISTORY, "date=2026010109").await)["url"],
        ""
    );
    let resp = client::send(
        emu.addrs()[0],
        &RawRequest::get(&url[emu.base_url().len()..]),
    )
    .await
    .unwrap();
    assert_eq!(resp.status, 404);
    let ten = assert_ok(&post(&emu, HISTORY, "date=2026010110").await);
    assert_eq!(
        download(&emu, ten["url"].as_str().unwrap()).await[0]["targetId"],
        "late"
    );

    // Files are kept 3 days from the end of their hour (10:00 + 1 h + 72 h).
    clock.advance(Duration::from_secs(3 * 24 * 3600));
    assert_ne!(
        assert_ok(&post(&emu, HISTORY, "date=2026010110").await)["url"],
        ""
    );
    clock.advance(Duration::from_secs(3600));
    assert_eq!(
        assert_ok(&post(&emu, HISTORY, "date=2026010110").await)["url"],
        ""
    );
}

#[tokio::test]
async fn date_is_exactly_yyyymmddhh_and_the_service_must_be_on() {
    let (emu, _clock) = emulator_at_morning().await;
    for date in [
        "",
        "202601010",
        "20260101090",
        "2026-01-01",
        "2026013209",
        "2026010124",
    ] {
        let body = format!("date={date}");
        let mentions = if date.is_empty() {
            "date: must not be empty"
        } else {
            "date: must be exactly 10 digits"
        };
        assert_error(&post(&emu, HISTORY, &body).await, 400, 1002, mentions);
        assert_error(&post(&emu, DELETE, &body).await, 400, 1002, mentions);
    }
    let off = Emulator::builder()
        .clock(Clock::manual_at(beijing_morning()))
        .service(Service::MessageHistory, false)
        .start()
        .await
        .unwrap();
    let resp = post(&off, HISTORY, "date=2026010109").await;
    assert_error(&resp, 430, 1009, "message history log");
    assert_error(
        &post(&off, DELETE, "date=2026010109").await,
        430,
        1009,
        "message history log",
    );
}
