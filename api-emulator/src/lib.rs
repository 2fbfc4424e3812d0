//! A local, faithful stand-in for the RongCloud IM Server API, for quickstarts and
//! tests.
//!
//! It serves the endpoints documented in `shared/api-docs/` over plain HTTP on
//! loopback, checks every request the way the provider does (signature, body
//! encoding, required parameters, documented limits, per-app services, rate limits),
//! answers in the documented shapes, and records what it accepted. It is written
//! from the documentation alone and parses the wire format itself, so a client
//! encoding bug shows up as a rejection.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! use std::time::Duration;
//! use api_emulator::{Clock, Emulator, Fault};
//!
//! let clock = Clock::manual();
//! let emulator = Emulator::builder()
//!     .hosts(2)
//!     .clock(clock.clone())
//!     .start()
//!     .await?;
//! // Point a client at emulator.base_urls(), signing with emulator.app_key() and
//! // emulator.app_secret(). Make the primary fail twice:
//! emulator.inject(Fault::internal_error().on_host(0).times(2));
//! // Let an hour pass for the /push.json quota:
//! clock.advance(Duration::from_secs(3600));
//! // Then look at what arrived:
//! assert!(emulator.deliveries().is_empty());
//! assert_eq!(emulator.answer_count(1008), 0);
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod access;
mod answer;
mod callbacks;
mod clock;
mod config;
pub mod documented;
mod downloads;
mod emulator;
mod endpoints;
mod faults;
mod form;
mod ids;
mod inspect;
mod pipeline;
mod rate;
mod records;
mod rejection;
mod routes;
mod rules;
mod server;
mod shared;
mod signature;
mod state;
mod sync;
mod time;

pub use callbacks::{CallbackFailure, CallbackKind, CallbackStats, OnlineStatusEvent};
pub use clock::Clock;
pub use config::{AppConfig, DEFAULT_APP_KEY, DEFAULT_APP_SECRET, Service};
pub use emulator::{Emulator, EmulatorBuilder};
pub use faults::{Fault, FaultId, FaultKind};
pub use records::{ConnectionStats, Delivery, DeliveryKind, RequestRecord, Sensitive};
pub use signature::sign;
pub use state::{
    BanRecord, ChatroomRecord, GroupRecord, RecallRecord, SensitiveWord, StateSnapshot,
    TokenRecord, UltraGroupRecord, UserRecord,
};

/// Every Server API path the emulator serves, in the order `--help` lists them.
///
/// ```
/// let paths: Vec<&str> = api_emulator::served_paths().collect();
/// assert!(paths.contains(&"/user/getToken.json"));
/// assert!(paths.contains(&"/message/ultragroup/publish.json"));
/// ```
pub fn served_paths() -> impl Iterator<Item = &'static str> {
    routes::paths()
}
