//! Sensitive words: add, list by type, delete, the quota of 50, and what they
//! do to messages (applied at once in the emulator).

use api_emulator::Sensitive;

use crate::{PRIVATE, assert_error, assert_ok, emulator, enc, post, private_body};

const ADD: &str = "/sensitiveword/add.json";
const LIST: &str = "/sensitiveword/list.json";
const DELETE: &str = "/sensitiveword/delete.json";
const BATCH_DELETE: &str = "/sensitiveword/batch/delete.json";

fn words(list: &serde_json::Value) -> Vec<String> {
    list["words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["word"].as_str().unwrap().to_owned())
        .collect()
}

fn private_with(content: &str) -> String {
    format!(
        "fromUserId=s&toUserId=a&toUserId=b&objectName=RC%3ATxtMsg&content={}",
        enc(content)
    )
}

#[tokio::test]
async fn add_list_and_delete_by_type() {
    let emu = emulator().await;
    assert_ok(&post(&emu, ADD, "word=darn&replaceWord=d**n").await);
    assert_ok(&post(&emu, ADD, "word=forbidden").await);
    // An empty replaceWord is a blocking word too (the Go SDK leaves it out).
    assert_ok(&post(&emu, ADD, &format!("word={}&replaceWord=", enc("禁词"))).await);
    let all = assert_ok(&post(&emu, LIST, "type=2").await);
    assert_eq!(
        all["words"],
        serde_json::json!([
            {"type": "0", "word": "darn", "replaceWord": "d**n"},
            {"type": "1", "word": "forbidden", "replaceWord": ""},
            {"type": "1", "word": "禁词", "replaceWord": ""},
        ])
    );
    assert_eq!(
        words(&assert_ok(&post(&emu, LIST, "type=0").await)),
        ["darn"]
    );
    // The Go SDK lists with no body at all; the default type is 1 (blocking).
    let req = crate::client::RawRequest::post(LIST).signed(emu.app_key(), emu.app_secret());
    assert_eq!(
        words(&assert_ok(&crate::call(&emu, &req).await)),
        ["forbidden", "禁词"]
    );

    assert_ok(&post(&emu, DELETE, "word=darn").await);
    assert_ok(
        &post(
            &emu,
            BATCH_DELETE,
            &format!("words=forbidden&words={}&words=unknown", enc("禁词")),
        )
        .await,
    );
    assert!(emu.sensitive_words().is_empty());
}

#[tokio::test]
async fn limits_name_their_parameter() {
    let emu = emulator().await;
    assert_error(
        &post(&emu, ADD, "replaceWord=x").await,
        400,
        1002,
        "word: required",
    );
    assert_error(
        &post(&emu, ADD, &format!("word={}", "w".repeat(33))).await,
        400,
        1005,
        "word: at most 32 characters",
    );
    assert_error(
        &post(&emu, ADD, &format!("word=w&replaceWord={}", "r".repeat(33))).await,
        400,
        1005,
        "replaceWord: at most 32",
    );
    assert_error(
        &post(&emu, LIST, "type=3").await,
        400,
        1002,
        "type: must be between 0 and 2",
    );
    let fifty_one: String = (0..51).map(|i| format!("words=w{i}&")).collect();
    assert_error(
        &post(&emu, BATCH_DELETE, &fifty_one).await,
        400,
        1002,
        "words: at most 50",
    );
    assert_error(
        &post(&emu, BATCH_DELETE, "x=1").await,
        400,
        1002,
        "words: required",
    );

    for i in 0..50 {
        assert_ok(&post(&emu, ADD, &format!("word=w{i}")).await);
    }
    // Changing a word already there does not use the quota.
    assert_ok(&post(&emu, ADD, "word=w0&replaceWord=x").await);
    let resp = post(&emu, ADD, "word=w50").await;
    assert_error(
        &resp,
        403,
        1019,
        "word: the app already has 50 sensitive words",
    );
    assert_eq!(emu.sensitive_words().len(), 50);
}

#[tokio::test]
async fn blocking_words_stop_messages_and_replacing_words_are_replaced() {
    let emu = emulator().await;
    assert_ok(&post(&emu, ADD, "word=darn&replaceWord=d**n").await);
    assert_ok(&post(&emu, ADD, "word=forbidden").await);

    // Blocked: answered as accepted (ids and all), delivered to nobody.
    let answer = assert_ok(
        &post(
            &emu,
            PRIVATE,
            &private_with(r#"{"content":"a forbidden thing"}"#),
        )
        .await,
    );
    assert_eq!(answer["messageUIDs"].as_array().unwrap().len(), 2);
    let blocked = emu.deliveries().pop().unwrap();
    assert_eq!(blocked.sensitive, Sensitive::Blocked);
    assert!(blocked.recipients.is_empty());
    assert!(emu.inbox("a").is_empty());

    // Replaced inside the JSON strings; the JSON stays valid.
    assert_ok(
        &post(
            &emu,
            PRIVATE,
            &private_with(r#"{"content":"darn \"it\"","extra":"darn"}"#),
        )
        .await,
    );
    let replaced = emu.deliveries().pop().unwrap();
    assert_eq!(replaced.sensitive, Sensitive::Replaced);
    assert_eq!(replaced.recipients, ["a", "b"]);
    let content: serde_json::Value =
        serde_json::from_str(replaced.content.as_deref().unwrap()).unwrap();
    assert_eq!(
        content,
        serde_json::json!({"content": "d**n \"it\"", "extra": "d**n"})
    );

    // Untouched messages stay exactly as sent.
    assert_ok(&post(&emu, PRIVATE, &private_body(&["a"])).await);
    let clean = emu.deliveries().pop().unwrap();
    assert_eq!(clean.sensitive, Sensitive::None);
    assert_eq!(clean.content.as_deref(), Some(r#"{"content":"hi"}"#));

    // Group messages too.
    assert_ok(&post(&emu, "/group/join.json", "userId=a&groupId=g").await);
    let group = format!(
        "fromUserId=s&toGroupId=g&objectName=RC%3ATxtMsg&content={}",
        enc(r#"{"content":"forbidden"}"#)
    );
    assert_ok(&post(&emu, "/message/group/publish.json", &group).await);
    assert!(emu.deliveries().pop().unwrap().recipients.is_empty());
    assert_eq!(emu.delivery_count("a"), 2);

    // Deleted words stop applying at once.
    assert_ok(&post(&emu, DELETE, "word=forbidden").await);
    assert_ok(&post(&emu, PRIVATE, &private_with(r#"{"content":"forbidden"}"#)).await);
    assert_eq!(emu.deliveries().pop().unwrap().recipients, ["a", "b"]);
}
