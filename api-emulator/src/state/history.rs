//! The hourly message history (`/message/history.json`,
//! `/message/history/delete.json`): which hours were deleted.
//!
//! The files themselves are made on request from the recorded deliveries of that
//! hour (see `downloads.rs`), so they hold what the record store still holds.

use std::collections::HashMap;

use crate::time::HOUR_MS;

/// D:message/get-message-history-log: "服务端保存的消息记录日志文件仅保留 3 天".
pub(crate) const KEPT_MS: u64 = 3 * 24 * HOUR_MS;

/// Deleted hours of one app: hour start -> the first delivery sequence number
/// still in the file. A delete removes what the hour holds so far; messages
/// recorded later in the same hour make a new file.
#[derive(Debug, Default)]
pub(crate) struct HistoryDeletions {
    cutoffs: HashMap<u64, u64>,
}

impl HistoryDeletions {
    /// Deletes the hour starting at `hour` up to delivery `next_seq` (exclusive).
    pub fn delete(&mut self, hour: u64, next_seq: u64, now: u64) {
        // Hours past the keeping time have no file to protect: forget them.
        self.cutoffs
            .retain(|start, _| start.saturating_add(HOUR_MS + KEPT_MS) > now);
        self.cutoffs.insert(hour, next_seq);
    }

    /// The first delivery sequence number the hour's file still holds.
    pub fn first_kept(&self, hour: u64) -> u64 {
        self.cutoffs.get(&hour).copied().unwrap_or(0)
    }
}
