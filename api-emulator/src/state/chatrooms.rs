//! Chatrooms (`/chatroom/create_new.json`, `/chatroom/create.json`,
//! `/chatroom/destroy.json`, `/chatroom/query.json`).
//!
//! Rooms live until destroyed: the provider also destroys a room after
//! `destroyTime` minutes without activity or after a fixed time, but activity
//! includes members joining and leaving on their clients, which the emulator
//! cannot see, so it does not guess.

use serde::Serialize;
use serde_json::Value;

use super::bounded::Bounded;
use crate::time;

/// A chatroom as the emulator holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ChatroomRecord {
    /// `chatroomId`.
    pub chatroom_id: String,
    /// The name given to `/chatroom/create.json`; empty for `create_new`.
    pub name: String,
    /// When it was created, on the emulator's clock.
    pub created_at_millis: u64,
    /// The same, as `/chatroom/query.json` answers it (`time`).
    pub time: String,
    /// `destroyType`: 0 when inactive (the default), 1 at a fixed time.
    pub destroy_type: u8,
    /// `destroyTime` in minutes (60 when not given).
    pub destroy_time_minutes: u32,
    /// `isBan`: every member muted.
    pub is_ban: bool,
    /// `whiteUserIds`: members exempt from `isBan`.
    pub white_user_ids: Vec<String>,
    /// `entryOwnerId`.
    pub entry_owner_id: Option<String>,
    /// `entryInfo`, parsed.
    pub entry_info: Option<Value>,
    /// The path that created it.
    pub created_by: String,
}

/// The settings a create call gives a room.
#[derive(Debug, Clone)]
pub(crate) struct NewChatroom {
    pub name: String,
    pub destroy_type: u8,
    pub destroy_time_minutes: u32,
    pub is_ban: bool,
    pub white_user_ids: Vec<String>,
    pub entry_owner_id: Option<String>,
    pub entry_info: Option<Value>,
    pub created_by: &'static str,
}

#[derive(Debug)]
struct Room {
    settings: NewChatroom,
    created_at: u64,
}

/// The chatrooms of one app.
#[derive(Debug)]
pub(crate) struct Chatrooms {
    rooms: Bounded<Room>,
}

impl Chatrooms {
    pub fn new(limit: Option<usize>) -> Self {
        Self {
            rooms: Bounded::new(limit),
        }
    }

    /// Creates the room; `false` (and nothing changes) when it exists already:
    /// no page says what creating an existing room does, and keeping the first
    /// settings is what a repeated create, the usual cause, expects.
    pub fn create(&mut self, id: &str, room: NewChatroom, now: u64) -> bool {
        if self.rooms.contains(id) {
            return false;
        }
        self.rooms.ensure(id, || Room {
            settings: room,
            created_at: now,
        });
        true
    }

    /// Destroys the rooms that exist among `ids`; answers those.
    pub fn destroy(&mut self, ids: &[String]) -> Vec<String> {
        ids.iter()
            .filter(|id| self.rooms.remove(id).is_some())
            .cloned()
            .collect()
    }

    pub fn get(&self, id: &str) -> Option<ChatroomRecord> {
        self.rooms.get(id).map(|room| record(id, room))
    }

    pub fn all(&self) -> Vec<ChatroomRecord> {
        self.rooms
            .iter()
            .map(|(id, room)| record(id, room))
            .collect()
    }
}

fn record(id: &str, room: &Room) -> ChatroomRecord {
    let s = &room.settings;
    ChatroomRecord {
        chatroom_id: id.to_owned(),
        name: s.name.clone(),
        created_at_millis: room.created_at,
        time: time::datetime(room.created_at),
        destroy_type: s.destroy_type,
        destroy_time_minutes: s.destroy_time_minutes,
        is_ban: s.is_ban,
        white_user_ids: s.white_user_ids.clone(),
        entry_owner_id: s.entry_owner_id.clone(),
        entry_info: s.entry_info.clone(),
        created_by: s.created_by.to_owned(),
    }
}
