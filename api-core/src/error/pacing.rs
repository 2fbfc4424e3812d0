//! A call held back by the client's own pacing: nothing was sent.

use std::time::Duration;

use crate::rate::RateLimit;

/// A call was not sent because of the client's own pacing.
///
/// Most often its turn under the rate limit would come too late: after it,
/// the call's deadline would leave no time for an attempt (a full
/// per-attempt timeout, or the whole deadline if that is shorter). A call
/// is never let through only to be cut short: for a publish, an attempt cut
/// short is an outcome unknown. It can also be that the shared quota store
/// could not be asked and the quota fails closed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "not sent: {}{}",
    reason_text(self),
    request_id.as_deref().map(|id| format!(" [request id {id}]")).unwrap_or_default()
)]
pub struct PacingError {
    quota: String,
    reason: Reason,
    request_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Reason {
    TooLate {
        limit: Option<RateLimit>,
        wait: Duration,
        left: Duration,
    },
    StoreUnavailable(Box<str>),
}

fn reason_text(error: &PacingError) -> String {
    match &error.reason {
        Reason::StoreUnavailable(failure) => format!(
            "the quota store could not be asked for a turn under quota {} and the quota fails closed: {failure}",
            error.quota
        ),
        Reason::TooLate { limit, wait, left } => format!(
            "the rate limit {}of quota {} needs a wait of {wait:?}, leaving no time for an attempt before the call's deadline ({left:?} left)",
            limit.map(|limit| format!("({limit}) ")).unwrap_or_default(),
            error.quota,
        ),
    }
}

impl PacingError {
    /// The turn of quota `quota` comes after `wait`, when `left` of the
    /// deadline remains; `limit` is the limit that makes it wait longest.
    pub fn too_late(
        quota: impl Into<String>,
        limit: Option<RateLimit>,
        wait: Duration,
        left: Duration,
    ) -> Self {
        Self {
            quota: quota.into(),
            reason: Reason::TooLate { limit, wait, left },
            request_id: None,
        }
    }

    /// The quota store could not be asked, and the quota fails closed.
    pub fn store_unavailable(quota: impl Into<String>, failure: impl Into<String>) -> Self {
        Self {
            quota: quota.into(),
            reason: Reason::StoreUnavailable(failure.into().into_boxed_str()),
            request_id: None,
        }
    }

    /// Attaches the call's request id.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }

    /// The quota key.
    pub fn quota(&self) -> &str {
        &self.quota
    }

    /// The limit that would have made the call wait longest.
    pub fn limit(&self) -> Option<RateLimit> {
        match self.reason {
            Reason::TooLate { limit, .. } => limit,
            Reason::StoreUnavailable(_) => None,
        }
    }

    /// How long the call would have had to wait before it could be sent.
    pub fn wait(&self) -> Duration {
        match self.reason {
            Reason::TooLate { wait, .. } => wait,
            Reason::StoreUnavailable(_) => Duration::ZERO,
        }
    }

    /// How much of the call's deadline was left.
    pub fn time_left(&self) -> Duration {
        match self.reason {
            Reason::TooLate { left, .. } => left,
            Reason::StoreUnavailable(_) => Duration::ZERO,
        }
    }

    /// Why the quota store could not be asked, when that is the reason.
    pub fn store_failure(&self) -> Option<&str> {
        match &self.reason {
            Reason::StoreUnavailable(failure) => Some(failure),
            Reason::TooLate { .. } => None,
        }
    }

    /// The call's `X-Request-ID`.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}
