//! The verifier: signature, freshness, app key and replay checks of one
//! callback's query string.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;

use super::error::VerifyError;
use super::params::{self, Param, SigningParams, Spelling};
use super::replay::{ReplayGuard, ReplayKey};
use crate::credentials::Credentials;
use crate::signer::{Clock, SystemClock};

/// The default freshness window: a callback is accepted when its timestamp
/// is at most 5 minutes before or after the verifier's clock.
///
/// The provider documents no window; 5 minutes is the usual choice for
/// signed webhooks, wide enough for clock skew and the provider's own
/// queueing, narrow enough that a captured URL soon stops working.
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(5 * 60);

/// Whether the `appKey` query parameter, which some deployments add, must
/// name this application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AppKeyCheck {
    /// When the query carries `appKey`, it must be this application's App
    /// Key (RongCloud's own demo server refuses other keys the same way).
    #[default]
    IfPresent,
    /// The query must carry `appKey`, and it must be this application's.
    Required,
    /// `appKey` is not looked at.
    Ignored,
}

/// Verifies the signature the provider puts in the query string of every
/// callback it makes to the app's server.
///
/// `signature = lowercase hex(SHA1(AppSecret + nonce + timestamp))`, with
/// the timestamp exactly as sent. Every spelling is accepted (see
/// [`Spelling`]); the signature is compared in constant time and may be in
/// either case; the timestamp must fall within the freshness window
/// ([`DEFAULT_WINDOW`] unless set); a present `appKey` must match
/// ([`AppKeyCheck`]); and with a [`ReplayGuard`], each signed callback is
/// accepted once. See [the module documentation](super) for the why.
///
/// Cheap to clone (the configuration is shared), `Send` and `Sync`. Its
/// `Debug` output never shows the App Secret.
///
/// ```
/// use api_core::{Clock, Credentials};
/// use api_core::callback::{CallbackVerifier, Spelling};
///
/// // A clock stopped 2 seconds after the callback was signed.
/// struct At(u64);
/// impl Clock for At {
///     fn now_millis(&self) -> u64 { self.0 }
/// }
///
/// let verifier = CallbackVerifier::new(Credentials::new("app-key", "your-own-app-secret"))
///     .with_clock(At(1_665_601_027_006));
/// let query = "nonce=6JdWufDkiLqyeRU5&signTimestamp=1665601025006\
///              &signature=5c9891b71dbf07e37b69af7c17b4143ea5bb10d3";
/// let verified = verifier.check(query).unwrap();
/// assert_eq!(verified.spelling(), Spelling::SignTimestamp);
/// assert_eq!(verified.nonce(), "6JdWufDkiLqyeRU5");
/// assert_eq!(verified.signed_at_millis(), 1_665_601_025_006);
///
/// let forged = query.replace("5c98", "5c99");
/// assert_eq!(verifier.check(&forged).unwrap_err().to_string(), "the signature does not match");
/// ```
#[derive(Clone)]
pub struct CallbackVerifier {
    inner: Arc<Settings>,
}

#[derive(Clone)]
struct Settings {
    credentials: Credentials,
    window: Duration,
    app_key_check: AppKeyCheck,
    clock: Arc<dyn Clock>,
    replay_guard: Option<Arc<dyn ReplayGuard>>,
}

impl fmt::Debug for CallbackVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let settings = &*self.inner;
        f.debug_struct("CallbackVerifier")
            .field("credentials", &settings.credentials)
            .field("window", &settings.window)
            .field("app_key_check", &settings.app_key_check)
            .field("replay_guard", &settings.replay_guard.is_some())
            .finish_non_exhaustive()
    }
}

/// A callback whose signature checked out: what was signed, and under which
/// spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    spelling: Spelling,
    nonce: String,
    timestamp: String,
    signed_at_millis: u64,
    valid_until_millis: u64,
    checked_at_millis: u64,
    replay_key: ReplayKey,
}

impl Verified {
    /// The spelling the callback was signed with.
    pub fn spelling(&self) -> Spelling {
        self.spelling
    }

    /// The nonce.
    pub fn nonce(&self) -> &str {
        &self.nonce
    }

    /// The timestamp exactly as sent (milliseconds, or seconds under
    /// [`Spelling::RcPrefixed`]).
    pub fn timestamp(&self) -> &str {
        &self.timestamp
    }

    /// When the callback was signed, in milliseconds since the Unix epoch
    /// (a timestamp in seconds is converted).
    pub fn signed_at_millis(&self) -> u64 {
        self.signed_at_millis
    }

