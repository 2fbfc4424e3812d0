//! The engine: performs the steps the call machine decides.
//!
//! [`CallMachine`] says what to do; this module does it (asks the quota
//! store for a turn, sleeps on the timer, signs and sends an attempt over
//! the transport, reads the answer) and feeds each result back. It takes no
//! decision of its own.

use std::time::{Duration, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use tracing::Instrument;
use tracing::field::Empty;

use crate::client::Client;
use crate::delivery::machine::{CallMachine, Deadline, Rules, Step};
use crate::delivery::pacing::{Reservation, ReservationId, ReserveRequest};
use crate::delivery::retry::retry_after;
use crate::error::Error;
use crate::rate::RateLimit;
use crate::request::PreparedRequest;

/// What the engine needs to know about the endpoint, without being generic
/// over it (one copy of the engine per response type, not per endpoint).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan {
    pub idempotent: bool,
    pub quota: &'static str,
    pub limits: &'static [RateLimit],
    /// What the rate limits count of this call (recipients, groups, ...).
    pub weight: usize,
    pub deadline: Deadline,
}

impl Client {
    /// Delivers a prepared call: every step its machine decides, until an
    /// answer or the call's error.
    pub(crate) async fn deliver<R: DeserializeOwned>(
        &self,
        prepared: &PreparedRequest,
        plan: &Plan,
    ) -> Result<R, Error> {
        let inner = &*self.inner;
        let span = tracing::Span::current();
        let started = inner.timer.now();
        let limits = inner.pacing.paced_limits(plan.quota, plan.limits);
        let rules = Rules {
            quota: plan.quota,
            idempotent: plan.idempotent,
            timeout: inner.timeout,
            retry: &inner.retry,
            deadline: plan.deadline,
        };
        let mut machine = CallMachine::new(rules, &inner.failover, started);
        // The turn the call holds, to give back if its attempt never left.
        let mut held: Option<ReservationId> = None;
        let mut step = machine.start(started);
        // The clock read that started the call serves its first turn at
        // the pacer (one read fewer per call; they are microseconds apart).
        let mut unused_read = Some(started);
        let result = loop {
            step = match step {
                Step::Pace {
                    max_wait,
                    penalty,
                    release,
                } => {
                    let now = unused_read.take().unwrap_or_else(|| inner.timer.now());
                    if let Some(wait) = penalty {
                        tracing::debug!(
                            quota = plan.quota,
                            wait_ms = wait.as_millis() as u64,
                            "rate limited: the quota waits"
                        );
                        inner.quotas.penalize(plan.quota, wait, now).await;
                    }
                    if release && let Some(id) = held.take() {
                        inner.quotas.release(plan.quota, id).await;
                    }
                    let id = ReservationId::new();
                    let request =
                        ReserveRequest::new(plan.quota, &limits, plan.weight, id, now, max_wait);
                    let answer = inner.quotas.reserve(&request).await;
                    if let Ok(Reservation::Granted { wait }) = &answer {
                        held = Some(id);
                        if !wait.is_zero() {
                            tracing::debug!(
                                quota = plan.quota,
                                wait_ms = wait.as_millis() as u64,
                                "waiting for the rate limit"
                            );
                        }
                    }
                    machine.turn(now, answer)
                }
                Step::Sleep(wait) => {
                    inner.timer.sleep(wait).await;
                    machine.woke(inner.timer.now())
                }
                Step::Send {
                    host,
                    attempt,
                    timeout,
                } => match self.attempt::<R>(prepared, host, attempt, timeout).await {
                    Ok(answer) => break Ok(answer),
                    Err(error) => {
                        if let Error::Api(api) = &error {
                            span.record("code", api.code().code());
                        }
                        machine.failed(inner.timer.now(), error)
                    }
                },
                Step::Fail { error, release } => {
                    if release && let Some(id) = held.take() {
                        inner.quotas.release(plan.quota, id).await;
                    }
                    break Err(with_request_id(error, prepared));
                }
            };
        };
        if !span.is_disabled() {
            span.record("attempts", machine.attempts());
            span.record("pacing_wait_ms", machine.pacing_wait().as_millis() as u64);
            span.record(
                "latency_ms",
                inner.timer.now().saturating_sub(started).as_millis() as u64,
            );
        }
        if let Err(error) = &result {
            tracing::debug!(delivery = ?error.delivery(), %error, "call failed");
        }
        result
    }

    /// One signed attempt to `host`: the answer, or the error (with the
    /// server's `Retry-After`).
    async fn attempt<R: DeserializeOwned>(
        &self,
        prepared: &PreparedRequest,
        host: usize,
        attempt: u32,
        timeout: Duration,
    ) -> Result<R, Error> {
        let inner = &*self.inner;
        let base = inner.failover.url(host);
        let span = tracing::debug_span!(
            "rongcloud.attempt",
            host = base.host(),
            attempt,
            request_id = prepared.request_id().as_str(),
            status = Empty,
            code = Empty,
            latency_ms = Empty,
        );
        let request = prepared.to_http(base, &inner.signer)?;
        // Timed only for a subscriber that listens: two clock reads per
        // attempt are measurable on a loopback call.
        let started = (!span.is_disabled()).then(|| inner.timer.now());
        let sent = inner
            .transport
            .send(request, timeout)
            .instrument(span.clone())
            .await;
        if let Some(started) = started {
            span.record(
                "latency_ms",
                inner.timer.now().saturating_sub(started).as_millis() as u64,
            );
        }
        let response = match sent {
            Ok(response) => response,
            Err(error) => {
                let request_id = prepared.request_id().as_str();
                let error = Error::from(error.with_request_id(request_id));
                tracing::debug!(parent: &span, %error, "attempt failed");
                return Err(error);
            }
        };
        let status = response.status();
        span.record("status", status.as_u16());
        tracing::Span::current().record("status", status.as_u16());
        let decoded = prepared.decode::<R>(status, response.body());
        decoded.map_err(|error| {
            if let Error::Api(api) = &error {
                span.record("code", api.code().code());
            }
            if !(status.is_client_error() || status.is_server_error()) {
                return error;
            }
            let now = UNIX_EPOCH + Duration::from_millis(inner.clock.now_millis());
            let wait = retry_after(response.headers(), now);
            match error {
                Error::Api(api) => api.with_retry_after(wait).into(),
                Error::Decode(decode) => decode.with_retry_after(wait).into(),
                other => other,
            }
        })
    }
}

/// A pacing error learns the call's request id here; every other error of
/// a call got it from its attempt.
fn with_request_id(error: Error, prepared: &PreparedRequest) -> Error {
    match error {
        Error::Pacing(pacing) if pacing.request_id().is_none() => pacing
            .with_request_id(prepared.request_id().as_str())
            .into(),
        other => other,
    }
}
