//! Fault injection: make a host refuse connections, answer late, hang, answer an
//! error, or process a request and then close the connection without answering.
//!
//! Faults match by endpoint path and host, apply to the next N matching requests
//! (or connections) or until cleared, and are checked in injection order: the first
//! matching fault that still has uses left applies.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use crate::sync::lock;

/// What a fault does.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultKind {
    /// Accept the TCP connection, then close it at once without reading. Matches
    /// connections, not requests, so the path filter does not apply; connections
    /// already open keep working.
    RefuseConnection,
    /// Process the request normally (a message is delivered), then wait this long
    /// before answering.
    Delay(Duration),
    /// Read the request, wait this long, then close the connection without
    /// processing or answering it (a hung backend cut off by a load balancer).
    Hang(Duration),
    /// Answer with this HTTP status and body code without processing the request.
    Answer {
        /// HTTP status, for example 500.
        status: u16,
        /// Body `code`, for example 1000.
        code: u32,
        /// `Retry-After` header value in seconds, if any.
        retry_after: Option<u64>,
    },
    /// Read and fully process the request (a message IS delivered), then close the
    /// connection without sending any answer.
    DropAfterProcessing,
}

/// A fault to inject with [`Emulator::inject`](crate::Emulator::inject).
///
/// ```
/// use api_emulator::Fault;
///
/// // The next two private publishes on the primary host get HTTP 500 code 1000.
/// let fault = Fault::internal_error()
///     .on_path("/message/private/publish.json")
///     .on_host(0)
///     .times(2);
/// # let _ = fault;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    kind: FaultKind,
    path: Option<String>,
    host: Option<usize>,
    times: Option<u64>,
}

impl Fault {
    /// A fault of `kind` on every path and host, until cleared.
    pub fn new(kind: FaultKind) -> Self {
        Self {
            kind,
            path: None,
            host: None,
            times: None,
        }
    }

    /// Accept connections and close them immediately ([`FaultKind::RefuseConnection`]).
    pub fn refuse_connections() -> Self {
        Self::new(FaultKind::RefuseConnection)
    }

    /// Process, then answer after `delay` ([`FaultKind::Delay`]).
    pub fn delay(delay: Duration) -> Self {
        Self::new(FaultKind::Delay(delay))
    }

    /// Hold the request for `duration`, then close without processing
    /// ([`FaultKind::Hang`]).
    pub fn hang(duration: Duration) -> Self {
        Self::new(FaultKind::Hang(duration))
    }

    /// Close the connection at once without processing or answering.
    pub fn close_without_answer() -> Self {
        Self::hang(Duration::ZERO)
    }

    /// Answer HTTP `status` with body code `code` without processing. A status
    /// outside 100..=999 cannot be sent and is answered as 500.
    pub fn error(status: u16, code: u32) -> Self {
        Self::new(FaultKind::Answer {
            status,
            code,
            retry_after: None,
        })
    }

    /// HTTP 500, code 1000: internal server error.
    pub fn internal_error() -> Self {
        Self::error(500, 1000)
    }

    /// HTTP 504, code 1050: internal timeout.
    pub fn internal_timeout() -> Self {
        Self::error(504, 1050)
    }

    /// HTTP 429, code 1008: rate limit exceeded.
    pub fn rate_limited() -> Self {
        Self::error(429, 1008)
    }

    /// Process fully (the message is delivered), then close without answering
    /// ([`FaultKind::DropAfterProcessing`]).
    pub fn drop_after_processing() -> Self {
        Self::new(FaultKind::DropAfterProcessing)
    }

    /// Adds a `Retry-After` header (whole seconds, rounded up) to an error answer;
    /// no effect on other kinds.
    pub fn retry_after(mut self, after: Duration) -> Self {
        if let FaultKind::Answer { retry_after, .. } = &mut self.kind {
            let secs = after.as_secs() + u64::from(after.subsec_nanos() > 0);
            *retry_after = Some(secs);
        }
        self
    }

    /// Only requests to this exact path, for example `/push.json`.
    pub fn on_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Only this host (0 is the primary).
    pub fn on_host(mut self, host: usize) -> Self {
        self.host = Some(host);
        self
    }

    /// Only the next `n` matching requests (or connections); then it expires.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// What this fault does.
    pub fn kind(&self) -> &FaultKind {
        &self.kind
    }

    fn matches_request(&self, path: &str, host: usize) -> bool {
        !matches!(self.kind, FaultKind::RefuseConnection)
            && self.path.as_deref().is_none_or(|p| p == path)
            && self.host.is_none_or(|h| h == host)
    }

