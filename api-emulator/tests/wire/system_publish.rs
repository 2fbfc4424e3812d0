//! Page 002: `/message/system/publish.json`.

use api_emulator::DeliveryKind;

use crate::{SYSTEM, assert_error, call, emulator, form, is_message_id, private_body};
use api_emulator::documented::SYSTEM_PUBLISH;

#[tokio::test]
async fn documented_example_is_accepted_with_the_documented_answer() {
    let emu = emulator().await;
    let resp = call(&emu, &form(&emu, SYSTEM, SYSTEM_PUBLISH)).await;
    let body = resp.json();
    assert_eq!((resp.status, resp.code()), (200, 200));
    let uids = body["messageUIDs"].as_array().unwrap();
    assert_eq!(uids[0]["userId"], "2191");
    assert_eq!(uids[1]["userId"], "2192");
    assert!(is_message_id(uids[0]["messageUID"].as_str().unwrap()));
    let d = &emu.deliveries()[0];
    assert_eq!(d.kind, DeliveryKind::SystemMessage);
    assert_eq!(d.recipients, ["2191", "2192"]);
    assert_eq!(d.param("pushData"), Some("hello"));
}

#[tokio::test]
async fn at_most_100_recipients() {
    let emu = emulator().await;
    let users: Vec<String> = (0..101).map(|i| format!("u{i}")).collect();
    let refs: Vec<&str> = users.iter().map(String::as_str).collect();
    let resp = call(&emu, &form(&emu, SYSTEM, &private_body(&refs[..100]))).await;
    assert_eq!(resp.json()["messageUIDs"].as_array().unwrap().len(), 100);
    // A fresh emulator: the first call used the whole second's quota.
    let emu = emulator().await;
    let resp = call(&emu, &form(&emu, SYSTEM, &private_body(&refs))).await;
    assert_error(&resp, 400, 1002, "toUserId");
}

#[tokio::test]
async fn documented_fields_are_checked() {
    let emu = emulator().await;
    let base = private_body(&["u"]);
    for (extra, code, mentions) in [
        ("&isPersisted=2", 1002, "isPersisted"),
        ("&contentAvailable=on", 1002, "contentAvailable"),
        ("&disablePush=1", 1002, "disablePush"),
        ("&pushExt=%7Bbroken", 1002, "pushExt"),
    ] {
        let resp = call(&emu, &form(&emu, SYSTEM, &format!("{base}{extra}"))).await;
        assert_error(&resp, 400, code, mentions);
    }
}