    /// The last instant, in milliseconds since the Unix epoch, at which this
    /// callback passes the freshness check: its timestamp plus the window.
    pub fn valid_until_millis(&self) -> u64 {
        self.valid_until_millis
    }

    /// The key a [`ReplayGuard`] records for this callback.
    pub fn replay_key(&self) -> &ReplayKey {
        &self.replay_key
    }
}

impl CallbackVerifier {
    /// A verifier for the callbacks of the application with these
    /// credentials: the system clock, [`DEFAULT_WINDOW`],
    /// [`AppKeyCheck::IfPresent`] and no replay guard.
    pub fn new(credentials: Credentials) -> Self {
        Self {
            inner: Arc::new(Settings {
                credentials,
                window: DEFAULT_WINDOW,
                app_key_check: AppKeyCheck::default(),
                clock: Arc::new(SystemClock),
                replay_guard: None,
            }),
        }
    }

    fn settings(&mut self) -> &mut Settings {
        Arc::make_mut(&mut self.inner)
    }

    /// Sets the freshness window: how far the timestamp may be from the
    /// verifier's clock, before or after it.
    pub fn with_window(mut self, window: Duration) -> Self {
        self.settings().window = window;
        self
    }

    /// Replaces the clock (the system clock by default).
    pub fn with_clock(mut self, clock: impl Clock) -> Self {
        self.settings().clock = Arc::new(clock);
        self
    }

    /// Sets how the `appKey` query parameter is checked.
    pub fn with_app_key_check(mut self, check: AppKeyCheck) -> Self {
        self.settings().app_key_check = check;
        self
    }

    /// Accepts each signed callback only once, remembering it in `guard`
    /// for as long as it is fresh: a [`MemoryReplayGuard`] for one process,
    /// a shared store for a fleet. Only [`verify`](Self::verify) and
    /// [`verify_pairs`](Self::verify_pairs) consult it.
    ///
    /// [`MemoryReplayGuard`]: super::MemoryReplayGuard
    pub fn with_replay_guard(mut self, guard: impl ReplayGuard) -> Self {
        self.settings().replay_guard = Some(Arc::new(guard));
        self
    }

    /// The freshness window.
    pub fn window(&self) -> Duration {
        self.inner.window
    }

    /// The App Key callbacks are checked against.
    pub fn app_key(&self) -> &str {
        self.inner.credentials.app_key()
    }

    /// Whether a replay guard is set.
    pub fn has_replay_guard(&self) -> bool {
        self.inner.replay_guard.is_some()
    }

    /// Checks a callback's raw query string (what follows `?`,
    /// percent-encoded as received): spelling, app key, signature and
    /// freshness. No I/O and no state: the replay guard is **not**
    /// consulted, use [`verify`](Self::verify) for that.
    pub fn check(&self, query: &str) -> Result<Verified, VerifyError> {
        self.check_pairs(form_urlencoded::parse(query.as_bytes()))
    }

