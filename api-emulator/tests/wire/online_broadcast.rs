//! Page 004: `/message/online/broadcast.json`.

use api_emulator::DeliveryKind;

use crate::{ONLINE, assert_error, call, emulator, form, is_message_id};
use api_emulator::documented::ONLINE_BROADCAST;

#[tokio::test]
async fn documented_example_is_accepted_with_the_documented_answer() {
    let emu = emulator().await;
    let resp = call(&emu, &form(&emu, ONLINE, ONLINE_BROADCAST)).await;
    let body = resp.json();
    assert_eq!((resp.status, resp.code()), (200, 200));
    let id = body["messageUID"].as_str().unwrap();
    assert!(is_message_id(id));
    assert_eq!(
        body.as_object().unwrap().len(),
        2,
        "only code and messageUID"
    );
    let d = &emu.deliveries()[0];
    assert_eq!(d.kind, DeliveryKind::OnlineBroadcast);
    assert_eq!(d.sender.as_deref(), Some("2191"));
    assert_eq!(d.message_ids, [id]);
    assert!(d.recipients.is_empty());
}

#[tokio::test]
async fn parameters_are_checked() {
    let emu = emulator().await;
    for (body, code, mentions) in [
        ("objectName=RC:TxtMsg&content=x", 1002, "fromUserId"),
        ("fromUserId=a&content=x", 1002, "objectName"),
        ("fromUserId=a&objectName=RC:TxtMsg", 1002, "content"),
        (
            "fromUserId=a&objectName=RC:TxtMsg&content=x&disableUpdateLastMsg=0",
            1002,
            "disableUpdateLastMsg",
        ),
    ] {
        assert_error(
            &call(&emu, &form(&emu, ONLINE, body)).await,
            400,
            code,
            mentions,
        );
    }
    let long = format!(
        "fromUserId=a&objectName=RC:TxtMsg&content={}",
        "x".repeat(128 * 1024 + 1)
    );
    assert_error(
        &call(&emu, &form(&emu, ONLINE, &long)).await,
        400,
        1005,
        "content",
    );
}
