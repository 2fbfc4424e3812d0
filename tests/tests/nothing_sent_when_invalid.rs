//! Invalid requests get a validation error naming the field, and nothing
//! reaches the transport.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use api_core::{
    BoxFuture, Client, Credentials, CustomMessage, Error, Rule, Transport, TransportError,
};
use api_endpoints::{PrivatePublish, PushExt, TextMessage};
use bytes::Bytes;

/// Counts what reaches it and answers nothing useful.
#[derive(Clone, Default)]
struct Counting(Arc<AtomicUsize>);

impl Transport for Counting {
    fn send(
        &self,
        _request: http::Request<Bytes>,
        _timeout: Duration,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async {
            Ok(http::Response::new(Bytes::from_static(
                br#"{"code":200,"messageUIDs":[]}"#,
            )))
        })
    }
}

fn client(transport: &Counting) -> Client {
    Client::builder(Credentials::new("key", "secret"))
        .transport(transport.clone())
        .build()
        .unwrap()
}

async fn expect_invalid<C: api_core::MessageContent>(
    request: PrivatePublish<C>,
    path: &str,
    rule: Rule,
) -> api_core::ValidationError {
    let transport = Counting::default();
    let error = request.send(&client(&transport)).await.unwrap_err();
    assert_eq!(transport.0.load(Ordering::SeqCst), 0, "something was sent");
    assert_eq!(error.delivery(), api_core::Delivery::NotSent);
    let Error::Validation(validation) = error else {
        panic!("{error:?}")
    };
    let violation = validation
        .at(path)
        .unwrap_or_else(|| panic!("no violation at {path}: {validation}"));
    assert_eq!(violation.rule(), &rule);
    validation
}

#[tokio::test]
async fn a_valid_request_does_reach_the_transport() {
    let transport = Counting::default();
    PrivatePublish::new("a", ["b"], TextMessage::new("hi"))
        .send(&client(&transport))
        .await
        .unwrap();
    assert_eq!(transport.0.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn recipients_1001() {
    let to: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    let error = expect_invalid(
        PrivatePublish::new("a", to, TextMessage::new("hi")),
        "to_user_id[1000]",
        Rule::MaxItems(1000),
    )
    .await;
    assert_eq!(error.violations().len(), 1);
    assert_eq!(
        error.violations()[0].actual(),
        &api_core::Actual::Size(1001)
    );
}

#[tokio::test]
async fn content_of_128_kib_plus_one() {
    // TextMessage adds `{"content":""}` around the text: 14 bytes.
    let text = "x".repeat(128 * 1024 + 1 - 14);
    let error = expect_invalid(
        PrivatePublish::new("a", ["b"], TextMessage::new(text)),
        "message.content",
        Rule::MaxBytes(131_072),
    )
    .await;
    assert_eq!(
        error.violations()[0].actual(),
        &api_core::Actual::Size(131_073)
    );
}

#[tokio::test]
async fn bad_object_names() {
    expect_invalid(
        PrivatePublish::new("a", ["b"], CustomMessage::new("RC:Fake", "{}")),
        "message.object_name",
        Rule::Other(
            "a custom objectName must not start with \"RC:\" (reserved for built-in types)".into(),
        ),
    )
    .await;
    expect_invalid(
        PrivatePublish::new("a", ["b"], CustomMessage::new("A".repeat(33), "{}")),
        "message.object_name",
        Rule::MaxChars(32),
    )
    .await;
}

#[tokio::test]
async fn push_title_of_51_characters() {
    let request = PrivatePublish::new("a", ["b"], TextMessage::new("hi"))
        .push_ext(PushExt::new().title("标".repeat(51)));
    let error = expect_invalid(request, "push_ext.title", Rule::MaxChars(50)).await;
    assert_eq!(
        error.to_string(),
        "invalid request, nothing was sent: push_ext.title: at most 50 characters (got 51)"
    );
}

#[tokio::test]
async fn every_violation_is_reported_at_once() {
    let to: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    let request = PrivatePublish::new("", to, CustomMessage::new("RC:Fake", "{}"))
        .count(10_000)
        .push_ext(PushExt::new().title("t".repeat(51)));
    let transport = Counting::default();
    let Error::Validation(error) = request.send(&client(&transport)).await.unwrap_err() else {
        panic!()
    };
    let paths: Vec<&str> = error.violations().iter().map(|v| v.path()).collect();
    assert_eq!(
        paths,
        [
            "from_user_id",
            "to_user_id[1000]",
            "message.object_name",
            "count",
            "push_ext.title"
        ]
    );
    assert_eq!(transport.0.load(Ordering::SeqCst), 0);
}
