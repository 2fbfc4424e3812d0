//! The client's own CPU per call, without a network: `Client::send` over a
//! transport that answers at once, beside the steps no client can skip,
//! measured in the same run.
//!
//! `send`: `Client::send` of a private publish to 2 recipients (pacing off,
//! retries default): validate, encode, sign, build the `http::Request`,
//! the attempt and failover bookkeeping, tracing spans (no subscriber),
//! and decoding page 001's documented answer into the typed response.
//! `steps`: the same message through `PreparedRequest::new`, `to_http` and
//! `decode_response` by hand, with nothing around them.
//!
//! The difference is what the delivery machinery costs per call; the
//! loopback bench shows what a call costs with the network.
//!
//! ```sh
//! cargo bench -p api-endpoints --bench client_call -- --warm-up-time 2 --measurement-time 5
//! ```

use std::hint::black_box;
use std::time::{Duration, Instant};

use api_core::{
    BaseUrl, BoxFuture, Client, Credentials, Endpoint, Pacing, PreparedRequest, RequestId,
    Transport, TransportError, decode_response,
};
use api_endpoints::{PrivatePublish, TextMessage};
use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};

/// Page 001's answer example, as documented (pretty-printed).
const ANSWER: &str = r#"{
"code": 200,
"messageUIDs": [
{
"userId": "2193",
"messageUID": "XXXX-JJJJ-KKK-LLLL"
},
{
"userId": "2192",
"messageUID": "XXXX-JJJJ-KKK-LLKL"
}
]
}"#;

const BASE: &str = "https://api.rong-api.com";

type Answer = <PrivatePublish<TextMessage> as Endpoint>::Response;

/// Answers every request at once with `ANSWER`.
struct Answering;

impl Transport for Answering {
    fn send(
        &self,
        _request: http::Request<Bytes>,
        _timeout: Duration,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async { Ok(http::Response::new(Bytes::from_static(ANSWER.as_bytes()))) })
    }
}

fn message() -> PrivatePublish<TextMessage> {
    PrivatePublish::new("2191", ["2192", "2193"], TextMessage::new("hello"))
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let credentials = Credentials::new("uwd1c0sxdlx2", "Y1W2MeFwwwRxa0");
    let client = runtime.block_on(async {
        Client::builder(credentials.clone())
            .base_urls([BASE])
            .pacing(Pacing::disabled())
            .transport(Answering)
            .build()
            .unwrap()
    });
    let signer = client.signer().clone();
    let base = BaseUrl::parse(BASE).unwrap();

    let mut group = c.benchmark_group("client_call");
    group.bench_function("send", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let started = Instant::now();
                for _ in 0..iters {
                    let answer = client.send(&message()).await.unwrap();
                    assert_eq!(answer.message_uids.len(), 2);
                    black_box(answer);
                }
                started.elapsed()
            })
        })
    });
    group.bench_function("steps", |b| {
        b.iter(|| {
            let message = message();
            let prepared = PreparedRequest::new(&message, RequestId::new()).unwrap();
            black_box(prepared.to_http(&base, &signer).unwrap());
            let answer: Answer = decode_response(
                http::StatusCode::OK,
                ANSWER.as_bytes(),
                Some(prepared.request_id().as_str()),
            )
            .unwrap();
            assert_eq!(answer.message_uids.len(), 2);
            black_box(answer)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
