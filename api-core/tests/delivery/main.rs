//! Delivery at scale against a scripted transport, in tokio's paused time:
//! host failover, retries, pacing and bulk sends (their traces are checked in
//! `tests/tracing_output.rs`).

mod bulk;
mod common;
mod failover;
mod pacing;
mod refusals;
mod retry;
