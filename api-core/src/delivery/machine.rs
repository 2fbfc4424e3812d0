//! One call as a sans-IO state machine.
//!
//! The machine decides every step of a call (ask for a turn under the rate
//! limit, sleep, send an attempt to a host, give up) from the outcome of the
//! previous step and the time, and does no I/O: the engine
//! ([`super::engine`]) performs each [`Step`] and feeds the result back. So
//! every rule of retries, failover, pacing and deadlines is tested here
//! without a client, a transport or a sleep.
//!
//! ```text
//!   start ──► Pace ──granted, wait──► Sleep ──► Send ──ok──► (answer)
//!              ▲  └─denied, too late─► Fail        │
//!              │                                    │ failed: classify()
//!              ├──── rate limited: Pace with a penalty for the quota
//!              ├──── repeatable: Sleep(backoff) ──► Pace (giving back
//!              │                 the turn of an attempt that never left)
//!              └──── otherwise, or out of attempts or time: Fail
//! ```

use std::time::Duration;

use crate::delivery::failover::Failover;
use crate::delivery::pacing::{QuotaStoreError, Reservation};
use crate::delivery::retry::RetryPolicy;
use crate::error::{Delivery, Error, PacingError, Processed};

/// What the engine does next.
#[derive(Debug)]
pub(crate) enum Step {
    /// Ask the quota store for a turn, accepting a wait of at most
    /// `max_wait` (`None`: any). First, when `penalty` is set, make every
    /// call of the quota wait that long (a rate-limit refusal was seen);
    /// when `release` is set, give back the turn held by the previous
    /// attempt (it never left).
    Pace {
        max_wait: Option<Duration>,
        penalty: Option<Duration>,
        release: bool,
    },
    /// Sleep this long, then call [`CallMachine::woke`].
    Sleep(Duration),
    /// Send attempt number `attempt` (from 1) to host `host` with this
    /// timeout, then call [`CallMachine::failed`] unless it succeeds.
    Send {
        host: usize,
        attempt: u32,
        timeout: Duration,
    },
    /// The call is over with this error; `release`: the turn it holds was
    /// never used (its last attempt never left, or none was made).
    Fail { error: Error, release: bool },
}

/// When a call must be over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Deadline {
    /// The whole call, its wait for a turn included, has this long (`None`:
    /// no bound beyond the attempts).
    FromStart(Option<Duration>),
    /// The call may queue for its first turn for `queue` at most (`None`: as
    /// long as the rate limit requires); from that turn it has `budget`.
    /// Bulk sends and campaigns queue many calls at the rate limit.
    FromTurn {
        queue: Option<Duration>,
        budget: Option<Duration>,
    },
}

/// What the machine needs to know about the call and the client.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules<'a> {
    /// The quota key, for errors.
    pub quota: &'a str,
    /// Whether the endpoint is idempotent.
    pub idempotent: bool,
    /// The per-attempt timeout.
    pub timeout: Duration,
    /// Attempts, backoff and the rate-limit patience.
    pub retry: &'a RetryPolicy,
    /// When the call must be over.
    pub deadline: Deadline,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for the quota store's answer.
    Pacing,
    /// Sleeping until the reserved turn.
    TurnWait,
    /// Sleeping after a denied turn, before asking again.
    Denied,
    /// Sleeping the backoff; then a new turn, giving back the previous one
    /// when `release`.
    Backoff { release: bool },
    /// Waiting for the outcome of an attempt to `host`.
    Sending { host: usize },
    /// Over.
    Done,
}

