//! A bulk send with a progress bar on stderr.
//!
//! Starts a small stand-in server on 127.0.0.1 that answers publish calls
//! like the provider (one message id per recipient), with 30 ms of latency
//! and a 500 answer on every 20th call, then sends one message to a few
//! thousand recipients: 100 per call, paced at 1000 recipients a second,
//! 4 calls at a time.
//!
//! ```text
//! cargo run -p api-core --example bulk_progress -- [RECIPIENTS]
//! ```

use std::convert::Infallible;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use api_core::{
    BulkProgress, Client, Credentials, EncodeError, Encoding, Endpoint, PerRecipientIds, RateLimit,
    Recipients, Report, Validate, validate::rules,
};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use tokio::net::TcpListener;

/// A publish to up to 100 recipients, 1000 recipients a second.
#[derive(Debug, Clone)]
struct Announce {
    text: String,
    to: Vec<String>,
}

impl Validate for Announce {
    fn validate_into(&self, report: &mut Report) {
        rules::recipients(report, &self.to, 100);
    }
}

impl Endpoint for Announce {
    const PATH: &'static str = "/message/system/publish.json";
    const ENCODING: Encoding = Encoding::Form;
    const MAX_RECIPIENTS: Option<usize> = Some(100);
    const RATE_LIMITS: &'static [RateLimit] =
        &[RateLimit::recipients(1000, Duration::from_secs(1))];
    type Response = Published;

    fn encode_body(&self) -> Result<Vec<u8>, EncodeError> {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("fromUserId", "system");
        form.append_pair("objectName", "RC:TxtMsg");
        form.append_pair(
            "content",
            &serde_json::json!({ "content": self.text }).to_string(),
        );
        for id in &self.to {
            form.append_pair("toUserId", id);
        }
        Ok(form.finish().into_bytes())
    }

    fn recipients(&self) -> Option<&[String]> {
        Some(&self.to)
    }
}

impl Recipients for Announce {
    fn with_recipients(&self, recipients: &[String]) -> Self {
        Self {
            text: self.text.clone(),
            to: recipients.to_vec(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct Published {
    #[serde(rename = "messageUIDs")]
    ids: Vec<Uid>,
}

#[derive(Debug, Deserialize)]
struct Uid {
    #[serde(rename = "userId")]
    user_id: String,
    #[serde(rename = "messageUID")]
    message_uid: String,
}

impl PerRecipientIds for Published {
    fn per_recipient_ids(&self) -> impl Iterator<Item = (&str, &str)> {
        self.ids
            .iter()
            .map(|id| (id.user_id.as_str(), id.message_uid.as_str()))
    }
}

/// Answers publish calls on 127.0.0.1 until the process ends.
async fn stand_in_server() -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let calls = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let calls = calls.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: hyper::Request<Incoming>| {
                    let calls = calls.clone();
                    async move {
                        let body = request
                            .into_body()
                            .collect()
                            .await
                            .map(|body| body.to_bytes())
                            .unwrap_or_default();
                        tokio::time::sleep(Duration::from_millis(30)).await;
                        let call = calls.fetch_add(1, Ordering::Relaxed) + 1;
                        let (status, answer) = if call % 20 == 0 {
                            (
                                500,
                                serde_json::json!({"code": 1000, "errorMessage": "internal"}),
                            )
                        } else {
                            let ids: Vec<_> = form_urlencoded::parse(&body)
                                .filter(|(key, _)| key == "toUserId")
                                .map(|(_, id)| {
                                    serde_json::json!({"userId": id, "messageUID": format!("M{call}-{id}")})
                                })
                                .collect();
                            (200, serde_json::json!({"code": 200, "messageUIDs": ids}))
                        };
                        let mut response =
                            hyper::Response::new(Full::new(Bytes::from(answer.to_string())));
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
    Ok(format!("http://{address}"))
}

/// `[########............] 2300/5000 recipients  delivered 2200  not sent 0  unknown 100`
fn draw(progress: &BulkProgress, started: Instant) {
    const WIDTH: usize = 30;
    let filled = (progress.done() * WIDTH)
        .checked_div(progress.total)
        .unwrap_or(WIDTH);
    let mut stderr = std::io::stderr().lock();
    let _ = write!(
        stderr,
        "\r[{}{}] {}/{} recipients  delivered {}  not sent {}  unknown {}  {:.1}s ",
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        progress.done(),
        progress.total,
        progress.delivered,
        progress.not_sent,
        progress.unknown,
        started.elapsed().as_secs_f64(),
    );
    let _ = stderr.flush();
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count: usize = match std::env::args().nth(1) {
        Some(text) => text.parse()?,
        None => 3000,
    };
    let url = stand_in_server().await?;
    let client = Client::builder(Credentials::new("example-key", "example-secret"))
        .base_urls([url])
        .build()?;

    let message = Announce {
        text: "The service will be down for maintenance at 02:00.".into(),
        to: Vec::new(),
    };
    let recipients = (0..count).map(|i| format!("user{i}"));
    let bulk = client.bulk(&message, recipients).concurrency(4);
    let mut progress = bulk.progress();
    let started = Instant::now();
    let bar = tokio::spawn(async move {
        draw(&progress.borrow_and_update(), started);
        while progress.changed().await.is_ok() {
            draw(&progress.borrow_and_update(), started);
        }
    });
    let report = bulk.send().await;
    bar.await?;
    eprintln!();

    println!(
        "delivered to {} recipients in {:.1}s",
        report.delivered.len(),
        started.elapsed().as_secs_f64()
    );
    if let Some(first) = report.delivered.first() {
        println!(
            "  e.g. {} got message {}",
            first.recipient,
            first.message_id.as_deref().unwrap_or("(no id)")
        );
    }
    for batch in &report.unknown {
        println!(
            "  outcome unknown for {} recipients ({}..): {}",
            batch.recipients.len(),
            batch.recipients[0],
            batch.error
        );
    }
    for batch in &report.not_sent {
        println!(
            "  not sent to {} recipients: {}",
            batch.recipients.len(),
            batch.error
        );
    }
    Ok(())
}
