//! Message ids in the provider's visual format `XXXX-XXXX-XXX-XXXX`.
//!
//! The pages show ids like `XXXX-JJJJ-KKK-LLLL` (001, 002, 004, 000). Ids here are
//! built from a process-wide counter pushed through a bijection (so they are unique
//! within the process, even across several emulators) mixed with a per-process
//! random salt (so two runs do not hand out the same ids).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// 32 symbols: five bits per character, upper-case like the provider's ids.
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// The counter part is 35 bits (seven characters).
const COUNTER_BITS: u32 = 35;
const COUNTER_MASK: u64 = (1 << COUNTER_BITS) - 1;

static COUNTER: AtomicU64 = AtomicU64::new(0);
static SALT: OnceLock<u64> = OnceLock::new();

fn salt() -> u64 {
    *SALT.get_or_init(|| {
        // `RandomState` is seeded from the OS; hashing the time on top keeps it cheap
        // and avoids another dependency just for a seed.
        let mut h = RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        h.finish()
    })
}

/// A bijection on 35-bit integers: multiplying by an odd constant and an xor-shift
/// by more than half the width are both invertible, so distinct counters give
/// distinct outputs while consecutive ids look unrelated.
fn permute(x: u64) -> u64 {
    let mut v = x.wrapping_mul(0x5DEE_CE66D) & COUNTER_MASK;
    v ^= v >> 18;
    v.wrapping_mul(0x2545_F491) & COUNTER_MASK
}

/// Returns a new message id, unique within this process.
pub(crate) fn next_message_id() -> String {
    // Start from a salt-derived point so a run's first ids do not look alike.
    let n = COUNTER
        .fetch_add(1, Ordering::Relaxed)
        .wrapping_add(salt() >> 40)
        & COUNTER_MASK;
    let low = permute(n);
    // The high 40 bits vary with `low` too, but uniqueness comes from `low` alone.
    let high = (salt() ^ low.wrapping_mul(0x9E37_79B9_7F4A_7C15)) & ((1 << 40) - 1);
    let mut chars = [0u8; 15];
    for (i, c) in chars.iter_mut().take(8).enumerate() {
        *c = ALPHABET[((high >> (35 - 5 * i)) & 31) as usize];
    }
    for (i, c) in chars.iter_mut().skip(8).enumerate() {
        *c = ALPHABET[((low >> (30 - 5 * i)) & 31) as usize];
    }
    let mut id = String::with_capacity(18);
    for (i, c) in chars.iter().enumerate() {
        if i == 4 || i == 8 || i == 11 {
            id.push('-');
        }
        id.push(*c as char);
    }
    id
}

/// 64 unpredictable bits: a fresh OS-seeded hasher over a process-wide counter.
fn random_u64() -> u64 {
    static DRAWS: AtomicU64 = AtomicU64::new(0);
    let mut h = RandomState::new().build_hasher();
    h.write_u64(DRAWS.fetch_add(1, Ordering::Relaxed));
    h.write_u64(salt());
    h.finish()
}

/// A token for `/user/getToken.json`: opaque, unique, 57 characters (the Python
/// SDK documents tokens of at most 256 bytes). The provider's tokens are opaque
/// to callers too; this one names the emulator so it is never mistaken for a
/// real one.
pub(crate) fn next_token() -> String {
    format!(
        "{:016x}{:016x}{:016x}@emulator",
        random_u64(),
        random_u64(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A random nonce of `len` (at most 16) lower-case hex digits, for signing
/// callbacks.
pub(crate) fn nonce(len: usize) -> String {
    let mut text = format!("{:016x}", random_u64());
    text.truncate(len.min(16));
    text
}

/// A random session id for an online-status event that did not name one.
pub(crate) fn session_id() -> String {
    format!("{:016x}{:016x}", random_u64(), random_u64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_have_the_documented_shape_and_are_unique() {
        let mut seen = HashSet::new();
        for _ in 0..50_000 {
            let id = next_message_id();
            let parts: Vec<&str> = id.split('-').collect();
            assert_eq!(
                parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
                [4, 4, 3, 4]
            );
            assert!(seen.insert(id));
        }
    }

    #[test]
    fn tokens_and_nonces_are_unique() {
        let tokens: HashSet<String> = (0..1000).map(|_| next_token()).collect();
        assert_eq!(tokens.len(), 1000);
        assert!(
            tokens
                .iter()
                .all(|t| t.len() == 57 && t.ends_with("@emulator"))
        );
        let nonce = nonce(16);
        assert_eq!(nonce.len(), 16);
        assert!(nonce.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn permutation_is_injective_on_a_sample() {
        let mut seen = HashSet::new();
        for x in 0..100_000u64 {
            assert!(seen.insert(permute(x)));
        }
    }
}
