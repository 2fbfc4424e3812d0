//! Per-call settings.

use std::time::Duration;

use crate::delivery::machine::Deadline;
use crate::delivery::retry::RetryPolicy;
use crate::request::RequestId;

/// Per-call settings for [`Client::send_with`](crate::Client::send_with).
///
/// ```
/// use std::time::Duration;
/// use api_core::{CallOptions, RequestId};
///
/// // A call that may wait for its turn under the rate limit as long as
/// // needed, and then has 20 s for its attempts.
/// let options = CallOptions::new()
///     .request_id(RequestId::parse("campaign-7-chunk-42").unwrap())
///     .deadline(Duration::from_secs(20))
///     .queue(None);
/// ```
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    pub(crate) request_id: Option<RequestId>,
    deadline: DeadlineChoice,
    queue: Option<Option<Duration>>,
}

#[derive(Debug, Clone, Copy, Default)]
enum DeadlineChoice {
    #[default]
    Policy,
    Fixed(Duration),
    Unbounded,
}

impl CallOptions {
    /// The defaults: a new request id, the client's deadline, counted from
    /// now.
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses this `X-Request-ID` (on every attempt).
    pub fn request_id(mut self, request_id: RequestId) -> Self {
        self.request_id = Some(request_id);
        self
    }

    /// Bounds the whole call (the wait for its turn, attempts, backoff) by
    /// `deadline` instead of the retry policy's.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = DeadlineChoice::Fixed(deadline);
        self
    }

    /// No deadline for this call: it waits for its rate limit as long as
    /// needed, bounded only by the attempts, their timeout and the retry
    /// policy's `max_rate_limit_wait`.
    pub fn no_deadline(mut self) -> Self {
        self.deadline = DeadlineChoice::Unbounded;
        self
    }

    /// Lets the call queue for its first turn under the rate limit for up
    /// to `limit` (`None`: as long as the limit requires), and starts its
    /// deadline when that turn comes: the deadline then bounds the attempts
    /// and backoff only. For calls sent in bulk, which queue at the rate
    /// limit by design. A turn that would come later than `limit` (less an
    /// attempt's time) fails the call at once with
    /// [`Error::Pacing`](crate::Error::Pacing), not sent.
    pub fn queue(mut self, limit: Option<Duration>) -> Self {
        self.queue = Some(limit);
        self
    }

    pub(crate) fn deadline_rule(&self, policy: &RetryPolicy) -> Deadline {
        let budget = match self.deadline {
            DeadlineChoice::Policy => policy.deadline,
            DeadlineChoice::Fixed(deadline) => Some(deadline),
            DeadlineChoice::Unbounded => None,
        };
        match self.queue {
            None => Deadline::FromStart(budget),
            Some(queue) => Deadline::FromTurn { queue, budget },
        }
    }
}
