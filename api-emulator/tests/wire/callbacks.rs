//! Callbacks received by a small HTTP server in the test, their signature
//! checked against the documented formula computed here by hand.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use api_emulator::{CallbackKind, Emulator, OnlineStatusEvent};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::client::signature;
use crate::{PRIVATE, assert_ok, enc, post};

/// One callback as the test's server received it.
#[derive(Debug)]
struct Received {
    path: String,
    query: HashMap<String, String>,
    content_type: String,
    body: Vec<u8>,
}

impl Received {
    /// The form body as (name, value) pairs in order.
    fn form(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(&self.body).into_owned().collect()
    }

    fn field(&self, name: &str) -> String {
        self.form()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("no {name} in {:?}", self.form()))
    }

    /// Checks `signature = hex(SHA1(secret + nonce + signTimestamp))` and that
    /// the timestamp is the wall clock in milliseconds.
    #[track_caller]
    fn assert_signed(&self, secret: &str) {
        let nonce = &self.query["nonce"];
        let timestamp = &self.query["signTimestamp"];
        assert!(!nonce.is_empty() && nonce.len() <= 18, "{nonce}");
        assert_eq!(self.query["signature"], signature(secret, nonce, timestamp));
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        let ts: u64 = timestamp.parse().unwrap();
        assert!(
            now.abs_diff(ts) < 60_000,
            "signTimestamp {ts} is not now ({now}) in ms"
        );
    }
}

/// A server answering every request with `status`, reporting what it got.
async fn server(status: u16) -> (SocketAddr, mpsc::UnboundedReceiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let tx = tx.clone();
                    async move {
                        let (parts, body) = req.into_parts();
                        let body = body
                            .collect()
                            .await
                            .map(|b| b.to_bytes())
                            .unwrap_or_default();
                        let query =
                            form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
                                .into_owned()
                                .collect();
                        let _ = tx.send(Received {
                            path: parts.uri.path().to_owned(),
                            query,
                            content_type: parts
                                .headers
                                .get("content-type")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("")
                                .to_owned(),
                            body: body.to_vec(),
                        });
                        let mut response =
                            hyper::Response::new(Full::new(Bytes::from_static(b"ok")));
                        *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap();
                        Ok::<_, Infallible>(response)
                    }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (addr, rx)
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Received>) -> Received {
    tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("a callback within 5 s")
        .expect("server running")
}

#[test]
fn the_documented_test_vector_signs() {
    assert_eq!(
        api_emulator::sign("your-own-app-secret", "6JdWufDkiLqyeRU5", "1665601025006"),
        "5c9891b71dbf07e37b69af7c17b4143ea5bb10d3"
    );
    assert_eq!(
        signature("your-own-app-secret", "6JdWufDkiLqyeRU5", "1665601025006"),
        "5c9891b71dbf07e37b69af7c17b4143ea5bb10d3"
    );
}

