//! Validate + encode + sign the largest documented `/push.json` example
//! (page 000, package-name notification with every platform's options),
//! beside `serde_json` writing the same document from a prebuilt `Value`
//! plus the SHA-1 of the signature input, in the same run.

use std::hint::black_box;

use api_core::{Credentials, PreparedRequest, RequestId, Signer};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use sha1::{Digest, Sha1};

fn bench(c: &mut Criterion) {
    let signer = Signer::new(Credentials::new("uwd1c0sxdlx2", "Y1W2MeFwwwRxa0"));
    let request = api_endpoints::examples::package_name_notification();
    // Serialized from a copy: a message caches its content after first use,
    // and every timed run below starts from an untouched clone.
    let prepared = PreparedRequest::new(&request.clone(), RequestId::new()).unwrap();
    let document: serde_json::Value = serde_json::from_slice(prepared.body()).unwrap();
    let mut group = c.benchmark_group("push_package_name_000");
    group.bench_function("ours", |b| {
        b.iter_batched_ref(
            || request.clone(),
            |request| {
                let prepared =
                    PreparedRequest::new(black_box(&*request), RequestId::new()).unwrap();
                black_box((signer.sign_headers().unwrap(), prepared))
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("bare", |b| {
        b.iter(|| {
            let body = serde_json::to_vec(black_box(&document)).unwrap();
            let mut sha = Sha1::new();
            sha.update(b"Y1W2MeFwwwRxa0");
            sha.update(b"14314");
            sha.update(b"1585127132438");
            black_box((body, hex::encode(sha.finalize())))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
