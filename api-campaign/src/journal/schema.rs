//! The journal file: its tables, how it is opened, and its `meta` rows.
//!
//! # Why these tables
//!
//! One row per chunk, with the chunk's recipients newline-joined in a TEXT
//! column (user ids cannot hold a newline), was measured against a child
//! table of one row per recipient on this machine (1 M ids, WAL,
//! `synchronous=FULL`, see BENCHMARKS.md): 12 MB and 0.2 s to import against
//! 42 MB and 5.3 s, and an outcome written in 1.0 ms against 4.2 ms (one
//! UPDATE against a thousand). The per-chunk row is also the unit of every
//! state change, so nothing needs a join.
//!
//! Column order matters: SQLite reads a row's columns in order, and the
//! recipients (about 12 KB for 1000 ids) spill to overflow pages, so they
//! come last and a scan of states never touches them.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::error::CampaignError;

/// The schema version this crate writes (`PRAGMA user_version`).
pub(crate) const SCHEMA_VERSION: i64 = 1;

/// `PRAGMA application_id` of a campaign journal: "RCJN".
pub(crate) const APPLICATION_ID: i64 = 0x5243_4A4E;

/// How long a connection waits for another one's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_millis(500);

const SCHEMA: &str = "
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE chunk (
    seq INTEGER PRIMARY KEY,
    size INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'claimed', 'sending', 'delivered', 'not_sent', 'unknown')),
    attempts INTEGER NOT NULL DEFAULT 0,
    request_id TEXT,
    intent_at INTEGER,
    finished_at INTEGER,
    code INTEGER,
    retryable INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    message_uids TEXT,
    recipients TEXT NOT NULL
);

CREATE INDEX chunk_by_state ON chunk (state, seq);

CREATE TABLE event (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    chunk INTEGER,
    action TEXT NOT NULL,
    request_id TEXT,
    detail TEXT
);
";

/// Opens the file at `path` as a connection that waits [`BUSY_TIMEOUT`] for
/// another connection's lock, from its first statement on: rusqlite's
/// default wait is 5 s, which an operator opening a journal a campaign is
/// running on would sit through before hearing that it is in use.
fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

/// Settings of every connection: WAL with a full sync at each commit, so a
/// committed intent survives a power loss as well as a crash (with
/// `synchronous=NORMAL` a WAL commit may roll back after a power loss, and
/// a rolled-back intent would let its chunk be sent again).
fn configure(conn: &Connection, exclusive: bool) -> rusqlite::Result<()> {
    if exclusive {
        // A runner keeps the file to itself: a second runner (or an
        // operator's `Journal`) gets "busy" instead of resetting chunks this
        // one has in flight. In WAL mode SQLite then also keeps the WAL
        // index in the process's memory rather than a shared `-shm` file.
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
    }
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(rusqlite::Error::InvalidParameterName(format!(
            "journal_mode stayed {mode}"
        )));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

/// Creates a new, empty journal at `path` for a runner; fails if a file is
/// there.
pub(crate) fn create(path: &Path) -> Result<Connection, CampaignError> {
    // `create_new` claims the path atomically: two processes creating the
    // same journal cannot both succeed.
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(_) => {}
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(CampaignError::AlreadyExists {
                path: path.to_owned(),
            });
        }
        Err(error) => return Err(CampaignError::io(path, error)),
    }
    let storage = |e| CampaignError::storage(path, e);
    let conn = connect(path).map_err(storage)?;
    configure(&conn, true).map_err(storage)?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(storage)?;
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(storage)?;
    conn.execute_batch(SCHEMA).map_err(storage)?;
    Ok(conn)
}

/// Opens an existing journal, for a runner (`exclusive`) or for reading and
/// operator actions, and checks that it is one.
pub(crate) fn open(path: &Path, exclusive: bool) -> Result<Connection, CampaignError> {
    if !path.exists() {
        return Err(CampaignError::NotFound {
            path: path.to_owned(),
        });
    }
    let storage = |e| CampaignError::storage(path, e);
    let conn = connect(path).map_err(storage)?;
    let not_a_journal = |reason: String| CampaignError::NotAJournal {
        path: path.to_owned(),
        reason,
    };
    let application_id: i64 = match conn.query_row("PRAGMA application_id", [], |row| row.get(0)) {
        Ok(id) => id,
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::NotADatabase =>
        {
            return Err(not_a_journal("not an SQLite database".into()));
        }
        Err(error) => return Err(storage(error)),
    };
    if application_id != APPLICATION_ID {
        return Err(not_a_journal(format!(
            "application id {application_id:#x}, not {APPLICATION_ID:#x}"
        )));
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(storage)?;
    if version != SCHEMA_VERSION {
        return Err(CampaignError::UnsupportedVersion {
            path: path.to_owned(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    configure(&conn, exclusive).map_err(storage)?;
    if exclusive {
        // Take the exclusive lock now rather than at the first write, so a
        // second runner is refused before it does anything.
        conn.execute_batch("BEGIN IMMEDIATE; COMMIT;")
            .map_err(storage)?;
    }
    Ok(conn)
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// One `meta` value.
pub(crate) fn meta(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
        row.get(0)
    })
    .optional()
}

/// Sets one `meta` value.
pub(crate) fn set_meta(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_journal_is_wal_with_full_sync_and_marked_as_ours() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.journal");
        let conn = create(&path).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        // 2 is FULL.
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2);
        assert!(matches!(
            create(&path),
            Err(CampaignError::AlreadyExists { .. })
        ));
        drop(conn);
        let reopened = open(&path, false).unwrap();
        let sync: i64 = reopened
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2);
    }

    #[test]
    fn a_runner_keeps_the_journal_to_itself() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.journal");
        drop(create(&path).unwrap());
        let runner = open(&path, true).unwrap();
        assert!(matches!(
            open(&path, true),
            Err(CampaignError::InUse { .. })
        ));
        assert!(matches!(
            open(&path, false).and_then(|c| c
                .query_row("SELECT count(*) FROM chunk", [], |r| r.get::<_, i64>(0))
                .map_err(|e| CampaignError::storage(&path, e))),
            Err(CampaignError::InUse { .. })
        ));
        drop(runner);
        open(&path, true).unwrap();
    }

    #[test]
    fn other_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "x".repeat(4096)).unwrap();
        assert!(matches!(
            open(&text, false),
            Err(CampaignError::NotAJournal { .. })
        ));
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        assert!(matches!(
            open(&other, false),
            Err(CampaignError::NotAJournal { .. })
        ));
        assert!(matches!(
            open(&dir.path().join("missing"), false),
            Err(CampaignError::NotFound { .. })
        ));
        let newer = dir.path().join("newer.journal");
        drop(create(&newer).unwrap());
        Connection::open(&newer)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        assert!(matches!(
            open(&newer, false),
            Err(CampaignError::UnsupportedVersion { found: 99, .. })
        ));
    }
}