/// The state of one call.
pub(crate) struct CallMachine<'a> {
    rules: Rules<'a>,
    failover: &'a Failover,
    /// The time by which the call must be over (timer time).
    deadline: Option<Duration>,
    /// The deadline's length, for the room an attempt needs.
    budget: Option<Duration>,
    /// While queueing for the first turn of a [`Deadline::FromTurn`] call:
    /// the latest time that turn may come (`Some(None)`: any time).
    first_turn_by: Option<Option<Duration>>,
    phase: Phase,
    /// Attempts sent.
    sent: u32,
    /// Attempts that count against `max_attempts` (not rate-limit refusals).
    counted: u32,
    /// Rate-limit refusals so far, for their backoff.
    refusals: u32,
    /// Waits after rate-limit refusals so far (bounds a call without a
    /// deadline).
    rate_limit_waited: Duration,
    /// Waits for turns so far (for tracing).
    paced: Duration,
    /// The host the previous attempt found unhealthy.
    failed_host: Option<usize>,
    /// The first error after which the request may have been processed: if
    /// a later attempt provably was not, this stays the call's outcome.
    maybe_processed: Option<Error>,
    /// The previous attempt's error, unless kept in `maybe_processed`.
    last: Option<Error>,
    /// Whether the turn the call holds has not been used by a request that
    /// may have reached the server.
    holds_unused_turn: bool,
}

impl<'a> CallMachine<'a> {
    /// A call starting at `now`.
    pub(crate) fn new(rules: Rules<'a>, failover: &'a Failover, now: Duration) -> Self {
        let (deadline, budget, first_turn_by) = match rules.deadline {
            Deadline::FromStart(budget) => (budget.map(|budget| now + budget), budget, None),
            Deadline::FromTurn { queue, budget } => {
                (None, budget, Some(queue.map(|queue| now + queue)))
            }
        };
        Self {
            rules,
            failover,
            deadline,
            budget,
            first_turn_by,
            phase: Phase::Pacing,
            sent: 0,
            counted: 0,
            refusals: 0,
            rate_limit_waited: Duration::ZERO,
            paced: Duration::ZERO,
            failed_host: None,
            maybe_processed: None,
            last: None,
            holds_unused_turn: false,
        }
    }

    /// Attempts sent so far.
    pub(crate) fn attempts(&self) -> u32 {
        self.sent
    }

    /// Time spent waiting for turns so far.
    pub(crate) fn pacing_wait(&self) -> Duration {
        self.paced
    }

    /// The first step: ask for a turn.
    pub(crate) fn start(&mut self, now: Duration) -> Step {
        self.pace(now, None, false)
    }

    /// The quota store answered the last [`Step::Pace`].
    pub(crate) fn turn(
        &mut self,
        now: Duration,
        answer: Result<Reservation, QuotaStoreError>,
    ) -> Step {
        debug_assert_eq!(self.phase, Phase::Pacing);
        match answer {
            Err(error) => {
                let error = PacingError::store_unavailable(self.rules.quota, error.message());
                self.fail(error.into())
            }
            Ok(Reservation::Granted { wait }) => {
                self.holds_unused_turn = true;
                if let Some(by) = self.first_turn_by.take() {
                    // A queued call's deadline counts from its turn.
                    let from_turn = self.budget.map(|budget| now + wait + budget);
                    self.deadline = earliest(by, from_turn);
                }
                self.paced += wait;
                if wait.is_zero() {
                    self.send(now)
                } else {
                    self.phase = Phase::TurnWait;
                    Step::Sleep(wait)
                }
            }
            Ok(Reservation::Denied { wait, limit }) => {
                if self.max_wait(now).is_some_and(|max| wait > max) {
                    let left = self
                        .turn_bound()
                        .map_or(Duration::ZERO, |by| by.saturating_sub(now));
                    let error = PacingError::too_late(self.rules.quota, limit, wait, left);
                    return self.fail(error.into());
                }
                // A store that only grants "now" (a shared one) said when
                // to ask again. Never spin on a zero wait.
                let wait = wait.max(Duration::from_millis(1));
                self.paced += wait;
                self.phase = Phase::Denied;
                Step::Sleep(wait)
            }
        }
    }

    /// A [`Step::Sleep`] is over.
    pub(crate) fn woke(&mut self, now: Duration) -> Step {
        match self.phase {
            Phase::TurnWait => self.send(now),
            Phase::Denied => self.pace(now, None, false),
            Phase::Backoff { release } => self.pace(now, None, release),
            phase => unreachable!("woke in phase {phase:?}"),
        }
    }

