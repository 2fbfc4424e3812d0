//! Streaming a recipient source into a new journal, one chunk row at a time.
//!
//! Memory stays flat whatever the list's size: one chunk's ids are held at
//! once, and duplicates are found through a temporary SQLite table (on
//! disk, in `SQLITE_TMPDIR` or `TMPDIR`, dropped at the end) rather than an
//! in-memory set, which for 10 million ids would take hundreds of MiB.
//! Measured here: 1 M ids in 3.4 s, 10 M in 83 s with 9.6 MiB peak RSS
//! (BENCHMARKS.md); the sending that follows takes hours at the documented
//! rate, so the import's time does not matter, its memory does.

use rusqlite::{Connection, params};

use crate::error::CampaignError;
use crate::fingerprint::{Fingerprint, RecipientHasher};
use crate::journal::schema::{now_millis, set_meta};
use crate::source::{InputError, RecipientSource};

/// Chunks written per transaction while importing.
const CHUNKS_PER_COMMIT: u64 = 100;

/// What the campaign is, written to `meta` before the import.
pub(crate) struct Header<'a> {
    pub(crate) id: &'a str,
    pub(crate) fingerprint: &'a Fingerprint,
    pub(crate) template_body: &'a str,
    pub(crate) app_data: Option<&'a str>,
}

/// What an import found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Imported {
    pub(crate) recipients: u64,
    pub(crate) duplicates: u64,
    pub(crate) chunks: u64,
    pub(crate) recipients_sha256: String,
}

/// Writes `header` and every chunk of `source` into the empty journal
/// `conn`, then marks the import complete. A failure leaves the journal
/// marked `importing` (the caller deletes it: nothing was sent).
pub(crate) fn import(
    conn: &Connection,
    path: &std::path::Path,
    header: Header<'_>,
    source: RecipientSource,
) -> Result<Imported, CampaignError> {
    let storage = |e| CampaignError::storage(path, e);
    let chunk_size = header.fingerprint.chunk_size;
    conn.execute_batch("BEGIN").map_err(storage)?;
    set_meta(conn, "import", "importing").map_err(storage)?;
    set_meta(conn, "campaign_id", header.id).map_err(storage)?;
    set_meta(conn, "endpoint", &header.fingerprint.endpoint).map_err(storage)?;
    set_meta(conn, "template_sha256", &header.fingerprint.template_sha256).map_err(storage)?;
    set_meta(conn, "template_body", header.template_body).map_err(storage)?;
    set_meta(conn, "chunk_size", &chunk_size.to_string()).map_err(storage)?;
    set_meta(conn, "created_at_ms", &now_millis().to_string()).map_err(storage)?;
    if let Some(app_data) = header.app_data {
        set_meta(conn, "app_data", app_data).map_err(storage)?;
    }
    // The temporary table's own rollback journal is useless (it is dropped
    // at the end, and a crash restarts the import): off, it costs less.
    conn.execute_batch(
        "PRAGMA temp.journal_mode = OFF;
         CREATE TEMP TABLE seen (user_id TEXT PRIMARY KEY) WITHOUT ROWID;",
    )
    .map_err(storage)?;

    let mut state = State {
        hasher: RecipientHasher::default(),
        buffer: String::with_capacity(chunk_size * 16),
        in_buffer: 0,
        chunk_size,
        chunks: 0,
        recipients: 0,
        duplicates: 0,
    };
    let outcome = {
        let mut seen = conn
            .prepare("INSERT OR IGNORE INTO temp.seen (user_id) VALUES (?1)")
            .map_err(storage)?;
        let mut insert = conn
            .prepare("INSERT INTO chunk (seq, size, recipients) VALUES (?1, ?2, ?3)")
            .map_err(storage)?;
        let read = source.for_each(|id| -> rusqlite::Result<()> {
            state.hasher.push(id);
            if seen.execute([id])? == 0 {
                state.duplicates += 1;
                return Ok(());
            }
            state.push(id);
            if state.in_buffer == state.chunk_size {
                state.flush(&mut insert)?;
                if state.chunks % CHUNKS_PER_COMMIT == 0 {
                    conn.execute_batch("COMMIT; BEGIN")?;
                }
            }
            Ok(())
        });
        match read {
            Err(error) => Err(storage(error)),
            Ok(Err(input)) => Err(CampaignError::Input(input)),
            Ok(Ok(())) if state.recipients == 0 && state.in_buffer == 0 => {
                Err(CampaignError::Input(InputError::Empty))
            }
            Ok(Ok(())) => {
                if state.in_buffer > 0 {
                    state.flush(&mut insert).map_err(storage)?;
                }
                Ok(())
            }
        }
    };
    if let Err(error) = outcome {
        let _ = conn.execute_batch("ROLLBACK");
        return Err(error);
    }
    let imported = Imported {
        recipients: state.recipients,
        duplicates: state.duplicates,
        chunks: state.chunks,
        recipients_sha256: state.hasher.finish(),
    };
    let mut fingerprint = header.fingerprint.clone();
    fingerprint.recipients_sha256 = Some(imported.recipients_sha256.clone());
    set_meta(conn, "recipients_sha256", &imported.recipients_sha256).map_err(storage)?;
    set_meta(conn, "fingerprint", &fingerprint.combined()).map_err(storage)?;
    set_meta(conn, "recipients", &imported.recipients.to_string()).map_err(storage)?;
    set_meta(conn, "duplicates", &imported.duplicates.to_string()).map_err(storage)?;
    set_meta(conn, "chunks", &imported.chunks.to_string()).map_err(storage)?;
    set_meta(conn, "import", "complete").map_err(storage)?;
    conn.execute_batch("COMMIT; DROP TABLE temp.seen;")
        .map_err(storage)?;
    Ok(imported)
}

/// Reads `source` only to hash it (and check it), for a resume that must
/// prove its input is the journal's.
pub(crate) fn hash_source(source: RecipientSource) -> Result<String, CampaignError> {
    let mut hasher = RecipientHasher::default();
    let mut any = false;
    let read = source.for_each::<std::convert::Infallible>(|id| {
        hasher.push(id);
        any = true;
        Ok(())
    });
    match read {
        Ok(Ok(())) if any => Ok(hasher.finish()),
        Ok(Ok(())) => Err(InputError::Empty.into()),
        Ok(Err(input)) => Err(input.into()),
        Err(never) => match never {},
    }
}

struct State {
    hasher: RecipientHasher,
    buffer: String,
    in_buffer: usize,
    chunk_size: usize,
    chunks: u64,
    recipients: u64,
    duplicates: u64,
}

impl State {
    fn push(&mut self, id: &str) {
        if self.in_buffer > 0 {
            self.buffer.push('\n');
        }
        self.buffer.push_str(id);
        self.in_buffer += 1;
    }

    fn flush(&mut self, insert: &mut rusqlite::Statement<'_>) -> rusqlite::Result<()> {
        insert.execute(params![
            self.chunks as i64,
            self.in_buffer as i64,
            self.buffer
        ])?;
        self.chunks += 1;
        self.recipients += self.in_buffer as u64;
        self.buffer.clear();
        self.in_buffer = 0;
        Ok(())
    }
}
