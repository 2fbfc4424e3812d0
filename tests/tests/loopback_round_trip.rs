//! A real HTTP round trip over a loopback socket: what the client puts on
//! the wire (headers, content type, body) arrives as intended, and the
//! answer comes back typed.

use std::sync::{Arc, Mutex};

use api_core::{Client, Clock, Credentials, NonceSource, Signer};
use api_endpoints::{PrivatePublish, TextMessage};
use axum::Router;
use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::routing::post;

struct FixedClock;
impl Clock for FixedClock {
    fn now_millis(&self) -> u64 {
        1_585_127_132_438
    }
}

struct FixedNonce;
impl NonceSource for FixedNonce {
    fn fill_nonce(&self, out: &mut String) {
        out.push_str("14314");
    }
}

#[derive(Default)]
struct Seen {
    path: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

#[tokio::test]
async fn headers_content_type_and_body_arrive_as_intended() {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let record = seen.clone();
    let app = Router::new().route(
        "/message/private/publish.json",
        post(move |headers: HeaderMap, body: Bytes| {
            let record = record.clone();
            async move {
                let mut seen = record.lock().unwrap();
                seen.path = "/message/private/publish.json".into();
                seen.headers = headers;
                seen.body = body.to_vec();
                (
                    [("content-type", "application/json; charset=utf-8")],
                    r#"{"code":200,"messageUIDs":[{"userId":"a&b=c","messageUID":"M-1"},{"userId":"用户😀","messageUID":"M-2"}]}"#,
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let client = Client::builder(Credentials::new("uwd1c0sxdlx2", "Y1W2MeFwwwRxa0"))
        .base_urls([format!("http://{address}")])
        .clock(FixedClock)
        .nonce_source(FixedNonce)
        .build()
        .unwrap();
    let text = "quote \" amp & eq = plus + pct % nl \n 中文 😀";
    let answer = PrivatePublish::new("2191", ["a&b=c", "用户😀"], TextMessage::new(text))
        .push_content("50% off & more")
        .send(&client)
        .await
        .unwrap();
    assert_eq!(answer.message_uid("a&b=c"), Some("M-1"));
    assert_eq!(answer.message_uid("用户😀"), Some("M-2"));

    let seen = seen.lock().unwrap();
    assert_eq!(seen.path, "/message/private/publish.json");
    let header = |name: &str| {
        seen.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(header("app-key").as_deref(), Some("uwd1c0sxdlx2"));
    assert_eq!(header("nonce").as_deref(), Some("14314"));
    assert_eq!(header("timestamp").as_deref(), Some("1585127132438"));
    assert_eq!(
        header("signature"),
        Some(Signer::sign_parts(
            "Y1W2MeFwwwRxa0",
            "14314",
            "1585127132438"
        ))
    );
    assert_eq!(
        header("content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    let request_id = header("x-request-id").expect("a request id");
    assert_eq!(request_id.len(), 36);
    assert!(header("user-agent").unwrap().starts_with("api-core/"));

    let pairs: Vec<(String, String)> = form_urlencoded::parse(&seen.body).into_owned().collect();
    let values = |key: &str| {
        pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(values("fromUserId"), ["2191"]);
    assert_eq!(values("toUserId"), ["a&b=c", "用户😀"]);
    assert_eq!(values("objectName"), ["RC:TxtMsg"]);
    assert_eq!(values("pushContent"), ["50% off & more"]);
    let content: serde_json::Value = serde_json::from_str(values("content")[0]).unwrap();
    assert_eq!(content["content"], text);
    server.abort();
}
