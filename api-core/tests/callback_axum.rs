//! The axum integration of the callback verifier, end to end: a real axum
//! server on a loopback socket, real HTTP requests from hyper's client, one
//! connection per request.

#![cfg(feature = "axum")]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use api_core::callback::axum::{VerifiedCallback, VerifyCallbackLayer};
use api_core::callback::{
    CallbackVerifier, ChannelType, ChatroomEvent, ChatroomStatus, MemoryReplayGuard, MessageRoute,
    OnlineStatus, ReplayFuture, ReplayGuard, ReplayGuardError, ReplayKey, UserOnlineStatus,
    Verified,
};
use api_core::{Clock, Credentials, Signer};
use axum::extract::DefaultBodyLimit;
use axum::routing::post;
use axum::{Extension, Router};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};

const KEY: &str = "app-key-1";
const SECRET: &str = "your-own-app-secret";
const NONCE: &str = "6JdWufDkiLqyeRU5";
const MILLIS: &str = "1665601025006";
const SIGNED_AT: u64 = 1_665_601_025_006;
const VECTOR: &str = "5c9891b71dbf07e37b69af7c17b4143ea5bb10d3";

const ROUTED: &str = "fromUserId=u1&toUserId=g1&objectName=RC%3ATxtMsg\
    &content=%7B%22content%22%3A%22a%26b%3Dc+%E4%BD%A0%F0%9F%98%80%22%7D\
    &channelType=GROUP&msgTimestamp=1665601025000&msgUID=BRGM-AH3D-RJ84-D4T6\
    &groupUserIds=u2&groupUserIds=u3";

#[derive(Clone)]
struct TestClock(Arc<AtomicU64>);

