use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, Waker};

use super::*;
use crate::Signer;
use crate::callback::{MemoryReplayGuard, ReplayFuture, ReplayGuardError};

const KEY: &str = "app-key-1";
const SECRET: &str = "your-own-app-secret";
const NONCE: &str = "6JdWufDkiLqyeRU5";
const MILLIS: &str = "1665601025006";
const SIGNED_AT: u64 = 1_665_601_025_006;
/// The test vector of the Ruby gem's spec (API-BREADTH.md §3a).
const VECTOR: &str = "5c9891b71dbf07e37b69af7c17b4143ea5bb10d3";

/// A clock the test moves.
#[derive(Clone)]
struct TestClock(Arc<AtomicU64>);

impl TestClock {
    fn at(millis: u64) -> Self {
        Self(Arc::new(AtomicU64::new(millis)))
    }

    fn set(&self, millis: u64) {
        self.0.store(millis, Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now_millis(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

fn verifier_at(millis: u64) -> CallbackVerifier {
    CallbackVerifier::new(Credentials::new(KEY, SECRET)).with_clock(TestClock::at(millis))
}

fn verifier() -> CallbackVerifier {
    verifier_at(SIGNED_AT + 1_000)
}

/// The vector under the current spelling.
fn current() -> String {
    format!("nonce={NONCE}&signTimestamp={MILLIS}&signature={VECTOR}")
}

/// Runs a future that must be ready at once: the verifier's futures need no
/// runtime without a guard that does I/O.
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the future was not ready"),
    }
}

#[test]
fn the_test_vector_is_the_signers_formula() {
    assert_eq!(Signer::sign_parts(SECRET, NONCE, MILLIS), VECTOR);
    let mut key = [0u8; 20];
    hex::decode_to_slice(VECTOR, &mut key).unwrap();
    assert_eq!(digest(SECRET, NONCE, MILLIS), key);
}

#[test]
fn the_digest_agrees_with_the_signer_on_many_inputs() {
    for i in 0..200u64 {
        let secret = format!("secret-{i}");
        let nonce = format!("n{}", i * 7919);
        let timestamp = (SIGNED_AT + i * 13).to_string();
        assert_eq!(
            hex::encode(digest(&secret, &nonce, &timestamp)),
            Signer::sign_parts(&secret, &nonce, &timestamp)
        );
    }
}

#[test]
fn current_spelling_verifies() {
    let verified = verifier().check(&current()).unwrap();
    assert_eq!(verified.spelling(), Spelling::SignTimestamp);
    assert_eq!(verified.nonce(), NONCE);
    assert_eq!(verified.timestamp(), MILLIS);
    assert_eq!(verified.signed_at_millis(), SIGNED_AT);
    assert_eq!(verified.valid_until_millis(), SIGNED_AT + 300_000);
    assert_eq!(verified.replay_key().to_string(), VECTOR);
}

#[test]
fn older_timestamp_spelling_verifies() {
    let query = format!("signature={VECTOR}&timestamp={MILLIS}&nonce={NONCE}");
    let verified = verifier().check(&query).unwrap();
    assert_eq!(verified.spelling(), Spelling::Timestamp);
    assert_eq!(verified.signed_at_millis(), SIGNED_AT);
}

#[test]
fn rc_spelling_verifies_with_a_timestamp_in_seconds() {
    let seconds = "1665601025";
    let signature = Signer::sign_parts(SECRET, NONCE, seconds);
    let query = format!("rc-nonce={NONCE}&rc-timestamp={seconds}&rc-signature={signature}");
    // 0.5 s after the second it was signed in.
    let verified = verifier_at(1_665_601_025_500).check(&query).unwrap();
    assert_eq!(verified.spelling(), Spelling::RcPrefixed);
    assert_eq!(verified.timestamp(), seconds);
    assert_eq!(verified.signed_at_millis(), 1_665_601_025_000);
    // Read as milliseconds it would be 1970: the unit matters.
    let as_millis = format!("nonce={NONCE}&signTimestamp={seconds}&signature={signature}");
    assert!(matches!(
        verifier().check(&as_millis),
        Err(VerifyError::Stale { .. })
    ));
}

#[test]
fn both_millisecond_spellings_with_one_value_verify() {
    let query = format!("{}&timestamp={MILLIS}", current());
    assert_eq!(
        verifier().check(&query).unwrap().spelling(),
        Spelling::SignTimestamp
    );
}

#[test]
fn hex_in_either_case_verifies() {
    let upper = format!(
        "nonce={NONCE}&signTimestamp={MILLIS}&signature={}",
        VECTOR.to_ascii_uppercase()
    );
    assert!(verifier().check(&upper).is_ok());
    let mixed = format!(
        "nonce={NONCE}&signTimestamp={MILLIS}&signature=5C9891b71DBF07e37b69af7c17b4143ea5bb10d3"
    );
    assert!(verifier().check(&mixed).is_ok());
}

#[test]
fn percent_encoded_values_are_decoded_before_signing() {
    // Every value percent-encoded, names too.
    let encoded: String = format!("nonce={NONCE}&signTimestamp={MILLIS}&signature={VECTOR}")
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap();
            let escape =
                |text: &str| -> String { text.bytes().map(|b| format!("%{b:02X}")).collect() };
            format!("{}={}", escape(name), escape(value))
        })
        .collect::<Vec<_>>()
        .join("&");
    assert!(encoded.starts_with("%6E%6F"), "{encoded}");
    assert!(verifier().check(&encoded).is_ok());

