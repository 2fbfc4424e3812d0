//! Request signing: nonce, timestamp and `Signature` headers.
//!
//! `Signature = lowercase hex(SHA1(app_secret + nonce + timestamp))`, with a
//! fresh nonce from a cryptographic random source on every attempt.

use std::fmt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use rand::Rng;
use sha1::{Digest, Sha1};

use crate::credentials::Credentials;

/// The longest nonce the server accepts.
pub const MAX_NONCE_LEN: usize = 18;

/// A source of the current time, in milliseconds since the Unix epoch.
///
/// Injected so that tests can sign deterministically.
pub trait Clock: Send + Sync + 'static {
    /// Milliseconds since the Unix epoch.
    fn now_millis(&self) -> u64;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_millis(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_millis() as u64)
    }
}

/// A source of nonces. Each call must return a new, unpredictable value of at
/// most [`MAX_NONCE_LEN`] ASCII characters.
pub trait NonceSource: Send + Sync + 'static {
    /// Writes a fresh nonce into `out` (which is empty on entry).
    fn fill_nonce(&self, out: &mut String);
}

/// Nonces of 16 alphanumeric characters (about 95 bits) from the thread-local
/// CSPRNG of the `rand` crate (ChaCha, seeded and reseeded from the OS).
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomNonce;

impl NonceSource for RandomNonce {
    fn fill_nonce(&self, out: &mut String) {
        const ALPHABET: &[u8; 62] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        // One byte per character, kept when below 248 = 4 * 62 so that
        // `byte % 62` is uniform: the same distribution as sampling
        // `rand::distr::Alphanumeric` per character, from one draw of
        // random bytes instead of sixteen.
        let mut rng = rand::rng();
        let mut missing = 16;
        while missing > 0 {
            let mut bytes = [0u8; 24];
            rng.fill(&mut bytes);
            for byte in bytes.into_iter().filter(|&b| b < 248).take(missing) {
                out.push(char::from(ALPHABET[usize::from(byte % 62)]));
                missing -= 1;
            }
        }
    }
}

/// The four signing headers of one attempt.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature {
    /// The random nonce (`Nonce` header).
    pub nonce: String,
    /// Milliseconds since the Unix epoch (`Timestamp` header).
    pub timestamp: String,
    /// Lowercase hex SHA-1 (`Signature` header).
    pub signature: String,
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signature")
            .field("nonce", &self.nonce)
            .field("timestamp", &self.timestamp)
            .field("signature", &self.signature)
            .finish()
    }
}

/// The `Nonce`, `Timestamp` and `Signature` header values of one attempt,
/// as [`Signer::sign_headers`] makes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    /// The random nonce (`Nonce` header).
    pub nonce: http::HeaderValue,
    /// Milliseconds since the Unix epoch (`Timestamp` header).
    pub timestamp: http::HeaderValue,
    /// Lowercase hex SHA-1 (`Signature` header).
    pub signature: http::HeaderValue,
}

/// Signs requests with one application's credentials.
///
/// Cheap to clone. The clock and the nonce source can be replaced, which tests
/// use to reproduce documented signatures.
///
/// ```
/// use api_core::{Credentials, Signer};
///
/// let signature = Signer::sign_parts("Y1W2MeFwwwRxa0", "14314", "1408710653000");
/// assert_eq!(signature, "30be0bbca9c9b2e27578701e9fda2358a814c88f");
/// # let _ = Signer::new(Credentials::new("k", "s"));
/// ```
#[derive(Clone)]
pub struct Signer {
    credentials: Credentials,
    // The `App-Key` header, checked once; `None` when the key is not a
    // valid header value (reported when a request is built).
    app_key_header: Option<http::HeaderValue>,
    clock: Arc<dyn Clock>,
    nonces: Arc<dyn NonceSource>,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// A signer with the system clock and the CSPRNG nonce source.
    pub fn new(credentials: Credentials) -> Self {
        Self {
            app_key_header: http::HeaderValue::from_str(credentials.app_key()).ok(),
            credentials,
            clock: Arc::new(SystemClock),
            nonces: Arc::new(RandomNonce),
        }
    }

    /// Replaces the clock.
    pub fn with_clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Replaces the nonce source.
    pub fn with_nonce_source(mut self, nonces: impl NonceSource) -> Self {
        self.nonces = Arc::new(nonces);
        self
    }

    pub(crate) fn with_shared_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    pub(crate) fn with_shared_nonce_source(mut self, nonces: Arc<dyn NonceSource>) -> Self {
        self.nonces = nonces;
        self
    }

    /// The credentials this signer uses.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The `App-Key` header value.
    pub fn app_key_header(&self) -> Result<http::HeaderValue, crate::error::ConfigError> {
        self.app_key_header.clone().ok_or_else(|| {
            crate::error::ConfigError::new("the App Key is not a valid header value")
        })
    }

    /// Signs one attempt: a fresh nonce, the current time, the signature.
    pub fn sign(&self) -> Signature {
        let nonce = self.fresh_nonce();
        let timestamp = self.clock.now_millis().to_string();
        let signature =
            Self::sign_parts(self.credentials.app_secret().expose(), &nonce, &timestamp);
        Signature {
            nonce,
            timestamp,
            signature,
        }
    }

