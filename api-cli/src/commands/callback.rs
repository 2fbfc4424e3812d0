//! `rongcloud callback verify URL`: checks a received callback with
//! `api_core::callback::CallbackVerifier`.

use api_core::Credentials;
use api_core::callback::{CallbackVerifier, Spelling};
use serde_json::json;

use super::print_json;
use crate::cli::{CallbackCommand, Global, VerifyArgs};
use crate::exit::Failure;

/// Runs `callback`.
pub fn run(global: &Global, command: &CallbackCommand) -> Result<(), Failure> {
    match command {
        CallbackCommand::Verify(args) => verify(global, args),
    }
}

/// The query string of a URL (or the argument itself when it has no `?`),
/// without a fragment.
fn query_of(url: &str) -> &str {
    let query = url.split_once('?').map_or(url, |(_, query)| query);
    query.split_once('#').map_or(query, |(query, _)| query)
}

fn verify(global: &Global, args: &VerifyArgs) -> Result<(), Failure> {
    // With --emulator, the credentials an embedded emulator signs its
    // callbacks with, as every other command uses them.
    let (key, secret) = match (&global.app_key, &global.app_secret) {
        _ if global.emulator => (
            api_emulator::DEFAULT_APP_KEY.to_owned(),
            api_emulator::DEFAULT_APP_SECRET.to_owned(),
        ),
        (Some(key), Some(secret)) if !secret.is_empty() => (key.clone(), secret.clone()),
        _ => {
            return Err(Failure::usage(
                "callback verify needs the App Secret: set RONGCLOUD_APP_SECRET (and \
                 RONGCLOUD_APP_KEY), or pass --app-secret and --app-key",
            ));
        }
    };
    let verifier =
        CallbackVerifier::new(Credentials::new(key, secret)).with_window(args.window.into());
    match verifier.check(query_of(&args.url)) {
        Ok(verified) => {
            let signed = humantime::format_rfc3339_millis(
                std::time::UNIX_EPOCH
                    + std::time::Duration::from_millis(verified.signed_at_millis()),
            );
            let spelling = match verified.spelling() {
                Spelling::SignTimestamp => "nonce, signTimestamp, signature",
                Spelling::Timestamp => "nonce, timestamp, signature",
                _ => "rc-nonce, rc-timestamp, rc-signature",
            };
            if global.json {
                print_json(&json!({
                    "valid": true,
                    "nonce": verified.nonce(),
                    "signedAt": signed.to_string(),
                    "spelling": spelling,
                }));
            } else {
                println!("valid: signature matches, signed at {signed} ({spelling})");
            }
            Ok(())
        }
        Err(error) => {
            if global.json {
                print_json(&json!({"valid": false, "failedCheck": error.to_string()}));
            }
            Err(Failure::failed(format!("invalid callback: {error}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_is_taken_from_a_url_or_given_alone() {
        assert_eq!(
            query_of("https://a.example/cb?nonce=1&x=2#frag"),
            "nonce=1&x=2"
        );
        assert_eq!(query_of("nonce=1&x=2"), "nonce=1&x=2");
    }
}
