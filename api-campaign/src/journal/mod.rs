//! The journal file of a campaign, read and amended by an operator when no
//! campaign is running on it.

pub(crate) mod chunks;
pub(crate) mod import;
pub(crate) mod report;
pub(crate) mod schema;
pub(crate) mod writer;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, params};

use crate::error::CampaignError;
use crate::fingerprint::Fingerprint;
use crate::state::{ChunkState, Counts};
use report::Report;
use schema::{meta, now_millis};

/// What a journal says its campaign is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CampaignInfo {
    /// A random id given to the campaign when it was created.
    pub id: String,
    /// The endpoint's path, such as `/message/private/publish.json`.
    pub endpoint: String,
    /// One SHA-256 (hex) of the endpoint, the template, the recipients and
    /// the chunk size.
    pub fingerprint: String,
    /// SHA-256 (hex) of the template's body without recipients.
    pub template_sha256: String,
    /// The template's body without recipients, as it is sent (form or JSON).
    pub template_body: String,
    /// SHA-256 (hex) of the recipient ids as read, in order, each followed
    /// by a newline.
    pub recipients_sha256: String,
    /// Distinct recipients.
    pub recipients: u64,
    /// Ids the source repeated (sent to once).
    pub duplicates: u64,
    /// Chunks (calls, unless some are retried).
    pub chunks: u64,
    /// Recipients per chunk (the last one may have fewer).
    pub chunk_size: usize,
    /// When the campaign was created.
    pub created_at: SystemTime,
    /// What the application stored with the campaign
    /// ([`CampaignBuilder::app_data`](crate::CampaignBuilder::app_data)).
    pub app_data: Option<String>,
}

impl CampaignInfo {
    pub(crate) fn fingerprint_parts(&self) -> Fingerprint {
        Fingerprint {
            endpoint: self.endpoint.clone(),
            template_sha256: self.template_sha256.clone(),
            recipients_sha256: Some(self.recipients_sha256.clone()),
            chunk_size: self.chunk_size,
        }
    }
}

/// Reads the `meta` rows of a completely imported journal.
pub(crate) fn read_info(conn: &Connection, path: &Path) -> Result<CampaignInfo, CampaignError> {
    let storage = |e| CampaignError::storage(path, e);
    let not_a_journal = |key: &str| CampaignError::NotAJournal {
        path: path.to_owned(),
        reason: format!("its meta table has no valid `{key}`"),
    };
    let text = |key: &str| -> Result<String, CampaignError> {
        meta(conn, key)
            .map_err(storage)?
            .ok_or_else(|| not_a_journal(key))
    };
    let number = |key: &str| -> Result<u64, CampaignError> {
        text(key)?.parse().map_err(|_| not_a_journal(key))
    };
    match meta(conn, "import").map_err(storage)?.as_deref() {
        Some("complete") => {}
        Some(_) => {
            return Err(CampaignError::ImportIncomplete {
                path: path.to_owned(),
            });
        }
        None => return Err(not_a_journal("import")),
    }
    Ok(CampaignInfo {
        id: text("campaign_id")?,
        endpoint: text("endpoint")?,
        fingerprint: text("fingerprint")?,
        template_sha256: text("template_sha256")?,
        template_body: text("template_body")?,
        recipients_sha256: text("recipients_sha256")?,
        recipients: number("recipients")?,
        duplicates: number("duplicates")?,
        chunks: number("chunks")?,
        chunk_size: number("chunk_size")? as usize,
        created_at: UNIX_EPOCH + Duration::from_millis(number("created_at_ms")?),
        app_data: meta(conn, "app_data").map_err(storage)?,
    })
}

/// One chunk of a journal, without its recipients.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChunkSummary {
    /// Its number, from 0, in recipient order.
    pub seq: u64,
    /// Its recipients.
    pub size: u64,
    /// Its state (as the next resume will see it: see [`Journal`]).
    pub state: ChunkState,
    /// Intents written for it (calls attempted).
    pub attempts: u64,
    /// The `X-Request-ID` of its last call.
    pub request_id: Option<String>,
    /// The server's result code, when it answered one.
    pub code: Option<i64>,
    /// Why it was not sent, or why its outcome is unknown.
    pub reason: Option<String>,
    /// When its last intent was written (its last call started).
    pub intent_at: Option<SystemTime>,
    /// When its outcome was written: with the recipients' count, what a
    /// chart of recipients per minute needs.
    pub finished_at: Option<SystemTime>,
}

