//! Helpers of the end-to-end tests of the group, chatroom and sensitive
//! word calls (`messages_e2e`, `chatrooms_e2e`, `sensitive_words_e2e`).
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use api_core::{
    BoxFuture, Client, CodeOnly, Credentials, Endpoint, Error, Pacing, Rule, Transport,
    TransportError, ValidationError,
};
use api_emulator::Emulator;
use bytes::Bytes;

/// The emulator, and a client whose pacer stands aside (tests that are
/// about pacing build their own).
pub async fn start() -> (Emulator, Client) {
    let emulator = Emulator::start().await.expect("emulator starts");
    let client = client_for(&emulator)
        .pacing(Pacing::disabled())
        .build()
        .unwrap();
    (emulator, client)
}

/// A client builder signing for the emulator's app and pointing at it.
pub fn client_for(emulator: &Emulator) -> api_core::ClientBuilder {
    Client::builder(Credentials::new(emulator.app_key(), emulator.app_secret()))
        .base_urls(emulator.base_urls())
}

/// Text with every character a form body must escape, and more.
pub fn tricky() -> &'static str {
    "a&b=c+d%20 \"quoted\" \n 中文 😀"
}

/// `/group/create.json`, declared here because the group calls of
/// `api-endpoints` are another change: a raw signed call through api-core
/// that gives a test its group.
#[api_core::endpoint(path = "/group/create.json", encoding = "form", response = CodeOnly)]
pub struct RawGroupCreate {
    pub user_id: Vec<String>,
    pub group_id: String,
    pub group_name: String,
}

/// Creates the group `group_id` with `members` on the emulator.
pub async fn create_group(client: &Client, group_id: &str, members: &[&str]) {
    let create = RawGroupCreate {
        user_id: members.iter().map(|m| m.to_string()).collect(),
        group_id: group_id.to_owned(),
        group_name: format!("Group {group_id}"),
    };
    client.send(&create).await.expect("group created");
}

/// Counts what reaches it and answers a bare success.
#[derive(Clone, Default)]
pub struct Counting(Arc<AtomicUsize>);

impl Transport for Counting {
    fn send(
        &self,
        _request: http::Request<Bytes>,
        _timeout: Duration,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(http::Response::new(Bytes::from_static(br#"{"code":200}"#))) })
    }
}

/// Sends `request` through a transport that counts requests, and checks
/// that it was refused before anything was sent with a violation of `rule`
/// at `path`.
pub async fn expect_invalid<E: Endpoint>(request: &E, path: &str, rule: Rule) -> ValidationError {
    let transport = Counting::default();
    let client = Client::builder(Credentials::new("key", "secret"))
        .transport(transport.clone())
        .build()
        .unwrap();
    let Err(error) = client.send(request).await else {
        panic!("{path}: the request was accepted")
    };
    assert_eq!(transport.0.load(Ordering::SeqCst), 0, "something was sent");
    assert_eq!(error.delivery(), api_core::Delivery::NotSent);
    let Error::Validation(validation) = error else {
        panic!("not a validation error: {error:?}")
    };
    let violation = validation
        .at(path)
        .unwrap_or_else(|| panic!("no violation at {path}: {validation}"));
    assert_eq!(violation.rule(), &rule, "{validation}");
    validation
}

/// The typed API error of a refused call.
pub fn api_error(error: Error) -> api_core::ApiError {
    match error {
        Error::Api(api) => api,
        other => panic!("not an API error: {other:?}"),
    }
}
