//! Mutex helpers shared by every module that keeps state.

use std::sync::{Mutex, MutexGuard};

/// Locks a mutex, recovering from poisoning: every guarded value in this crate is
/// a record store or a counter that stays consistent even if a holder panicked
/// between two statements, and a test should see the records rather than a
/// second panic.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
