//! Monotonic time for the delivery machinery: pacing, retry backoff, host
//! failover and deadlines all read the same injectable timer.

use std::fmt;
use std::time::Duration;

use crate::transport::BoxFuture;

/// A monotonic clock that can also sleep.
///
/// The client reads it for pacing, backoff, deadlines and failover windows.
/// It is injectable ([`ClientBuilder::timer`](crate::ClientBuilder::timer))
/// so that those can be tested without waiting: the default,
/// [`TokioTimer`], follows tokio's clock, which tests can pause and advance
/// (`#[tokio::test(start_paused = true)]`).
///
/// This is not the signing clock ([`Clock`](crate::Clock)): a `Timestamp`
/// header is wall-clock time, which may jump; these durations must not.
pub trait Timer: Send + Sync + 'static {
    /// The time elapsed since an origin fixed by the timer. Never decreases.
    fn now(&self) -> Duration;

    /// Completes once `duration` has elapsed on this timer.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// The default [`Timer`]: tokio's clock (`tokio::time::Instant` and
/// `tokio::time::sleep`).
///
/// In a runtime whose time is paused (tokio's `test-util` feature), it
/// follows the paused clock. Create it, and so the client, inside that
/// runtime: its origin is the instant of creation.
#[derive(Clone, Copy)]
pub struct TokioTimer {
    origin: tokio::time::Instant,
}

impl TokioTimer {
    /// A timer whose origin is now.
    pub fn new() -> Self {
        Self {
            origin: tokio::time::Instant::now(),
        }
    }
}

impl Default for TokioTimer {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for TokioTimer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokioTimer").finish_non_exhaustive()
    }
}

impl Timer for TokioTimer {
    fn now(&self) -> Duration {
        tokio::time::Instant::now().saturating_duration_since(self.origin)
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}
