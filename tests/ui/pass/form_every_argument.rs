//! A form endpoint using every field argument, and every struct argument a
//! form endpoint can take.
#![deny(warnings)]

use std::collections::BTreeMap;
use std::time::Duration;

use api_core::{
    Actual, CustomMessage, Encoding, Endpoint, Message, RateLimit, Report, Rule, Validate,
};

/// A typed part sent as a JSON string inside the form.
#[derive(serde::Serialize, Validate)]
pub struct Notice {
    #[validate(max_chars = 5)]
    pub title: String,
}

#[derive(Debug, serde::Deserialize)]
pub struct Answer {
    pub code: i32,
}

#[api_core::endpoint(
    path = "/message/private/publish.json",
    encoding = "form",
    max_recipients = 3,
    response = Answer,
    check = Self::check,
    rate_limit(calls = 100, per = second)
)]
pub struct Publish {
    #[endpoint(non_empty, max_bytes = 8)]
    pub from_user_id: String,
    #[endpoint(recipients)]
    pub to_user_id: Vec<String>,
    #[endpoint(flatten)]
    pub message: Message<CustomMessage>,
    #[endpoint(rename = "pushContent", max_chars = 10)]
    pub push_text: Option<String>,
    #[endpoint(int_bool)]
    pub is_persisted: Option<bool>,
    #[endpoint(min = -1, max = 9999)]
    pub count: Option<i32>,
    #[endpoint(non_empty, min_items = 1, max_items = 3)]
    pub tags: Vec<String>,
    #[endpoint(json, nested)]
    pub notice: Option<Notice>,
    #[endpoint(json, max_items = 2)]
    pub extra: BTreeMap<String, String>,
    pub disable_push: bool,
    #[endpoint(int_bool)]
    pub verify_blacklist: bool,
    /// A wire name the form encoding changes: written encoded (the plain
    /// names above are copied as they are).
    #[endpoint(rename = "odd name[&=]")]
    pub odd: Option<String>,
}

impl Publish {
    fn check(&self, report: &mut Report) {
        if self.count.is_some() && self.to_user_id.len() > 1 {
            report.field("count", |report| {
                report.violation(
                    Rule::Other("only with a single recipient".into()),
                    Actual::Size(self.to_user_id.len()),
                )
            });
        }
    }
}

fn response_is<E: Endpoint<Response = Answer>>() {}

fn main() {
    assert_eq!(<Publish as Endpoint>::PATH, "/message/private/publish.json");
    assert_eq!(<Publish as Endpoint>::ENCODING, Encoding::Form);
    assert_eq!(<Publish as Endpoint>::MAX_RECIPIENTS, Some(3));
    assert!(!<Publish as Endpoint>::IDEMPOTENT);
    assert_eq!(
        <Publish as Endpoint>::RATE_LIMITS,
        [RateLimit::calls(100, Duration::from_secs(1))]
    );
    response_is::<Publish>();

    let good = Publish {
        from_user_id: "u1".into(),
        to_user_id: vec!["u2".into()],
        message: Message::new(CustomMessage::new("App:Order", r#"{"id":7}"#)),
        push_text: None,
        is_persisted: Some(false),
        count: Some(-1),
        tags: vec!["a b".into(), "c&d".into()],
        notice: Some(Notice {
            title: "hey".into(),
        }),
        extra: BTreeMap::from([("k".into(), "v".into())]),
        disable_push: false,
        verify_blacklist: true,
        odd: Some("v".into()),
    }
    .push_text("hi");
    assert_eq!(good.validate(), Ok(()));
    assert_eq!(good.recipients(), Some(&["u2".to_owned()][..]));
    let body = String::from_utf8(good.encode_body().unwrap()).unwrap();
    assert_eq!(
        body,
        "fromUserId=u1&toUserId=u2&objectName=App%3AOrder&content=%7B%22id%22%3A7%7D\
         &pushContent=hi&isPersisted=0&count=-1&tags=a+b&tags=c%26d\
         &notice=%7B%22title%22%3A%22hey%22%7D&extra=%7B%22k%22%3A%22v%22%7D\
         &disablePush=false&verifyBlacklist=1&odd+name%5B%26%3D%5D=v"
    );

    let bad = Publish {
        from_user_id: String::new(),
        to_user_id: vec!["a".into(), "".into(), "c".into(), "d".into()],
        message: Message::new(CustomMessage::new("RC:Mine", "x")),
        push_text: Some("x".repeat(11)),
        is_persisted: None,
        count: Some(10_000),
        tags: Vec::new(),
        notice: Some(Notice {
            title: "toolong".into(),
        }),
        extra: (0..3).map(|i| (i.to_string(), String::new())).collect(),
        disable_push: true,
        verify_blacklist: false,
        odd: None,
    };
    let error = bad.validate().unwrap_err();
    let found: Vec<String> = error.violations().iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            "from_user_id: required, must not be empty (got \"\")",
            "to_user_id[3]: at most 3 items (got 4)",
            "to_user_id[1]: required, must not be empty (got \"\")",
            "message.object_name: a custom objectName must not start with \"RC:\" (reserved for built-in types) (got \"RC:Mine\")",
            "push_text: at most 10 characters (got 11)",
            "count: between -1 and 9999 (got 10000)",
            "tags: at least 1 items (got 0)",
            "notice.title: at most 5 characters (got 7)",
            "extra: at most 2 items (got 3)",
            "count: only with a single recipient (got 4)",
        ],
    );
    // The flattened message writes no field of its own name.
    assert!(error.at("message").is_none());
    assert_eq!(error.at("tags").unwrap().rule(), &Rule::MinItems(1));
}
