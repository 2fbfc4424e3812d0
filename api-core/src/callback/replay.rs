//! The replay guard: remembers which signed callbacks were accepted, for as
//! long as they would pass the freshness check.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};

/// What identifies one signed callback: the SHA-1 its signature carries,
/// which stands for its nonce and timestamp.
///
/// Keying on the signature rather than on the nonce alone means that the
/// same nonce and timestamp presented again under another spelling
/// (`timestamp` instead of `signTimestamp`, say) is still recognised, and
/// that a nonce the provider happened to reuse with another timestamp is
/// not mistaken for a replay. `Display` is the 40 lowercase hex digits, a
/// ready key for a shared store such as Redis. The signature is not a
/// secret: it travels in the callback's URL.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReplayKey([u8; 20]);

impl ReplayKey {
    /// A key from the 20 bytes of a SHA-1, for tests of a custom
    /// [`ReplayGuard`]; the verifier makes the real ones.
    pub const fn from_bytes(digest: [u8; 20]) -> Self {
        Self(digest)
    }

    /// The 20 bytes of the SHA-1.
    pub const fn as_bytes(&self) -> &[u8; 20] {
        &self.0
    }
}

impl fmt::Display for ReplayKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut hex = [0u8; 40];
        hex::encode_to_slice(self.0, &mut hex).expect("40 hex digits for 20 bytes");
        f.write_str(std::str::from_utf8(&hex).expect("hex is ASCII"))
    }
}

impl fmt::Debug for ReplayKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReplayKey({self})")
    }
}

/// Why a [`ReplayGuard`] could not answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayGuardError {
    /// The in-memory guard holds as many live entries as it may.
    #[error("it already remembers its maximum of {capacity} callbacks")]
    Full {
        /// The capacity it was built with.
        capacity: usize,
    },
    /// A shared store (Redis, a database) failed.
    #[error("its store failed: {0}")]
    Store(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// The future a [`ReplayGuard`] answers with.
pub type ReplayFuture<'a> =
    Pin<Box<dyn Future<Output = Result<bool, ReplayGuardError>> + Send + 'a>>;

/// Remembers accepted callbacks so that each is accepted once.
///
/// The verifier calls [`first_use`](ReplayGuard::first_use) only for a
/// callback whose signature and freshness already checked out, so nothing
/// unauthenticated is ever stored. An implementation records `key` until
/// `valid_until_millis` (after which the freshness check refuses the
/// callback anyway, so it can be forgotten) and answers whether this was the
/// first time, atomically: two concurrent calls with one key must not both
/// answer `true`.
///
/// [`MemoryReplayGuard`] serves one process. A fleet of app servers behind a
/// load balancer needs one shared store, for example Redis with
/// `SET rc:cb:<key> 1 NX PXAT <valid_until_millis>` (first use when the
/// answer is `OK`); the method returns a future so that such a store can be
/// asked without blocking.
///
/// ```
/// use std::collections::HashMap;
/// use std::sync::Mutex;
/// use api_core::callback::{ReplayFuture, ReplayGuard, ReplayKey};
///
/// /// Never forgets: for a test.
/// #[derive(Default)]
/// struct Forever(Mutex<HashMap<ReplayKey, u64>>);
///
/// impl ReplayGuard for Forever {
///     fn first_use(&self, key: &ReplayKey, valid_until_millis: u64, _now: u64) -> ReplayFuture<'_> {
///         let first = self.0.lock().unwrap().insert(*key, valid_until_millis).is_none();
///         Box::pin(std::future::ready(Ok(first)))
///     }
/// }
/// ```
pub trait ReplayGuard: Send + Sync + 'static {
    /// Records `key` until `valid_until_millis` and answers `true` if it was
    /// not recorded yet (or its record had expired by `now_millis`).
    fn first_use(
        &self,
        key: &ReplayKey,
        valid_until_millis: u64,
        now_millis: u64,
    ) -> ReplayFuture<'_>;
}

impl<G: ReplayGuard + ?Sized> ReplayGuard for Arc<G> {
    fn first_use(
        &self,
        key: &ReplayKey,
        valid_until_millis: u64,
        now_millis: u64,
    ) -> ReplayFuture<'_> {
        (**self).first_use(key, valid_until_millis, now_millis)
    }
}

/// The most callbacks a [`MemoryReplayGuard`] remembers by default.
///
/// An entry takes about 60 bytes (the key in a hash set and, with its
/// expiry, in a heap), so a full default guard holds about 60 MB. It fills
/// only when more than this many callbacks pass the freshness check within
/// one window: with the default window, a sustained 1,600 callbacks a
/// second or more.
pub const DEFAULT_REPLAY_CAPACITY: usize = 1_000_000;

/// A [`ReplayGuard`] in this process's memory.
///
/// Memory is bounded twice: an entry is dropped once its callback would be
/// refused as stale (at the first use after that), and no more than
/// `capacity` live entries are kept. When full, the guard refuses new
/// callbacks ([`ReplayGuardError::Full`]) rather than forget a live entry,
/// since forgetting one would let its replay through; size the capacity for
/// your callback rate times twice the window.
///
/// A hand-written set and min-heap rather than a cache crate: entries have
/// each their own expiry (their timestamp plus the window) and a live entry
/// must never be evicted, which the size-bounded caches do by design.
///
/// ```
/// use api_core::callback::{MemoryReplayGuard, ReplayKey};
///
/// let guard = MemoryReplayGuard::new().with_capacity(10_000);
/// let key = ReplayKey::from_bytes([7; 20]);
/// // Signed at 1000 ms with a 300 ms window: live until 1300.
/// assert!(guard.first_use_now(&key, 1_300, 1_000).unwrap());
/// assert!(!guard.first_use_now(&key, 1_300, 1_200).unwrap());
/// assert_eq!(guard.len(), 1);
/// ```
pub struct MemoryReplayGuard {
    capacity: usize,
    state: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    live: HashSet<ReplayKey>,
    // Soonest expiry on top. Each live key is in the heap exactly once.
    expiries: BinaryHeap<Reverse<(u64, ReplayKey)>>,
}

