//! Delivery at scale against a scripted transport, in tokio's paused time:
//! host failover, retries, pacing, bulk sends and their traces.

mod bulk;
mod common;
mod failover;
mod pacing;
mod retry;
mod tracing_output;
