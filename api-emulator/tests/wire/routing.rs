//! Paths, methods, bodies and content types.

use crate::client::RawRequest;
use crate::{PRIVATE, PUSH, TAG_SET, assert_error, call, emulator, form, json, private_body};

#[tokio::test]
async fn unknown_path_is_404() {
    let emu = emulator().await;
    // A documented call the emulator does not serve.
    let resp = call(&emu, &form(&emu, "/message/discussion/publish.json", "a=b")).await;
    assert_error(&resp, 404, 404, "/message/discussion/publish.json");
    // Only the .json format is served.
    let resp = call(&emu, &json(&emu, "/push.xml", "{}")).await;
    assert_eq!(resp.status, 404);
}

#[tokio::test]
async fn only_post_is_allowed() {
    let emu = emulator().await;
    let req = RawRequest::get(PRIVATE).signed(emu.app_key(), emu.app_secret());
    assert_error(&call(&emu, &req).await, 405, 405, "POST");
}

#[tokio::test]
async fn empty_body_is_400_1003() {
    let emu = emulator().await;
    for path in [PRIVATE, PUSH, TAG_SET] {
        let req = RawRequest::post(path)
            .signed(emu.app_key(), emu.app_secret())
            .header("Content-Type", "application/x-www-form-urlencoded");
        assert_error(&call(&emu, &req).await, 400, 1003, "body");
    }
}

#[tokio::test]
async fn body_encoding_must_match_the_endpoint() {
    let emu = emulator().await;
    // A form endpoint given JSON.
    let req = RawRequest::post(PRIVATE)
        .signed(emu.app_key(), emu.app_secret())
        .json(r#"{"fromUserId":"a"}"#);
    assert_error(&call(&emu, &req).await, 400, 1002, "Content-Type");
    // A JSON endpoint given a form.
    let req = RawRequest::post(TAG_SET)
        .signed(emu.app_key(), emu.app_secret())
        .form("userId=a&tags=b");
    assert_error(&call(&emu, &req).await, 400, 1002, "Content-Type");
    // No content type at all.
    let req = RawRequest::post(PRIVATE)
        .signed(emu.app_key(), emu.app_secret())
        .body(private_body(&["u"]).as_bytes());
    assert_error(&call(&emu, &req).await, 400, 1002, "Content-Type");
    // A charset parameter is fine.
    let req = RawRequest::post(PRIVATE)
        .signed(emu.app_key(), emu.app_secret())
        .header(
            "Content-Type",
            "application/x-www-form-urlencoded; charset=UTF-8",
        )
        .body(private_body(&["u"]).as_bytes());
    assert_eq!(call(&emu, &req).await.code(), 200);
}

#[tokio::test]
async fn malformed_form_encoding_is_rejected() {
    let emu = emulator().await;
    let body = format!("{}&pushContent=100%", private_body(&["u"]));
    assert_error(
        &call(&emu, &form(&emu, PRIVATE, &body)).await,
        400,
        1002,
        "percent",
    );
    let body = format!("{}&pushContent=%C3%28", private_body(&["u"]));
    assert_error(
        &call(&emu, &form(&emu, PRIVATE, &body)).await,
        400,
        1002,
        "UTF-8",
    );
}

#[tokio::test]
async fn request_id_is_echoed_and_recorded() {
    let emu = emulator().await;
    let req = form(&emu, PRIVATE, &private_body(&["u"])).header("X-Request-ID", "trace-42");
    let resp = call(&emu, &req).await;
    assert_eq!(resp.header("x-request-id"), Some("trace-42"));
    assert_eq!(
        resp.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(emu.deliveries()[0].request_id.as_deref(), Some("trace-42"));
    assert_eq!(emu.requests()[0].request_id.as_deref(), Some("trace-42"));
}
