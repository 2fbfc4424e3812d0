//! The per-recipient report: read chunk by chunk from the journal (one
//! chunk's recipients in memory at a time), and written as CSV or JSON.

use std::collections::VecDeque;
use std::fmt;
use std::io::Write;

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::error::CampaignError;
use crate::state::{ChunkState, Counts};

/// What happened to one recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// The message was delivered.
    Delivered,
    /// The call was not processed: the recipient did not get the message.
    NotSent,
    /// The call may or may not have been processed.
    Unknown,
    /// Not sent yet (the campaign has not finished).
    Pending,
}

impl Outcome {
    /// The name used in reports: `delivered`, `not_sent`, `unknown`,
    /// `pending`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::NotSent => "not_sent",
            Outcome::Unknown => "unknown",
            Outcome::Pending => "pending",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One recipient's line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecipientOutcome {
    /// The recipient.
    pub user_id: String,
    /// What happened.
    pub outcome: Outcome,
    /// The message id the recipient got (delivered only; `None` also when
    /// the server accepted the call but named no id for this recipient, as
    /// with `verifyBlacklist`).
    pub message_uid: Option<String>,
    /// Why it was not sent, or why its outcome is unknown; for a delivered
    /// recipient without a message id, that fact.
    pub reason: Option<String>,
    /// The chunk the recipient belongs to.
    pub chunk: u64,
    /// The `X-Request-ID` of the chunk's last call, if one was made.
    pub request_id: Option<String>,
}

/// The reason given for a delivered recipient the answer did not name.
pub(crate) const NO_MESSAGE_ID: &str =
    "delivered, but the answer named no message id for this recipient";

/// The recipients of a journal in order, each with its outcome; made by
/// [`Journal::report`](crate::Journal::report).
#[derive(Debug)]
pub struct Report<'j> {
    conn: &'j Connection,
    path: &'j std::path::Path,
    next_seq: i64,
    current: VecDeque<RecipientOutcome>,
    done: bool,
}

impl<'j> Report<'j> {
    pub(crate) fn new(conn: &'j Connection, path: &'j std::path::Path) -> Self {
        Self {
            conn,
            path,
            next_seq: 0,
            current: VecDeque::new(),
            done: false,
        }
    }

