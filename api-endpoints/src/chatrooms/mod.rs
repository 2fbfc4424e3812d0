//! Chatrooms: create, destroy and query.
//!
//! | call | type |
//! |---|---|
//! | `POST /chatroom/create_new.json` | [`ChatroomCreateNew`] |
//! | `POST /chatroom/create.json` | [`ChatroomCreate`] |
//! | `POST /chatroom/destroy.json` | [`ChatroomDestroy`] |
//! | `POST /chatroom/query.json` | [`ChatroomQuery`] |
//!
//! Messages to chatrooms are [`ChatroomPublish`](crate::ChatroomPublish).

mod create;
mod create_new;
mod destroy;
mod query;

pub use create::{ChatroomCreate, MAX_ROOMS_PER_CREATE};
pub use create_new::{ChatroomCreateNew, DestroyType, MAX_DESTROY_MINUTES, MIN_DESTROY_MINUTES};
pub use destroy::ChatroomDestroy;
pub use query::{ChatroomInfo, ChatroomQuery, ChatroomQueryResponse, MAX_ROOMS_PER_QUERY};

/// Chatroom ids are at most 64 bytes (D:chatroom/deprecated-create).
pub(crate) const MAX_CHATROOM_ID_BYTES: usize = 64;
