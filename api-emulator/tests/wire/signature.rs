//! REFERENCE.md "Request signing".

use api_emulator::Emulator;

use crate::client::{RawRequest, now_secs, signature};
use crate::{PRIVATE, assert_error, call, emulator, private_body};

fn unsigned(emu: &Emulator) -> RawRequest {
    let _ = emu;
    RawRequest::post(PRIVATE).form(&private_body(&["u1"]))
}

#[tokio::test]
async fn seconds_and_milliseconds_timestamps_both_verify() {
    let emu = emulator().await;
    for ts in [now_secs(), format!("{}000", now_secs())] {
        let sig = signature(emu.app_secret(), "777", &ts);
        let req = unsigned(&emu)
            .header("App-Key", emu.app_key())
            .header("Nonce", "777")
            .header("Timestamp", &ts)
            .header("Signature", &sig);
        let resp = call(&emu, &req).await;
        assert_eq!((resp.status, resp.code()), (200, 200), "timestamp {ts}");
    }
}

#[tokio::test]
async fn rc_prefixed_headers_and_upper_case_hex_verify() {
    let emu = emulator().await;
    let ts = now_secs();
    let sig = signature(emu.app_secret(), "abc", &ts).to_uppercase();
    let req = unsigned(&emu)
        .header("RC-App-Key", emu.app_key())
        .header("RC-Nonce", "abc")
        .header("RC-Timestamp", &ts)
        .header("RC-Signature", &sig);
    let resp = call(&emu, &req).await;
    assert_eq!((resp.status, resp.code()), (200, 200));
}

#[tokio::test]
async fn wrong_or_missing_signature_is_401_1004() {
    let emu = emulator().await;
    let ts = now_secs();
    let wrong = signature("not-the-secret", "abc", &ts);
    let req = unsigned(&emu)
        .header("App-Key", emu.app_key())
        .header("Nonce", "abc")
        .header("Timestamp", &ts)
        .header("Signature", &wrong);
    assert_error(&call(&emu, &req).await, 401, 1004, "Signature");

    let missing = RawRequest::post(PRIVATE)
        .signed(emu.app_key(), emu.app_secret())
        .without_header("Signature")
        .form(&private_body(&["u1"]));
    assert_error(&call(&emu, &missing).await, 401, 1004, "Signature");

    let no_key = RawRequest::post(PRIVATE)
        .signed(emu.app_key(), emu.app_secret())
        .without_header("App-Key")
        .form(&private_body(&["u1"]));
    assert_error(&call(&emu, &no_key).await, 401, 1004, "App-Key");

    // Signed over a different timestamp than the one sent.
    let stale = unsigned(&emu)
        .header("App-Key", emu.app_key())
        .header("Nonce", "abc")
        .header("Timestamp", "1408710653")
        .header(
            "Signature",
            &signature(emu.app_secret(), "abc", "1408710654"),
        );
    assert_error(&call(&emu, &stale).await, 401, 1004, "Signature");
    assert!(emu.deliveries().is_empty());
}

#[tokio::test]
async fn unknown_app_key_is_401_1001() {
    let emu = emulator().await;
    let req = RawRequest::post(PRIVATE)
        .signed("someone-else", emu.app_secret())
        .form(&private_body(&["u1"]));
    assert_error(&call(&emu, &req).await, 401, 1001, "App-Key");
}

#[tokio::test]
async fn nonce_longer_than_18_characters_is_rejected() {
    let emu = emulator().await;
    let ts = now_secs();
    for (nonce, ok) in [("123456789012345678", true), ("1234567890123456789", false)] {
        let req = unsigned(&emu)
            .header("App-Key", emu.app_key())
            .header("Nonce", nonce)
            .header("Timestamp", &ts)
            .header("Signature", &signature(emu.app_secret(), nonce, &ts));
        let resp = call(&emu, &req).await;
        if ok {
            assert_eq!(resp.code(), 200);
        } else {
            assert_error(&resp, 401, 1004, "Nonce");
        }
    }
}

#[tokio::test]
async fn several_apps_each_verify_with_their_own_secret() {
    let emu = Emulator::builder()
        .app("key-a", "secret-a")
        .app("key-b", "secret-b")
        .start()
        .await
        .unwrap();
    assert_eq!(emu.app_key(), "key-a");
    let ok = RawRequest::post(PRIVATE)
        .signed("key-b", "secret-b")
        .form(&private_body(&["u1"]));
    assert_eq!(call(&emu, &ok).await.code(), 200);
    let crossed = RawRequest::post(PRIVATE)
        .signed("key-b", "secret-a")
        .form(&private_body(&["u1"]));
    assert_error(&call(&emu, &crossed).await, 401, 1004, "Signature");
    assert_eq!(emu.deliveries()[0].app_key, "key-b");
    assert_eq!(emu.inbox_in("key-b", "u1").len(), 1);
    assert!(emu.inbox_in("key-a", "u1").is_empty());
}
