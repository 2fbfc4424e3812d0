//! Helpers of the per-area end-to-end tests (`users_e2e`, `groups_e2e`,
//! `ultragroups_e2e`): a client for an emulator, the text every name is
//! tried with, and the check that an invalid request is refused before
//! anything is sent. Included with `#[path]` so that each test binary gets
//! only these.

use api_core::{Client, Credentials, Endpoint, Error, Pacing, Rule};
use api_emulator::Emulator;

/// Every character a body must escape, and some it must carry as UTF-8.
pub const TRICKY: &str = "a&b=c+d%20 \"quoted\"\n中文 😀";

/// A client of `emulator` whose pacer stands aside: some tests move the
/// emulator's clock, which the client's real-time pacer cannot see.
pub fn client_of(emulator: &Emulator) -> Client {
    Client::builder(Credentials::new(emulator.app_key(), emulator.app_secret()))
        .base_urls(emulator.base_urls())
        .pacing(Pacing::disabled())
        .build()
        .unwrap()
}

/// Sends `request`, expects a validation error at `path` with `rule`, and
/// checks that nothing reached the emulator: no request, no delivery.
pub async fn refused<E: Endpoint>(
    emulator: &Emulator,
    client: &Client,
    request: &E,
    path: &str,
    rule: Rule,
) {
    let Err(error) = client.send(request).await else {
        panic!("{} was accepted", E::PATH)
    };
    let Error::Validation(validation) = &error else {
        panic!("{} was not refused before sending: {error:?}", E::PATH)
    };
    let violation = validation
        .at(path)
        .unwrap_or_else(|| panic!("{}: no violation at {path}: {validation}", E::PATH));
    assert_eq!(violation.rule(), &rule, "{}: {validation}", E::PATH);
    assert!(
        emulator.requests().is_empty(),
        "{} reached the emulator",
        E::PATH
    );
    assert!(emulator.deliveries().is_empty());
}