    /// Signs one attempt straight into its three header values: what the
    /// client does per attempt, without the `String`s of
    /// [`sign`](Self::sign).
    ///
    /// Fails only when a custom [`NonceSource`] returns characters a header
    /// cannot carry.
    ///
    /// ```
    /// use api_core::{Credentials, Signer};
    ///
    /// let headers = Signer::new(Credentials::new("key", "secret")).sign_headers().unwrap();
    /// assert_eq!(headers.nonce.len(), 16);
    /// assert_eq!(headers.signature.len(), 40);
    /// ```
    pub fn sign_headers(&self) -> Result<SignedHeaders, crate::error::ConfigError> {
        let nonce = self.fresh_nonce();
        let mut clock = itoa::Buffer::new();
        let timestamp = clock.format(self.clock.now_millis());
        let hex = hex_signature(self.credentials.app_secret().expose(), &nonce, timestamp);
        let nonce = http::HeaderValue::from_maybe_shared(bytes::Bytes::from(nonce.into_bytes()))
            .map_err(|_| {
                crate::error::ConfigError::new("the nonce source returned an invalid header value")
            })?;
        Ok(SignedHeaders {
            nonce,
            timestamp: http::HeaderValue::from_str(timestamp).expect("digits"),
            signature: http::HeaderValue::from_bytes(&hex).expect("hex digits"),
        })
    }

    /// A nonce from the signer's source.
    fn fresh_nonce(&self) -> String {
        let mut nonce = String::with_capacity(MAX_NONCE_LEN);
        self.nonces.fill_nonce(&mut nonce);
        debug_assert!(nonce.len() <= MAX_NONCE_LEN, "nonce longer than 18");
        nonce
    }

    /// `lowercase hex(SHA1(secret + nonce + timestamp))`.
    pub fn sign_parts(secret: &str, nonce: &str, timestamp: &str) -> String {
        let hex = hex_signature(secret, nonce, timestamp);
        std::str::from_utf8(&hex).expect("hex is ASCII").to_owned()
    }
}

/// `lowercase hex(SHA1(secret + nonce + timestamp))`, on the stack.
fn hex_signature(secret: &str, nonce: &str, timestamp: &str) -> [u8; 40] {
    let mut sha = Sha1::new();
    sha.update(secret.as_bytes());
    sha.update(nonce.as_bytes());
    sha.update(timestamp.as_bytes());
    let mut hex = [0u8; 40];
    hex::encode_to_slice(sha.finalize(), &mut hex).expect("40 hex digits for 20 bytes");
    hex
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    struct FixedClock(u64);
    impl Clock for FixedClock {
        fn now_millis(&self) -> u64 {
            self.0
        }
    }
    struct FixedNonce(&'static str);
    impl NonceSource for FixedNonce {
        fn fill_nonce(&self, out: &mut String) {
            out.push_str(self.0);
        }
    }

    #[test]
    fn a_nonce_a_header_cannot_carry_is_an_error() {
        let signer = Signer::new(Credentials::new("k", "s")).with_nonce_source(FixedNonce("a\nb"));
        let error = signer.sign_headers().expect_err("a newline is refused");
        assert!(error.to_string().contains("nonce"), "{error}");
    }

    #[test]
    fn documented_vector() {
        let signer = Signer::new(Credentials::new("uwd1c0sxdlx2", "Y1W2MeFwwwRxa0"))
            .with_clock(FixedClock(1_408_710_653_000))
            .with_nonce_source(FixedNonce("14314"));
        let headers = signer.sign_headers().unwrap();
        assert_eq!(headers.nonce, "14314");
        assert_eq!(headers.timestamp, "1408710653000");
        assert_eq!(
            headers.signature,
            "30be0bbca9c9b2e27578701e9fda2358a814c88f"
        );
        let signed = signer.sign();
        assert_eq!(signed.nonce, "14314");
        assert_eq!(signed.timestamp, "1408710653000");
        assert_eq!(signed.signature, "30be0bbca9c9b2e27578701e9fda2358a814c88f");
    }

    #[test]
    fn random_nonces_use_every_alphanumeric_character_evenly() {
        let mut counts = std::collections::HashMap::new();
        for _ in 0..2000 {
            let mut nonce = String::new();
            RandomNonce.fill_nonce(&mut nonce);
            assert_eq!(nonce.len(), 16, "{nonce}");
            for c in nonce.chars() {
                assert!(c.is_ascii_alphanumeric(), "{nonce}");
                *counts.entry(c).or_insert(0u32) += 1;
            }
        }
        // 32,000 characters: 516 of each expected, with a standard
        // deviation of about 22; the bounds are five of those.
        assert_eq!(counts.len(), 62);
        for (c, n) in counts {
            assert!((400..=630).contains(&n), "{c:?} drawn {n} times");
        }
    }

    #[test]
    fn fresh_nonce_and_signature_every_attempt() {
        struct Ticking(AtomicU64);
        impl Clock for Ticking {
            fn now_millis(&self) -> u64 {
                self.0.load(Ordering::Relaxed)
            }
        }
        let signer =
            Signer::new(Credentials::new("k", "secret")).with_clock(Ticking(AtomicU64::new(5)));
        let attempts: Vec<Signature> = (0..200).map(|_| signer.sign()).collect();
        let nonces: std::collections::HashSet<&str> =
            attempts.iter().map(|s| s.nonce.as_str()).collect();
        assert_eq!(nonces.len(), attempts.len(), "a nonce repeated");
        for attempt in &attempts {
            assert_eq!(attempt.nonce.len(), 16);
            assert!(attempt.nonce.bytes().all(|b| b.is_ascii_alphanumeric()));
            assert_eq!(
                attempt.signature,
                Signer::sign_parts("secret", &attempt.nonce, &attempt.timestamp)
            );
        }
        let signatures: std::collections::HashSet<&str> =
            attempts.iter().map(|s| s.signature.as_str()).collect();
        assert_eq!(signatures.len(), attempts.len(), "a signature repeated");
    }

    #[test]
    fn system_clock_is_milliseconds() {
        let now = SystemClock.now_millis();
        // 2020-01-01 in ms < now < 2100-01-01 in ms: seconds would fail the first bound.
        assert!(now > 1_577_836_800_000 && now < 4_102_444_800_000, "{now}");
    }
}
