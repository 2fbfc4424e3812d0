//! Generic endpoints: type and lifetime parameters, bounds inline and in a
//! `where` clause, a defaulted parameter; form and JSON.
#![deny(warnings)]

use api_core::encode::form::FormValue;
use api_core::validate::TextValue;
use api_core::{CustomMessage, Endpoint, Message, MessageContent, Validate};

#[api_core::endpoint(
    path = "/message/group/publish.json",
    encoding = "form",
    max_recipients = 3,
    rate_limit(recipients = 100, per = minute)
)]
pub struct GroupPublish<'a, C: MessageContent, T = String>
where
    T: FormValue + TextValue,
{
    #[endpoint(non_empty)]
    pub from_user_id: &'a str,
    #[endpoint(recipients)]
    pub to_group_id: Vec<String>,
    #[endpoint(flatten)]
    pub message: Message<C>,
    #[endpoint(max_chars = 5)]
    pub push_content: Option<T>,
}

#[api_core::endpoint(path = "/message/broadcast.json", encoding = "json")]
pub struct Broadcast<C>
where
    C: MessageContent,
{
    #[endpoint(non_empty)]
    pub from_user_id: String,
    #[endpoint(flatten)]
    pub message: Message<C>,
}

fn path_of<E: Endpoint>() -> &'static str {
    E::PATH
}

fn main() {
    assert_eq!(
        path_of::<GroupPublish<'static, CustomMessage>>(),
        "/message/group/publish.json"
    );
    assert_eq!(
        <GroupPublish<'static, CustomMessage, &'static str> as Endpoint>::RATE_LIMITS[0]
            .to_string(),
        "100 recipients per minute"
    );
    let from = String::from("u1");
    let publish: GroupPublish<'_, CustomMessage> = GroupPublish {
        from_user_id: &from,
        to_group_id: vec!["g1".into(), "g2".into()],
        message: Message::new(CustomMessage::new("App:X", "y")),
        push_content: None,
    }
    .push_content("hello");
    assert_eq!(publish.validate(), Ok(()));
    assert_eq!(publish.recipients().map(<[String]>::len), Some(2));
    assert_eq!(
        publish.encode_body().unwrap(),
        b"fromUserId=u1&toGroupId=g1&toGroupId=g2&objectName=App%3AX&content=y&pushContent=hello"
    );
    let too_long: GroupPublish<'_, CustomMessage, &str> = GroupPublish {
        from_user_id: "u1",
        to_group_id: vec!["g1".into()],
        message: Message::new(CustomMessage::new("App:X", "y")),
        push_content: Some("toolong"),
    };
    assert_eq!(
        too_long.validate().unwrap_err().to_string(),
        "invalid request, nothing was sent: push_content: at most 5 characters (got 7)"
    );

    let broadcast = Broadcast {
        from_user_id: "u1".into(),
        message: Message::new(CustomMessage::new("App:X", "y")),
    };
    assert_eq!(
        path_of::<Broadcast<CustomMessage>>(),
        "/message/broadcast.json"
    );
    assert_eq!(
        broadcast.encode_body().unwrap(),
        br#"{"fromUserId":"u1","objectName":"App:X","content":"y"}"#
    );
    // `send` exists for every instantiation.
    let _send = Broadcast::<CustomMessage>::send;
}