    // A nonce with characters that must be escaped in a URL; `+` is a space
    // in a query string, `%2B` a plus.
    for nonce in ["a b", "a+b", "a&b=c", "%41", "你好😀", "\"q\"\n"] {
        let signature = Signer::sign_parts(SECRET, nonce, MILLIS);
        let escaped: String = form_urlencoded::byte_serialize(nonce.as_bytes()).collect();
        let query = format!("nonce={escaped}&signTimestamp={MILLIS}&signature={signature}");
        let verified = verifier()
            .check(&query)
            .unwrap_or_else(|e| panic!("{nonce:?}: {e}"));
        assert_eq!(verified.nonce(), nonce);
    }
    let signature = Signer::sign_parts(SECRET, "a b", MILLIS);
    let plus_as_space = format!("nonce=a+b&signTimestamp={MILLIS}&signature={signature}");
    assert_eq!(verifier().check(&plus_as_space).unwrap().nonce(), "a b");
}

#[test]
fn pairs_from_a_framework_verify_too() {
    let pairs = vec![
        ("route".to_owned(), "msg".to_owned()),
        ("nonce".to_owned(), NONCE.to_owned()),
        ("signTimestamp".to_owned(), MILLIS.to_owned()),
        ("signature".to_owned(), VECTOR.to_owned()),
    ];
    assert!(verifier().check_pairs(pairs.clone()).is_ok());
    assert!(ready(verifier().verify_pairs(pairs)).is_ok());
}

#[test]
fn a_duplicated_parameter_is_refused_even_with_equal_values() {
    let cases = [
        (format!("{}&nonce={NONCE}", current()), Param::Nonce),
        (
            format!("{}&signTimestamp={MILLIS}", current()),
            Param::SignTimestamp,
        ),
        (
            format!("{}&signature={VECTOR}", current()),
            Param::Signature,
        ),
        (
            format!("{}&timestamp=1&timestamp=1", current()),
            Param::Timestamp,
        ),
        (
            format!("{}&appKey={KEY}&appKey={KEY}", current()),
            Param::AppKey,
        ),
        (
            "rc-nonce=a&rc-nonce=b&rc-timestamp=1&rc-signature=x".into(),
            Param::RcNonce,
        ),
        (
            "rc-nonce=a&rc-timestamp=1&rc-timestamp=1&rc-signature=x".into(),
            Param::RcTimestamp,
        ),
        (
            "rc-nonce=a&rc-timestamp=1&rc-signature=x&rc-signature=".into(),
            Param::RcSignature,
        ),
    ];
    for (query, param) in cases {
        let error = verifier().check(&query).unwrap_err();
        assert!(
            matches!(error, VerifyError::Duplicate(p) if p == param),
            "{query}: {error}"
        );
        assert_eq!(
            error.to_string(),
            format!("query parameter {param} appears more than once")
        );
    }
}

#[test]
fn each_missing_parameter_is_named() {
    let cases = [
        (
            format!("signTimestamp={MILLIS}&signature={VECTOR}"),
            Param::Nonce,
        ),
        (
            format!("nonce={NONCE}&signature={VECTOR}"),
            Param::SignTimestamp,
        ),
        (
            format!("nonce={NONCE}&signTimestamp={MILLIS}"),
            Param::Signature,
        ),
        (
            format!("nonce=&signTimestamp={MILLIS}&signature={VECTOR}"),
            Param::Nonce,
        ),
        ("rc-timestamp=1&rc-signature=x".into(), Param::RcNonce),
        ("rc-nonce=a&rc-signature=x".into(), Param::RcTimestamp),
        ("rc-nonce=a&rc-timestamp=1".into(), Param::RcSignature),
    ];
    for (query, param) in cases {
        let error = verifier().check(&query).unwrap_err();
        assert!(
            matches!(error, VerifyError::Missing(p) if p == param),
            "{query}: {error}"
        );
        assert!(
            error
                .to_string()
                .starts_with(&format!("missing query parameter {param}"))
        );
    }
    for query in ["", "appKey=app-key-1&route=x", "signatures=1"] {
        let error = verifier().check(query).unwrap_err();
        assert!(matches!(error, VerifyError::Unsigned), "{query}: {error}");
        assert_eq!(
            error.to_string(),
            "the query carries no signature (signature or rc-signature)"
        );
    }
}

