//! The per-call CPU work of `private_publish`, for an instruction counter
//! rather than a clock: on a shared machine, wall time moves with the
//! neighbours, instruction counts do not.
//!
//! Runs one variant `ITERATIONS` times over as many clones of the request,
//! made before the loop:
//!
//! ```sh
//! cargo bench -p api-endpoints --bench per_call_instructions --no-run
//! BIN=$(ls -t target/release/deps/per_call_instructions-* | grep -v '\.d$' | head -1)
//! for variant in none ours bare; do for n in 2 1000; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null $BIN $variant $n 10000 2>&1 \
//!     | grep 'Collected'
//! done; done
//! ```
//!
//! Per call: (instructions of the variant − instructions of `none`) /
//! 10 000. `none` makes (and drops) the same clones and runs nothing, so
//! the difference is the loop alone; subtracting a run of 0 iterations
//! instead, as this bench's figures before 2026-12-04 did, leaves the
//! clones in both variants (3,300 instructions a call at 2 recipients,
//! 365,000 at 1000), which pulls their ratio toward 1. The variants are those of
//! the `private_publish` bench: `ours` validates, encodes and signs as the
//! client does per call; `bare` is `form_urlencoded` over the same pairs
//! and the SHA-1 of the signature input, hex-encoded.

use std::hint::black_box;

use api_core::{Credentials, PreparedRequest, RequestId, Signer};
use sha1::{Digest, Sha1};

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

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let variant = args.first().map_or("ours", String::as_str).to_owned();
    let recipients: usize = args.get(1).map_or(2, |n| n.parse().unwrap());
    let iterations: usize = args.get(2).map_or(10_000, |n| n.parse().unwrap());
    let signer = Signer::new(Credentials::new("uwd1c0sxdlx2", "Y1W2MeFwwwRxa0"));
    let mut request = api_endpoints::examples::private_publish();
    request.to_user_id = (0..recipients).map(|i| format!("{}", 2192 + i)).collect();
    // Made for every variant, `none` included: subtracting `none` cancels
    // them and leaves the loop.
    let requests: Vec<_> = (0..iterations).map(|_| request.clone()).collect();
    let to = request.to_user_id.clone();
    match variant.as_str() {
        "ours" => {
            for request in &requests {
                let prepared = PreparedRequest::new(black_box(request), RequestId::new()).unwrap();
                black_box((signer.sign_headers().unwrap(), prepared));
            }
        }
        "bare" => {
            for _ in 0..iterations {
                black_box(bare(black_box(&to), "Y1W2MeFwwwRxa0"));
            }
        }
        "none" => {}
        other => panic!("unknown variant {other}: ours, bare or none"),
    }
}
