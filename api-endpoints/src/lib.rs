//! Every documented RongCloud IM Server API call, one annotated struct each.
//!
//! Each request type is declared with `#[endpoint]`, which generates its
//! validation (every documented limit, checked before anything is sent), its
//! body encoding and an async `send`. Nested parts (push options, expansion
//! pairs, audiences, notifications, message contents) are typed.
//!
//! The calls of one area live in one module: [`users`], [`groups`] (with the
//! [`BoundNotification`] the membership calls can send), [`messages`],
//! [`chatrooms`], [`sensitive_words`] and [`ultra_groups`]; their types are
//! re-exported here.
//!
//! | call | type | source |
//! |---|---|---|
//! | `POST /message/private/publish.json` | [`PrivatePublish`] | page 001 |
//! | `POST /message/system/publish.json` | [`SystemPublish`] | page 002 |
//! | `POST /message/online/broadcast.json` | [`OnlineBroadcast`] | page 004 |
//! | `POST /push.json`, package-name notification | [`PackageNameNotification`] | page 000 |
//! | `POST /push.json`, broadcast message | [`BroadcastMessage`] | page 003 |
//! | `POST /push.json`, push without message | [`PushNotification`] | page 003 |
//! | `POST /user/tag/set.json` | [`TagSet`] | page 003 |
//! | `POST /user/tag/batch/set.json` | [`TagBatchSet`] | page 003 |
//! | `POST /user/getToken.json` | [`UserRegister`] | API-BREADTH.md §2 row 1 |
//! | `POST /user/refresh.json` | [`UserRefresh`] | API-BREADTH.md §2 row 2 |
//! | `POST /user/info.json` | [`UserInfo`] | API-BREADTH.md §2 row 3 |
//! | `POST /user/token/expire.json` | [`UserTokenExpire`] | API-BREADTH.md §2 row 4 |
//! | `POST /user/block.json` | [`UserBlock`] | API-BREADTH.md §2 row 5 |
//! | `POST /user/unblock.json` | [`UserUnblock`] | API-BREADTH.md §2 row 6 |
//! | `POST /user/block/query.json` | [`UserBlockQuery`] | API-BREADTH.md §2 row 6 |
//! | `POST /user/checkOnline.json` | [`UserCheckOnline`] | API-BREADTH.md §2 row 7 |
//! | `POST /group/create.json` | [`GroupCreate`] | API-BREADTH.md §2 row 8 |
//! | `POST /group/join.json` | [`GroupJoin`] | API-BREADTH.md §2 row 9 |
//! | `POST /group/quit.json` | [`GroupQuit`] | API-BREADTH.md §2 row 10 |
//! | `POST /group/dismiss.json` | [`GroupDismiss`] | API-BREADTH.md §2 row 11 |
//! | `POST /group/sync.json` | [`GroupSync`] | API-BREADTH.md §2 row 12 |
//! | `POST /group/refresh.json` | [`GroupRefresh`] | API-BREADTH.md §2 row 13 |
//! | `POST /group/user/query.json` | [`GroupMemberQuery`] | API-BREADTH.md §2 row 14 |
//! | `POST /user/group/query.json` | [`UserGroupQuery`] | API-BREADTH.md §2 row 14 |
//! | `POST /ultragroup/create.json` | [`UltraGroupCreate`] | API-BREADTH.md §2 row 23 |
//! | `POST /ultragroup/join.json` | [`UltraGroupJoin`] | API-BREADTH.md §2 row 24 |
//! | `POST /ultragroup/quit.json` | [`UltraGroupQuit`] | API-BREADTH.md §2 row 24 |
//! | `POST /ultragroup/dis.json` | [`UltraGroupDissolve`] | API-BREADTH.md §2 row 24 |
//! | `POST /message/ultragroup/publish.json` | [`UltraGroupPublish`] | API-BREADTH.md §2 row 25 |
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
pub mod groups;
pub mod messages;
mod online_broadcast;
mod private_publish;
mod push;
mod push_ext;
mod response;
pub mod sensitive_words;
mod system_publish;
mod tags;
pub mod ultra_groups;
pub mod users;

pub use chatrooms::*;
pub use content::*;
pub use extra_content::{ExtraContent, MAX_KEY_CHARS, MAX_PAIRS, MAX_VALUE_CHARS};
pub use groups::{
    BoundNotification, GroupCreate, GroupDismiss, GroupJoin, GroupMember, GroupMemberQuery,
    GroupMembers, GroupOperationResponse, GroupQuit, GroupRefresh, GroupSync, NoNotification,
    UserGroup, UserGroupQuery, UserGroups,
};
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
pub use ultra_groups::{
    StringFlag, UltraGroupCreate, UltraGroupDissolve, UltraGroupJoin, UltraGroupMessageUid,
    UltraGroupPublish, UltraGroupPublishResponse, UltraGroupQuit,
};
pub use users::{
    BlockedUser, BlockedUsers, OnlineStatus, OnlineStatusResponse, UserBlock, UserBlockQuery,
    UserCheckOnline, UserInfo, UserInfoResponse, UserRefresh, UserRegister, UserToken,
    UserTokenExpire, UserUnblock,
};
