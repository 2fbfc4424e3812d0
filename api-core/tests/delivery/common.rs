//! A scripted mock transport and hand-written endpoints for the delivery
//! tests.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use api_core::{
    BoxFuture, ClientBuilder, CodeOnly, Credentials, Delivery, EncodeError, Encoding, Endpoint,
    Pacing, PerRecipientIds, RateLimit, Recipients, Report, Transport, TransportError,
    TransportErrorKind, Validate, validate::rules,
};
use bytes::Bytes;
use http::StatusCode;
use serde::Deserialize;

/// The secret every test client signs with; no output may contain it.
pub const SECRET: &str = "s3cr3t-never-logged";

pub const A: &str = "https://a.test";
pub const B: &str = "https://b.test";
pub const C: &str = "https://c.test";

/// What the mock saw of one attempt.
#[derive(Debug, Clone)]
pub struct Seen {
    pub host: String,
    pub path: String,
    pub nonce: String,
    pub signature: String,
    pub request_id: String,
    pub recipients: Vec<String>,
    pub at: tokio::time::Instant,
}

type Script = dyn Fn(&Seen, usize) -> Result<http::Response<Bytes>, TransportError> + Send + Sync;

/// A transport that records every attempt and answers with a script
/// (given the attempt and its index among all attempts).
#[derive(Clone)]
pub struct Mock {
    seen: Arc<Mutex<Vec<Seen>>>,
    script: Arc<Script>,
    latency: Duration,
}

impl Mock {
    pub fn new(
        script: impl Fn(&Seen, usize) -> Result<http::Response<Bytes>, TransportError>
        + Send
        + Sync
        + 'static,
    ) -> Self {
        Self {
            seen: Arc::default(),
            script: Arc::new(script),
            latency: Duration::ZERO,
        }
    }

    /// Every attempt succeeds (a publish answer naming each recipient).
    pub fn healthy() -> Self {
        Self::new(|seen, _| Ok(publish_ok(seen)))
    }

    /// Each attempt takes this long before its answer.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn hosts(&self) -> Vec<String> {
        self.seen().into_iter().map(|s| s.host).collect()
    }

    pub fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

impl Transport for Mock {
    fn send(
        &self,
        request: http::Request<Bytes>,
        _timeout: Duration,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let header = |name: &str| {
                request
                    .headers()
                    .get(name)
                    .map(|v| v.to_str().unwrap().to_owned())
                    .unwrap_or_default()
            };
            let recipients = form_urlencoded::parse(request.body())
                .filter(|(k, _)| k == "toUserId")
                .map(|(_, v)| v.into_owned())
                .collect();
            let seen = Seen {
                host: request.uri().host().unwrap().to_owned(),
                path: request.uri().path().to_owned(),
                nonce: header("nonce"),
                signature: header("signature"),
                request_id: header("x-request-id"),
                recipients,
                at: tokio::time::Instant::now(),
            };
            let index = {
                let mut all = self.seen.lock().unwrap();
                all.push(seen.clone());
                all.len() - 1
            };
            if !self.latency.is_zero() {
                tokio::time::sleep(self.latency).await;
            }
            (self.script)(&seen, index)
        })
    }
}

pub fn answer(status: u16, body: &str) -> http::Response<Bytes> {
    let mut response = http::Response::new(Bytes::from(body.to_owned()));
    *response.status_mut() = StatusCode::from_u16(status).unwrap();
    response
}

