//! The task that posts queued callbacks, on hyper-util's pooled HTTP/1 client.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{Method, Request, Uri, header};
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tokio::sync::mpsc;

use super::{CallbackFailure, Job, Stats};
use crate::ids;
use crate::signature::sign;

/// How long one post may take, connection included.
const TIMEOUT: Duration = Duration::from_secs(3);
/// The most of an answer body read (it is only read so the connection can be reused).
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Posts jobs until every sender is gone.
pub(super) async fn run(mut queue: mpsc::Receiver<Job>, stats: Arc<Stats>) {
    let client: Client<HttpConnector, Full<Bytes>> =
        Client::builder(TokioExecutor::new()).build_http();
    while let Some(job) = queue.recv().await {
        let result = tokio::time::timeout(TIMEOUT, post(&client, &job)).await;
        match result {
            Ok(Ok(())) => {
                stats.delivered.fetch_add(1, Ordering::Relaxed);
            }
            Ok(Err(reason)) => stats.fail(failure(&job, reason)),
            Err(_) => stats.fail(failure(&job, format!("no answer within {TIMEOUT:?}"))),
        }
        stats.pending.fetch_sub(1, Ordering::Relaxed);
    }
}

fn failure(job: &Job, reason: String) -> CallbackFailure {
    CallbackFailure {
        kind: job.kind,
        url: job.url.to_string(),
        reason,
    }
}

/// `url` with `nonce`, `signTimestamp` and `signature` added to its query.
///
/// `signTimestamp` is the real wall clock, not the emulator's (possibly
/// scaled or manual) clock: the handler receiving it checks freshness against
/// its own wall clock.
pub(crate) fn signed_url(url: &Uri, secret: &str, nonce: &str, timestamp_ms: u64) -> String {
    let timestamp = timestamp_ms.to_string();
    let signature = sign(secret, nonce, &timestamp);
    let base = url.to_string();
    let separator = if url.query().is_some() { '&' } else { '?' };
    format!("{base}{separator}nonce={nonce}&signTimestamp={timestamp}&signature={signature}")
}

async fn post(client: &Client<HttpConnector, Full<Bytes>>, job: &Job) -> Result<(), String> {
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    // REFERENCE.md: nonces are at most 18 characters.
    let url = signed_url(&job.url, &job.secret, &ids::nonce(16), now_ms);
    let request = Request::builder()
        .method(Method::POST)
        .uri(url)
        .header(header::CONTENT_TYPE, job.content_type)
        .header(header::USER_AGENT, "api-emulator callbacks")
        .body(Full::new(job.body.clone()))
        .map_err(|e| format!("cannot build the request: {e}"))?;
    let response = client
        .request(request)
        .await
        .map_err(|e| format!("cannot post: {e}"))?;
    let status = response.status();
    // Read (a bounded part of) the answer so the connection can serve the next post.
    let _ = Limited::new(response.into_body(), MAX_ANSWER_BYTES)
        .collect()
        .await;
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("answered HTTP {}", status.as_u16()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_in_the_query_string() {
        let url: Uri = "http://127.0.0.1:9/cb".parse().unwrap();
        assert_eq!(
            signed_url(
                &url,
                "your-own-app-secret",
                "6JdWufDkiLqyeRU5",
                1_665_601_025_006
            ),
            "http://127.0.0.1:9/cb?nonce=6JdWufDkiLqyeRU5&signTimestamp=1665601025006\
             &signature=5c9891b71dbf07e37b69af7c17b4143ea5bb10d3"
        );
        let with_query: Uri = "http://h/cb?app=1".parse().unwrap();
        assert!(signed_url(&with_query, "s", "n", 1).starts_with("http://h/cb?app=1&nonce=n&"));
    }
}
