//! Page 001: `/message/private/publish.json`.

use api_emulator::{DeliveryKind, Emulator};

use crate::{PRIVATE, assert_error, call, emulator, form, is_message_id, private_body};
use api_emulator::documented::{PRIVATE_PUBLISH, PUSH_EXT};

fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[tokio::test]
async fn documented_example_is_accepted_with_the_documented_answer() {
    let emu = emulator().await;
    let resp = call(&emu, &form(&emu, PRIVATE, PRIVATE_PUBLISH)).await;
    assert_eq!(resp.status, 200);
    let body = resp.json();
    assert_eq!(body["code"], 200);
    let uids = body["messageUIDs"].as_array().unwrap();
    assert_eq!(uids.len(), 2);
    assert_eq!(uids[0]["userId"], "2193");
    assert_eq!(uids[1]["userId"], "2192");
    let id0 = uids[0]["messageUID"].as_str().unwrap();
    let id1 = uids[1]["messageUID"].as_str().unwrap();
    assert!(is_message_id(id0) && is_message_id(id1), "{id0} {id1}");
    assert_ne!(id0, id1);
    assert_eq!(
        body.as_object().unwrap().len(),
        2,
        "only code and messageUIDs"
    );

    let deliveries = emu.deliveries();
    assert_eq!(deliveries.len(), 1);
    let d = &deliveries[0];
    assert_eq!(d.kind, DeliveryKind::PrivateMessage);
    assert_eq!(d.path, PRIVATE);
    assert_eq!(d.app_key, emu.app_key());
    assert_eq!(d.sender.as_deref(), Some("2191"));
    assert_eq!(d.recipients, ["2193", "2192"]);
    assert_eq!(d.object_name.as_deref(), Some("RC:TxtMsg"));
    assert_eq!(
        d.content.as_deref(),
        Some(r#"{"content":"hello","extra":"helloExtra"}"#)
    );
    assert_eq!(d.param("pushContent"), Some("thisisapush"));
    assert_eq!(d.param("pushData"), Some(r#"{"pushData":"hello"}"#));
    assert_eq!(d.param("count"), Some("4"));
    assert_eq!(d.message_ids, [id0, id1]);
    assert_eq!(d.message_id_for("2192"), Some(id1));
    assert_eq!(emu.inbox("2193").len(), 1);
    assert!(emu.inbox("2191").is_empty());
}

#[tokio::test]
async fn documented_push_ext_is_accepted() {
    let emu = emulator().await;
    let body = format!("{}&pushExt={}", private_body(&["u"]), encode(PUSH_EXT));
    let resp = call(&emu, &form(&emu, PRIVATE, &body)).await;
    assert_eq!(resp.code(), 200, "{}", resp.error_message());
    assert_eq!(emu.deliveries()[0].param("pushExt"), Some(PUSH_EXT));
}

#[tokio::test]
async fn recipients_are_1_to_1000() {
    let emu = Emulator::builder()
        .rate_limits(false)
        .start()
        .await
        .unwrap();
    let users: Vec<String> = (0..1001).map(|i| format!("user{i}")).collect();
    let refs: Vec<&str> = users.iter().map(String::as_str).collect();

    let resp = call(&emu, &form(&emu, PRIVATE, &private_body(&refs[..1000]))).await;
    let body = resp.json();
    let uids = body["messageUIDs"].as_array().unwrap();
    assert_eq!(uids.len(), 1000);
    assert_eq!(uids[999]["userId"], "user999");

    let resp = call(&emu, &form(&emu, PRIVATE, &private_body(&refs))).await;
    assert_error(&resp, 400, 1002, "toUserId");
    let resp = call(&emu, &form(&emu, PRIVATE, &private_body(&[]))).await;
    assert_error(&resp, 400, 1002, "toUserId");
    assert_eq!(emu.deliveries().len(), 1);
}
#[tokio::test]
async fn required_parameters_are_named() {
    let emu = emulator().await;
    for (body, missing) in [
        ("toUserId=b&objectName=RC:TxtMsg&content=x", "fromUserId"),
        ("fromUserId=a&toUserId=b&content=x", "objectName"),
        ("fromUserId=a&toUserId=b&objectName=RC:TxtMsg", "content"),
        (
            "fromUserId=&toUserId=b&objectName=RC:TxtMsg&content=x",
            "fromUserId",
        ),
    ] {
        let resp = call(&emu, &form(&emu, PRIVATE, body)).await;
        assert_error(&resp, 400, 1002, missing);
    }
}

#[tokio::test]
async fn content_is_at_most_128k_and_object_name_32_characters() {
    let emu = emulator().await;
    let at_limit = "a".repeat(128 * 1024);
    let body = format!("fromUserId=a&toUserId=b&objectName=X&content={at_limit}");
    assert_eq!(call(&emu, &form(&emu, PRIVATE, &body)).await.code(), 200);
    let body = format!("fromUserId=a&toUserId=b&objectName=X&content={at_limit}a");
    assert_error(
        &call(&emu, &form(&emu, PRIVATE, &body)).await,
        400,
        1005,
        "content",
    );

    let name32 = "A".repeat(32);
    let body = format!("fromUserId=a&toUserId=b&objectName={name32}&content=x");
    assert_eq!(call(&emu, &form(&emu, PRIVATE, &body)).await.code(), 200);
    let body = format!("fromUserId=a&toUserId=b&objectName={name32}A&content=x");
    assert_error(
        &call(&emu, &form(&emu, PRIVATE, &body)).await,
        400,
        1005,
        "objectName",
    );
}

#[tokio::test]
async fn int_bool_and_count_fields_take_only_documented_values() {
    let emu = emulator().await;
    let base = private_body(&["u"]);
    for (param, ok, bad) in [
        ("isIncludeSender", "1", "2"),
        ("verifyBlacklist", "0", "true"),
        ("isPersisted", "0", "-1"),
        ("contentAvailable", "1", "yes"),
        ("count", "-1", "-2"),
        ("count", "9999", "10000"),
        ("count", "0", "1.5"),
        ("expansion", "true", "1"),
        ("disablePush", "false", "False"),
        ("disableUpdateLastMsg", "true", ""),
    ] {
        let resp = call(&emu, &form(&emu, PRIVATE, &format!("{base}&{param}={ok}"))).await;
        assert_eq!(resp.code(), 200, "{param}={ok}: {}", resp.error_message());
        let resp = call(&emu, &form(&emu, PRIVATE, &format!("{base}&{param}={bad}"))).await;
        assert_error(&resp, 400, 1002, param);
    }
}

#[tokio::test]
async fn push_ext_must_be_valid_json_with_a_short_title() {
    let emu = emulator().await;
    let base = private_body(&["u"]);
    let cases = [
        ("{not json", 1002, "pushExt"),
        (r#"["title"]"#, 1002, "pushExt"),
        (
            &format!(r#"{{"title":"{}"}}"#, "t".repeat(51)),
            1005,
            "pushExt.title",
        ),
        (
            r#"{"forceShowPushContent":3}"#,
            1002,
            "forceShowPushContent",
        ),
        (
            r#"{"pushConfigs":[{"HW":{"importance":"HIGH"}}]}"#,
            1002,
            "importance",
        ),
        (
            r#"{"pushConfigs":[{"APNs":{"interruption-level":"loud"}}]}"#,
            1002,
            "interruption-level",
        ),
        (
            r#"{"pushConfigs":[{"OPPO":{"notify_level":3}}]}"#,
            1002,
            "notify_level",
        ),
    ];
    for (ext, code, mentions) in cases {
        let body = format!("{base}&pushExt={}", encode(ext));
        assert_error(
            &call(&emu, &form(&emu, PRIVATE, &body)).await,
            400,
            code,
            mentions,
        );
    }
    let ok = format!(r#"{{"title":"{}"}}"#, "标".repeat(50));
    let body = format!("{base}&pushExt={}", encode(&ok));
    assert_eq!(call(&emu, &form(&emu, PRIVATE, &body)).await.code(), 200);
}

#[tokio::test]
async fn extra_content_follows_the_key_value_rules() {
    let emu = emulator().await;
    let base = format!("{}&expansion=true", private_body(&["u"]));
    let ok = r#"{"type":"3","a+b=c-d_e":"x"}"#;
    let body = format!("{base}&extraContent={}", encode(ok));
    assert_eq!(call(&emu, &form(&emu, PRIVATE, &body)).await.code(), 200);

    let many: Vec<String> = (0..101).map(|i| format!(r#""k{i}":"v""#)).collect();
    let cases = [
        ("not json".to_owned(), 1002, "extraContent"),
        (r#"{"键":"v"}"#.to_owned(), 1002, "extraContent"),
        (
            format!(r#"{{"{}":"v"}}"#, "k".repeat(33)),
            1005,
            "extraContent",
        ),
        (
            format!(r#"{{"k":"{}"}}"#, "v".repeat(4097)),
            1005,
            "extraContent",
        ),
        (format!("{{{}}}", many.join(",")), 1002, "100"),
    ];
    for (extra, code, mentions) in cases {
        let body = format!("{base}&extraContent={}", encode(&extra));
        assert_error(
            &call(&emu, &form(&emu, PRIVATE, &body)).await,
            400,
            code,
            mentions,
        );
    }
}

#[tokio::test]
async fn special_characters_survive_a_correct_encoding() {
    let emu = emulator().await;
    let user = "a&b=c+d%e 男";
    let body = format!(
        "fromUserId={}&toUserId={}&objectName=RC%3ATxtMsg&content={}",
        encode("s&1"),
        encode(user),
        encode(r#"{"content":"1+1=2 & 100%"}"#)
    );
    let resp = call(&emu, &form(&emu, PRIVATE, &body)).await;
    assert_eq!(resp.json()["messageUIDs"][0]["userId"], user);
    let d = &emu.inbox(user)[0];
    assert_eq!(d.sender.as_deref(), Some("s&1"));
    assert_eq!(d.content.as_deref(), Some(r#"{"content":"1+1=2 & 100%"}"#));
}

#[tokio::test]
async fn a_parameter_given_twice_is_ambiguous() {
    let emu = emulator().await;
    let body = format!("{}&objectName=RC:ImgMsg", private_body(&["u"]));
    assert_error(
        &call(&emu, &form(&emu, PRIVATE, &body)).await,
        400,
        1002,
        "objectName",
    );
}

#[tokio::test]
async fn message_ids_are_unique_across_calls() {
    let emu = emulator().await;
    let mut seen = std::collections::HashSet::new();
    for _ in 0..20 {
        let resp = call(&emu, &form(&emu, PRIVATE, &private_body(&["a", "b", "c"]))).await;
        for uid in resp.json()["messageUIDs"].as_array().unwrap() {
            assert!(seen.insert(uid["messageUID"].as_str().unwrap().to_owned()));
        }
    }
    assert_eq!(seen.len(), 60);
}
