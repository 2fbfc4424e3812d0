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

#![warn(missing_docs)]

pub mod content;
pub mod examples;
mod extra_content;
pub mod groups;
mod online_broadcast;
mod private_publish;
mod push;
mod push_ext;
mod response;
mod system_publish;
mod tags;
pub mod ultra_groups;
pub mod users;

pub use content::*;
pub use extra_content::{ExtraContent, MAX_KEY_CHARS, MAX_PAIRS, MAX_VALUE_CHARS};
pub use groups::{
    BoundNotification, GroupCreate, GroupDismiss, GroupJoin, GroupMember, GroupMemberQuery,
    GroupMembers, GroupOperationResponse, GroupQuit, GroupRefresh, GroupSync, NoNotification,
    UserGroup, UserGroupQuery, UserGroups,
};
pub use online_broadcast::OnlineBroadcast;
pub use private_publish::PrivatePublish;
pub use push::*;
pub use push_ext::{
    ApnsConfig, FcmConfig, HonorConfig, HwConfig, Importance, InterruptionLevel, MAX_TITLE_CHARS,
    MiConfig, OhosConfig, OppoConfig, OppoNotifyLevel, PushConfigs, PushExt, VivoClassification,
    VivoConfig,
};
pub use response::{MessageUidResponse, PublishResponse, RecipientMessageUid};
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
