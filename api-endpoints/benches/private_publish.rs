//! Validate + encode + sign the page-001 example, against the bare minimum
//! for the same bytes, measured in the same run.
//!
//! `ours/N`: validate + encode + sign, as the client does per call:
//! `PreparedRequest::new` (every rule, form encoding, content JSON, a
//! request id) and `Signer::sign_headers` (fresh CSPRNG nonce, timestamp,
//! SHA-1, hex, the three header values) for the documented example with N
//! recipients.
//! `ours_http/N`: the same, then the whole `http::Request` (URI, seven
//! headers) through `to_http`, which signs itself.
//! `bare/N`: `form_urlencoded` over the same pairs (content already a JSON
//! string) and the SHA-1 of the signature input, hex-encoded.

use std::hint::black_box;

use api_core::{BaseUrl, Credentials, PreparedRequest, RequestId, Signer};
use api_endpoints::{PrivatePublish, TextMessage};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use sha1::{Digest, Sha1};

/// Page 001's example, addressed to `recipients` users.
fn example(recipients: usize) -> PrivatePublish<TextMessage> {
    let mut request = api_endpoints::examples::private_publish();
    request.to_user_id = (0..recipients).map(|i| format!("{}", 2192 + i)).collect();
    request
}

fn bare(to: &[String], secret: &str) -> (String, String) {
    let mut form = form_urlencoded::Serializer::new(String::with_capacity(256));
    form.append_pair("fromUserId", "2191");
    for id in to {
        form.append_pair("toUserId", id);
    }
    form.append_pair("objectName", "RC:TxtMsg");
    form.append_pair("content", r#"{"content":"hello","extra":"helloExtra"}"#);
    form.append_pair("pushContent", "thisisapush");
    form.append_pair("pushData", r#"{"pushData":"hello"}"#);
    form.append_pair("isIncludeSender", "0");
    form.append_pair("count", "4");
    form.append_pair("verifyBlacklist", "0");
    form.append_pair("isPersisted", "1");
    form.append_pair("expansion", "false");
    form.append_pair("disablePush", "false");
    let body = form.finish();
    let mut sha = Sha1::new();
    sha.update(secret.as_bytes());
    sha.update(b"14314");
    sha.update(b"1585127132438");
    (body, hex::encode(sha.finalize()))
}

fn bench(c: &mut Criterion) {
    let signer = Signer::new(Credentials::new("uwd1c0sxdlx2", "Y1W2MeFwwwRxa0"));
    let base = BaseUrl::parse("https://api.rong-api.com").unwrap();
    let mut group = c.benchmark_group("private_publish");
    for recipients in [2usize, 1000] {
        let request = example(recipients);
        let to = request.to_user_id.clone();
        group.throughput(Throughput::Elements(1));
        group.bench_with_input(
            BenchmarkId::new("ours", recipients),
            &request,
            |b, request| {
                // A fresh request each time, made outside the timing: a
                // message caches its serialized content after first use.
                b.iter_batched_ref(
                    || request.clone(),
                    |request| {
                        let prepared =
                            PreparedRequest::new(black_box(&*request), RequestId::new()).unwrap();
                        // Dropped here, as `bare` drops its output: kept
                        // to the end of the batch, each output would take
                        // fresh memory instead of reusing the last one's.
                        drop(black_box((signer.sign_headers().unwrap(), prepared)));
                    },
                    BatchSize::SmallInput,
                )
            },
        );
        group.bench_with_input(
            BenchmarkId::new("ours_http", recipients),
            &request,
            |b, request| {
                b.iter_batched_ref(
                    || request.clone(),
                    |request| {
                        let prepared =
                            PreparedRequest::new(black_box(&*request), RequestId::new()).unwrap();
                        drop(black_box(prepared.to_http(&base, &signer).unwrap()));
                    },
                    BatchSize::SmallInput,
                )
            },
        );
        group.bench_with_input(BenchmarkId::new("bare", recipients), &to, |b, to| {
            b.iter(|| black_box(bare(black_box(to), "Y1W2MeFwwwRxa0")))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