    /// The attempt of the last [`Step::Send`] failed with `error`.
    pub(crate) fn failed(&mut self, now: Duration, error: Error) -> Step {
        let Phase::Sending { host } = self.phase else {
            unreachable!("an attempt failed in phase {:?}", self.phase)
        };
        let meaning = error.disposition();
        // The turn was used unless the request never left the client.
        self.holds_unused_turn = meaning.processed == Processed::No;
        self.failed_host = None;
        if meaning.host_unhealthy {
            self.failover.report_failure(host, now);
            self.failed_host = Some(host);
        }

        if meaning.is_rate_limited() {
            // Provably not processed: repeated until the deadline, whatever
            // `max_attempts` says, after the server's wait or a backoff that
            // grows with each refusal; the whole quota waits as long.
            self.refusals += 1;
            let wait = meaning
                .retry_after
                .unwrap_or_else(|| self.rules.retry.backoff_for(self.refusals));
            let in_time = match self.deadline {
                Some(deadline) => now + wait < deadline,
                None => self.rate_limit_waited + wait <= self.rules.retry.max_rate_limit_wait,
            };
            if !in_time {
                tracing::debug!(wait_ms = wait.as_millis() as u64, %error, "no retry: the refusal's wait ends past the deadline");
                return self.fail(error);
            }
            self.rate_limit_waited += wait;
            self.remember(error);
            return self.pace(now, Some(wait), false);
        }

        if !meaning.may_repeat(self.rules.idempotent) {
            return self.fail(error);
        }
        self.counted += 1;
        if self.counted >= self.rules.retry.max_attempts.max(1) {
            return self.fail(error);
        }
        let wait = self
            .rules
            .retry
            .backoff_for(self.counted)
            .max(meaning.retry_after.unwrap_or_default());
        if self.deadline.is_some_and(|deadline| now + wait >= deadline) {
            tracing::debug!(wait_ms = wait.as_millis() as u64, %error, "no retry: it would start past the deadline");
            return self.fail(error);
        }
        tracing::debug!(attempt = self.sent, wait_ms = wait.as_millis() as u64, %error, "retrying");
        let release = meaning.processed == Processed::No;
        self.remember(error);
        if wait.is_zero() {
            return self.pace(now, None, release);
        }
        self.phase = Phase::Backoff { release };
        Step::Sleep(wait)
    }

    fn pace(&mut self, now: Duration, penalty: Option<Duration>, release: bool) -> Step {
        if release {
            self.holds_unused_turn = false;
        }
        self.phase = Phase::Pacing;
        Step::Pace {
            max_wait: self.max_wait(now),
            penalty,
            release,
        }
    }

    fn send(&mut self, now: Duration) -> Step {
        let timeout = match self.deadline {
            Some(deadline) => self.rules.timeout.min(deadline.saturating_sub(now)),
            None => self.rules.timeout,
        };
        if timeout.is_zero() {
            // No time left (a timer overslept): no attempt starts without
            // time for it.
            let error =
                PacingError::too_late(self.rules.quota, None, Duration::ZERO, Duration::ZERO);
            return self.fail(error.into());
        }
        let host = self.failover.host_for_attempt(now, self.failed_host);
        self.sent += 1;
        self.phase = Phase::Sending { host };
        Step::Send {
            host,
            attempt: self.sent,
            timeout,
        }
    }

    /// The time by which the next turn must come for an attempt to fit.
    fn turn_bound(&self) -> Option<Duration> {
        match self.first_turn_by {
            Some(by) => by,
            None => self.deadline,
        }
    }

    /// The longest wait for a turn that still leaves room for a whole
    /// attempt (its timeout, or the whole deadline if less: a turn that
    /// leaves less would only cut the attempt short, and a publish cut short
    /// has an unknown outcome). A call that need not wait always goes.
    fn max_wait(&self, now: Duration) -> Option<Duration> {
        let room = self
            .budget
            .map_or(self.rules.timeout, |budget| budget.min(self.rules.timeout));
        self.turn_bound()
            .map(|by| by.saturating_sub(room).saturating_sub(now))
    }

