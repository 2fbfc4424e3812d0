//! What the emulator remembers per app between calls, like the real server:
//! users and their tokens, bans and online sessions, groups, chatrooms, ultra
//! groups, sensitive words, recalls and deleted history hours.
//!
//! Each area has its own short-held mutex (no call holds two at once), and every
//! collection is bounded by the emulator's record limit, oldest forgotten first.

mod bounded;
mod chatrooms;
mod groups;
mod history;
mod recalls;
mod sensitive;
mod ultragroups;
mod users;

use std::sync::Mutex;

use serde::Serialize;

pub use chatrooms::ChatroomRecord;
pub(crate) use chatrooms::{Chatrooms, NewChatroom};
pub use groups::GroupRecord;
pub(crate) use groups::Groups;
pub(crate) use history::{HistoryDeletions, KEPT_MS};
pub use recalls::RecallRecord;
pub(crate) use recalls::Recalls;
pub use sensitive::SensitiveWord;
pub(crate) use sensitive::SensitiveWords;
pub use ultragroups::UltraGroupRecord;
pub(crate) use ultragroups::UltraGroups;
pub(crate) use users::Users;
pub use users::{BanRecord, TokenRecord, UserRecord};

use crate::sync::lock;

/// The state of one app.
#[derive(Debug)]
pub(crate) struct AppState {
    pub users: Mutex<Users>,
    pub groups: Mutex<Groups>,
    pub chatrooms: Mutex<Chatrooms>,
    pub ultra_groups: Mutex<UltraGroups>,
    pub words: SensitiveWords,
    pub recalls: Mutex<Recalls>,
    pub history: Mutex<HistoryDeletions>,
}

impl AppState {
    /// Empty state keeping at most `limit` entries per collection.
    pub fn new(limit: Option<usize>) -> Self {
        Self {
            users: Mutex::new(Users::new(limit)),
            groups: Mutex::new(Groups::new(limit)),
            chatrooms: Mutex::new(Chatrooms::new(limit)),
            ultra_groups: Mutex::new(UltraGroups::new(limit)),
            words: SensitiveWords::default(),
            recalls: Mutex::new(Recalls::new(limit)),
            history: Mutex::new(HistoryDeletions::default()),
        }
    }

    /// A copy of everything, bans as seen at `now`.
    pub fn snapshot(&self, now: u64) -> StateSnapshot {
        // One statement per lock: a guard made inside the struct expression
        // would live to its end, and the second `users` lock would deadlock.
        let (users, bans) = {
            let mut guard = lock(&self.users);
            (guard.all(), guard.bans(now))
        };
        StateSnapshot {
            users,
            bans,
            groups: lock(&self.groups).all(),
            chatrooms: lock(&self.chatrooms).all(),
            ultra_groups: lock(&self.ultra_groups).all(),
            sensitive_words: self.words.list(2),
            recalls: lock(&self.recalls).all(),
        }
    }
}

/// A copy of one app's state, as `GET /_emulator/state` serves it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StateSnapshot {
    /// Registered users, in registration order.
    pub users: Vec<UserRecord>,
    /// Bans still running, by user id.
    pub bans: Vec<BanRecord>,
    /// Groups, in creation order.
    pub groups: Vec<GroupRecord>,
    /// Chatrooms, in creation order.
    pub chatrooms: Vec<ChatroomRecord>,
    /// Ultra groups, in creation order.
    pub ultra_groups: Vec<UltraGroupRecord>,
    /// Sensitive words, in the order added.
    pub sensitive_words: Vec<SensitiveWord>,
    /// Accepted recalls, oldest first.
    pub recalls: Vec<RecallRecord>,
}
