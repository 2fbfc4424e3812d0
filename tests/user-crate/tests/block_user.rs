//! `BlockUser`, declared in a crate that depends only on `api-core`: the
//! generated constants, validation, body, and the signed HTTP request, with
//! no network.

use std::time::Duration;

use api_core::{
    BaseUrl, CodeOnly, Credentials, Encoding, Endpoint, Error, PreparedRequest, RateLimit,
    RequestId, Rule, Signer, Validate,
};
use user_crate::{BlockUser, MAX_BLOCK_MINUTES};

#[test]
fn endpoint_constants() {
    assert_eq!(BlockUser::PATH, "/user/block.json");
    assert_eq!(BlockUser::ENCODING, Encoding::Form);
    assert_eq!(BlockUser::MAX_RECIPIENTS, None);
    const { assert!(BlockUser::IDEMPOTENT) };
    assert_eq!(
        BlockUser::RATE_LIMITS,
        [RateLimit::calls(100, Duration::from_secs(1))]
    );
    assert_eq!(BlockUser::QUOTA, "/user/block.json");
    fn response_is<E: Endpoint<Response = CodeOnly>>() {}
    response_is::<BlockUser>();
    assert_eq!(BlockUser::new("u1", 1).recipients(), None);
}

#[test]
fn validation_reports_every_violation_with_its_field_path() {
    assert_eq!(BlockUser::new("u1", 1).validate(), Ok(()));
    assert_eq!(BlockUser::new("u1", MAX_BLOCK_MINUTES).validate(), Ok(()));

    let error = BlockUser::new("", 0).validate().unwrap_err();
    let found: Vec<String> = error.violations().iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            "user_id: required, must not be empty (got \"\")",
            "minute: between 1 and 43200 (got 0)",
        ]
    );
    assert_eq!(error.at("user_id").unwrap().rule(), &Rule::Required);

    let error = BlockUser::new("u1", MAX_BLOCK_MINUTES + 1)
        .validate()
        .unwrap_err();
    assert_eq!(error.violations().len(), 1);
    assert_eq!(
        error.at("minute").unwrap().rule(),
        &Rule::Range { min: 1, max: 43200 }
    );
}

#[test]
fn form_body_is_exact() {
    let body = BlockUser::new("2191", 60).encode_body().unwrap();
    assert_eq!(body, b"userId=2191&minute=60");
    // Keys are camelCase, values percent-encoded.
    let body = BlockUser::new("a b&c=d/用户", 43200).encode_body().unwrap();
    assert_eq!(
        String::from_utf8(body).unwrap(),
        "userId=a+b%26c%3Dd%2F%E7%94%A8%E6%88%B7&minute=43200"
    );
}

struct FixedClock;
impl api_core::Clock for FixedClock {
    fn now_millis(&self) -> u64 {
        1_408_710_653_000
    }
}

struct FixedNonce;
impl api_core::NonceSource for FixedNonce {
    fn fill_nonce(&self, out: &mut String) {
        out.push_str("14314");
    }
}

#[test]
fn prepared_request_is_signed_and_addressed_without_network() {
    let base = BaseUrl::parse("https://api.rong-api.com").unwrap();
    let signer = Signer::new(Credentials::new("app-key-1", "Y1W2MeFwwwRxa0"))
        .with_clock(FixedClock)
        .with_nonce_source(FixedNonce);
    let request_id = RequestId::parse("req-1").unwrap();

    let prepared = PreparedRequest::new(&BlockUser::new("2191", 60), request_id).unwrap();
    assert_eq!(prepared.path(), "/user/block.json");
    assert_eq!(prepared.body().as_ref(), b"userId=2191&minute=60");

    let request = prepared.to_http(&base, &signer).unwrap();
    assert_eq!(request.method().as_str(), "POST");
    assert_eq!(request.uri(), "https://api.rong-api.com/user/block.json");
    let headers = request.headers();
    assert_eq!(headers["content-type"], "application/x-www-form-urlencoded");
    assert_eq!(headers["app-key"], "app-key-1");
    assert_eq!(headers["nonce"], "14314");
    assert_eq!(headers["timestamp"], "1408710653000");
    // The documented example signature of this secret, nonce and timestamp.
    assert_eq!(
        headers["signature"],
        "30be0bbca9c9b2e27578701e9fda2358a814c88f"
    );
    assert_eq!(headers["x-request-id"], "req-1");
    assert_eq!(request.body().as_ref(), b"userId=2191&minute=60");
}

#[test]
fn an_invalid_request_is_not_prepared() {
    let error = PreparedRequest::new(&BlockUser::new("u1", 0), RequestId::new()).unwrap_err();
    match error {
        Error::Validation(validation) => {
            assert_eq!(validation.violations()[0].path(), "minute");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn a_prefixed_base_url_keeps_its_prefix() {
    let base = BaseUrl::parse("http://127.0.0.1:8080/im/").unwrap();
    let signer = Signer::new(Credentials::new("k", "s"));
    let request = PreparedRequest::new(&BlockUser::new("u1", 5), RequestId::new())
        .unwrap()
        .to_http(&base, &signer)
        .unwrap();
    assert_eq!(request.uri(), "http://127.0.0.1:8080/im/user/block.json");
}
