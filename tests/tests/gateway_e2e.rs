//! What real gateways answer, over real sockets: an nginx-like gateway in
//! front of an `api-emulator` host answers HTML error pages (before or after
//! passing the request on), and the emulator itself refuses under its rate
//! limit. Every test counts what the emulator recorded, not what the client
//! believes.

mod support;

use std::time::{Duration, Instant};

use api_core::{Client, Credentials, Delivery, Error, ErrorCode, Pacing};
use api_emulator::{Emulator, Fault};
use api_endpoints::{PrivatePublish, TagSet, TextMessage};

use support::gateway::{Action, Gateway};

const PRIVATE: &str = "/message/private/publish.json";

fn client_to(emulator: &Emulator, urls: Vec<String>) -> Client {
    Client::builder(Credentials::new(emulator.app_key(), emulator.app_secret()))
        .base_urls(urls)
        .pacing(Pacing::disabled())
        .build()
        .unwrap()
}

fn publish() -> PrivatePublish<TextMessage> {
    PrivatePublish::new(
        "sender",
        ["u1", "u2"],
        TextMessage::new("through the gateway"),
    )
}

fn tags() -> TagSet {
    TagSet::new("u1", ["vip", "beta"])
}

#[tokio::test]
async fn an_idempotent_call_answered_by_a_gateway_page_is_applied_once_on_the_backup() {
    for status in [502, 503, 504] {
        let emulator = Emulator::builder().hosts(2).start().await.unwrap();
        let urls = emulator.base_urls();
        let gateway = Gateway::start(&urls[0]).await;
        gateway.always(Action::Page(status));
        let client = client_to(&emulator, vec![gateway.url(), urls[1].clone()]);

        client.send(&tags()).await.unwrap();

        assert_eq!(gateway.pages(), 1, "{status}");
        let requests = emulator.requests();
        assert_eq!(requests.len(), 1, "{status}: applied once");
        assert_eq!(requests[0].host, 1, "{status}: on the backup");
        assert_eq!(
            emulator.user_tags("u1"),
            Some(vec!["vip".to_owned(), "beta".to_owned()])
        );
        assert_eq!(client.current_host().as_str(), urls[1], "{status}: sticky");
    }
}

#[tokio::test]
async fn an_idempotent_call_whose_answer_a_gateway_lost_is_repeated_and_succeeds() {
    let emulator = Emulator::builder().hosts(2).start().await.unwrap();
    let urls = emulator.base_urls();
    let gateway = Gateway::start(&urls[0]).await;
    // The gateway passes the request on, then answers 504 itself.
    gateway.then(Action::PassThenPage(504));
    let client = client_to(&emulator, vec![gateway.url(), urls[1].clone()]);
    client.send(&tags()).await.unwrap();
    // Applied twice, with the same effect: that is what idempotent means.
    let hosts: Vec<usize> = emulator.requests().iter().map(|r| r.host).collect();
    assert_eq!(hosts, [0, 1]);
    assert_eq!(
        emulator.user_tags("u1"),
        Some(vec!["vip".to_owned(), "beta".to_owned()])
    );
}

#[tokio::test]
async fn a_publish_whose_answer_a_gateway_lost_is_not_resent_and_its_outcome_is_unknown() {
    for status in [502, 503, 504] {
        let emulator = Emulator::builder().hosts(2).start().await.unwrap();
        let urls = emulator.base_urls();
        let gateway = Gateway::start(&urls[0]).await;
        gateway.then(Action::PassThenPage(status));
        let client = client_to(&emulator, vec![gateway.url(), urls[1].clone()]);

        let error = client.send(&publish()).await.unwrap_err();

        assert_eq!(error.delivery(), Delivery::Unknown, "{status}");
        assert!(!error.is_retryable(), "{status}");
        let Error::Decode(decode) = &error else {
            panic!("{status}: {error:?}")
        };
        assert_eq!(decode.status().as_u16(), status);
        assert!(decode.body().contains("<html>"), "{decode}");
        // The emulator processed it exactly once: the message was delivered,
        // and a resend would have delivered it twice.
        assert_eq!(emulator.requests().len(), 1, "{status}");
        assert_eq!(emulator.deliveries().len(), 1, "{status}");
    }
}

#[tokio::test]
async fn a_gateway_429_page_is_waited_out_and_the_call_made_once() {
    let emulator = Emulator::start().await.unwrap();
    let url = emulator.base_url();
    let gateway = Gateway::start(&url).await;
    let client = client_to(&emulator, vec![gateway.url()]);

    gateway.then(Action::Page(429));
    client.send(&publish()).await.unwrap();
    gateway.then(Action::Page(429));
    client.send(&tags()).await.unwrap();

    assert_eq!(gateway.pages(), 2);
    let paths: Vec<String> = emulator.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, [PRIVATE, "/user/tag/set.json"], "each made once");
    assert_eq!(emulator.deliveries().len(), 1);
}

#[tokio::test]
async fn five_rate_limit_refusals_then_success_is_delivered_once_within_the_deadline() {
    let emulator = Emulator::start().await.unwrap();
    emulator.inject(Fault::rate_limited().on_path(PRIVATE).times(5));
    // The default policy: 3 attempts, a 30 s deadline.
    let client = Client::builder(Credentials::new(emulator.app_key(), emulator.app_secret()))
        .base_urls(emulator.base_urls())
        .build()
        .unwrap();
    let started = Instant::now();
    let answer = client.send(&publish()).await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(answer.message_uids.len(), 2);
    assert_eq!(emulator.answer_count(1008), 5);
    assert_eq!(emulator.requests().len(), 6);
    assert_eq!(emulator.deliveries().len(), 1);
    // Backoffs of 50-100, 100-200, 200-400, 400-800 and 800-1600 ms.
    assert!(
        elapsed >= Duration::from_millis(1550) && elapsed < Duration::from_secs(30),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn a_retry_after_of_a_day_fails_at_once_not_processed() {
    let emulator = Emulator::start().await.unwrap();
    emulator.inject(
        Fault::rate_limited()
            .retry_after(Duration::from_secs(86_400))
            .on_path(PRIVATE)
            .times(1),
    );
    let client = Client::builder(Credentials::new(emulator.app_key(), emulator.app_secret()))
        .base_urls(emulator.base_urls())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.send(&publish()).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(error.delivery(), Delivery::Rejected);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(86_400)));
    assert!(matches!(&error, Error::Api(api) if api.code() == ErrorCode::RateLimited));
    assert_eq!(emulator.requests().len(), 1);
    assert!(emulator.deliveries().is_empty());
}