#[test]
fn mixed_spellings_are_refused() {
    let query = format!("{}&rc-nonce={NONCE}", current());
    let error = verifier().check(&query).unwrap_err();
    assert!(
        matches!(
            error,
            VerifyError::MixedSpellings {
                plain: Param::Nonce,
                rc: Param::RcNonce
            }
        ),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "query parameters nonce and rc-nonce mix two signature spellings"
    );
    let error = verifier()
        .check("rc-nonce=a&rc-timestamp=1&signature=x")
        .unwrap_err();
    assert!(
        matches!(error, VerifyError::MixedSpellings { .. }),
        "{error}"
    );
}

#[test]
fn conflicting_timestamps_are_refused() {
    let query = format!("{}&timestamp={}", current(), SIGNED_AT + 1);
    let error = verifier().check(&query).unwrap_err();
    assert!(
        matches!(error, VerifyError::ConflictingTimestamps),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "query parameters signTimestamp and timestamp disagree"
    );
}

#[test]
fn malformed_timestamps_are_refused() {
    for timestamp in [
        "soon",
        "-1",
        "%2B1665601025006",
        "1665601025006.0",
        "+1665601025006",
        "1e12",
        "0x10",
        "99999999999999999999999",
    ] {
        let query = format!("nonce={NONCE}&signTimestamp={timestamp}&signature={VECTOR}");
        let error = verifier().check(&query).unwrap_err();
        assert!(
            matches!(error, VerifyError::MalformedTimestamp(Param::SignTimestamp)),
            "{timestamp}: {error}"
        );
        assert_eq!(
            error.to_string(),
            "query parameter signTimestamp is not a timestamp in milliseconds"
        );
    }
    // Seconds that overflow once made milliseconds.
    let seconds = (u64::MAX / 1000 + 1).to_string();
    let signature = Signer::sign_parts(SECRET, NONCE, &seconds);
    let query = format!("rc-nonce={NONCE}&rc-timestamp={seconds}&rc-signature={signature}");
    let error = verifier().check(&query).unwrap_err();
    assert!(
        matches!(error, VerifyError::MalformedTimestamp(Param::RcTimestamp)),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "query parameter rc-timestamp is not a timestamp in seconds"
    );
}

#[test]
fn signatures_of_the_wrong_length_or_alphabet_are_malformed() {
    for signature in [
        &VECTOR[..39],
        &format!("{VECTOR}0"),
        &VECTOR[..20],
        &format!("{VECTOR}{VECTOR}"),
        "5c9891b71dbf07e37b69af7c17b4143ea5bb10dz",
        "5c9891b71dbf07e37b69af7c17b4143ea5bb10d ",
        "XFyRtx2/B+N7aa98F7QUPqW7ENM=",
    ] {
        let escaped: String = form_urlencoded::byte_serialize(signature.as_bytes()).collect();
        let query = format!("nonce={NONCE}&signTimestamp={MILLIS}&signature={escaped}");
        let error = verifier().check(&query).unwrap_err();
        assert!(
            matches!(error, VerifyError::MalformedSignature(Param::Signature)),
            "{signature}: {error}"
        );
        assert_eq!(
            error.to_string(),
            "query parameter signature is not 40 hexadecimal digits"
        );
    }
}

#[test]
fn a_signature_that_does_not_match_is_refused() {
    let other_secret = CallbackVerifier::new(Credentials::new(KEY, "another-secret"))
        .with_clock(TestClock::at(SIGNED_AT));
    let forged_nonce = format!("nonce=6JdWufDkiLqyeRU6&signTimestamp={MILLIS}&signature={VECTOR}");
    let forged_time = format!(
        "nonce={NONCE}&signTimestamp={}&signature={VECTOR}",
        SIGNED_AT + 1
    );
    // The nonce and the timestamp shifted into each other: the same bytes
    // signed, a different split.
    let shifted = format!("nonce={NONCE}1&signTimestamp=665601025006&signature={VECTOR}");
    let flipped_last = format!(
        "nonce={NONCE}&signTimestamp={MILLIS}&signature={}4",
        &VECTOR[..39]
    );
    for (verifier, query) in [
        (other_secret, current()),
        (verifier(), forged_nonce),
        (verifier(), forged_time),
        (verifier(), flipped_last),
    ] {
        let error = verifier.check(&query).unwrap_err();
        assert!(
            matches!(error, VerifyError::BadSignature),
            "{query}: {error}"
        );
        assert_eq!(error.to_string(), "the signature does not match");
    }
    // The shifted split signs the same bytes, so it passes the signature and
    // is caught by the freshness check (1991 is long gone).
    assert!(matches!(
        verifier().check(&shifted),
        Err(VerifyError::Stale { .. })
    ));
}