fn millis_to_time(millis: Option<i64>) -> Option<SystemTime> {
    millis.map(|ms| UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64))
}

/// One entry of a journal's audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Event {
    /// When.
    pub at: SystemTime,
    /// The chunk concerned.
    pub chunk: Option<u64>,
    /// What happened: `recovered_unknown` (a resume found the chunk's
    /// intent without outcome), `resend_unknown` and `retry_not_sent`
    /// (operator decisions).
    pub action: String,
    /// The `X-Request-ID` of the chunk's call before the event.
    pub request_id: Option<String>,
    /// Free text: the operator's note, or what was found.
    pub detail: Option<String>,
}

/// A campaign's journal, opened for reading its report and for operator
/// decisions. It cannot be opened while a campaign runs on it (in this
/// process or another): [`CampaignError::InUse`].
///
/// Opened while no campaign runs, a chunk left `claimed` by a crash is shown
/// as pending and one left `sending` as unknown: what the next resume will
/// make of them.
///
/// ```no_run
/// use api_campaign::{ChunkState, Journal};
///
/// # fn main() -> Result<(), api_campaign::CampaignError> {
/// let mut journal = Journal::open("notice.journal")?;
/// println!("{}", journal.counts()?);
/// journal.report()?.write_csv(std::io::stdout().lock())?;
/// // After checking with the provider's support that these calls never
/// // arrived (their X-Request-IDs are in the list):
/// let unknown: Vec<u64> = journal
///     .chunks(Some(ChunkState::Unknown))?
///     .iter()
///     .map(|chunk| chunk.seq)
///     .collect();
/// journal.resend_unknown(&unknown, "support found no trace of these request ids")?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Journal {
    conn: Connection,
    path: PathBuf,
    info: CampaignInfo,
}

impl Journal {
    /// Opens the journal at `path` (never creating one). While a campaign
    /// runs on it, it gives up after half a second: [`CampaignError::InUse`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, CampaignError> {
        let path = path.as_ref().to_owned();
        let conn = schema::open(&path, false)?;
        let info = read_info(&conn, &path)?;
        Ok(Self { conn, path, info })
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the campaign is.
    pub fn info(&self) -> &CampaignInfo {
        &self.info
    }

    /// Recipients by outcome.
    pub fn counts(&self) -> Result<Counts, CampaignError> {
        let mut counts = chunks::counts(&self.conn).map_err(|e| e.with_path(&self.path))?;
        // No runner: see the type's documentation.
        let stranded = self.stranded()?;
        counts.pending += counts.in_flight - stranded;
        counts.unknown += stranded;
        counts.in_flight = 0;
        Ok(counts)
    }

    /// Recipients of chunks left `sending` by a stopped runner.
    fn stranded(&self) -> Result<u64, CampaignError> {
        self.conn
            .query_row(
                "SELECT coalesce(sum(size), 0) FROM chunk WHERE state = 'sending'",
                [],
                |row| row.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .map_err(|e| CampaignError::storage(&self.path, e))
    }

    /// The chunks, all or those in `state`, in order.
    pub fn chunks(&self, state: Option<ChunkState>) -> Result<Vec<ChunkSummary>, CampaignError> {
        let storage = |e| CampaignError::storage(&self.path, e);
        let mut statement = self
            .conn
            .prepare(
                "SELECT seq, size, state, attempts, request_id, code, reason, intent_at,
                        finished_at
                 FROM chunk ORDER BY seq",
            )
            .map_err(storage)?;
        let rows = statement
            .query_map([], |row| {
                let stored: String = row.get(2)?;
                Ok(ChunkSummary {
                    seq: row.get::<_, i64>(0)? as u64,
                    size: row.get::<_, i64>(1)? as u64,
                    state: match ChunkState::parse(&stored) {
                        Some(ChunkState::Claimed) => ChunkState::Pending,
                        Some(ChunkState::Sending) | None => ChunkState::Unknown,
                        Some(other) => other,
                    },
                    attempts: row.get::<_, i64>(3)? as u64,
                    request_id: row.get(4)?,
                    code: row.get(5)?,
                    reason: row.get(6)?,
                    intent_at: millis_to_time(row.get(7)?),
                    finished_at: millis_to_time(row.get(8)?),
                })
            })
            .map_err(storage)?;
        let mut chunks = Vec::new();
        for chunk in rows {
            let chunk = chunk.map_err(storage)?;
            if state.is_none_or(|state| chunk.state == state) {
                chunks.push(chunk);
            }
        }
        Ok(chunks)
    }

    /// The recipients of one chunk, in order.
    pub fn chunk_recipients(&self, seq: u64) -> Result<Vec<String>, CampaignError> {
        let recipients: Option<String> =
            rusqlite::OptionalExtension::optional(self.conn.query_row(
                "SELECT recipients FROM chunk WHERE seq = ?1",
                [seq as i64],
                |row| row.get(0),
            ))
            .map_err(|e| CampaignError::storage(&self.path, e))?;
        recipients
            .map(|r| r.split('\n').map(str::to_owned).collect())
            .ok_or(CampaignError::NoSuchChunk(seq))
    }

    /// Every recipient with its outcome, in order, read a chunk at a time.
    pub fn report(&self) -> Result<Report<'_>, CampaignError> {
        Ok(Report::new(&self.conn, &self.path))
    }

