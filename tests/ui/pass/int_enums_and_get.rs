//! Integer-valued enums on the wire (`conversationType` 1, 3, 4, 6, 10),
//! in a form, in JSON, and read back; and a `GET` whose parameters go in
//! the query string.
#![deny(warnings)]

use api_core::{
    BaseUrl, Credentials, Encoding, Endpoint, HttpMethod, IntEnum, PreparedRequest, RequestId,
    Signer,
};

/// The documented conversation types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, IntEnum)]
pub enum ConversationType {
    Private = 1,
    Group = 3,
    Chatroom = 4,
    System = 6,
    UltraGroup = 10,
}

#[api_core::endpoint(path = "/message/recall.json", encoding = "form")]
pub struct Recall {
    pub conversation_type: ConversationType,
    pub target_id: String,
    pub previous_type: Option<ConversationType>,
}

#[api_core::endpoint(path = "/conversation/top/set.json", encoding = "json")]
pub struct TopSet {
    pub conversation_type: ConversationType,
    pub types: Vec<ConversationType>,
}

/// A GET: parameters form-encoded into the query string, no body.
#[api_core::endpoint(path = "/conversation/attribute/get.json", method = "GET")]
pub struct AttributeGet {
    #[endpoint(non_empty)]
    pub user_id: String,
    pub conversation_type: ConversationType,
    pub target_id: String,
    pub keys: Vec<String>,
}

#[derive(serde::Deserialize)]
pub struct Answer {
    #[serde(rename = "conversationType")]
    pub conversation_type: ConversationType,
}

fn main() {
    let recall = Recall {
        conversation_type: ConversationType::UltraGroup,
        target_id: "g1".into(),
        previous_type: None,
    }
    .previous_type(ConversationType::Group);
    assert_eq!(
        recall.encode_body().unwrap(),
        b"conversationType=10&targetId=g1&previousType=3"
    );
    let top = TopSet {
        conversation_type: ConversationType::Private,
        types: vec![ConversationType::System, ConversationType::Chatroom],
    };
    assert_eq!(
        top.encode_body().unwrap(),
        br#"{"conversationType":1,"types":[6,4]}"#
    );
    let answer: Answer = serde_json::from_str(r#"{"conversationType":4}"#).unwrap();
    assert_eq!(answer.conversation_type, ConversationType::Chatroom);
    let unknown = serde_json::from_str::<Answer>(r#"{"conversationType":2}"#)
        .err()
        .unwrap()
        .to_string();
    assert!(
        unknown.contains("invalid value: integer `2`, expected one of 1, 3, 4, 6, 10"),
        "{unknown}"
    );

    assert_eq!(<AttributeGet as Endpoint>::METHOD, HttpMethod::Get);
    assert_eq!(<AttributeGet as Endpoint>::ENCODING, Encoding::Form);
    assert_eq!(<Recall as Endpoint>::METHOD, HttpMethod::Post);
    let get = AttributeGet {
        user_id: "u 1".into(),
        conversation_type: ConversationType::Group,
        target_id: "g&1".into(),
        keys: vec!["a".into(), "b".into()],
    };
    let prepared = PreparedRequest::new(&get, RequestId::new()).unwrap();
    let signer = Signer::new(Credentials::new("key", "secret"));
    let base = BaseUrl::parse("https://api.rong-api.com").unwrap();
    let request = prepared.to_http(&base, &signer).unwrap();
    assert_eq!(request.method(), http::Method::GET);
    assert_eq!(
        request.uri(),
        "https://api.rong-api.com/conversation/attribute/get.json?userId=u+1&conversationType=3&targetId=g%261&keys=a&keys=b"
    );
    assert!(request.body().is_empty());
    assert!(request.headers().contains_key("signature"));
    assert!(!request.headers().contains_key("content-type"));
    let bad = AttributeGet {
        user_id: String::new(),
        ..get
    };
    assert!(PreparedRequest::new(&bad, RequestId::new()).is_err());
}
