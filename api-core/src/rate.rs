//! Documented rate limits, as endpoints declare them.
//!
//! `#[endpoint(rate_limit(recipients = 6000, per = minute))]` becomes a
//! [`RateLimit`] in [`Endpoint::RATE_LIMITS`](crate::Endpoint::RATE_LIMITS);
//! the client's pacer reads them.

use std::time::Duration;

/// What a rate limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateUnit {
    /// Every call counts one.
    Calls,
    /// A call counts one per recipient (a publish to 1000 users counts 1000).
    Recipients,
}

/// A documented limit: at most `amount` calls or recipients per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimit {
    /// How many calls or recipients the window allows.
    pub amount: u32,
    /// The length of the window.
    pub window: Duration,
    /// What is counted.
    pub unit: RateUnit,
}

impl RateLimit {
    /// `amount` calls per `window`.
    pub const fn calls(amount: u32, window: Duration) -> Self {
        Self {
            amount,
            window,
            unit: RateUnit::Calls,
        }
    }

    /// `amount` recipients per `window`.
    pub const fn recipients(amount: u32, window: Duration) -> Self {
        Self {
            amount,
            window,
            unit: RateUnit::Recipients,
        }
    }

    /// The weight of one call with `recipients` recipients under this limit.
    pub fn weight(&self, recipients: usize) -> u64 {
        match self.unit {
            RateUnit::Calls => 1,
            RateUnit::Recipients => recipients.max(1) as u64,
        }
    }
}

impl std::fmt::Display for RateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match self.unit {
            RateUnit::Calls => "calls",
            RateUnit::Recipients => "recipients",
        };
        let secs = self.window.as_secs();
        let per = match secs {
            1 => "second".to_owned(),
            60 => "minute".to_owned(),
            3600 => "hour".to_owned(),
            86_400 => "day".to_owned(),
            _ => format!("{:?}", self.window),
        };
        write!(f, "{} {unit} per {per}", self.amount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_and_display() {
        let per_minute = RateLimit::recipients(6000, Duration::from_secs(60));
        assert_eq!(per_minute.weight(1000), 1000);
        assert_eq!(per_minute.to_string(), "6000 recipients per minute");
        let per_hour = RateLimit::calls(2, Duration::from_secs(3600));
        assert_eq!(per_hour.weight(1000), 1);
        assert_eq!(per_hour.to_string(), "2 calls per hour");
    }
}
