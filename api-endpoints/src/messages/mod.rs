//! Group and chatroom messages, recalls and the hourly message log.
//!
//! | call | type |
//! |---|---|
//! | `POST /message/group/publish.json` | [`GroupPublish`] |
//! | `POST /message/chatroom/publish.json` | [`ChatroomPublish`] |
//! | `POST /message/recall.json` | [`Recall`] |
//! | `POST /message/history.json` | [`History`] |
//! | `POST /message/history/delete.json` | [`HistoryDelete`] |

mod chatroom_publish;
mod conversation_type;
mod group_publish;
mod history;
mod hour;
mod recall;

pub use chatroom_publish::{ChatroomMessageUid, ChatroomPublish, ChatroomPublishResponse};
pub use conversation_type::ConversationType;
pub use group_publish::{GroupMessageUid, GroupPublish, GroupPublishResponse, MAX_GROUPS};
pub use history::{History, HistoryDelete, HistoryResponse};
pub use hour::HistoryHour;
pub use recall::Recall;
