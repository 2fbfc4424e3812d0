//! Recalls accepted by `/message/recall.json`.

use std::collections::VecDeque;

use serde::Serialize;

/// One accepted recall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RecallRecord {
    /// `messageUID` of the recalled message.
    #[serde(rename = "messageUID")]
    pub message_uid: String,
    /// `fromUserId` of the recall.
    pub from_user_id: String,
    /// `conversationType`: 1 private, 3 group, 4 chatroom, 6 system, 10 ultra group.
    pub conversation_type: u8,
    /// `targetId`.
    pub target_id: String,
    /// `busChannel`, for an ultra group message.
    pub bus_channel: Option<String>,
    /// `isAdmin=1`.
    pub is_admin: bool,
    /// `isDelete=1`: the recalled message is deleted without a recall notice.
    pub is_delete: bool,
    /// When it was accepted, on the emulator's clock.
    pub at_millis: u64,
}

/// The recalls of one app, oldest first, bounded like the records.
#[derive(Debug)]
pub(crate) struct Recalls {
    limit: Option<usize>,
    list: VecDeque<RecallRecord>,
}

impl Recalls {
    pub fn new(limit: Option<usize>) -> Self {
        Self {
            limit,
            list: VecDeque::new(),
        }
    }

    pub fn push(&mut self, recall: RecallRecord) {
        self.list.push_back(recall);
        if self.limit.is_some_and(|limit| self.list.len() > limit) {
            self.list.pop_front();
        }
    }

    pub fn all(&self) -> Vec<RecallRecord> {
        self.list.iter().cloned().collect()
    }
}