#[test]
fn the_freshness_window_holds_both_ways() {
    let window = DEFAULT_WINDOW.as_millis() as u64;
    for now in [
        SIGNED_AT,
        SIGNED_AT + window,
        SIGNED_AT - window,
        SIGNED_AT + 1,
    ] {
        assert!(verifier_at(now).check(&current()).is_ok(), "at {now}");
    }
    let error = verifier_at(SIGNED_AT + window + 1)
        .check(&current())
        .unwrap_err();
    assert!(
        matches!(error, VerifyError::Stale { age, window: w }
            if age == Duration::from_millis(300_001) && w == DEFAULT_WINDOW),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "the callback was signed 300.001s ago, outside the freshness window of 300s"
    );
    let error = verifier_at(SIGNED_AT - window - 250)
        .check(&current())
        .unwrap_err();
    assert!(
        matches!(error, VerifyError::FromTheFuture { ahead, .. }
            if ahead == Duration::from_millis(300_250)),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "the callback is signed 300.25s in the future, outside the freshness window of 300s"
    );
}

#[test]
fn the_window_can_be_set() {
    let strict = verifier_at(SIGNED_AT + 30_001).with_window(Duration::from_secs(30));
    assert_eq!(strict.window(), Duration::from_secs(30));
    assert!(matches!(
        strict.check(&current()),
        Err(VerifyError::Stale { window, .. }) if window == Duration::from_secs(30)
    ));
    let lenient = verifier_at(SIGNED_AT + 3_600_000).with_window(Duration::from_secs(3_600));
    assert!(lenient.check(&current()).is_ok());
    // A window too large for milliseconds in a u64 saturates, never wraps.
    let forever = verifier_at(u64::MAX).with_window(Duration::MAX);
    let verified = forever.check(&current()).unwrap();
    assert_eq!(verified.valid_until_millis(), u64::MAX);
}

#[test]
fn the_app_key_is_checked_when_present() {
    let matching = format!("{}&appKey={KEY}", current());
    let other = format!("{}&appKey=someone-else", current());
    assert!(verifier().check(&matching).is_ok());
    assert!(verifier().check(&current()).is_ok());
    let error = verifier().check(&other).unwrap_err();
    assert!(
        matches!(&error, VerifyError::AppKeyMismatch { received } if received == "someone-else"),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "the appKey \"someone-else\" is not this application's App Key"
    );
    // Checked before the signature: a callback for another app says so.
    let unsigned_other = format!("nonce=n&signTimestamp={MILLIS}&signature={VECTOR}&appKey=x");
    assert!(matches!(
        verifier().check(&unsigned_other),
        Err(VerifyError::AppKeyMismatch { .. })
    ));
    // A long key is cut, and quoted so a newline cannot forge a log line.
    let long = format!("{}&appKey={}%0Aforged", current(), "k".repeat(100));
    let error = verifier().check(&long).unwrap_err();
    let VerifyError::AppKeyMismatch { received } = &error else {
        panic!("{error}")
    };
    assert_eq!(received.chars().count(), 64);
    let long_newline = format!("{}&appKey=a%0Ab", current());
    assert!(
        !verifier()
            .check(&long_newline)
            .unwrap_err()
            .to_string()
            .contains('\n')
    );
}

#[test]
fn the_app_key_can_be_required_or_ignored() {
    let required = verifier().with_app_key_check(AppKeyCheck::Required);
    assert!(matches!(
        required.check(&current()),
        Err(VerifyError::Missing(Param::AppKey))
    ));
    assert!(
        required
            .check(&format!("{}&appKey={KEY}", current()))
            .is_ok()
    );
    let ignored = verifier().with_app_key_check(AppKeyCheck::Ignored);
    assert!(
        ignored
            .check(&format!("{}&appKey=other", current()))
            .is_ok()
    );
}

