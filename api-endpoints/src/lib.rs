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

#![warn(missing_docs)]

mod extra_content;
mod private_publish;
mod push_ext;
mod response;

pub use extra_content::{ExtraContent, MAX_KEY_CHARS, MAX_PAIRS, MAX_VALUE_CHARS};
pub use private_publish::PrivatePublish;
pub use push_ext::{
    ApnsConfig, FcmConfig, HonorConfig, HwConfig, Importance, InterruptionLevel, MAX_TITLE_CHARS,
    MiConfig, OhosConfig, OppoConfig, OppoNotifyLevel, PushConfigs, PushExt, VivoClassification,
    VivoConfig,
};
pub use response::{MessageUidResponse, PublishResponse, RecipientMessageUid};
