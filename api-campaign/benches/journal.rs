//! What the journal costs per chunk: a campaign's run (claim, intent and
//! outcome commits, each with a full sync, plus the call) against the
//! in-memory bulk send of `api_core` (the call alone), both through a
//! transport that answers at once, in the same run. The difference is the
//! journal's cost; with several chunks in hand, commits are grouped.
//!
//! ```sh
//! cargo bench -p api-campaign --bench journal
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use api_campaign::{Campaign, RecipientSource};
use api_core::{BoxFuture, Client, Credentials, Pacing, Transport, TransportError};
use api_endpoints::{PrivatePublish, TextMessage};
use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// Chunks per measured run.
const CHUNKS: usize = 50;
/// Recipients per chunk: realistic ids and message ids, a full-size row.
const CHUNK_SIZE: usize = 1000;

/// Answers every publish at once with one message id per recipient.
struct Instant200;

impl Transport for Instant200 {
    fn send(
        &self,
        request: http::Request<Bytes>,
        _timeout: Duration,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let mut body = String::from(r#"{"code":200,"messageUIDs":["#);
            let mut first = true;
            for (key, value) in form_urlencoded::parse(request.body()) {
                if key == "toUserId" {
                    if !first {
                        body.push(',');
                    }
                    first = false;
                    body.push_str(&format!(
                        r#"{{"userId":"{value}","messageUID":"C2QB-{value}-0000"}}"#
                    ));
                }
            }
            body.push_str("]}");
            Ok(http::Response::new(Bytes::from(body)))
        })
    }
}

fn client() -> Client {
    Client::builder(Credentials::new("key", "secret"))
        .base_urls(["http://127.0.0.1:9"])
        .transport(Instant200)
        .pacing(Pacing::disabled())
        .build()
        .unwrap()
}

fn ids() -> Vec<String> {
    (0..CHUNKS * CHUNK_SIZE)
        .map(|i| format!("user{i:08}"))
        .collect()
}

fn template() -> PrivatePublish<TextMessage> {
    PrivatePublish::new("ops", Vec::<String>::new(), TextMessage::new("bench"))
}

fn per_chunk(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let client = client();
    let ids = Arc::new(ids());
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("per_chunk_of_1000");
    group.throughput(Throughput::Elements(CHUNKS as u64));
    group.sample_size(10);
    for concurrency in [1, 8] {
        group.bench_with_input(
            BenchmarkId::new("bulk_in_memory", concurrency),
            &concurrency,
            |b, &concurrency| {
                b.iter_custom(|iters| {
                    runtime.block_on(async {
                        let started = Instant::now();
                        for _ in 0..iters {
                            let report = client
                                .bulk(&template(), ids.iter().cloned())
                                .concurrency(concurrency)
                                .send()
                                .await;
                            assert!(report.is_complete());
                        }
                        started.elapsed()
                    })
                })
            },
        );
        let mut n = 0;
        group.bench_with_input(
            BenchmarkId::new("campaign_journal", concurrency),
            &concurrency,
            |b, &concurrency| {
                b.iter_custom(|iters| {
                    runtime.block_on(async {
                        let mut elapsed = Duration::ZERO;
                        for _ in 0..iters {
                            n += 1;
                            let path = dir.path().join(format!("bench-{concurrency}-{n}.journal"));
                            let ids = ids.clone();
                            let campaign = Campaign::builder(client.clone(), template())
                                .concurrency(concurrency)
                                .create(&path, RecipientSource::ids((*ids).clone()))
                                .await
                                .unwrap();
                            // Only the run is timed, not the import.
                            let started = Instant::now();
                            let summary = campaign.run().await.unwrap();
                            elapsed += started.elapsed();
                            assert!(summary.counts.is_complete());
                            campaign.close().await.unwrap();
                            std::fs::remove_file(&path).unwrap();
                        }
                        elapsed
                    })
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, per_chunk);
criterion_main!(benches);
