//! Crash-safe bulk sends ("campaigns") for the RongCloud IM Server API
//! client: one message to millions of recipients, recorded chunk by chunk in
//! a SQLite journal, resumable after any crash, never sending a chunk twice
//! without an operator's say-so.

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