#[tokio::test]
async fn every_accepted_message_is_routed_signed() {
    let (addr, mut rx) = server(200).await;
    let emu = Emulator::builder()
        .app("key", "your-own-app-secret")
        .callback_url(format!("http://{addr}/rc/route?app=mine"))
        .start()
        .await
        .unwrap();
    let content = r#"{"content":"a&b=c+d %20 \"q\" 你好 🎉"}"#;
    let body = format!(
        "fromUserId=s&toUserId=a&toUserId=b&objectName=RC%3ATxtMsg&content={}",
        enc(content)
    );
    let answer = assert_ok(&post(&emu, PRIVATE, &body).await);

    let mut got = [next(&mut rx).await, next(&mut rx).await];
    got.sort_by_key(|r| r.field("toUserId"));
    for (i, (r, user)) in got.iter().zip(["a", "b"]).enumerate() {
        assert_eq!(r.path, "/rc/route");
        assert_eq!(r.query["app"], "mine", "the URL's own query is kept");
        assert_eq!(r.content_type, "application/x-www-form-urlencoded");
        r.assert_signed("your-own-app-secret");
        assert_eq!(r.field("toUserId"), user);
        assert_eq!(r.field("fromUserId"), "s");
        assert_eq!(r.field("objectName"), "RC:TxtMsg");
        assert_eq!(r.field("content"), content, "special characters round-trip");
        assert_eq!(r.field("channelType"), "PERSON");
        assert_eq!(
            r.field("msgUID"),
            answer["messageUIDs"][i]["messageUID"].as_str().unwrap()
        );
        assert_eq!(r.field("sensitiveType"), "0");
        assert_eq!(r.field("source"), "Server");
        assert_eq!(r.field("originalMsgUID"), "");
        let delivery_time = emu.deliveries()[0].at_millis.to_string();
        assert_eq!(r.field("msgTimestamp"), delivery_time);
    }

    // A targeted group message: one callback for the group, naming the targets.
    assert_ok(&post(&emu, "/group/join.json", "userId=a&userId=b&groupId=g1").await);
    let group = "fromUserId=s&toGroupId=g1&toUserId=a&toUserId=b&objectName=o&content=c";
    assert_ok(&post(&emu, "/message/group/publish.json", group).await);
    let r = next(&mut rx).await;
    assert_eq!(
        (
            r.field("channelType").as_str(),
            r.field("toUserId").as_str()
        ),
        ("GROUP", "g1")
    );
    let targets: Vec<String> = r
        .form()
        .into_iter()
        .filter(|(k, _)| k == "groupUserIds")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(targets, ["a", "b"]);

    // Sensitive words: blocked messages are not routed, replaced ones arrive replaced.
    assert_ok(&post(&emu, "/sensitiveword/add.json", "word=bad").await);
    assert_ok(&post(&emu, "/sensitiveword/add.json", "word=meh&replaceWord=ok").await);
    assert_ok(
        &post(
            &emu,
            PRIVATE,
            "fromUserId=s&toUserId=a&objectName=o&content=bad",
        )
        .await,
    );
    assert_ok(
        &post(
            &emu,
            PRIVATE,
            "fromUserId=s&toUserId=a&objectName=o&content=meh",
        )
        .await,
    );
    let r = next(&mut rx).await;
    assert_eq!(
        (
            r.field("content").as_str(),
            r.field("sensitiveType").as_str()
        ),
        ("ok", "2")
    );
    assert!(emu.callbacks_settled(Duration::from_secs(5)).await);
    let stats = emu.callback_stats();
    assert_eq!(
        (stats.enqueued, stats.delivered, stats.failed, stats.dropped),
        (4, 4, 0, 0)
    );
    assert!(rx.try_recv().is_err(), "the blocked message was not routed");
}