    fn remember(&mut self, error: Error) {
        if error.delivery() == Delivery::Unknown && self.maybe_processed.is_none() {
            self.maybe_processed = Some(error);
        } else {
            self.last = Some(error);
        }
    }

    /// Ends the call. Its outcome is `error`, unless an earlier attempt may
    /// have been processed and this one provably was not (the outcome is
    /// then unknown: the earlier error), or the call gives up for lack of
    /// time after an attempt (that attempt's error says why it was made
    /// again).
    fn fail(&mut self, error: Error) -> Step {
        self.phase = Phase::Done;
        let error = match self.maybe_processed.take() {
            Some(earlier) if error.delivery() != Delivery::Unknown => earlier,
            _ => match (error, self.last.take()) {
                (Error::Pacing(_), Some(last)) => last,
                (error, _) => error,
            },
        };
        Step::Fail {
            error,
            release: self.holds_unused_turn,
        }
    }
}

fn earliest(a: Option<Duration>, b: Option<Duration>) -> Option<Duration> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use http::StatusCode;

    use super::*;
    use crate::delivery::failover::FailoverPolicy;
    use crate::error::{ApiError, DecodeError, ErrorCode, TransportError, TransportErrorKind};
    use crate::hosts::BaseUrl;
    use crate::rate::RateLimit;

    const fn ms(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    const fn s(secs: u64) -> Duration {
        Duration::from_secs(secs)
    }

    fn failover(hosts: usize) -> Failover {
        let urls = (0..hosts)
            .map(|i| BaseUrl::parse(&format!("https://h{i}.test")).unwrap())
            .collect();
        Failover::new(urls, FailoverPolicy::new().cooldown(Duration::ZERO))
    }

    fn rules(retry: &RetryPolicy, idempotent: bool) -> Rules<'_> {
        Rules {
            quota: "/q.json",
            idempotent,
            timeout: s(10),
            retry,
            deadline: Deadline::FromStart(retry.deadline),
        }
    }

    fn granted(wait: Duration) -> Result<Reservation, QuotaStoreError> {
        Ok(Reservation::Granted { wait })
    }

    fn refused() -> Error {
        TransportError::new(
            TransportErrorKind::Connect,
            Delivery::NotSent,
            "h",
            "refused",
            None,
        )
        .into()
    }

    fn timed_out() -> Error {
        TransportError::new(
            TransportErrorKind::Timeout,
            Delivery::Unknown,
            "h",
            "slow",
            None,
        )
        .into()
    }

    fn rate_limited(after: Option<Duration>) -> Error {
        ApiError::new(
            ErrorCode::RateLimited,
            "",
            StatusCode::TOO_MANY_REQUESTS,
            None,
        )
        .with_retry_after(after)
        .into()
    }

    fn html(status: u16) -> Error {
        let status = StatusCode::from_u16(status).unwrap();
        DecodeError::new(status, b"<html>gateway</html>", "not JSON", None).into()
    }

    fn internal() -> Error {
        ApiError::new(
            ErrorCode::InternalError,
            "",
            StatusCode::INTERNAL_SERVER_ERROR,
            None,
        )
        .into()
    }

    fn bad_parameter() -> Error {
        ApiError::new(
            ErrorCode::InvalidParameter,
            "toUserId",
            StatusCode::BAD_REQUEST,
            None,
        )
        .into()
    }

    #[track_caller]
    fn pace(step: Step) -> (Option<Duration>, Option<Duration>, bool) {
        match step {
            Step::Pace {
                max_wait,
                penalty,
                release,
            } => (max_wait, penalty, release),
            other => panic!("expected Pace, got {other:?}"),
        }
    }

    #[track_caller]
    fn send(step: Step) -> (usize, u32, Duration) {
        match step {
            Step::Send {
                host,
                attempt,
                timeout,
            } => (host, attempt, timeout),
            other => panic!("expected Send, got {other:?}"),
        }
    }

    #[track_caller]
    fn sleep(step: Step) -> Duration {
        match step {
            Step::Sleep(wait) => wait,
            other => panic!("expected Sleep, got {other:?}"),
        }
    }

    #[track_caller]
    fn fail(step: Step) -> (Error, bool) {
        match step {
            Step::Fail { error, release } => (error, release),
            other => panic!("expected Fail, got {other:?}"),
        }
    }

    /// Starts a call at `now` and takes the turn at once: its first Send.
    fn started<'a>(
        rules: Rules<'a>,
        failover: &'a Failover,
        now: Duration,
    ) -> (CallMachine<'a>, (usize, u32, Duration)) {
        let mut call = CallMachine::new(rules, failover, now);
        pace(call.start(now));
        let first = send(call.turn(now, granted(Duration::ZERO)));
        (call, first)
    }

    #[test]
    fn a_call_that_need_not_wait_is_sent_at_once_to_the_current_host() {
        let hosts = failover(2);
        let retry = RetryPolicy::new();
        let mut call = CallMachine::new(rules(&retry, false), &hosts, s(0));
        // 30 s deadline, 10 s per attempt: a turn within 20 s still fits.
        assert_eq!(pace(call.start(s(0))), (Some(s(20)), None, false));
        assert_eq!(send(call.turn(s(0), granted(s(0)))), (0, 1, s(10)));
    }

    #[test]
    fn a_reserved_wait_is_slept_then_the_attempt_sent() {
        let hosts = failover(1);
        let retry = RetryPolicy::new();
        let mut call = CallMachine::new(rules(&retry, false), &hosts, s(0));
        call.start(s(0));
        assert_eq!(sleep(call.turn(s(0), granted(s(5)))), s(5));
        assert_eq!(send(call.woke(s(5))), (0, 1, s(10)));
        assert_eq!(call.pacing_wait(), s(5));
    }

    #[test]
    fn a_turn_too_late_for_a_whole_attempt_fails_not_sent() {
        let hosts = failover(1);
        let retry = RetryPolicy::new();
        let mut call = CallMachine::new(rules(&retry, false), &hosts, s(0));
        call.start(s(0));
        let limit = RateLimit::recipients(6000, s(60));
        let denied = Ok(Reservation::Denied {
            wait: s(25),
            limit: Some(limit),
        });
        let (error, release) = fail(call.turn(s(0), denied));
        assert!(!release, "nothing was reserved");
        assert_eq!(error.delivery(), Delivery::NotSent);
        let Error::Pacing(pacing) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(
            (pacing.wait(), pacing.time_left(), pacing.limit()),
            (s(25), s(30), Some(limit))
        );
        assert_eq!(call.attempts(), 0);
    }

    #[test]
    fn a_store_that_denies_within_the_deadline_is_asked_again_later() {
        let hosts = failover(1);
        let retry = RetryPolicy::new();
        let mut call = CallMachine::new(rules(&retry, false), &hosts, s(0));
        call.start(s(0));
        let denied = Ok(Reservation::Denied {
            wait: s(2),
            limit: None,
        });
        assert_eq!(sleep(call.turn(s(0), denied)), s(2));
        assert_eq!(pace(call.woke(s(2))), (Some(s(18)), None, false));
        assert_eq!(send(call.turn(s(2), granted(s(0)))), (0, 1, s(10)));
    }

    #[test]
    fn a_store_failure_fails_the_call_not_sent() {
        let hosts = failover(1);
        let retry = RetryPolicy::new();
        let mut call = CallMachine::new(rules(&retry, false), &hosts, s(0));
        call.start(s(0));
        let (error, _) = fail(call.turn(s(0), Err(QuotaStoreError::new("redis: refused"))));
        assert_eq!(error.delivery(), Delivery::NotSent);
        let Error::Pacing(pacing) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(pacing.store_failure(), Some("redis: refused"));
    }

    #[test]
    fn a_request_that_never_left_is_retried_on_the_next_host_and_gives_back_its_turn() {
        let hosts = failover(2);
        let retry = RetryPolicy::new();
        let (mut call, first) = started(rules(&retry, false), &hosts, s(0));
        assert_eq!(first.0, 0);
        let backoff = sleep(call.failed(s(1), refused()));
        assert!((ms(50)..=ms(100)).contains(&backoff), "{backoff:?}");
        let now = s(1) + backoff;
        let (_, penalty, release) = pace(call.woke(now));
        assert_eq!((penalty, release), (None, true));
        assert_eq!(send(call.turn(now, granted(s(0)))).0, 1, "the backup host");
        assert_eq!(hosts.current(now), 1, "and the client stays there");
    }

    #[test]
    fn attempts_that_never_left_are_bounded_and_their_turn_given_back() {
        let hosts = failover(1);
        let retry = RetryPolicy::new(); // 3 attempts
        let (mut call, _) = started(rules(&retry, false), &hosts, s(0));
        let mut now = s(0);
        for attempt in 2..=3 {
            now += sleep(call.failed(now, refused()));
            pace(call.woke(now));
            assert_eq!(send(call.turn(now, granted(s(0)))).1, attempt);
        }
        let (error, release) = fail(call.failed(now, refused()));
        assert_eq!(error.delivery(), Delivery::NotSent);
        assert!(release, "the last turn was never used");
        assert!(error.is_retryable());
    }

    #[test]
    fn a_publish_is_never_repeated_once_it_may_have_been_processed() {
        for (what, failure) in [
            ("read timeout", timed_out()),
            ("json 500", internal()),
            ("html 502", html(502)),
            ("html 503", html(503)),
            ("html 504", html(504)),
        ] {
            let hosts = failover(2);
            let retry = RetryPolicy::new();
            let (mut call, _) = started(rules(&retry, false), &hosts, s(0));
            let (error, release) = fail(call.failed(s(1), failure));
            assert_eq!(error.delivery(), Delivery::Unknown, "{what}");
            assert!(!release, "{what}: the turn was used");
            assert_eq!(hosts.current(s(1)), 1, "{what}: the host is left");
        }
    }

    #[test]
    fn an_idempotent_call_is_repeated_on_the_backup_after_a_gateway_page() {
        for status in [502, 503, 504] {
            let hosts = failover(2);
            let retry = RetryPolicy::new();
            let (mut call, _) = started(rules(&retry, true), &hosts, s(0));
            let now = s(1) + sleep(call.failed(s(1), html(status)));
            // It may have been processed: its turn is kept, a new one taken.
            assert!(!pace(call.woke(now)).2, "{status}");
            assert_eq!(
                send(call.turn(now, granted(s(0)))),
                (1, 2, s(10)),
                "{status}"
            );
        }
    }

    #[test]
    fn an_idempotent_calls_outcome_stays_unknown_when_later_attempts_never_left() {
        let hosts = failover(1);
        let retry = RetryPolicy::new();
        let (mut call, _) = started(rules(&retry, true), &hosts, s(0));
        let mut now = s(10);
        for failure in [timed_out(), refused()] {
            now += sleep(call.failed(now, failure));
            pace(call.woke(now));
            send(call.turn(now, granted(s(0))));
        }
        let (error, release) = fail(call.failed(now, refused()));
        assert!(release);
        assert_eq!(error.delivery(), Delivery::Unknown);
        assert!(matches!(&error, Error::Transport(t) if t.kind() == TransportErrorKind::Timeout));
    }

    #[test]
    fn a_final_answer_is_not_repeated() {
        let hosts = failover(2);
        let retry = RetryPolicy::new();
        let (mut call, _) = started(rules(&retry, true), &hosts, s(0));
        let (error, release) = fail(call.failed(s(1), bad_parameter()));
        assert_eq!((error.delivery(), release), (Delivery::Rejected, false));
        assert_eq!(
            hosts.current(s(1)),
            0,
            "a bad parameter says nothing of the host"
        );
    }

    #[test]
    fn rate_limit_refusals_are_repeated_until_the_deadline_not_max_attempts() {
        let hosts = failover(2);
        let retry = RetryPolicy::new(); // 3 attempts, 100 ms base backoff
        let (mut call, _) = started(rules(&retry, false), &hosts, s(0));
        let mut now = ms(10);
        let mut previous = Duration::ZERO;
        for refusal in 1..=5u32 {
            let (max_wait, penalty, release) = pace(call.failed(now, rate_limited(None)));
            let penalty = penalty.expect("the quota waits");
            // Equal jitter: within the upper half of 100 ms × 2^(n-1).
            let cap = ms(100) * (1 << (refusal - 1));
            assert!(
                penalty >= cap / 2 && penalty <= cap,
                "{refusal}: {penalty:?}"
            );
            assert!(penalty >= previous / 2);
            previous = penalty;
            assert!(!release, "the server may have counted the refused call");
            assert_eq!(max_wait, Some(s(20) - now));
            // The store makes the call wait out the penalty.
            assert_eq!(sleep(call.turn(now, granted(penalty))), penalty);
            now += penalty;
            let (host, attempt, _) = send(call.woke(now));
            assert_eq!(
                (host, attempt),
                (0, refusal + 1),
                "no failover on a refusal"
            );
        }
        assert_eq!(hosts.current(now), 0);
    }

    #[test]
    fn an_html_429_is_a_refusal_like_the_servers() {
        let hosts = failover(1);
        let retry = RetryPolicy::new();
        let (mut call, _) = started(rules(&retry, false), &hosts, s(0));
        let (_, penalty, _) = pace(call.failed(s(1), html(429)));
        assert!(penalty.is_some());
    }

    #[test]
    fn retry_after_is_the_penalty_and_past_the_deadline_fails_at_once() {
        let hosts = failover(1);
        let retry = RetryPolicy::new();
        let (mut call, _) = started(rules(&retry, false), &hosts, s(0));
        assert_eq!(
            pace(call.failed(s(1), rate_limited(Some(s(3))))).1,
            Some(s(3))
        );
        send(call.woke_after_turn(s(4)));
        let (error, release) = fail(call.failed(s(4), rate_limited(Some(s(86_400)))));
        assert_eq!(error.delivery(), Delivery::Rejected, "not processed");
        assert_eq!(error.retry_after(), Some(s(86_400)));
        assert!(!release);
    }

    #[test]
    fn a_penalty_that_leaves_no_room_for_an_attempt_ends_with_the_refusal() {
        let hosts = failover(1);
        let retry = RetryPolicy::new();
        let (mut call, _) = started(rules(&retry, false), &hosts, s(0));
        // 25 s: before the 30 s deadline, but not with 10 s for an attempt.
        let (max_wait, penalty, _) = pace(call.failed(s(0), rate_limited(Some(s(25)))));
        assert_eq!((max_wait, penalty), (Some(s(20)), Some(s(25))));
        let denied = Ok(Reservation::Denied {
            wait: s(25),
            limit: None,
        });
        let (error, _) = fail(call.turn(s(0), denied));
        assert!(matches!(&error, Error::Api(api) if api.code() == ErrorCode::RateLimited));
        assert_eq!(error.delivery(), Delivery::Rejected);
    }

    #[test]
    fn without_a_deadline_rate_limit_waits_are_capped() {
        let hosts = failover(1);
        let retry = RetryPolicy::new().no_deadline().max_rate_limit_wait(s(60));
        let (mut call, _) = started(rules(&retry, false), &hosts, s(0));
        let (max_wait, penalty, _) = pace(call.failed(s(0), rate_limited(Some(s(40)))));
        assert_eq!((max_wait, penalty), (None, Some(s(40))));
        send(call.woke_after_turn(s(40)));
        let (error, _) = fail(call.failed(s(40), rate_limited(Some(s(30)))));
        assert_eq!(error.delivery(), Delivery::Rejected);
    }

    #[test]
    fn a_backoff_past_the_deadline_is_not_waited() {
        let hosts = failover(1);
        let retry = RetryPolicy::new()
            .max_attempts(100)
            .backoff(s(2), s(2))
            .deadline(s(5));
        let (mut call, _) = started(rules(&retry, false), &hosts, s(0));
        // At 4 s a backoff of 1..=2 s ends at or after the 5 s deadline.
        let (error, release) = fail(call.failed(s(4), refused()));
        assert_eq!(error.delivery(), Delivery::NotSent);
        assert!(release);
    }

    #[test]
    fn an_attempts_timeout_is_cut_to_what_is_left_of_the_deadline() {
        let hosts = failover(1);
        let retry = RetryPolicy::new().deadline(s(12));
        let (mut call, first) = started(rules(&retry, false), &hosts, s(0));
        assert_eq!(first.2, s(10));
        let now = s(10) + sleep(call.failed(s(10), refused()));
        // The turn may not wait at all now (12 s − 10 s of room − now).
        assert_eq!(pace(call.woke(now)).0, Some(Duration::ZERO));
        assert_eq!(send(call.turn(now, granted(s(0)))).2, s(12) - now);
    }

    #[test]
    fn a_turn_that_comes_after_the_deadline_is_not_used_and_given_back() {
        let hosts = failover(1);
        let retry = RetryPolicy::new();
        let mut call = CallMachine::new(rules(&retry, false), &hosts, s(0));
        call.start(s(0));
        sleep(call.turn(s(0), granted(s(20))));
        // The timer overslept past the deadline.
        let (error, release) = fail(call.woke(s(31)));
        assert_eq!(error.delivery(), Delivery::NotSent);
        assert!(release);
    }

    #[test]
    fn a_queued_call_waits_for_its_turn_then_has_its_whole_budget() {
        let hosts = failover(1);
        let retry = RetryPolicy::new();
        let mut rules = rules(&retry, false);
        rules.deadline = Deadline::FromTurn {
            queue: None,
            budget: Some(s(30)),
        };
        let mut call = CallMachine::new(rules, &hosts, s(0));
        assert_eq!(
            pace(call.start(s(0))).0,
            None,
            "any wait for the first turn"
        );
        assert_eq!(sleep(call.turn(s(0), granted(s(600)))), s(600));
        assert_eq!(send(call.woke(s(600))).2, s(10));
        // From the turn at 600 s, 30 s: a retry's turn must come by 620 s.
        let now = s(601);
        let now = now + sleep(call.failed(now, refused()));
        assert_eq!(pace(call.woke(now)).0, Some(s(620) - now));
    }

    #[test]
    fn a_queue_limit_refuses_a_turn_too_late() {
        let hosts = failover(1);
        let retry = RetryPolicy::new();
        let mut rules = rules(&retry, false);
        rules.deadline = Deadline::FromTurn {
            queue: Some(s(60)),
            budget: Some(s(30)),
        };
        let mut call = CallMachine::new(rules, &hosts, s(0));
        assert_eq!(pace(call.start(s(0))).0, Some(s(50)));
        let denied = Ok(Reservation::Denied {
            wait: s(55),
            limit: None,
        });
        let (error, _) = fail(call.turn(s(0), denied));
        assert!(matches!(&error, Error::Pacing(p) if p.time_left() == s(60)));
        // A granted turn within the limit: the deadline is the queue's
        // end if that comes before the turn plus the budget.
        let mut call = CallMachine::new(rules, &hosts, s(0));
        call.start(s(0));
        sleep(call.turn(s(0), granted(s(45))));
        assert_eq!(send(call.woke(s(45))).2, s(10));
        let now = s(46) + sleep(call.failed(s(46), refused()));
        assert_eq!(pace(call.woke(now)).0, Some(s(50) - now));
    }

    impl CallMachine<'_> {
        /// After a Pace with a penalty: the store grants the turn when the
        /// penalty is over, and the call sleeps until then.
        fn woke_after_turn(&mut self, now: Duration) -> Step {
            self.turn(now, granted(Duration::ZERO))
        }
    }
}
