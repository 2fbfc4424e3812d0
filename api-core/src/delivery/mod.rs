//! The delivery engine: how a prepared call reaches the server.
//!
//! - `machine`: one call as a sans-IO state machine. From the outcome of
//!   each step and the time it decides the next: ask for a turn under the
//!   rate limit, sleep, send an attempt to a host, give up. Failover and
//!   retries are steps of this machine.
//! - `engine`: performs those steps with the client's quota store,
//!   timer, signer and transport.
//! - `failover`: the host in use, shared by the clones of a client.
//! - `retry`: the bounds of retries (attempts, backoff, deadline).
//! - `pacing`: which rate limits apply, and the [`QuotaStore`] where
//!   their accounts live.
//! - `bulk`: one message to a recipient list of any size.
//! - `timer`: the monotonic time all of them read.
//!
//! What a failure means (processed or not, host healthy or not, repeatable
//! or not, after how long) is not decided here but in the sans-IO layer,
//! by [`classify`](crate::classify).
//!
//! [`QuotaStore`]: crate::QuotaStore

pub(crate) mod bulk;
pub(crate) mod engine;
pub(crate) mod failover;
pub(crate) mod machine;
pub(crate) mod pacing;
pub(crate) mod retry;
pub(crate) mod timer;
