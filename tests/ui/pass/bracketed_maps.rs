//! Maps sent as bracketed form keys, `name[key]=value`: `/group/sync.json`
//! (`group[<groupId>]=<groupName>`) from a `BTreeMap` (sent in key order)
//! and `/chatroom/create.json` (`chatroom[<id>]=<name>`) from a `Vec` of
//! pairs (sent in its order). Keys are percent-encoded like values.
#![deny(warnings)]

use std::collections::BTreeMap;

use api_core::{Endpoint, Rule, Validate};

#[api_core::endpoint(path = "/group/sync.json", encoding = "form")]
pub struct GroupSync {
    #[endpoint(non_empty)]
    pub user_id: String,
    /// Group id → group name. None at all unbinds the user from every group.
    #[endpoint(bracketed, rename = "group", max_items = 3)]
    pub groups: BTreeMap<String, String>,
}

#[api_core::endpoint(path = "/chatroom/create.json", encoding = "form")]
pub struct ChatroomCreate {
    #[endpoint(bracketed, min_items = 1, max_items = 100)]
    pub chatroom: Vec<(String, String)>,
    /// Optional, and left out when `None`.
    #[endpoint(bracketed)]
    pub extra: Option<Vec<(&'static str, u32)>>,
}

fn main() {
    let sync = GroupSync {
        user_id: "u1".into(),
        groups: BTreeMap::from([
            ("g2".to_owned(), "Two & 二".to_owned()),
            ("g1".to_owned(), "One".to_owned()),
        ]),
    };
    assert_eq!(sync.validate(), Ok(()));
    assert_eq!(
        String::from_utf8(sync.encode_body().unwrap()).unwrap(),
        "userId=u1&group%5Bg1%5D=One&group%5Bg2%5D=Two+%26+%E4%BA%8C"
    );
    let body = sync.encode_body().unwrap();
    let decoded: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    assert_eq!(
        decoded,
        [
            ("userId".to_owned(), "u1".to_owned()),
            ("group[g1]".to_owned(), "One".to_owned()),
            ("group[g2]".to_owned(), "Two & 二".to_owned()),
        ]
    );

    let create = ChatroomCreate {
        chatroom: vec![("r2".into(), "Room=2".into()), ("r1".into(), "Room 1".into())],
        extra: None,
    };
    assert_eq!(
        create.encode_body().unwrap(),
        b"chatroom%5Br2%5D=Room%3D2&chatroom%5Br1%5D=Room+1"
    );
    let create = ChatroomCreate {
        extra: Some(vec![("k", 7)]),
        ..create
    };
    assert!(create.encode_body().unwrap().ends_with(b"&extra%5Bk%5D=7"));

    let empty = ChatroomCreate {
        chatroom: Vec::new(),
        extra: None,
    };
    let error = empty.validate().unwrap_err();
    assert_eq!(error.violations()[0].path(), "chatroom");
    assert_eq!(error.violations()[0].rule(), &Rule::MinItems(1));
}