#[tokio::test]
async fn online_status_and_chatroom_status_are_posted_as_json() {
    let (addr, mut rx) = server(200).await;
    let emu = Emulator::builder()
        .user_status_callback_url(format!("http://{addr}/status"))
        .chatroom_status_callback_url(format!("http://{addr}/rooms"))
        .start()
        .await
        .unwrap();
    let secret = emu.app_secret().to_owned();
    let resp = crate::client::send(
        emu.addrs()[0],
        &crate::client::RawRequest::post("/_emulator/online-status").json(
            r#"[{"userid":"u1","status":"0","os":"Android","time":1700000000000,"clientIp":"10.0.0.1:5000","sessionId":"s1"},
                {"userid":"u2","status":"1"}]"#,
        ),
    )
    .await
    .unwrap();
    assert_eq!(
        resp.json(),
        serde_json::json!({"code": 200, "events": 2, "posted": true})
    );
    let r = next(&mut rx).await;
    assert_eq!(
        (r.path.as_str(), r.content_type.as_str()),
        ("/status", "application/json")
    );
    r.assert_signed(&secret);
    let events: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(
        events[0],
        serde_json::json!({"userid":"u1","status":"0","os":"Android","time":1700000000000u64,"clientIp":"10.0.0.1:5000","sessionId":"s1"})
    );
    assert_eq!(events[1]["userid"], "u2");
    assert_eq!(events[1]["os"], "iOS");
    assert!(events[1]["time"].as_u64().unwrap() > 0);
    assert!(
        emu.post_online_status([OnlineStatusEvent::new("u3", "0")])
            .unwrap()
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&next(&mut rx).await.body).unwrap()[0]["userid"],
        "u3"
    );

    assert_ok(
        &post(
            &emu,
            "/chatroom/create.json",
            "chatroom[r1]=One&chatroom[r2]=Two",
        )
        .await,
    );
    let r = next(&mut rx).await;
    assert_eq!(r.path, "/rooms");
    r.assert_signed(&secret);
    let events: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(events.as_array().unwrap().len(), 2);
    assert_eq!(
        (events[0]["chatRoomId"].as_str(), events[0]["type"].as_u64()),
        (Some("r1"), Some(0))
    );
    assert_eq!(
        (events[0]["status"].as_u64(), events[0]["userIds"].clone()),
        (Some(0), serde_json::json!([]))
    );
    assert_ok(
        &post(
            &emu,
            "/chatroom/destroy.json",
            "chatroomId=r2&chatroomId=none",
        )
        .await,
    );
    let events: serde_json::Value = serde_json::from_slice(&next(&mut rx).await.body).unwrap();
    assert_eq!(
        events,
        serde_json::json!([{"chatRoomId":"r2","userIds":[],"status":0,"type":3,"time":events[0]["time"]}])
    );
    // Without a message-routing URL, messages are not posted anywhere.
    assert_ok(&post(&emu, PRIVATE, &crate::private_body(&["a"])).await);
    assert!(emu.callbacks_settled(Duration::from_secs(5)).await);
    assert_eq!(emu.callback_stats().delivered, 4);
}

#[tokio::test]
async fn failures_are_counted_and_never_fail_the_call() {
    // A port nobody listens on, and a handler answering 500.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let (addr, _rx) = server(500).await;
    let emu = Emulator::builder()
        .callback_url(format!("http://{closed}/cb"))
        .chatroom_status_callback_url(format!("http://{addr}/rooms"))
        .start()
        .await
        .unwrap();
    assert_ok(&post(&emu, PRIVATE, &crate::private_body(&["a"])).await);
    assert_ok(&post(&emu, "/chatroom/create_new.json", "chatroomId=r1").await);
    assert!(emu.callbacks_settled(Duration::from_secs(10)).await);
    let stats = emu.callback_stats();
    assert_eq!((stats.enqueued, stats.delivered, stats.failed), (2, 0, 2));
    assert_eq!(stats.recent_failures[0].kind, CallbackKind::MessageRouting);
    assert!(
        stats.recent_failures[0].reason.starts_with("cannot post"),
        "{:?}",
        stats.recent_failures
    );
    assert_eq!(stats.recent_failures[1].reason, "answered HTTP 500");
    let route = crate::inspect(&emu, "/_emulator/callbacks").await;
    assert_eq!(route["failed"], 2);
}

#[tokio::test]
async fn a_full_queue_drops_instead_of_waiting() {
    // Accepts connections and never answers: each post waits for its timeout.
    let silent = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = silent.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = silent.accept().await {
            held.push(stream);
        }
    });
    let emu = Emulator::builder()
        .callback_url(format!("http://{addr}/cb"))
        .callback_queue(1)
        .start()
        .await
        .unwrap();
    for _ in 0..5 {
        assert_ok(&post(&emu, PRIVATE, &crate::private_body(&["a"])).await);
    }
    let stats = emu.callback_stats();
    // At most one being posted and one waiting: the others were dropped.
    assert!(stats.enqueued <= 2, "{stats:?}");
    assert_eq!(stats.enqueued + stats.dropped, 5, "{stats:?}");
    assert_eq!(emu.deliveries().len(), 5);
}

#[tokio::test]
async fn only_http_urls_are_accepted() {
    for url in ["https://example.com/cb", "not a url", "/relative"] {
        let err = Emulator::builder()
            .callback_url(url)
            .start()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{url}");
    }
}
