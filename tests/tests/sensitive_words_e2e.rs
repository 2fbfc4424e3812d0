//! Sensitive words end to end against `api-emulator`: added, listed by
//! type, applied to group and chatroom messages, removed.

mod e2e_support;

use api_core::Rule;
use api_emulator::Sensitive;
use api_endpoints::*;
use e2e_support::{api_error, create_group, expect_invalid, start, tricky};

#[tokio::test]
async fn words_are_listed_by_type() {
    let (emulator, client) = start().await;
    let odd = "a&b=c+d%\"\n坏😀";
    SensitiveWordAdd::blocking("scam")
        .send(&client)
        .await
        .unwrap();
    SensitiveWordAdd::replacing(odd, "*&*")
        .send(&client)
        .await
        .unwrap();

    let all = SensitiveWordList::all().send(&client).await.unwrap();
    assert_eq!(all.words.len(), 2);
    let scam = all.word("scam").unwrap();
    assert_eq!(scam.kind, SensitiveWordKind::Blocking);
    assert_eq!(scam.replace_word, None);
    let replaced = all.word(odd).expect("the word round-trips exactly");
    assert_eq!(replaced.kind, SensitiveWordKind::Replacing);
    assert_eq!(replaced.replace_word.as_deref(), Some("*&*"));

    // Without `type` the server lists blocking words.
    let default = SensitiveWordList::new().send(&client).await.unwrap();
    let words: Vec<&str> = default.words.iter().map(|w| w.word.as_str()).collect();
    assert_eq!(words, ["scam"]);
    let replacing = SensitiveWordList::replacing().send(&client).await.unwrap();
    let words: Vec<&str> = replacing.words.iter().map(|w| w.word.as_str()).collect();
    assert_eq!(words, [odd]);
    assert_eq!(
        SensitiveWordList::blocking().send(&client).await.unwrap(),
        default
    );

    // Adding a word again keeps one entry (declared idempotent).
    SensitiveWordAdd::blocking("scam")
        .send(&client)
        .await
        .unwrap();
    assert_eq!(emulator.sensitive_words().len(), 2);
}

#[tokio::test]
async fn a_blocking_word_stops_delivery_and_a_replacing_word_is_replaced() {
    let (emulator, client) = start().await;
    create_group(&client, "g1", &["alice", "bob"]).await;
    SensitiveWordAdd::blocking("scam")
        .send(&client)
        .await
        .unwrap();
    SensitiveWordAdd::replacing("darn", "****")
        .send(&client)
        .await
        .unwrap();

    // Answered as accepted, with its id, but it reaches nobody.
    let blocked = GroupPublish::new("alice", ["g1"], TextMessage::new("a scam offer"))
        .send(&client)
        .await
        .unwrap();
    assert!(blocked.message_uid_for("g1").is_some());
    GroupPublish::new(
        "alice",
        ["g1"],
        TextMessage::new(format!("darn it {}", tricky())),
    )
    .send(&client)
    .await
    .unwrap();
    ChatroomPublish::new("alice", ["r1"], TextMessage::new("darn darn"))
        .send(&client)
        .await
        .unwrap();

    let deliveries = emulator.deliveries();
    assert_eq!(deliveries.len(), 3);
    assert_eq!(deliveries[0].sensitive, Sensitive::Blocked);
    assert!(deliveries[0].recipients.is_empty());
    assert_eq!(deliveries[1].sensitive, Sensitive::Replaced);
    assert_eq!(deliveries[1].recipients, ["bob"]);
    let content: serde_json::Value =
        serde_json::from_str(deliveries[1].content.as_deref().unwrap()).unwrap();
    assert_eq!(content["content"], format!("**** it {}", tricky()));
    let content: serde_json::Value =
        serde_json::from_str(deliveries[2].content.as_deref().unwrap()).unwrap();
    assert_eq!(content["content"], "**** ****");
    assert_eq!(emulator.inbox("bob").len(), 1);

    // Removed, the words no longer apply.
    SensitiveWordDelete::new("darn")
        .send(&client)
        .await
        .unwrap();
    SensitiveWordBatchDelete::new(["scam", "never-added"])
        .send(&client)
        .await
        .unwrap();
    assert!(emulator.sensitive_words().is_empty());
    assert!(
        SensitiveWordList::all()
            .send(&client)
            .await
            .unwrap()
            .words
            .is_empty()
    );
    GroupPublish::new("alice", ["g1"], TextMessage::new("darn scam"))
        .send(&client)
        .await
        .unwrap();
    let last = emulator.deliveries().pop().unwrap();
    assert_eq!(last.sensitive, Sensitive::None);
    assert_eq!(last.recipients, ["bob"]);
    // Deleting again is fine (declared idempotent).
    SensitiveWordDelete::new("darn")
        .send(&client)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_51st_word_is_refused_by_the_server() {
    let (emulator, client) = start().await;
    for i in 0..WORD_QUOTA {
        SensitiveWordAdd::blocking(format!("word{i}"))
            .send(&client)
            .await
            .unwrap();
    }
    let error = SensitiveWordAdd::blocking("one-too-many")
        .send(&client)
        .await
        .unwrap_err();
    let api = api_error(error);
    assert_eq!(api.code().code(), 1019);
    assert!(api.message().starts_with("word"), "{}", api.message());
    assert_eq!(emulator.sensitive_words().len(), WORD_QUOTA);
}

#[tokio::test]
async fn invalid_requests_name_the_field_and_send_nothing() {
    let long = SensitiveWordAdd::blocking("x".repeat(MAX_WORD_CHARS + 1));
    expect_invalid(&long, "word", Rule::MaxChars(MAX_WORD_CHARS)).await;
    let empty_replacement = SensitiveWordAdd::replacing("word", "");
    expect_invalid(&empty_replacement, "replace_word", Rule::Required).await;
    let empty = SensitiveWordDelete::new("");
    expect_invalid(&empty, "word", Rule::Required).await;
    let many = SensitiveWordBatchDelete::new((0..51).map(|i| format!("w{i}")));
    expect_invalid(&many, "words", Rule::MaxItems(MAX_WORDS_PER_DELETE)).await;
    let none = SensitiveWordBatchDelete::new(Vec::<String>::new());
    expect_invalid(&none, "words", Rule::MinItems(1)).await;
    // The list call has no limit to break: its only parameter is an enum.
    assert_eq!(
        api_core::Validate::validate(&SensitiveWordList::all()),
        Ok(())
    );
}
