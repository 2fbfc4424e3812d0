//! Every state change of a chunk, as SQL on one connection.
//!
//! ```text
//! pending ──claim──▶ claimed ──intent──▶ sending ──▶ delivered
//!    ▲                  │  ▲                 │  ├──▶ not_sent (reason)
//!    └────release───────┘  └───requeue───────┘  └──▶ unknown  (reason)
//! ```
//!
//! Recovery after a crash: `sending` becomes `unknown` (its request may
//! have left), `claimed` becomes `pending` (its intent was never written,
//! so its request never left), and a `not_sent` chunk whose failure was
//! transient becomes `pending` again. An operator may move an `unknown`
//! chunk back to `pending` ([`Journal::resend_unknown`](crate::Journal::resend_unknown)),
//! never the runner.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::CampaignError;
use crate::journal::schema::now_millis;
use crate::state::{ChunkState, Counts};

/// A chunk taken for sending.
#[derive(Debug, Clone)]
pub(crate) struct Claimed {
    pub(crate) seq: u64,
    pub(crate) recipients: Vec<String>,
}

/// How a chunk's call ended.
#[derive(Debug, Clone)]
pub(crate) enum Finish {
    /// Delivered; the message ids in recipient order, newline-joined, an
    /// empty line where the answer named none (with `reason` when the
    /// answer said success but could not be read).
    Delivered {
        message_uids: String,
        reason: Option<String>,
    },
    /// Not processed, for good (or for this run).
    NotSent {
        reason: String,
        code: Option<i64>,
        retryable: bool,
    },
    /// May have been processed.
    Unknown { reason: String, code: Option<i64> },
    /// Not processed, and worth another attempt in this run: back to
    /// `claimed` (the runner keeps it) with the reason of this attempt.
    Requeue { reason: String, code: Option<i64> },
}

/// What a recovery changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Recovered {
    /// Chunks found `sending`, now `unknown`.
    pub(crate) unknown: u64,
    /// Chunks found `claimed`, now `pending`.
    pub(crate) reclaimed: u64,
    /// `not_sent` chunks with a transient reason, now `pending`.
    pub(crate) retried: u64,
}

fn storage(error: rusqlite::Error) -> CampaignError {
    CampaignError::storage("", error)
}

/// Makes the journal's states true for a runner starting now (see the
/// module documentation), recording each chunk turned `unknown` in `event`.
pub(crate) fn recover(conn: &Connection) -> Result<Recovered, CampaignError> {
    let now = now_millis();
    let unknown = conn
        .execute(
            "INSERT INTO event (at, chunk, action, request_id, detail)
             SELECT ?1, seq, 'recovered_unknown', request_id,
                    'the process stopped after the intent was written and before the outcome was'
             FROM chunk WHERE state = 'sending'",
            [now],
        )
        .map_err(storage)?;
    conn.execute(
        "UPDATE chunk SET state = 'unknown', finished_at = ?1, code = NULL,
             reason = 'outcome unknown: the process stopped after the intent (X-Request-ID '
                      || request_id || ') was written and before the outcome was'
         WHERE state = 'sending'",
        [now],
    )
    .map_err(storage)?;
    let reclaimed = conn
        .execute(
            "UPDATE chunk SET state = 'pending' WHERE state = 'claimed'",
            [],
        )
        .map_err(storage)?;
    let retried = conn
        .execute(
            "UPDATE chunk SET state = 'pending' WHERE state = 'not_sent' AND retryable = 1",
            [],
        )
        .map_err(storage)?;
    Ok(Recovered {
        unknown: unknown as u64,
        reclaimed: reclaimed as u64,
        retried: retried as u64,
    })
}

/// Takes the first `pending` chunk, if any, marking it `claimed`.
pub(crate) fn claim(conn: &Connection) -> Result<Option<Claimed>, CampaignError> {
    let next = conn
        .prepare_cached(
            "SELECT seq, recipients FROM chunk WHERE state = 'pending' ORDER BY seq LIMIT 1",
        )
        .map_err(storage)?
        .query_row([], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
        })
        .optional()
        .map_err(storage)?;
    let Some((seq, recipients)) = next else {
        return Ok(None);
    };
    conn.prepare_cached("UPDATE chunk SET state = 'claimed' WHERE seq = ?1")
        .map_err(storage)?
        .execute([seq])
        .map_err(storage)?;
    Ok(Some(Claimed {
        seq: seq as u64,
        recipients: recipients.split('\n').map(str::to_owned).collect(),
    }))
}

