//! The emulator's notion of "now": real, scaled (fast-forwarded) or manual.
//!
//! Rate-limit windows and record timestamps read this clock, never the system clock
//! directly, so a test can exercise an hourly quota in milliseconds.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A cheaply clonable clock shared between a test and a running emulator.
///
/// Every kind of clock can also be pushed forward with [`Clock::advance`], which adds
/// a fixed offset on top of whatever the clock would otherwise read.
///
/// ```
/// use std::time::Duration;
/// use api_emulator::Clock;
///
/// let clock = Clock::manual();
/// let before = clock.now_millis();
/// clock.advance(Duration::from_secs(3600));
/// assert_eq!(clock.now_millis() - before, 3_600_000);
/// ```
#[derive(Clone, Debug)]
pub struct Clock {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    kind: Kind,
    /// Milliseconds added by [`Clock::advance`].
    offset_ms: AtomicU64,
}

#[derive(Debug)]
enum Kind {
    System,
    Scaled {
        factor: f64,
        real_start: Instant,
        virtual_start_ms: u64,
    },
    Manual {
        start_ms: u64,
    },
}

impl Clock {
    /// The real wall clock (the default).
    pub fn system() -> Self {
        Self::from_kind(Kind::System)
    }

    /// A clock that starts at the current wall time and runs `factor` times faster
    /// than real time: with a factor of 60 a minute passes in one real second.
    ///
    /// # Panics
    /// If `factor` is not a finite number greater than zero.
    pub fn scaled(factor: f64) -> Self {
        Self::scaled_from(SystemTime::now(), factor)
    }

    /// Like [`Clock::scaled`], but starting at `start` instead of the current time
    /// (useful to begin just before midnight when testing a daily quota).
    ///
    /// # Panics
    /// If `factor` is not a finite number greater than zero.
    pub fn scaled_from(start: SystemTime, factor: f64) -> Self {
        assert!(
            factor.is_finite() && factor > 0.0,
            "clock scale factor must be finite and positive, got {factor}"
        );
        Self::from_kind(Kind::Scaled {
            factor,
            real_start: Instant::now(),
            virtual_start_ms: millis_since_epoch(start),
        })
    }

    /// A clock that stands still at the current wall time until [`Clock::advance`]
    /// moves it.
    pub fn manual() -> Self {
        Self::manual_at(SystemTime::now())
    }

    /// A clock that stands still at `start` until [`Clock::advance`] moves it.
    pub fn manual_at(start: SystemTime) -> Self {
        Self::from_kind(Kind::Manual {
            start_ms: millis_since_epoch(start),
        })
    }

    fn from_kind(kind: Kind) -> Self {
        Self {
            inner: Arc::new(Inner {
                kind,
                offset_ms: AtomicU64::new(0),
            }),
        }
    }

    /// Moves the clock forward by `by` (millisecond resolution). Works on every kind
    /// of clock; on a manual clock it is the only way time passes.
    pub fn advance(&self, by: Duration) {
        let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.inner.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }

    /// The current time in milliseconds since the Unix epoch, as this clock sees it.
    pub fn now_millis(&self) -> u64 {
        let base = match &self.inner.kind {
            Kind::System => millis_since_epoch(SystemTime::now()),
            Kind::Scaled {
                factor,
                real_start,
                virtual_start_ms,
            } => {
                let real_ms = real_start.elapsed().as_secs_f64() * 1000.0;
                virtual_start_ms.saturating_add((real_ms * factor) as u64)
            }
            Kind::Manual { start_ms } => *start_ms,
        };
        base.saturating_add(self.inner.offset_ms.load(Ordering::Relaxed))
    }

    /// The current time as this clock sees it.
    pub fn now(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(self.now_millis())
    }

    /// How many times faster than real time this clock runs: 1 for the system clock,
    /// 0 for a manual clock.
    pub fn factor(&self) -> f64 {
        match &self.inner.kind {
            Kind::System => 1.0,
            Kind::Scaled { factor, .. } => *factor,
            Kind::Manual { .. } => 0.0,
        }
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

fn millis_since_epoch(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaled_clock_runs_faster() {
        let clock = Clock::scaled(1000.0);
        let a = clock.now_millis();
        std::thread::sleep(Duration::from_millis(20));
        let b = clock.now_millis();
        // 20 ms real is at least 20 s virtual.
        assert!(b - a >= 20_000, "advanced only {} ms", b - a);
    }

    #[test]
    fn manual_clock_stands_still() {
        let clock = Clock::manual_at(UNIX_EPOCH + Duration::from_secs(100));
        assert_eq!(clock.now_millis(), 100_000);
        clock.advance(Duration::from_millis(1500));
        assert_eq!(clock.now_millis(), 101_500);
        assert_eq!(clock.factor(), 0.0);
    }
}