impl Clock for TestClock {
    fn now_millis(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// A verifier whose clock reads 2 s after the vector was signed.
fn verifier() -> CallbackVerifier {
    CallbackVerifier::new(Credentials::new(KEY, SECRET))
        .with_clock(TestClock(Arc::new(AtomicU64::new(SIGNED_AT + 2_000))))
}

fn signed(nonce: &str, timestamp_name: &str, timestamp: &str) -> String {
    let signature = Signer::sign_parts(SECRET, nonce, timestamp);
    let (nonce_name, signature_name) = if timestamp_name == "rc-timestamp" {
        ("rc-nonce", "rc-signature")
    } else {
        ("nonce", "signature")
    };
    format!("{nonce_name}={nonce}&{timestamp_name}={timestamp}&{signature_name}={signature}")
}

fn vector() -> String {
    format!("nonce={NONCE}&signTimestamp={MILLIS}&signature={VECTOR}")
}

async fn routed(VerifiedCallback { payload, verified }: VerifiedCallback<MessageRoute>) -> String {
    assert_eq!(payload.channel_type, ChannelType::Group);
    let text: serde_json::Value = payload.content_json().unwrap();
    format!(
        "{} -> {} ({:?}): {} [{}] nonce {}",
        payload.from_user_id,
        payload.to_user_id,
        verified.spelling(),
        text["content"].as_str().unwrap(),
        payload.group_user_ids.join(","),
        verified.nonce(),
    )
}

async fn presence(callback: VerifiedCallback<Vec<UserOnlineStatus>>) -> String {
    callback
        .payload
        .iter()
        .map(|event| format!("{}={}", event.userid, event.status))
        .collect::<Vec<_>>()
        .join(" ")
}

async fn chatroom(callback: VerifiedCallback<Vec<ChatroomStatus>>) -> String {
    callback
        .payload
        .iter()
        .map(|event| {
            format!(
                "{}:{:?}:{}",
                event.chat_room_id,
                event.event,
                event.user_ids.len()
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Starts `app` on a free loopback port; the server lives as long as the
/// test's runtime.
async fn serve(app: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("{address}")
}

struct Answer {
    status: u16,
    www_authenticate: Option<String>,
    content_type: Option<String>,
    body: String,
}

/// One POST on a new connection, with `target` sent exactly as given.
async fn post_to(address: &str, target: &str, content_type: &str, body: &str) -> Answer {
    let stream = TcpStream::connect(address).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    let request = http::Request::post(target)
        .header(http::header::HOST, address)
        .header(http::header::CONTENT_TYPE, content_type)
        .body(Full::new(Bytes::from(body.to_owned())))
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    let header = |name: http::HeaderName| {
        response
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    };
    let www_authenticate = header(http::header::WWW_AUTHENTICATE);
    let content_type = header(http::header::CONTENT_TYPE);
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        www_authenticate,
        content_type,
        body: String::from_utf8(body.to_vec()).unwrap(),
    }
}

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

fn app(verifier: CallbackVerifier) -> Router {
    Router::new()
        .route("/message", post(routed))
        .route("/presence", post(presence))
        .route("/chatroom", post(chatroom))
        .with_state(verifier)
}

#[tokio::test]
async fn each_spelling_of_a_routed_message_is_accepted() {
    let address = serve(app(verifier())).await;
    let expected = |spelling: &str, nonce: &str| {
        format!("u1 -> g1 ({spelling}): a&b=c 你😀 [u2,u3] nonce {nonce}")
    };

    let answer = post_to(&address, &format!("/message?{}", vector()), FORM, ROUTED).await;
    assert_eq!(
        (answer.status, answer.body),
        (200, expected("SignTimestamp", NONCE))
    );

    let query = signed("older", "timestamp", MILLIS);
    let answer = post_to(&address, &format!("/message?{query}"), FORM, ROUTED).await;
    assert_eq!(
        (answer.status, answer.body),
        (200, expected("Timestamp", "older"))
    );

    let query = signed("oldest", "rc-timestamp", "1665601025");
    let answer = post_to(&address, &format!("/message?{query}"), FORM, ROUTED).await;
    assert_eq!(
        (answer.status, answer.body),
        (200, expected("RcPrefixed", "oldest"))
    );

    // The app's own parameters in the callback URL, an appKey, and
    // percent-encoded signing values are all fine.
    let query = format!(
        "route=msg&appKey={KEY}&nonce=a%20b%2Bc&signTimestamp={MILLIS}&signature={}",
        Signer::sign_parts(SECRET, "a b+c", MILLIS).to_ascii_uppercase()
    );
    let answer = post_to(&address, &format!("/message?{query}"), FORM, ROUTED).await;
    assert_eq!(
        (answer.status, answer.body),
        (200, expected("SignTimestamp", "a b+c"))
    );
}

#[tokio::test]
async fn status_callbacks_are_accepted() {
    let address = serve(app(verifier())).await;
    let body = r#"[{"userid":"u1","status":"0","os":"iOS","time":1665601025006,"clientIp":"203.0.113.7:1","sessionId":"s"},
                   {"userid":"u2","status":"2","time":1665601025007}]"#;
    let answer = post_to(&address, &format!("/presence?{}", vector()), JSON, body).await;
    assert_eq!((answer.status, answer.body.as_str()), (200, "u1=0 u2=2"));
    assert_eq!(
        UserOnlineStatus::parse_batch(body.as_bytes()).unwrap()[1].status,
        OnlineStatus::Logout
    );

    let body = r#"[{"chatRoomId":"r1","userIds":["a","b"],"status":0,"type":1,"time":1665601025006},
                   {"chatRoomId":"r2","status":3,"type":3,"time":1665601025006}]"#;
    let answer = post_to(&address, &format!("/chatroom?{}", vector()), JSON, body).await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (200, "r1:Joined:2 r2:Destroyed:0")
    );
    assert_eq!(
        ChatroomStatus::parse_batch(body.as_bytes()).unwrap()[0].event,
        ChatroomEvent::Joined
    );
}

/// Every refusal: its status, the start of its body, and whether the
/// `WWW-Authenticate` challenge comes with it.
#[tokio::test]
async fn each_refusal_has_its_status_and_names_the_check() {
    let guarded = verifier().with_replay_guard(MemoryReplayGuard::new());
    let address = serve(app(guarded)).await;
    // The first use of the vector, so that the replay below is one.
    let first = post_to(&address, &format!("/message?{}", vector()), FORM, ROUTED).await;
    assert_eq!(first.status, 200, "{}", first.body);

    let stale = signed("n", "signTimestamp", &(SIGNED_AT - 300_000).to_string());
    let future = signed("n", "signTimestamp", &(SIGNED_AT + 400_000).to_string());
    let short = format!(
        "nonce={NONCE}&signTimestamp={MILLIS}&signature={}",
        &VECTOR[..39]
    );
    let forged = format!(
        "nonce={NONCE}&signTimestamp={MILLIS}&signature={}",
        "0".repeat(40)
    );
    let cases: Vec<(String, u16, &str)> = vec![
        (String::new(), 401, "the query carries no signature"),
        (
            format!("signTimestamp={MILLIS}&signature={VECTOR}"),
            401,
            "missing query parameter nonce",
        ),
        (
            format!("{}&nonce=other", vector()),
            401,
            "query parameter nonce appears more than once",
        ),
        (
            format!("{}&rc-timestamp=1", vector()),
            401,
            "query parameters nonce and rc-timestamp mix",
        ),
        (
            format!("{}&timestamp=1", vector()),
            401,
            "query parameters signTimestamp and timestamp disagree",
        ),
        (
            format!("nonce={NONCE}&signTimestamp=yesterday&signature={VECTOR}"),
            401,
            "query parameter signTimestamp is not a timestamp in milliseconds",
        ),
        (
            short,
            401,
            "query parameter signature is not 40 hexadecimal digits",
        ),
        (forged, 401, "the signature does not match"),
        (stale, 403, "the callback was signed 302s ago"),
        (future, 403, "the callback is signed 398s in the future"),
        (
            vector(),
            403,
            "a callback with this nonce and timestamp was already accepted",
        ),
        (
            format!("{}&appKey=another", vector()),
            403,
            "the appKey \"another\" is not this application's App Key",
        ),
    ];
    for (query, status, message) in cases {
        let answer = post_to(&address, &format!("/message?{query}"), FORM, ROUTED).await;
        assert_eq!(answer.status, status, "{query}: {}", answer.body);
        assert!(
            answer
                .body
                .starts_with(&format!("callback refused: {message}")),
            "{query}: {}",
            answer.body
        );
        assert!(!answer.body.contains(SECRET));
        assert_eq!(
            answer.content_type.as_deref(),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(
            answer.www_authenticate.is_some(),
            status == 401,
            "{query}: the challenge comes with 401 only"
        );
    }
}

#[tokio::test]
async fn a_failing_replay_store_answers_503() {
    struct Down;
    impl ReplayGuard for Down {
        fn first_use(&self, _: &ReplayKey, _: u64, _: u64) -> ReplayFuture<'_> {
            Box::pin(async { Err(ReplayGuardError::Store("redis: connection refused".into())) })
        }
    }
    let address = serve(app(verifier().with_replay_guard(Down))).await;
    let answer = post_to(&address, &format!("/message?{}", vector()), FORM, ROUTED).await;
    assert_eq!(answer.status, 503);
    assert_eq!(
        answer.body,
        "callback refused: the replay guard failed: its store failed: redis: connection refused\n"
    );
}

#[tokio::test]
async fn a_bad_payload_answers_400_and_a_huge_one_413() {
    let app = app(verifier()).layer(DefaultBodyLimit::max(1024));
    let address = serve(app).await;
    let answer = post_to(
        &address,
        &format!("/message?{}", vector()),
        FORM,
        "fromUserId=u1&toUserId=g1",
    )
    .await;
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.body,
        "callback payload refused: missing field objectName\n"
    );

    let answer = post_to(&address, &format!("/presence?{}", vector()), JSON, "<html>").await;
    assert_eq!(answer.status, 400);
    assert!(
        answer
            .body
            .starts_with("callback payload refused: the body is not the expected JSON")
    );

    let huge = format!("{ROUTED}&pad={}", "x".repeat(2048));
    let answer = post_to(&address, &format!("/message?{}", vector()), FORM, &huge).await;
    assert_eq!(answer.status, 413, "{}", answer.body);
}

#[tokio::test]
async fn the_layer_keeps_unverified_requests_from_the_handler() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    let raw = move |Extension(verified): Extension<Verified>, body: Bytes| {
        let counted = counted.clone();
        async move {
            counted.fetch_add(1, Ordering::SeqCst);
            format!("{} bytes from {}", body.len(), verified.nonce())
        }
    };
    let guarded = verifier().with_replay_guard(MemoryReplayGuard::new());
    let app: Router = Router::new()
        .route("/raw", post(raw))
        // The extractor behind the layer takes the layer's verification:
        // with a replay guard, a second one would refuse the request.
        .route("/message", post(routed))
        .layer(VerifyCallbackLayer::new(guarded.clone()))
        .with_state(guarded);
    let address = serve(app).await;

    let forged = format!(
        "nonce={NONCE}&signTimestamp={MILLIS}&signature={}",
        "1".repeat(40)
    );
    let answer = post_to(&address, &format!("/raw?{forged}"), JSON, "{}").await;
    assert_eq!(answer.status, 401);
    assert_eq!(
        answer.body,
        "callback refused: the signature does not match\n"
    );
    assert!(answer.www_authenticate.is_some());
    assert_eq!(calls.load(Ordering::SeqCst), 0, "the handler never ran");

    let answer = post_to(&address, &format!("/raw?{}", vector()), JSON, "{\"a\":1}").await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (200, "7 bytes from 6JdWufDkiLqyeRU5")
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    let again = post_to(&address, &format!("/raw?{}", vector()), JSON, "{}").await;
    assert_eq!(again.status, 403, "{}", again.body);
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    let query = signed("layered", "signTimestamp", MILLIS);
    let answer = post_to(&address, &format!("/message?{query}"), FORM, ROUTED).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.body.ends_with("nonce layered"), "{}", answer.body);
}
