//! `idempotent_unless = field`: a call that is safe to repeat only while a
//! field is unset. Joining a group again changes nothing, but a join that
//! also sends a bound notification message would send it twice.
#![deny(warnings)]

use api_core::{CustomMessage, Endpoint, Message};

#[api_core::endpoint(
    path = "/group/join.json",
    encoding = "form",
    idempotent_unless = notification
)]
#[derive(Debug, Clone)]
pub struct GroupJoin {
    pub user_id: Vec<String>,
    pub group_id: String,
    /// Sent as `objectName` and `content` when present.
    #[endpoint(flatten)]
    pub notification: Option<Message<CustomMessage>>,
}

/// Any field that can say whether it is set: a `bool` here.
#[api_core::endpoint(path = "/a.json", encoding = "json", idempotent_unless = notify)]
pub struct Flagged {
    pub notify: bool,
}

fn main() {
    let plain = GroupJoin {
        user_id: vec!["u1".into()],
        group_id: "g1".into(),
        notification: None,
    };
    // The type as a whole is not idempotent; this request is.
    const { assert!(!<GroupJoin as Endpoint>::IDEMPOTENT) };
    assert!(plain.is_idempotent());
    assert_eq!(plain.encode_body().unwrap(), b"userId=u1&groupId=g1");

    let notified = plain.notification(Message::new(CustomMessage::new("App:Joined", "{}")));
    assert!(!notified.is_idempotent());
    assert_eq!(
        String::from_utf8(notified.encode_body().unwrap()).unwrap(),
        "userId=u1&groupId=g1&objectName=App%3AJoined&content=%7B%7D"
    );

    assert!(Flagged { notify: false }.is_idempotent());
    assert!(!Flagged { notify: true }.is_idempotent());
}