    /// Loads the next chunk's recipients; false when there is none.
    fn load_next(&mut self) -> Result<bool, CampaignError> {
        let storage = |e| CampaignError::storage(self.path, e);
        let row = self
            .conn
            .prepare_cached(
                "SELECT seq, state, request_id, reason, message_uids, recipients
                 FROM chunk WHERE seq >= ?1 ORDER BY seq LIMIT 1",
            )
            .map_err(storage)?
            .query_row([self.next_seq], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, Option<String>>(4)?,
                    row.get::<_, String>(5)?,
                ))
            })
            .optional()
            .map_err(storage)?;
        let Some((seq, state, request_id, reason, uids, recipients)) = row else {
            return Ok(false);
        };
        self.next_seq = seq + 1;
        let state = ChunkState::parse(&state).unwrap_or(ChunkState::Unknown);
        let (outcome, reason) = match state {
            ChunkState::Pending | ChunkState::Claimed => (Outcome::Pending, None),
            ChunkState::Delivered => (Outcome::Delivered, reason),
            ChunkState::NotSent => (Outcome::NotSent, reason),
            ChunkState::Unknown => (Outcome::Unknown, reason),
            // Only a runner that is not running leaves `sending`, and its
            // next resume will call it unknown.
            ChunkState::Sending => (
                Outcome::Unknown,
                Some(format!(
                    "outcome unknown: the process stopped after the intent (X-Request-ID {}) was written and before the outcome was",
                    request_id.as_deref().unwrap_or("?")
                )),
            ),
        };
        let mut uids = uids.as_deref().map(|uids| uids.split('\n'));
        for user_id in recipients.split('\n') {
            let message_uid = match (&mut uids, outcome) {
                (Some(uids), Outcome::Delivered) => {
                    uids.next().filter(|uid| !uid.is_empty()).map(str::to_owned)
                }
                _ => None,
            };
            let reason = match outcome {
                Outcome::Delivered if message_uid.is_some() => None,
                Outcome::Delivered => {
                    Some(reason.clone().unwrap_or_else(|| NO_MESSAGE_ID.to_owned()))
                }
                _ => reason.clone(),
            };
            self.current.push_back(RecipientOutcome {
                user_id: user_id.to_owned(),
                outcome,
                message_uid,
                reason,
                chunk: seq as u64,
                request_id: request_id.clone(),
            });
        }
        Ok(true)
    }

    /// Writes the report as CSV with the header
    /// `userId,outcome,messageUID,reason`, and returns the counts.
    pub fn write_csv(self, writer: impl Write) -> Result<Counts, CampaignError> {
        // The header is written by hand so that an empty report has one too
        // (`serialize` would write it only with the first row).
        let mut csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(writer);
        csv.write_record(["userId", "outcome", "messageUID", "reason"])
            .map_err(csv_error)?;
        let counts = self.for_each_row(|row| csv.serialize(row).map_err(csv_error))?;
        csv.flush().map_err(CampaignError::Report)?;
        Ok(counts)
    }

    /// Writes the report as a JSON array of objects with the fields
    /// `userId`, `outcome`, `messageUID` and `reason` (`null` when empty),
    /// one object per line, and returns the counts.
    pub fn write_json(self, mut writer: impl Write) -> Result<Counts, CampaignError> {
        writer.write_all(b"[").map_err(CampaignError::Report)?;
        let mut first = true;
        let counts = self.for_each_row(|row| {
            writer
                .write_all(if first { b"\n" } else { b",\n" })
                .map_err(CampaignError::Report)?;
            first = false;
            serde_json::to_writer(&mut writer, row)
                .map_err(|e| CampaignError::Report(std::io::Error::other(e)))
        })?;
        writer
            .write_all(if first { b"]\n" } else { b"\n]\n" })
            .map_err(CampaignError::Report)?;
        writer.flush().map_err(CampaignError::Report)?;
        Ok(counts)
    }

    fn for_each_row(
        self,
        mut write: impl FnMut(&Row<'_>) -> Result<(), CampaignError>,
    ) -> Result<Counts, CampaignError> {
        let mut counts = Counts::default();
        for line in self {
            let line = line?;
            counts.recipients += 1;
            match line.outcome {
                Outcome::Delivered => counts.delivered += 1,
                Outcome::NotSent => counts.not_sent += 1,
                Outcome::Unknown => counts.unknown += 1,
                Outcome::Pending => counts.pending += 1,
            }
            write(&Row {
                user_id: &line.user_id,
                outcome: line.outcome.as_str(),
                message_uid: line.message_uid.as_deref(),
                reason: line.reason.as_deref(),
            })?;
        }
        Ok(counts)
    }
}

impl Iterator for Report<'_> {
    type Item = Result<RecipientOutcome, CampaignError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(line) = self.current.pop_front() {
                return Some(Ok(line));
            }
            if self.done {
                return None;
            }
            match self.load_next() {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Err(error) => {
                    self.done = true;
                    return Some(Err(error));
                }
            }
        }
    }
}

/// One line of the CSV and JSON reports.
#[derive(Serialize)]
struct Row<'a> {
    #[serde(rename = "userId")]
    user_id: &'a str,
    outcome: &'static str,
    #[serde(rename = "messageUID")]
    message_uid: Option<&'a str>,
    reason: Option<&'a str>,
}

fn csv_error(error: csv::Error) -> CampaignError {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => CampaignError::Report(error),
        other => CampaignError::Report(std::io::Error::other(format!("{other:?}"))),
    }
}
