//! What verifying one callback costs, against the least any verifier must
//! do, measured in the same run.
//!
//! `bare`: split the query with `form_urlencoded`, pick the three values,
//! SHA-1 the secret, nonce and timestamp, decode the received hex and
//! compare with `==`: no spelling rules, no duplicate check, no freshness,
//! no constant-time comparison.
//! `check`: `CallbackVerifier::check` on the same query (every rule, no
//! replay guard).
//! `check_with_app_key`: the same query with the app's own parameters and
//! an `appKey`, as sealtalk-style deployments send it.
//! `guard_first_use`: `MemoryReplayGuard::first_use_now` for a new key, the
//! clock advancing 1 ms a call with a 5-minute window, so that the guard
//! holds 300,000 live entries once warm (1,000 callbacks a second) and
//! drops one expired entry per call.
//! `set_insert_remove`: its baseline, a bare `HashSet` of the same keys
//! inserting the new key and removing the one that expired (the least a
//! guard with per-entry expiry does), at the same 300,000 entries.
//!
//! ```sh
//! cargo bench -p api-core --bench callback_verify -- --warm-up-time 2 --measurement-time 5
//! ```

use std::collections::HashSet;
use std::hint::black_box;

use api_core::callback::{CallbackVerifier, MemoryReplayGuard, ReplayKey};
use api_core::{Clock, Credentials};
use criterion::{Criterion, criterion_group, criterion_main};
use sha1::{Digest, Sha1};

const SECRET: &str = "your-own-app-secret";
const QUERY: &str = "nonce=6JdWufDkiLqyeRU5&signTimestamp=1665601025006\
                     &signature=5c9891b71dbf07e37b69af7c17b4143ea5bb10d3";
const QUERY_WITH_APP_KEY: &str = "route=message&appKey=app-key\
                     &nonce=6JdWufDkiLqyeRU5&signTimestamp=1665601025006\
                     &signature=5c9891b71dbf07e37b69af7c17b4143ea5bb10d3";

struct Fixed;

impl Clock for Fixed {
    fn now_millis(&self) -> u64 {
        1_665_601_026_000
    }
}

#[inline(never)]
fn bare(query: &str) -> bool {
    let (mut nonce, mut timestamp, mut signature) = (None, None, None);
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        match &*name {
            "nonce" => nonce = Some(value),
            "signTimestamp" => timestamp = Some(value),
            "signature" => signature = Some(value),
            _ => {}
        }
    }
    let (Some(nonce), Some(timestamp), Some(signature)) = (nonce, timestamp, signature) else {
        return false;
    };
    let mut sha = Sha1::new();
    sha.update(SECRET.as_bytes());
    sha.update(nonce.as_bytes());
    sha.update(timestamp.as_bytes());
    let expected: [u8; 20] = sha.finalize().into();
    let mut received = [0u8; 20];
    hex::decode_to_slice(&*signature, &mut received).is_ok() && expected == received
}

/// The baseline of the guard: insert the new key, remove the expired one.
#[inline(never)]
fn set_insert_remove(set: &mut HashSet<[u8; 20]>, now: u64) -> bool {
    let key_at = |at: u64| {
        let mut bytes = [0u8; 20];
        bytes[..8].copy_from_slice(&at.to_le_bytes());
        bytes
    };
    if now > 300_000 {
        set.remove(&key_at(now - 300_000));
    }
    set.insert(key_at(now))
}

fn verify(c: &mut Criterion) {
    let verifier = CallbackVerifier::new(Credentials::new("app-key", SECRET)).with_clock(Fixed);
    assert!(bare(QUERY));
    assert!(verifier.check(QUERY).is_ok());
    assert!(verifier.check(QUERY_WITH_APP_KEY).is_ok());

    let mut group = c.benchmark_group("callback_verify");
    group.bench_function("bare", |b| b.iter(|| bare(black_box(QUERY))));
    group.bench_function("check", |b| {
        b.iter(|| verifier.check(black_box(QUERY)).is_ok())
    });
    group.bench_function("check_with_app_key", |b| {
        b.iter(|| verifier.check(black_box(QUERY_WITH_APP_KEY)).is_ok())
    });

    let guard = MemoryReplayGuard::new();
    let mut now: u64 = 0;
    group.bench_function("guard_first_use", |b| {
        b.iter(|| {
            now += 1;
            let mut bytes = [0u8; 20];
            bytes[..8].copy_from_slice(&now.to_le_bytes());
            let key = ReplayKey::from_bytes(bytes);
            guard.first_use_now(&key, now + 300_000, now).unwrap()
        })
    });
    let mut set = HashSet::new();
    let mut now: u64 = 0;
    group.bench_function("set_insert_remove", |b| {
        b.iter(|| {
            now += 1;
            set_insert_remove(&mut set, now)
        })
    });
    group.finish();
}

criterion_group!(benches, verify);
criterion_main!(benches);