pub fn ok() -> http::Response<Bytes> {
    answer(200, r#"{"code":200}"#)
}

pub fn rate_limited(retry_after: Option<&str>) -> http::Response<Bytes> {
    let mut response = answer(429, r#"{"code":1008,"errorMessage":"Too many requests"}"#);
    if let Some(value) = retry_after {
        response
            .headers_mut()
            .insert(http::header::RETRY_AFTER, value.parse().unwrap());
    }
    response
}

pub fn server_error() -> http::Response<Bytes> {
    answer(500, r#"{"code":1000,"errorMessage":"internal"}"#)
}

/// A publish answer with one message id per recipient (`m-<id>`).
pub fn publish_ok(seen: &Seen) -> http::Response<Bytes> {
    let ids: Vec<serde_json::Value> = seen
        .recipients
        .iter()
        .map(|id| serde_json::json!({"userId": id, "messageUID": format!("m-{id}")}))
        .collect();
    answer(
        200,
        &serde_json::json!({"code": 200, "messageUIDs": ids}).to_string(),
    )
}

/// No connection could be made: the request never left.
pub fn refused(seen: &Seen) -> TransportError {
    TransportError::new(
        TransportErrorKind::Connect,
        Delivery::NotSent,
        &seen.host,
        "connection refused",
        None,
    )
}

/// The request was written but no answer came in time.
pub fn timed_out(seen: &Seen) -> TransportError {
    TransportError::new(
        TransportErrorKind::Timeout,
        Delivery::Unknown,
        &seen.host,
        "no answer in time",
        None,
    )
}

/// A client on the mock, paced at exactly the documented rates (no
/// margin), so that tests can assert exact waits.
pub fn builder(transport: Mock, hosts: &[&str]) -> ClientBuilder {
    api_core::Client::builder(Credentials::new("app-key", SECRET))
        .base_urls(hosts.iter().copied())
        .transport(transport)
        .pacing(Pacing::documented().margin(0.0))
}

fn form(recipients: &[String]) -> Vec<u8> {
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("fromUserId", "sender");
    for id in recipients {
        form.append_pair("toUserId", id);
    }
    form.finish().into_bytes()
}

/// A message id per recipient, as a publish answers.
#[derive(Debug, Clone, Deserialize)]
pub struct PublishAnswer {
    #[serde(rename = "messageUIDs")]
    pub ids: Vec<RecipientId>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RecipientId {
    #[serde(rename = "userId")]
    pub user_id: String,
    #[serde(rename = "messageUID")]
    pub message_uid: String,
}

impl PerRecipientIds for PublishAnswer {
    fn per_recipient_ids(&self) -> impl Iterator<Item = (&str, &str)> {
        self.ids
            .iter()
            .map(|id| (id.user_id.as_str(), id.message_uid.as_str()))
    }
}

/// Like the private publish: up to 1000 recipients, 6000 recipients a
/// minute, not idempotent.
#[derive(Debug, Clone)]
pub struct Publish {
    pub to: Vec<String>,
}

impl Publish {
    pub fn to(count: usize) -> Self {
        Self {
            to: (0..count).map(|i| format!("u{i}")).collect(),
        }
    }
}

impl Validate for Publish {
    fn validate_into(&self, report: &mut Report) {
        rules::recipients(report, &self.to, 1000);
    }
}

impl Endpoint for Publish {
    const PATH: &'static str = "/message/private/publish.json";
    const ENCODING: Encoding = Encoding::Form;
    const MAX_RECIPIENTS: Option<usize> = Some(1000);
    const RATE_LIMITS: &'static [RateLimit] =
        &[RateLimit::recipients(6000, Duration::from_secs(60))];
    type Response = PublishAnswer;

    fn encode_body(&self) -> Result<Vec<u8>, EncodeError> {
        Ok(form(&self.to))
    }

    fn recipients(&self) -> Option<&[String]> {
        Some(&self.to)
    }
}

impl Recipients for Publish {
    fn with_recipients(&self, recipients: &[String]) -> Self {
        Self {
            to: recipients.to_vec(),
        }
    }
}

/// At most 3 recipients a call and 6 recipients a second: small numbers
/// for bulk tests.
#[derive(Debug, Clone)]
pub struct Small {
    pub to: Vec<String>,
}

impl Validate for Small {
    fn validate_into(&self, report: &mut Report) {
        rules::recipients(report, &self.to, 3);
    }
}

impl Endpoint for Small {
    const PATH: &'static str = "/message/system/publish.json";
    const ENCODING: Encoding = Encoding::Form;
    const MAX_RECIPIENTS: Option<usize> = Some(3);
    const RATE_LIMITS: &'static [RateLimit] = &[RateLimit::recipients(6, Duration::from_secs(1))];
    type Response = PublishAnswer;

    fn encode_body(&self) -> Result<Vec<u8>, EncodeError> {
        Ok(form(&self.to))
    }

    fn recipients(&self) -> Option<&[String]> {
        Some(&self.to)
    }
}

impl Recipients for Small {
    fn with_recipients(&self, recipients: &[String]) -> Self {
        Self {
            to: recipients.to_vec(),
        }
    }
}

/// Like setting a user's tags: idempotent, not rate limited.
#[derive(Debug, Clone)]
pub struct SetTags;

impl Validate for SetTags {
    fn validate_into(&self, _: &mut Report) {}
}

impl Endpoint for SetTags {
    const PATH: &'static str = "/user/tag/set.json";
    const ENCODING: Encoding = Encoding::Json;
    const MAX_RECIPIENTS: Option<usize> = None;
    const IDEMPOTENT: bool = true;
    type Response = CodeOnly;

    fn encode_body(&self) -> Result<Vec<u8>, EncodeError> {
        Ok(br#"{"userId":"u1","tags":["a"]}"#.to_vec())
    }
}

/// Two uses of one quota ("/push.json"): 2 calls an hour and 3 a day.
#[derive(Debug, Clone)]
pub struct Push;
#[derive(Debug, Clone)]
pub struct Broadcast;

const PUSH_LIMITS: &[RateLimit] = &[
    RateLimit::calls(2, Duration::from_secs(3600)),
    RateLimit::calls(3, Duration::from_secs(86_400)),
];

impl Validate for Push {
    fn validate_into(&self, _: &mut Report) {}
}
impl Validate for Broadcast {
    fn validate_into(&self, _: &mut Report) {}
}

impl Endpoint for Push {
    const PATH: &'static str = "/push.json";
    const ENCODING: Encoding = Encoding::Json;
    const MAX_RECIPIENTS: Option<usize> = None;
    const RATE_LIMITS: &'static [RateLimit] = PUSH_LIMITS;
    type Response = CodeOnly;

    fn encode_body(&self) -> Result<Vec<u8>, EncodeError> {
        Ok(br#"{"platform":["ios"]}"#.to_vec())
    }
}

impl Endpoint for Broadcast {
    // Another path, same quota: the key decides what is shared.
    const PATH: &'static str = "/broadcast.json";
    const ENCODING: Encoding = Encoding::Json;
    const MAX_RECIPIENTS: Option<usize> = None;
    const RATE_LIMITS: &'static [RateLimit] = PUSH_LIMITS;
    const QUOTA: &'static str = "/push.json";
    type Response = CodeOnly;

    fn encode_body(&self) -> Result<Vec<u8>, EncodeError> {
        Ok(br#"{"platform":["android"]}"#.to_vec())
    }
}
