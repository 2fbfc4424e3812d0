//! Rate limits weighted by the length of a named field, and answers with
//! a success code other than 200.
#![deny(warnings)]

use std::time::Duration;

use api_core::{
    CodeOnly, CountedField, CustomMessage, Endpoint, Error, Message, PreparedRequest, RateLimit, RateUnit,
    RequestId, ResponseShape,
};

/// Group messages: 20 a second per target group (a call to 3 groups
/// counts 3), and the recipients for bulk sends are the groups.
#[api_core::endpoint(
    path = "/message/group/publish.json",
    encoding = "form",
    max_recipients = 3,
    rate_limit(items = 20, per = second, counted_by = to_group_id)
)]
#[derive(Clone)]
pub struct GroupPublish {
    #[endpoint(non_empty)]
    pub from_user_id: String,
    #[endpoint(recipients)]
    pub to_group_id: Vec<String>,
    /// Targeted members of a single group: not what is counted.
    pub to_user_id: Vec<String>,
    #[endpoint(flatten)]
    pub message: Message<CustomMessage>,
}

/// Chatroom messages: 100 a second per room, no recipients field; a limit
/// in calls beside it ignores the weight.
#[api_core::endpoint(
    path = "/message/chatroom/publish.json",
    encoding = "form",
    rate_limit(items = 100, per = second, counted_by = to_chatroom_id),
    rate_limit(calls = 1000, per = minute)
)]
pub struct ChatroomPublish {
    pub from_user_id: String,
    #[endpoint(rename = "toChatroomId", min_items = 1)]
    pub to_chatroom_id: Option<Vec<String>>,
    #[endpoint(flatten)]
    pub message: Message<CustomMessage>,
}

#[derive(Debug, serde::Deserialize)]
pub struct Groups {
    pub groups: Vec<String>,
}

/// A v2 call: success is code 10000, errors are `{code, msg}`.
#[api_core::endpoint(
    path = "/v2/ultragroups/user/groups.json",
    encoding = "json",
    success_code = 10000,
    error_message = "msg",
    response = Groups
)]
pub struct UserGroups {
    pub user_id: String,
}

/// Chatroom keep-alive answers code 0.
#[api_core::endpoint(path = "/chatroom/keepalive/add.json", encoding = "form", success_code = 0)]
pub struct KeepAlive {
    pub chatroom_id: String,
}

fn main() {
    let publish = GroupPublish {
        from_user_id: "u1".into(),
        to_group_id: vec!["g1".into(), "g2".into(), "g3".into()],
        to_user_id: vec!["m1".into(), "m2".into(), "m3".into(), "m4".into()],
        message: Message::new(CustomMessage::new("App:X", "y")),
    };
    assert_eq!(publish.rate_weight(), 3);
    assert_eq!(
        <GroupPublish as Endpoint>::RATE_LIMITS,
        [RateLimit::items(
            20,
            Duration::from_secs(1),
            &CountedField {
                wire_name: "toGroupId"
            }
        )]
    );
    assert_eq!(
        GroupPublish::RATE_LIMITS[0].unit,
        RateUnit::Items(&CountedField {
            wire_name: "toGroupId"
        })
    );
    assert_eq!(
        GroupPublish::RATE_LIMITS[0].to_string(),
        "20 toGroupId per second"
    );
    assert_eq!(GroupPublish::RATE_LIMITS[0].weight(publish.rate_weight()), 3);

    let room = ChatroomPublish {
        from_user_id: "u1".into(),
        to_chatroom_id: Some(vec!["r1".into(), "r2".into()]),
        message: Message::new(CustomMessage::new("App:X", "y")),
    };
    assert_eq!(room.rate_weight(), 2);
    assert_eq!(ChatroomPublish::RATE_LIMITS[1].weight(room.rate_weight()), 1);
    assert_eq!(
        ChatroomPublish {
            to_chatroom_id: None,
            ..room
        }
        .rate_weight(),
        0
    );

    // The default shape, and the declared ones.
    assert_eq!(GroupPublish::RESPONSE_SHAPE, ResponseShape::STANDARD);
    assert_eq!(UserGroups::RESPONSE_SHAPE, ResponseShape::new(10000, "msg"));
    assert_eq!(KeepAlive::RESPONSE_SHAPE, ResponseShape::new(0, "errorMessage"));

    let prepared = PreparedRequest::new(
        &UserGroups {
            user_id: "u1".into(),
        },
        RequestId::new(),
    )
    .unwrap();
    let groups: Groups = prepared
        .decode(http::StatusCode::OK, br#"{"code":10000,"groups":["g1"]}"#)
        .unwrap();
    assert_eq!(groups.groups, ["g1"]);
    let Err(Error::Api(api)) =
        prepared.decode::<Groups>(http::StatusCode::OK, br#"{"code":10007,"msg":"no such user"}"#)
    else {
        panic!("not an API error")
    };
    assert_eq!(api.code().code(), 10007);
    assert_eq!(api.message(), "no such user");

    let prepared = PreparedRequest::new(
        &KeepAlive {
            chatroom_id: "r1".into(),
        },
        RequestId::new(),
    )
    .unwrap();
    let ok: CodeOnly = prepared
        .decode(http::StatusCode::OK, br#"{"code":0}"#)
        .unwrap();
    assert_eq!(ok, CodeOnly {});
}