impl Entries {
    /// Drops the entries that expired before `now_millis`.
    fn purge(&mut self, now_millis: u64) {
        while let Some(Reverse((valid_until, key))) = self.expiries.peek().copied() {
            if valid_until >= now_millis {
                break;
            }
            self.expiries.pop();
            self.live.remove(&key);
        }
    }
}

impl MemoryReplayGuard {
    /// An empty guard holding at most [`DEFAULT_REPLAY_CAPACITY`] entries.
    pub fn new() -> Self {
        Self {
            capacity: DEFAULT_REPLAY_CAPACITY,
            state: Mutex::default(),
        }
    }

    /// Sets the most live entries kept.
    pub fn with_capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity;
        self
    }

    /// The most live entries kept.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many entries are held, expired ones not yet dropped included.
    pub fn len(&self) -> usize {
        self.entries().live.len()
    }

    /// Whether no entry is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// [`first_use`](ReplayGuard::first_use) without a future, for callers
    /// that need no other store.
    pub fn first_use_now(
        &self,
        key: &ReplayKey,
        valid_until_millis: u64,
        now_millis: u64,
    ) -> Result<bool, ReplayGuardError> {
        let mut entries = self.entries();
        entries.purge(now_millis);
        if entries.live.len() >= self.capacity {
            return if entries.live.contains(key) {
                Ok(false)
            } else {
                Err(ReplayGuardError::Full {
                    capacity: self.capacity,
                })
            };
        }
        // One hash lookup on the common path: the insertion says whether
        // the key was there.
        if !entries.live.insert(*key) {
            return Ok(false);
        }
        entries.expiries.push(Reverse((valid_until_millis, *key)));
        Ok(true)
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A panic while holding the lock leaves the set and the heap
        // consistent (each step is a single insertion or removal), so a
        // poisoned lock is still usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for MemoryReplayGuard {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for MemoryReplayGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryReplayGuard")
            .field("capacity", &self.capacity)
            .field("len", &self.len())
            .finish()
    }
}

impl ReplayGuard for MemoryReplayGuard {
    fn first_use(
        &self,
        key: &ReplayKey,
        valid_until_millis: u64,
        now_millis: u64,
    ) -> ReplayFuture<'_> {
        Box::pin(std::future::ready(self.first_use_now(
            key,
            valid_until_millis,
            now_millis,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> ReplayKey {
        ReplayKey::from_bytes([byte; 20])
    }

    #[test]
    fn a_key_is_accepted_once_while_live() {
        let guard = MemoryReplayGuard::new();
        assert!(guard.first_use_now(&key(1), 1_000, 0).unwrap());
        assert!(!guard.first_use_now(&key(1), 1_000, 500).unwrap());
        assert!(
            !guard.first_use_now(&key(1), 1_000, 1_000).unwrap(),
            "live up to its end"
        );
        assert!(guard.first_use_now(&key(2), 1_000, 1_000).unwrap());
        assert_eq!(guard.len(), 2);
    }

    #[test]
    fn expired_entries_are_dropped() {
        let guard = MemoryReplayGuard::new();
        for byte in 0..100 {
            assert!(
                guard
                    .first_use_now(&key(byte), 1_000 + u64::from(byte), 0)
                    .unwrap()
            );
        }
        assert_eq!(guard.len(), 100);
        // At 1050, keys 0..=49 (valid until 1000..=1049) are gone.
        assert!(guard.first_use_now(&key(200), 5_000, 1_050).unwrap());
        assert_eq!(guard.len(), 51);
        // An expired key is new again.
        assert!(guard.first_use_now(&key(3), 9_000, 1_050).unwrap());
        assert!(!guard.first_use_now(&key(60), 9_000, 1_050).unwrap());
    }

    #[test]
    fn a_full_guard_refuses_rather_than_forgets() {
        let guard = MemoryReplayGuard::new().with_capacity(2);
        assert!(guard.first_use_now(&key(1), 100, 0).unwrap());
        assert!(guard.first_use_now(&key(2), 200, 0).unwrap());
        let error = guard.first_use_now(&key(3), 300, 50).unwrap_err();
        assert!(
            matches!(error, ReplayGuardError::Full { capacity: 2 }),
            "{error}"
        );
        // The live entries are still remembered.
        assert!(!guard.first_use_now(&key(1), 100, 50).unwrap());
        // Once one expires there is room again.
        assert!(guard.first_use_now(&key(3), 300, 150).unwrap());
        assert_eq!(guard.len(), 2);
    }

    #[test]
    fn replay_key_shows_as_hex() {
        let mut bytes = [0u8; 20];
        bytes[0] = 0xab;
        bytes[19] = 0x01;
        let key = ReplayKey::from_bytes(bytes);
        assert_eq!(key.to_string(), "ab00000000000000000000000000000000000001");
        assert_eq!(
            format!("{key:?}"),
            "ReplayKey(ab00000000000000000000000000000000000001)"
        );
    }
}
