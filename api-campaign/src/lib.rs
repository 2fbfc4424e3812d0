//! Crash-safe bulk sends ("campaigns") for the RongCloud IM Server API
//! client: one message to millions of recipients, recorded chunk by chunk
//! in a SQLite journal, resumable after any crash, and never sending a
//! chunk twice without an operator's say-so.
//!
//! A publish is not idempotent and the provider offers no idempotency key:
//! a call repeated after a crash delivers the message again. So a campaign
//! writes down its *intent* to send each chunk, durably, before the request
//! leaves the process, and its *outcome* after. On resume, a chunk with an
//! intent and no outcome is **unknown**: it may have been delivered, and the
//! campaign never sends it again by itself. The report says so, recipient
//! by recipient, with the call's `X-Request-ID` for the provider's support.
//!
//! # A campaign
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use api_campaign::{Campaign, Journal, RecipientSource};
//! use api_core::{Client, Credentials};
//! use api_endpoints::{PrivatePublish, TextMessage};
//!
//! # let emulator = api_emulator::Emulator::start().await?;
//! # let dir = tempfile::tempdir()?;
//! # let users = dir.path().join("users.txt");
//! # std::fs::write(&users, "userId\nalice\nbob\ncarol\n")?;
//! # let journal = dir.path().join("notice.journal");
//! let client = Client::builder(Credentials::new(emulator.app_key(), emulator.app_secret()))
//!     .base_urls(emulator.base_urls())
//!     .build()?;
//! // The template: everything but the recipients.
//! let notice = PrivatePublish::new("ops", Vec::<String>::new(), TextMessage::new("Maintenance at 02:00"));
//!
//! // Creates the journal from the file (or resumes it, if it exists and
//! // was made from the same template and file), then sends what is left.
//! let campaign = Campaign::builder(client, notice)
//!     .create_or_resume(&journal, RecipientSource::file(&users))
//!     .await?;
//! let summary = campaign.run_until(async { tokio::signal::ctrl_c().await.ok(); }).await?;
//! assert_eq!(summary.counts.delivered, 3);
//! campaign.close().await?;
//!
//! // Later, or from another process: the report, one line per recipient.
//! let mut csv = Vec::new();
//! Journal::open(&journal)?.report()?.write_csv(&mut csv)?;
//! assert!(String::from_utf8(csv)?.starts_with("userId,outcome,messageUID,reason\nalice,delivered,"));
//! # Ok(()) }
//! ```
//!
//! - **Recipients** ([`RecipientSource`]) come from a file (one user id per
//!   line, an optional `userId` header), any reader, or an iterator. They
//!   are checked and streamed into the journal at creation (a malformed
//!   line fails the creation with its line number; nothing is sent), split
//!   into chunks of the endpoint's `MAX_RECIPIENTS` (1000 for a private
//!   message, 100 for a system message), and read back a chunk at a time:
//!   memory does not grow with the list (10 million ids fit in a few MiB;
//!   BENCHMARKS.md has the measurement).
//! - **Sending**: at most [`concurrency`](CampaignBuilder::concurrency)
//!   chunks at a time, each through [`api_core::Client::send_with`] with its
//!   own `X-Request-ID`, paced, retried and failed over by the client.
//!   A chunk waits for its turn under the rate limit *before* its intent is
//!   written ([`max_wait_after_intent`](CampaignBuilder::max_wait_after_intent)),
//!   so a crash leaves unknown only the chunks whose requests were leaving.
//! - **Stopping**: [`Campaign::run_until`] takes any future (Ctrl-C, a
//!   shutdown signal); when it completes no new chunk starts and the calls in
//!   flight finish and are recorded.
//! - **Progress**: [`Campaign::progress`] is a `tokio::sync::watch` of the
//!   [`Counts`], for a progress bar.
//! - **Report** ([`Journal::report`]): every recipient once, in order, as
//!   `delivered` (with its `messageUID`), `not_sent` (with the reason),
//!   `unknown` (with the reason and request id) or `pending`, streamed, and
//!   written as CSV (`userId,outcome,messageUID,reason`) or JSON (an array
//!   of objects with those fields).
//! - **Operator decisions** ([`Journal::resend_unknown`],
//!   [`Journal::retry_not_sent`]): the only ways an unknown or permanently
//!   refused chunk is sent again, each kept in an audit trail.
//!
//! # The journal
//!
//! One SQLite file per campaign, in WAL mode with `synchronous=FULL` (a
//! committed intent survives a power loss, not only a crash), held
//! exclusively by its runner. Its tables:
//!
//! - `meta (key, value)`: the campaign's id, endpoint, template body and
//!   its SHA-256, the recipients' SHA-256 (computed while streaming), chunk
//!   size, counts, creation time, the application's data, and whether the
//!   import completed. `PRAGMA application_id` marks the file as a journal
//!   and `PRAGMA user_version` is the schema version (1).
//! - `chunk`: one row per chunk: `seq`, `size`, `state`, `attempts`,
//!   `request_id`, `intent_at`, `finished_at`, `code`, `retryable`,
//!   `reason`, `message_uids` (newline-joined, aligned with the
//!   recipients) and `recipients` (newline-joined).
//! - `event`: the audit trail: chunks found unknown after a crash, and
//!   operator decisions.
//!
//! A chunk moves `pending → claimed → sending` (intent written, with its
//! `X-Request-ID`) `→ delivered | not_sent | unknown`. What a crash at each
//! point leaves, and what a resume makes of it:
//!
//! | crash after | journal says | on resume |
//! |---|---|---|
//! | the claim | `claimed` | pending: sent (its request never left) |
//! | the intent | `sending` | **unknown**: not sent again (it was not sent at all) |
//! | the answer | `sending` | **unknown**: not sent again (it was delivered) |
//! | the outcome | the outcome | kept |
//!
//! A chunk not sent for a transient reason (connection refused, code 1008,
//! no turn under the rate limit) is tried again, up to
//! [`max_attempts`](CampaignBuilder::max_attempts) per run, and by every
//! later run; one refused for good (an invalid parameter, a missing
//! service) waits for [`Journal::retry_not_sent`].
//!
//! The fingerprint (endpoint, template body, recipients, chunk size)
//! makes a resume with changed input fail with [`CampaignError::Mismatch`],
//! naming the part that changed.
//!
//! # Crash tests
//!
//! `tests/crash.rs` runs a campaign in a child process (the test binary
//! itself, started again), kills it with SIGKILL at each [`Step`], resumes
//! it in a new process, and checks against the emulator's records that no
//! recipient got the message twice and that the report accounts for every
//! recipient once. The crash point is chosen with variables that only that
//! test binary reads (`CAMPAIGN_CRASH_AT=intent-written:3` and the others
//! listed in its module documentation): the library reads no environment
//! variable. The test binary stops its child at the point through the
//! public [`CampaignBuilder::on_step`] hook.

#![warn(missing_docs)]

mod campaign;
mod error;
mod fingerprint;
mod journal;
mod source;
mod state;
mod verdict;

pub use campaign::{
    Campaign, CampaignBuilder, DEFAULT_CONCURRENCY, DEFAULT_MAX_ATTEMPTS,
    DEFAULT_MAX_WAIT_AFTER_INTENT, RunSummary,
};
pub use error::{CampaignError, Mismatch, MismatchPart, StorageError};
pub use journal::report::{Outcome, RecipientOutcome, Report};
pub use journal::{CampaignInfo, ChunkSummary, Event, Journal};
pub use source::{
    HEADER, InputError, MAX_LISTED_PROBLEMS, MAX_USER_ID_BYTES, Malformed, Problem,
    RecipientSource, check_id,
};
pub use state::{ChunkState, Counts, Step};
