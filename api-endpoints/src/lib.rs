//! Every documented RongCloud IM Server API call, one annotated struct each.
//!
//! Each request type is declared with `#[endpoint]`, which generates its
//! validation (every documented limit, checked before anything is sent), its
//! body encoding and an async `send`. Nested parts (push options, expansion
//! pairs, audiences, notifications, message contents) are typed.
//!
//! | call | type | page |
//! |---|---|---|
//! | `POST /message/private/publish.json` | [`PrivatePublish`] | 001 |
//! | `POST /message/system/publish.json` | [`SystemPublish`] | 002 |
//! | `POST /message/online/broadcast.json` | [`OnlineBroadcast`] | 004 |
//! | `POST /push.json`, package-name notification | [`PackageNameNotification`] | 000 |
//! | `POST /push.json`, broadcast message | [`BroadcastMessage`] | 003 |
//! | `POST /push.json`, push without message | [`PushNotification`] | 003 |
//! | `POST /user/tag/set.json` | [`TagSet`] | 003 |
//! | `POST /user/tag/batch/set.json` | [`TagBatchSet`] | 003 |
//! | `POST /message/group/publish.json` | [`GroupPublish`] | D:message/send-group |
//! | `POST /message/chatroom/publish.json` | [`ChatroomPublish`] | D:message/send-chatroom |
//! | `POST /message/recall.json` | [`Recall`] | D:message/msgrecall |
//! | `POST /message/history.json` | [`History`] | D:message/get-message-history-log |
//! | `POST /message/history/delete.json` | [`HistoryDelete`] | D:message/get-message-history-log |
//! | `POST /chatroom/create_new.json` | [`ChatroomCreateNew`] | D:chatroom/create |
//! | `POST /chatroom/create.json` | [`ChatroomCreate`] | D:chatroom/deprecated-create |
//! | `POST /chatroom/destroy.json` | [`ChatroomDestroy`] | D:chatroom/destroy |
//! | `POST /chatroom/query.json` | [`ChatroomQuery`] | D:chatroom/deprecated-info |
//! | `POST /sensitiveword/add.json` | [`SensitiveWordAdd`] | D:moderation/add-sensitive-word |
//! | `POST /sensitiveword/list.json` | [`SensitiveWordList`] | D:moderation/query-sensitive-word |
//! | `POST /sensitiveword/delete.json` | [`SensitiveWordDelete`] | API-BREADTH.md §1c |
//! | `POST /sensitiveword/batch/delete.json` | [`SensitiveWordBatchDelete`] | D:moderation/batch-remove-sensitive-word |
//!
//! Pages named `D:area/page` are `https://docs.rongcloud.io/platform-chat-api/area/page`
//! (`/shared/API-BREADTH.md` §0); each type's documentation names its sources.

#![warn(missing_docs)]

pub mod chatrooms;
pub mod content;
pub mod examples;
mod extra_content;
pub mod messages;
mod online_broadcast;
mod private_publish;
mod push;
mod push_ext;
mod response;
pub mod sensitive_words;
mod system_publish;
mod tags;

pub use chatrooms::*;
pub use content::*;
pub use extra_content::{ExtraContent, MAX_KEY_CHARS, MAX_PAIRS, MAX_VALUE_CHARS};
pub use messages::*;
pub use online_broadcast::OnlineBroadcast;
pub use private_publish::PrivatePublish;
pub use push::*;
pub use push_ext::{
    ApnsConfig, FcmConfig, HonorConfig, HwConfig, Importance, InterruptionLevel, MAX_TITLE_CHARS,
    MiConfig, OhosConfig, OppoConfig, OppoNotifyLevel, PushConfigs, PushExt, VivoClassification,
    VivoConfig,
};
pub use response::{MessageUidResponse, PublishResponse, RecipientMessageUid};
pub use sensitive_words::*;
pub use system_publish::SystemPublish;
pub use tags::{MAX_USER_TAGS, TagBatchSet, TagSet};
