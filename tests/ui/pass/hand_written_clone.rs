//! `Recipients` (what a bulk send needs) depends on the endpoint being
//! `Clone`, not on how: here `Clone` is written by hand, and the endpoint is
//! generic with a bound the derive would not have added.
#![deny(warnings)]

use api_core::{Client, CustomMessage, Message, MessageContent, Recipients};

#[api_core::endpoint(
    path = "/message/private/publish.json",
    encoding = "form",
    max_recipients = 1000
)]
pub struct Publish<C: MessageContent> {
    #[endpoint(non_empty)]
    pub from_user_id: String,
    #[endpoint(recipients)]
    pub to_user_id: Vec<String>,
    #[endpoint(flatten)]
    pub message: Message<C>,
}

/// By hand: `C` itself need not be `Clone` when its message is.
impl<C: MessageContent> Clone for Publish<C>
where
    Message<C>: Clone,
{
    fn clone(&self) -> Self {
        Self {
            from_user_id: self.from_user_id.clone(),
            to_user_id: self.to_user_id.clone(),
            message: self.message.clone(),
        }
    }
}

/// A bulk send of it type-checks.
#[allow(dead_code)]
fn bulk(client: &Client, publish: &Publish<CustomMessage>) {
    let _ = client.bulk(publish, ["u1", "u2", "u3"]);
}

fn main() {
    let publish = Publish {
        from_user_id: "u0".into(),
        to_user_id: vec!["a".into()],
        message: Message::new(CustomMessage::new("App:X", "y")),
    };
    let copy = publish.with_recipients(&["b".to_owned(), "c".to_owned()]);
    assert_eq!(copy.to_user_id, ["b", "c"]);
    assert_eq!(copy.from_user_id, "u0");
    assert_eq!(copy.message, publish.message);
    assert_eq!(publish.to_user_id, ["a"]);
}
