//! The one error type of campaigns and journals.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::source::InputError;

/// Everything that can go wrong when creating, resuming, running or reading a
/// campaign.
///
/// None of these means a message was sent twice: an error stops the
/// campaign, and a chunk whose call was in flight is recorded as it ended
/// (or, if its outcome could not be written, found `unknown` on the next
/// resume).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CampaignError {
    /// The recipient source has malformed lines, is empty or cannot be read;
    /// nothing was sent and no journal was kept.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The template request breaks a documented rule (checked with one
    /// recipient and with a full chunk of them); nothing was sent.
    #[error("the template request is invalid: {0}")]
    InvalidTemplate(#[source] api_core::ValidationError),
    /// The template could not be encoded.
    #[error("the template request cannot be encoded: {0}")]
    Encode(#[source] api_core::EncodeError),
    /// `create` was given a path where a file already exists.
    #[error("{} already exists: resume it, or choose another path", path.display())]
    AlreadyExists {
        /// The journal's path.
        path: PathBuf,
    },
    /// `resume` or `Journal::open` was given a path where no file exists.
    #[error("{} does not exist", path.display())]
    NotFound {
        /// The journal's path.
        path: PathBuf,
    },
    /// The file is not a campaign journal (another SQLite database, or not a
    /// database at all).
    #[error("{} is not a campaign journal: {reason}", path.display())]
    NotAJournal {
        /// The file's path.
        path: PathBuf,
        /// What gave it away.
        reason: String,
    },
    /// The journal was written by a newer version of this crate.
    #[error(
        "{} has journal schema version {found}; this version of api-campaign reads version {supported}",
        path.display()
    )]
    UnsupportedVersion {
        /// The journal's path.
        path: PathBuf,
        /// The version in the file.
        found: i64,
        /// The version this crate writes and reads.
        supported: i64,
    },
    /// The journal belongs to a different campaign: resuming it with this
    /// input would send something else than what it records.
    #[error(transparent)]
    Mismatch(#[from] Mismatch),
    /// Another process (or another campaign in this one) has the journal
    /// open for running: two runners would send the same chunks.
    #[error("{} is in use by a running campaign", path.display())]
    InUse {
        /// The journal's path.
        path: PathBuf,
    },
    /// The journal's recipients were never completely imported (the process
    /// stopped while importing, before anything was sent): create it again
    /// from its source.
    #[error(
        "{} was not completely imported (the import was interrupted before anything was sent); create the campaign again from its recipient source",
        path.display()
    )]
    ImportIncomplete {
        /// The journal's path.
        path: PathBuf,
    },
    /// An operator action named a chunk the journal does not have.
    #[error("the journal has no chunk {0}")]
    NoSuchChunk(u64),
    /// An operator action named a chunk in a state it does not apply to.
    #[error("chunk {chunk} is {state}, not {expected}")]
    ChunkState {
        /// The chunk.
        chunk: u64,
        /// Its state.
        state: String,
        /// The state the action applies to.
        expected: &'static str,
    },
    /// This campaign value is already running.
    #[error("the campaign is already running")]
    AlreadyRunning,
    /// SQLite failed (disk full, I/O error, corrupt file...).
    #[error("journal {}: {source}", path.display())]
    Storage {
        /// The journal's path.
        path: PathBuf,
        /// What SQLite said.
        #[source]
        source: StorageError,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file's path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A report could not be written.
    #[error("could not write the report: {0}")]
    Report(#[source] std::io::Error),
}

/// An error of the storage engine, kept opaque so that the public API does
/// not depend on the SQLite binding's version.
#[derive(Debug, Clone)]
pub struct StorageError(pub(crate) Arc<rusqlite::Error>);

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for StorageError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// What part of a campaign differs from its journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MismatchPart {
    /// The endpoint (private or system publish...).
    Endpoint,
    /// The template request: sender, content, options.
    Template,
    /// The recipients: another list, or the same ids in another order.
    Recipients,
    /// The number of recipients per call.
    ChunkSize,
}

impl fmt::Display for MismatchPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MismatchPart::Endpoint => "endpoint",
            MismatchPart::Template => "template",
            MismatchPart::Recipients => "recipient list",
            MismatchPart::ChunkSize => "chunk size",
        })
    }
}

/// A campaign given to `resume` differs from the one its journal records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{} belongs to a different campaign: its {part} is {journal}, this one's is {given}",
    path.display()
)]
pub struct Mismatch {
    /// The journal's path.
    pub path: PathBuf,
    /// What differs.
    pub part: MismatchPart,
    /// The journal's value (a path, a SHA-256 or a number).
    pub journal: String,
    /// The given campaign's value.
    pub given: String,
}

impl CampaignError {
    pub(crate) fn storage(path: impl Into<PathBuf>, error: rusqlite::Error) -> Self {
        let path = path.into();
        if is_busy(&error) {
            return CampaignError::InUse { path };
        }
        CampaignError::Storage {
            path,
            source: StorageError(Arc::new(error)),
        }
    }

    /// Names `path` in an error made where the path was not known.
    pub(crate) fn with_path(mut self, journal: &std::path::Path) -> Self {
        if let CampaignError::Storage { path, .. }
        | CampaignError::InUse { path }
        | CampaignError::Io { path, .. } = &mut self
            && path.as_os_str().is_empty()
        {
            *path = journal.to_owned();
        }
        self
    }

    /// The same error again, for every write of a group whose commit
    /// failed.
    pub(crate) fn duplicate(&self) -> Self {
        match self {
            CampaignError::Storage { path, source } => CampaignError::Storage {
                path: path.clone(),
                source: source.clone(),
            },
            CampaignError::InUse { path } => CampaignError::InUse { path: path.clone() },
            other => CampaignError::Io {
                path: PathBuf::new(),
                source: std::io::Error::other(other.to_string()),
            },
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        CampaignError::Io {
            path: path.into(),
            source,
        }
    }
}

/// Whether SQLite refused because another connection holds the lock.
pub(crate) fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(e, _)
            if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}
