//! A JSON endpoint with nested typed parts, `rename`, `json`, a flattened
//! `Message`, `int_bool`, `idempotent` and two rate limits.
#![deny(warnings)]

use std::collections::BTreeMap;
use std::time::Duration;

use api_core::{
    Actual, CodeOnly, CustomMessage, Encoding, Endpoint, Message, RateLimit, Report, Rule, Validate,
};

#[derive(serde::Serialize, Validate)]
#[serde(rename_all = "camelCase")]
#[validate(check = Audience::check)]
pub struct Audience {
    #[validate(non_empty, max_items = 2)]
    pub tag: Vec<String>,
    pub is_to_all: bool,
}

impl Audience {
    fn check(&self, report: &mut Report) {
        if self.is_to_all && !self.tag.is_empty() {
            report.field("tag", |report| {
                report.violation(
                    Rule::Other("not with `is_to_all`".into()),
                    Actual::Size(self.tag.len()),
                )
            });
        }
    }
}

#[derive(serde::Serialize, Validate)]
pub struct Ios {
    #[validate(min = 0, max = 99)]
    pub badge: Option<i64>,
}

#[derive(serde::Serialize, Validate)]
pub struct Notification {
    #[validate(max_chars = 5)]
    pub title: Option<String>,
    #[validate(nested)]
    pub ios: Option<Ios>,
}

#[api_core::endpoint(
    path = "/push.json",
    encoding = "json",
    idempotent,
    rate_limit(calls = 100, per = second),
    rate_limit(calls = 2000, per = hour)
)]
pub struct Push {
    #[endpoint(nested)]
    pub audience: Audience,
    #[endpoint(nested, rename = "notification")]
    pub notice: Option<Notification>,
    #[endpoint(json, max_items = 2)]
    pub push_ext: Option<BTreeMap<String, String>>,
    #[endpoint(flatten)]
    pub message: Message<CustomMessage>,
    #[endpoint(int_bool)]
    pub is_persisted: Option<bool>,
    #[endpoint(rename = "platform", min_items = 1)]
    pub platforms: Vec<String>,
    pub disable_push: Option<bool>,
}

fn response_is<E: Endpoint<Response = CodeOnly>>() {}

fn main() {
    assert_eq!(<Push as Endpoint>::PATH, "/push.json");
    assert_eq!(<Push as Endpoint>::ENCODING, Encoding::Json);
    assert_eq!(<Push as Endpoint>::MAX_RECIPIENTS, None);
    assert!(<Push as Endpoint>::IDEMPOTENT);
    assert_eq!(
        <Push as Endpoint>::RATE_LIMITS,
        [
            RateLimit::calls(100, Duration::from_secs(1)),
            RateLimit::calls(2000, Duration::from_secs(3600)),
        ]
    );
    response_is::<Push>();

    let push = Push {
        audience: Audience {
            tag: vec!["vip".into()],
            is_to_all: false,
        },
        notice: Some(Notification {
            title: Some("hi".into()),
            ios: Some(Ios { badge: Some(1) }),
        }),
        push_ext: Some(BTreeMap::from([("k".into(), "\"v\"".into())])),
        message: Message::new(CustomMessage::new("App:Order", r#"{"id":7}"#)),
        is_persisted: None,
        platforms: vec!["ios".into()],
        disable_push: None,
    }
    .is_persisted(true);
    assert_eq!(push.validate(), Ok(()));
    assert_eq!(push.recipients(), None);
    let body = String::from_utf8(push.encode_body().unwrap()).unwrap();
    assert_eq!(
        body,
        r#"{"audience":{"tag":["vip"],"isToAll":false},"notification":{"title":"hi","ios":{"badge":1}},"pushExt":"{\"k\":\"\\\"v\\\"\"}","objectName":"App:Order","content":"{\"id\":7}","isPersisted":1,"platform":["ios"]}"#
    );
    // The pushExt string holds the JSON text of the map.
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    let push_ext: BTreeMap<String, String> =
        serde_json::from_str(value["pushExt"].as_str().unwrap()).unwrap();
    assert_eq!(push_ext["k"], "\"v\"");

    let bad = Push {
        audience: Audience {
            tag: vec!["".into(), "b".into(), "c".into()],
            is_to_all: true,
        },
        notice: Some(Notification {
            title: Some("toolong".into()),
            ios: Some(Ios { badge: Some(100) }),
        }),
        push_ext: Some((0..3).map(|i| (i.to_string(), String::new())).collect()),
        message: Message::new(CustomMessage::new("", "x")),
        is_persisted: None,
        platforms: Vec::new(),
        disable_push: Some(true),
    };
    let found: Vec<String> = bad
        .validate()
        .unwrap_err()
        .violations()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        found,
        [
            "audience.tag[0]: required, must not be empty (got \"\")",
            "audience.tag: at most 2 items (got 3)",
            "audience.tag: not with `is_to_all` (got 3)",
            "notice.title: at most 5 characters (got 7)",
            "notice.ios.badge: between 0 and 99 (got 100)",
            "push_ext: at most 2 items (got 3)",
            "message.object_name: required, must not be empty (got \"\")",
            "platforms: at least 1 items (got 0)",
        ],
    );
}