/// Records the intent to send `seq` with `request_id`: `claimed` →
/// `sending`.
pub(crate) fn intent(conn: &Connection, seq: u64, request_id: &str) -> Result<(), CampaignError> {
    let changed = conn
        .prepare_cached(
            "UPDATE chunk SET state = 'sending', request_id = ?2, attempts = attempts + 1,
                 intent_at = ?3
             WHERE seq = ?1 AND state = 'claimed'",
        )
        .map_err(storage)?
        .execute(params![seq as i64, request_id, now_millis()])
        .map_err(storage)?;
    expect_changed(conn, changed, seq, "claimed")
}

/// Records how `seq`'s call ended: `sending` → the outcome.
pub(crate) fn finish(conn: &Connection, seq: u64, finish: &Finish) -> Result<(), CampaignError> {
    let seq_param = seq as i64;
    let now = now_millis();
    let changed = match finish {
        Finish::Delivered {
            message_uids,
            reason,
        } => conn
            .prepare_cached(
                "UPDATE chunk SET state = 'delivered', message_uids = ?2, finished_at = ?3,
                     reason = ?4, code = NULL, retryable = 0
                 WHERE seq = ?1 AND state = 'sending'",
            )
            .map_err(storage)?
            .execute(params![seq_param, message_uids, now, reason]),
        Finish::NotSent {
            reason,
            code,
            retryable,
        } => conn
            .prepare_cached(
                "UPDATE chunk SET state = 'not_sent', reason = ?2, code = ?3, retryable = ?4,
                     finished_at = ?5
                 WHERE seq = ?1 AND state = 'sending'",
            )
            .map_err(storage)?
            .execute(params![seq_param, reason, code, retryable, now]),
        Finish::Unknown { reason, code } => conn
            .prepare_cached(
                "UPDATE chunk SET state = 'unknown', reason = ?2, code = ?3, retryable = 0,
                     finished_at = ?4
                 WHERE seq = ?1 AND state = 'sending'",
            )
            .map_err(storage)?
            .execute(params![seq_param, reason, code, now]),
        Finish::Requeue { reason, code } => conn
            .prepare_cached(
                "UPDATE chunk SET state = 'claimed', reason = ?2, code = ?3
                 WHERE seq = ?1 AND state = 'sending'",
            )
            .map_err(storage)?
            .execute(params![seq_param, reason, code]),
    }
    .map_err(storage)?;
    expect_changed(conn, changed, seq, "sending")
}

/// Gives a claimed chunk back: `claimed` → `pending` (a stopping runner).
pub(crate) fn release(conn: &Connection, seq: u64) -> Result<(), CampaignError> {
    let changed = conn
        .prepare_cached("UPDATE chunk SET state = 'pending' WHERE seq = ?1 AND state = 'claimed'")
        .map_err(storage)?
        .execute([seq as i64])
        .map_err(storage)?;
    expect_changed(conn, changed, seq, "claimed")
}

/// Recipients per state.
pub(crate) fn counts(conn: &Connection) -> Result<Counts, CampaignError> {
    let mut counts = Counts::default();
    let mut statement = conn
        .prepare_cached("SELECT state, sum(size) FROM chunk GROUP BY state")
        .map_err(storage)?;
    let rows = statement
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)? as u64))
        })
        .map_err(storage)?;
    for row in rows {
        let (state, recipients) = row.map_err(storage)?;
        counts.recipients += recipients;
        match ChunkState::parse(&state) {
            Some(ChunkState::Pending) => counts.pending += recipients,
            Some(ChunkState::Claimed | ChunkState::Sending) => counts.in_flight += recipients,
            Some(ChunkState::Delivered) => counts.delivered += recipients,
            Some(ChunkState::NotSent) => counts.not_sent += recipients,
            Some(ChunkState::Unknown) => counts.unknown += recipients,
            None => {}
        }
    }
    Ok(counts)
}

/// The state of `seq`, if it exists.
pub(crate) fn state_of(conn: &Connection, seq: u64) -> Result<Option<ChunkState>, CampaignError> {
    let state: Option<String> = conn
        .query_row(
            "SELECT state FROM chunk WHERE seq = ?1",
            [seq as i64],
            |row| row.get(0),
        )
        .optional()
        .map_err(storage)?;
    Ok(state.and_then(|s| ChunkState::parse(&s)))
}

/// An update that changed nothing found the chunk in another state than
/// `expected` (or missing): the journal and the runner disagree.
fn expect_changed(
    conn: &Connection,
    changed: usize,
    seq: u64,
    expected: &'static str,
) -> Result<(), CampaignError> {
    if changed == 1 {
        return Ok(());
    }
    match state_of(conn, seq)? {
        None => Err(CampaignError::NoSuchChunk(seq)),
        Some(state) => Err(CampaignError::ChunkState {
            chunk: seq,
            state: state.as_str().to_owned(),
            expected,
        }),
    }
}
