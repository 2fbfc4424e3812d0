//! Why a callback's signature was refused.

use std::fmt;
use std::time::Duration;

use super::params::Param;
use super::replay::ReplayGuardError;

/// The longest part of a received `appKey` an error repeats.
const MAX_ECHOED_APP_KEY_CHARS: usize = 64;

/// Why [`CallbackVerifier`](super::CallbackVerifier) refused a callback:
/// which check failed.
///
/// The message (`Display`) is short and safe to send back in a response
/// body or to log: it names the failed check and never contains the App
/// Secret or the expected signature.
///
/// ```
/// use api_core::Credentials;
/// use api_core::callback::{CallbackVerifier, Param, VerifyError};
///
/// let verifier = CallbackVerifier::new(Credentials::new("key", "secret"));
/// let error = verifier.check("nonce=abc&signature=0123").unwrap_err();
/// assert!(matches!(error, VerifyError::Missing(Param::SignTimestamp)));
/// assert_eq!(error.to_string(), "missing query parameter signTimestamp (or timestamp)");
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum VerifyError {
    /// The query has none of the signing parameters: no `signature` and no
    /// `rc-signature` (nor their nonces and timestamps).
    Unsigned,
    /// A signing parameter of the spelling in use is absent or empty. For a
    /// missing timestamp under the `nonce`/`signature` spelling this is
    /// [`Param::SignTimestamp`] (`timestamp` would do as well).
    Missing(Param),
    /// A parameter the verifier reads appears more than once, so that
    /// different readers of the URL could see different values.
    Duplicate(Param),
    /// Parameters of the `rc-` spelling and of the unprefixed spelling are
    /// both present.
    MixedSpellings {
        /// The first unprefixed one found.
        plain: Param,
        /// The first `rc-` one found.
        rc: Param,
    },
    /// `signTimestamp` and `timestamp` are both present with different
    /// values, so it is unclear which one was signed.
    ConflictingTimestamps,
    /// The timestamp is not a non-negative integer (of milliseconds, or of
    /// seconds for `rc-timestamp`).
    MalformedTimestamp(Param),
    /// The signature is not 40 hexadecimal digits (a SHA-1 in hex).
    MalformedSignature(Param),
    /// The signature is well formed but is not the one the App Secret gives
    /// for this nonce and timestamp.
    BadSignature,
    /// The timestamp is older than the freshness window allows.
    Stale {
        /// How long ago the callback was signed, by the verifier's clock.
        age: Duration,
        /// The freshness window.
        window: Duration,
    },
    /// The timestamp is further ahead of the verifier's clock than the
    /// freshness window allows.
    FromTheFuture {
        /// How far ahead of the verifier's clock the timestamp is.
        ahead: Duration,
        /// The freshness window.
        window: Duration,
    },
    /// The replay guard already accepted a callback signed with this nonce
    /// and timestamp, within the freshness window.
    Replayed,
    /// The query's `appKey` is not this application's App Key (or, with
    /// [`AppKeyCheck::Required`](super::AppKeyCheck::Required), it is
    /// absent: that is [`Missing`](VerifyError::Missing)`(`[`Param::AppKey`]`)`).
    AppKeyMismatch {
        /// The `appKey` received, cut to its first 64 characters.
        received: String,
    },
    /// The replay guard could not answer (its store failed or is full), so
    /// the callback could not be accepted safely.
    ReplayGuard(ReplayGuardError),
}

impl VerifyError {
    pub(crate) fn app_key_mismatch(received: &str) -> Self {
        VerifyError::AppKeyMismatch {
            received: received.chars().take(MAX_ECHOED_APP_KEY_CHARS).collect(),
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Unsigned => {
                f.write_str("the query carries no signature (signature or rc-signature)")
            }
            VerifyError::Missing(Param::SignTimestamp) => {
                f.write_str("missing query parameter signTimestamp (or timestamp)")
            }
            VerifyError::Missing(param) => write!(f, "missing query parameter {param}"),
            VerifyError::Duplicate(param) => {
                write!(f, "query parameter {param} appears more than once")
            }
            VerifyError::MixedSpellings { plain, rc } => write!(
                f,
                "query parameters {plain} and {rc} mix two signature spellings"
            ),
            VerifyError::ConflictingTimestamps => {
                f.write_str("query parameters signTimestamp and timestamp disagree")
            }
            VerifyError::MalformedTimestamp(param) => {
                let unit = if *param == Param::RcTimestamp {
                    "seconds"
                } else {
                    "milliseconds"
                };
                write!(f, "query parameter {param} is not a timestamp in {unit}")
            }
            VerifyError::MalformedSignature(param) => {
                write!(f, "query parameter {param} is not 40 hexadecimal digits")
            }
            VerifyError::BadSignature => f.write_str("the signature does not match"),
            VerifyError::Stale { age, window } => write!(
                f,
                "the callback was signed {age:?} ago, outside the freshness window of {window:?}"
            ),
            VerifyError::FromTheFuture { ahead, window } => write!(
                f,
                "the callback is signed {ahead:?} in the future, outside the freshness window of {window:?}"
            ),
            VerifyError::Replayed => f.write_str(
                "a callback with this nonce and timestamp was already accepted (replay)",
            ),
            VerifyError::AppKeyMismatch { received } => {
                write!(
                    f,
                    "the appKey {received:?} is not this application's App Key"
                )
            }
            VerifyError::ReplayGuard(error) => write!(f, "the replay guard failed: {error}"),
        }
    }
}

impl std::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            VerifyError::ReplayGuard(error) => Some(error),
            _ => None,
        }
    }
}
