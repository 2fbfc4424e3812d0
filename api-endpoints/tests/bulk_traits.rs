//! The traits a bulk send needs, as the macro and the responses provide
//! them: a copy of a call with other recipients, and per-recipient ids.

use api_core::{PerRecipientIds, Recipients};
use api_endpoints::{PrivatePublish, PublishResponse, SystemPublish, TagBatchSet, TextMessage};

#[test]
fn with_recipients_replaces_only_the_recipients() {
    let template = PrivatePublish::new("from", ["a", "b"], TextMessage::new("hi"))
        .push_content("p")
        .count(3);
    let copy = template.with_recipients(&["x".to_owned(), "y".to_owned(), "z".to_owned()]);
    assert_eq!(copy.to_user_id, ["x", "y", "z"]);
    let mut back = copy.clone();
    back.to_user_id = template.to_user_id.clone();
    assert_eq!(back, template);

    let system = SystemPublish::new("from", ["a"], TextMessage::new("hi"))
        .with_recipients(&["q".to_owned()]);
    assert_eq!(system.to_user_id, ["q"]);
    let tags = TagBatchSet::new(["a"], ["t"]).with_recipients(&["u1".to_owned(), "u2".to_owned()]);
    assert_eq!(tags.user_ids, ["u1", "u2"]);
    assert_eq!(tags.tags, ["t"]);
}

#[test]
fn publish_answers_give_each_recipients_id() {
    let answer: PublishResponse = serde_json::from_str(
        r#"{"code":200,"messageUIDs":[{"userId":"a","messageUID":"1"},{"userId":"b","messageUID":"2"}]}"#,
    )
    .unwrap();
    let pairs: Vec<(&str, &str)> = answer.per_recipient_ids().collect();
    assert_eq!(pairs, [("a", "1"), ("b", "2")]);
}