    /// The audit trail, oldest first.
    pub fn events(&self) -> Result<Vec<Event>, CampaignError> {
        let storage = |e| CampaignError::storage(&self.path, e);
        let mut statement = self
            .conn
            .prepare("SELECT at, chunk, action, request_id, detail FROM event ORDER BY id")
            .map_err(storage)?;
        let rows = statement
            .query_map([], |row| {
                Ok(Event {
                    at: UNIX_EPOCH + Duration::from_millis(row.get::<_, i64>(0)? as u64),
                    chunk: row.get::<_, Option<i64>>(1)?.map(|c| c as u64),
                    action: row.get(2)?,
                    request_id: row.get(3)?,
                    detail: row.get(4)?,
                })
            })
            .map_err(storage)?;
        rows.collect::<Result<_, _>>().map_err(storage)
    }

    /// **May deliver the message twice.** Puts these `unknown` chunks back
    /// to pending, so the next run sends them again with new request ids.
    ///
    /// Their calls may have been processed: only an operator who knows they
    /// were not (the provider's support traced their `X-Request-ID`s, or the
    /// recipients say they got nothing), or who prefers a duplicate to a
    /// gap, should call this. The campaign never does. Each decision is kept
    /// in the audit trail ([`events`](Self::events)) with the old request
    /// id and `note`. All chunks must be unknown, or none is changed.
    pub fn resend_unknown(&mut self, chunks: &[u64], note: &str) -> Result<(), CampaignError> {
        self.requeue(
            chunks,
            &[ChunkState::Unknown, ChunkState::Sending],
            "unknown",
            "resend_unknown",
            note,
        )
    }

    /// Puts these `not_sent` chunks back to pending, so the next run sends
    /// them (safe: their calls were not processed). For failures the
    /// campaign does not retry by itself: a rejected parameter, a missing
    /// service, a signature error fixed since. All chunks must be not sent,
    /// or none is changed.
    pub fn retry_not_sent(&mut self, chunks: &[u64], note: &str) -> Result<(), CampaignError> {
        self.requeue(
            chunks,
            &[ChunkState::NotSent],
            "not_sent",
            "retry_not_sent",
            note,
        )
    }

    fn requeue(
        &mut self,
        chunks: &[u64],
        from: &[ChunkState],
        expected: &'static str,
        action: &str,
        note: &str,
    ) -> Result<(), CampaignError> {
        let path = self.path.clone();
        let storage = |e| CampaignError::storage(&path, e);
        let tx = self.conn.transaction().map_err(storage)?;
        for &seq in chunks {
            let state = chunks::state_of(&tx, seq)
                .map_err(|e| e.with_path(&path))?
                .ok_or(CampaignError::NoSuchChunk(seq))?;
            if !from.contains(&state) {
                return Err(CampaignError::ChunkState {
                    chunk: seq,
                    state: match state {
                        ChunkState::Claimed => "pending".into(),
                        other => other.as_str().into(),
                    },
                    expected,
                });
            }
            tx.execute(
                "INSERT INTO event (at, chunk, action, request_id, detail)
                 SELECT ?1, seq, ?2, request_id, ?3 FROM chunk WHERE seq = ?4",
                params![now_millis(), action, note, seq as i64],
            )
            .map_err(storage)?;
            tx.execute(
                "UPDATE chunk SET state = 'pending', retryable = 0 WHERE seq = ?1",
                [seq as i64],
            )
            .map_err(storage)?;
        }
        tx.commit().map_err(storage)
    }
}