    /// [`check`](Self::check) on query pairs already decoded by a web
    /// framework. Pass every pair, duplicates included: a map that kept only
    /// one value of a repeated parameter hides an ambiguity the verifier
    /// would refuse.
    ///
    /// ```
    /// use api_core::Credentials;
    /// use api_core::callback::{CallbackVerifier, Param, VerifyError};
    ///
    /// let verifier = CallbackVerifier::new(Credentials::new("key", "secret"));
    /// let pairs = [("nonce", "a"), ("nonce", "b"), ("signTimestamp", "1"), ("signature", "x")];
    /// assert!(matches!(verifier.check_pairs(pairs), Err(VerifyError::Duplicate(Param::Nonce))));
    /// ```
    pub fn check_pairs<I, K, V>(&self, pairs: I) -> Result<Verified, VerifyError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let slots = params::collect(pairs)?;
        self.check_params(&slots.resolve()?)
    }

    /// Verifies a callback's raw query string: everything
    /// [`check`](Self::check) does, then the replay guard if one is set.
    /// The future needs no particular runtime; without a guard, or with a
    /// [`MemoryReplayGuard`](super::MemoryReplayGuard), it is ready at once.
    ///
    /// ```
    /// use api_core::Credentials;
    /// use api_core::callback::{CallbackVerifier, MemoryReplayGuard, VerifyError};
    ///
    /// async fn receive(verifier: &CallbackVerifier, query: &str) -> Result<(), VerifyError> {
    ///     let verified = verifier.verify(query).await?;
    ///     println!("callback signed at {}", verified.signed_at_millis());
    ///     Ok(())
    /// }
    ///
    /// let verifier = CallbackVerifier::new(Credentials::new("key", "secret"))
    ///     .with_replay_guard(MemoryReplayGuard::new());
    /// # let _ = receive(&verifier, "");
    /// ```
    pub fn verify<'a>(
        &'a self,
        query: &str,
    ) -> impl Future<Output = Result<Verified, VerifyError>> + Send + use<'a> {
        let checked = self.check(query);
        self.admit(checked)
    }

    /// [`verify`](Self::verify) on query pairs already decoded, as
    /// [`check_pairs`](Self::check_pairs) takes them.
    pub fn verify_pairs<'a, I, K, V>(
        &'a self,
        pairs: I,
    ) -> impl Future<Output = Result<Verified, VerifyError>> + Send + use<'a, I, K, V>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let checked = self.check_pairs(pairs);
        self.admit(checked)
    }

    /// Passes a checked callback through the replay guard, if any.
    async fn admit(&self, checked: Result<Verified, VerifyError>) -> Result<Verified, VerifyError> {
        let verified = checked?;
        let Some(guard) = &self.inner.replay_guard else {
            return Ok(verified);
        };
        match guard
            .first_use(
                &verified.replay_key,
                verified.valid_until_millis,
                verified.checked_at_millis,
            )
            .await
        {
            Ok(true) => Ok(verified),
            Ok(false) => Err(VerifyError::Replayed),
            Err(error) => Err(VerifyError::ReplayGuard(error)),
        }
    }

    fn check_params(&self, params: &SigningParams<'_>) -> Result<Verified, VerifyError> {
        let settings = &*self.inner;
        // The app key first: a callback meant for another application fails
        // the signature too, and saying so is the more useful answer.
        match (settings.app_key_check, params.app_key) {
            (AppKeyCheck::Ignored, _) => {}
            (_, Some(received)) if received != settings.credentials.app_key() => {
                return Err(VerifyError::app_key_mismatch(received));
            }
            (AppKeyCheck::Required, None) => return Err(VerifyError::Missing(Param::AppKey)),
            _ => {}
        }

        let timestamp_param = params.spelling.timestamp_param();
        let signed_at_millis = parse_timestamp(params.timestamp)
            .and_then(|value| value.checked_mul(params.spelling.millis_per_unit()))
            .ok_or(VerifyError::MalformedTimestamp(timestamp_param))?;

        let mut received = [0u8; 20];
        hex::decode_to_slice(params.signature, &mut received)
            .map_err(|_| VerifyError::MalformedSignature(params.spelling.signature_param()))?;
        let expected = digest(
            settings.credentials.app_secret().expose(),
            params.nonce,
            params.timestamp,
        );
        // Constant time: how many leading bytes of a forged signature match
        // must not show in the response time.
        if !bool::from(expected.ct_eq(&received)) {
            return Err(VerifyError::BadSignature);
        }

        let window_millis = u64::try_from(settings.window.as_millis()).unwrap_or(u64::MAX);
        let now = settings.clock.now_millis();
        if now >= signed_at_millis {
            let age = now - signed_at_millis;
            if age > window_millis {
                return Err(VerifyError::Stale {
                    age: Duration::from_millis(age),
                    window: settings.window,
                });
            }
        } else {
            let ahead = signed_at_millis - now;
            if ahead > window_millis {
                return Err(VerifyError::FromTheFuture {
                    ahead: Duration::from_millis(ahead),
                    window: settings.window,
                });
            }
        }

        Ok(Verified {
            spelling: params.spelling,
            nonce: params.nonce.to_owned(),
            timestamp: params.timestamp.to_owned(),
            signed_at_millis,
            valid_until_millis: signed_at_millis.saturating_add(window_millis),
            checked_at_millis: now,
            replay_key: ReplayKey::from_bytes(expected),
        })
    }
}

/// A timestamp of ASCII digits only (no sign, no spaces) that fits a `u64`.
fn parse_timestamp(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `SHA1(secret + nonce + timestamp)`, the 20 bytes the hex signature
/// encodes.
fn digest(secret: &str, nonce: &str, timestamp: &str) -> [u8; 20] {
    let mut sha = Sha1::new();
    sha.update(secret.as_bytes());
    sha.update(nonce.as_bytes());
    sha.update(timestamp.as_bytes());
    sha.finalize().into()
}

#[cfg(test)]
mod tests;