    fn matches_connection(&self, host: usize) -> bool {
        matches!(self.kind, FaultKind::RefuseConnection) && self.host.is_none_or(|h| h == host)
    }
}

/// Identifies an injected fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FaultId(u64);

#[derive(Debug)]
struct Active {
    id: FaultId,
    fault: Fault,
    remaining: Option<u64>,
    hits: u64,
}

impl Active {
    fn live(&self) -> bool {
        self.remaining != Some(0)
    }
}

/// The faults of one emulator.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    /// Faults with uses left; lets the hot path skip the lock when there are none.
    live: AtomicUsize,
    next_id: AtomicU64,
    list: Mutex<Vec<Active>>,
}

impl Faults {
    pub fn inject(&self, fault: Fault) -> FaultId {
        let id = FaultId(self.next_id.fetch_add(1, Ordering::Relaxed));
        let active = Active {
            id,
            remaining: fault.times,
            fault,
            hits: 0,
        };
        let mut list = lock(&self.list);
        if active.live() {
            self.live.fetch_add(1, Ordering::SeqCst);
        }
        list.push(active);
        id
    }

    pub fn clear(&self, id: FaultId) -> bool {
        let mut list = lock(&self.list);
        let Some(i) = list.iter().position(|a| a.id == id) else {
            return false;
        };
        if list.remove(i).live() {
            self.live.fetch_sub(1, Ordering::SeqCst);
        }
        true
    }

    pub fn clear_all(&self) {
        let mut list = lock(&self.list);
        list.clear();
        self.live.store(0, Ordering::SeqCst);
    }

    /// How many requests or connections the fault has applied to.
    pub fn hits(&self, id: FaultId) -> Option<u64> {
        lock(&self.list).iter().find(|a| a.id == id).map(|a| a.hits)
    }

    fn take(&self, matches: impl Fn(&Fault) -> bool) -> Option<FaultKind> {
        if self.live.load(Ordering::SeqCst) == 0 {
            return None;
        }
        let mut list = lock(&self.list);
        let active = list.iter_mut().find(|a| a.live() && matches(&a.fault))?;
        active.hits += 1;
        if let Some(n) = &mut active.remaining {
            *n -= 1;
            if *n == 0 {
                self.live.fetch_sub(1, Ordering::SeqCst);
            }
        }
        Some(active.fault.kind.clone())
    }

    /// The fault to apply to a request to `path` on `host`, using up one of its uses.
    pub fn take_for_request(&self, path: &str, host: usize) -> Option<FaultKind> {
        self.take(|f| f.matches_request(path, host))
    }

    /// Whether a new connection on `host` must be refused, using up one use.
    pub fn take_for_connection(&self, host: usize) -> bool {
        self.take(|f| f.matches_connection(host)).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_apply_in_order_and_expire() {
        let faults = Faults::default();
        let a = faults.inject(Fault::internal_error().on_path("/push.json").times(1));
        let b = faults.inject(Fault::rate_limited().on_host(1).times(2));
        assert_eq!(faults.take_for_request("/x", 0), None);
        assert!(matches!(
            faults.take_for_request("/push.json", 1),
            Some(FaultKind::Answer { code: 1000, .. })
        ));
        assert!(matches!(
            faults.take_for_request("/push.json", 1),
            Some(FaultKind::Answer { code: 1008, .. })
        ));
        assert!(faults.take_for_request("/y", 1).is_some());
        assert_eq!(faults.take_for_request("/y", 1), None);
        assert_eq!(faults.hits(a), Some(1));
        assert_eq!(faults.hits(b), Some(2));
        assert!(!faults.take_for_connection(0));
        assert!(faults.clear(a));
        assert!(!faults.clear(a));
    }

    #[test]
    fn retry_after_rounds_up() {
        let f = Fault::rate_limited().retry_after(Duration::from_millis(1500));
        assert_eq!(
            f.kind(),
            &FaultKind::Answer {
                status: 429,
                code: 1008,
                retry_after: Some(2)
            }
        );
    }

    #[test]
    fn refusals_match_connections_only() {
        let faults = Faults::default();
        faults.inject(Fault::refuse_connections().on_host(0).times(1));
        assert_eq!(faults.take_for_request("/push.json", 0), None);
        assert!(!faults.take_for_connection(1));
        assert!(faults.take_for_connection(0));
        assert!(!faults.take_for_connection(0));
    }
}
