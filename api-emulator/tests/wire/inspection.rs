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