#[test]
fn the_replay_guard_accepts_each_callback_once() {
    let clock = TestClock::at(SIGNED_AT);
    let verifier = CallbackVerifier::new(Credentials::new(KEY, SECRET))
        .with_clock(clock.clone())
        .with_replay_guard(MemoryReplayGuard::new());
    assert!(verifier.has_replay_guard());
    assert!(ready(verifier.verify(&current())).is_ok());
    let error = ready(verifier.verify(&current())).unwrap_err();
    assert!(matches!(error, VerifyError::Replayed), "{error}");
    assert_eq!(
        error.to_string(),
        "a callback with this nonce and timestamp was already accepted (replay)"
    );
    // Under another spelling, in another case, the same signed statement.
    let respelled = format!(
        "timestamp={MILLIS}&nonce={NONCE}&signature={}",
        VECTOR.to_ascii_uppercase()
    );
    assert!(matches!(
        ready(verifier.verify(&respelled)),
        Err(VerifyError::Replayed)
    ));
    // `check` does not consult the guard.
    assert!(verifier.check(&current()).is_ok());
    // Another nonce is another callback.
    let other = Signer::sign_parts(SECRET, "other", MILLIS);
    let query = format!("nonce=other&signTimestamp={MILLIS}&signature={other}");
    assert!(ready(verifier.verify(&query)).is_ok());
    // Once out of the window the callback is stale, not a replay.
    clock.set(SIGNED_AT + 300_001);
    assert!(matches!(
        ready(verifier.verify(&current())),
        Err(VerifyError::Stale { .. })
    ));
}

#[test]
fn refused_callbacks_are_not_recorded() {
    let guard = Arc::new(MemoryReplayGuard::new());
    let verifier = verifier().with_replay_guard(guard.clone());
    let forged = format!(
        "nonce={NONCE}&signTimestamp={MILLIS}&signature={}",
        "0".repeat(40)
    );
    assert!(ready(verifier.verify(&forged)).is_err());
    let stale = verifier_at(SIGNED_AT + 400_000).with_replay_guard(guard.clone());
    assert!(ready(stale.verify(&current())).is_err());
    assert!(
        guard.is_empty(),
        "nothing unauthenticated or stale is stored"
    );
    // So the real callback still gets through.
    assert!(ready(verifier.verify(&current())).is_ok());
    assert_eq!(guard.len(), 1);
}

#[test]
fn a_failing_guard_refuses_the_callback() {
    struct Down;
    impl ReplayGuard for Down {
        fn first_use(&self, _: &ReplayKey, _: u64, _: u64) -> ReplayFuture<'_> {
            Box::pin(std::future::ready(Err(ReplayGuardError::Store(
                "connection refused".into(),
            ))))
        }
    }
    let error = ready(verifier().with_replay_guard(Down).verify(&current())).unwrap_err();
    assert!(matches!(error, VerifyError::ReplayGuard(_)), "{error}");
    assert_eq!(
        error.to_string(),
        "the replay guard failed: its store failed: connection refused"
    );
    assert!(std::error::Error::source(&error).is_some());

    let full = verifier().with_replay_guard(MemoryReplayGuard::new().with_capacity(0));
    let error = ready(full.verify(&current())).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the replay guard failed: it already remembers its maximum of 0 callbacks"
    );
}

#[test]
fn the_secret_never_shows() {
    let verifier = verifier().with_replay_guard(MemoryReplayGuard::new());
    let debug = format!("{verifier:?} {verifier:#?}");
    assert!(!debug.contains(SECRET), "{debug}");
    assert!(debug.contains(KEY), "{debug}");

    let mut errors = vec![];
    for query in [
        String::new(),
        format!("{}&nonce=x", current()),
        format!("{}&rc-nonce=x", current()),
        format!("{}&timestamp=1", current()),
        format!("nonce=a&signTimestamp=x&signature={VECTOR}"),
        format!("nonce=a&signTimestamp={MILLIS}&signature=00"),
        format!("nonce=a&signTimestamp={MILLIS}&signature={VECTOR}"),
        format!("{}&appKey=other", current()),
    ] {
        errors.push(verifier.check(&query).unwrap_err());
    }
    errors.push(verifier_at(0).check(&current()).unwrap_err());
    errors.push(verifier_at(u64::MAX).check(&current()).unwrap_err());
    ready(verifier.verify(&current())).unwrap();
    errors.push(ready(verifier.verify(&current())).unwrap_err());
    assert_eq!(errors.len(), 11);
    // The expected signature for the forged nonce, which an error must not
    // hand to a forger either.
    let expected = Signer::sign_parts(SECRET, "a", MILLIS);
    for error in &errors {
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(!shown.contains(&expected), "{shown}");
    }
}
