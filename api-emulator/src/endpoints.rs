//! The table of every call the emulator serves: path, body encoding, rate limit,
//! the per-app service it needs, and where each fact comes from.
//!
//! Sources: the pages in `shared/api-docs/` (numbered 000-004) for the first six
//! calls; for the rest `shared/API-BREADTH.md` §2, which cites the provider's
//! pages (docs.rongcloud.cn / docs.rongcloud.io `platform-chat-api/...`) and the
//! official Go and Java SDKs. Where no page states a rate limit the provider's
//! default of 100 calls a second applies and [`Source::ProviderDefault`] says so.

use crate::config::Service;

/// How an endpoint's body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `application/json`.
    Json,
}

/// Whether a rate limit is the page's own figure or the provider's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// The endpoint's page states it.
    Documented,
    /// No page found states one: the provider's default of 100 calls a second.
    ProviderDefault,
}

/// What one unit of a rate limit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// One call is one unit.
    Calls,
    /// Each target of a call is one unit: "a call to N {0} counts N".
    Messages(&'static str),
}

/// The rate limit of one endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Limit {
    /// None (the tag calls: page 003 states none, and they predate this table).
    Unlimited,
    /// At most `max` units in any window of `span_ms`.
    Window {
        span_ms: u64,
        max: u64,
        unit: Unit,
        source: Source,
    },
    /// `/push.json`: 2 calls an hour and 3 a natural day, shared by push,
    /// broadcast and package-name notification (pages 000, 003).
    PushQuota,
}

const SECOND: u64 = 1_000;
const MINUTE: u64 = 60_000;

const fn per_second(max: u64) -> Limit {
    Limit::Window {
        span_ms: SECOND,
        max,
        unit: Unit::Calls,
        source: Source::Documented,
    }
}

/// The provider's default where no page states a limit.
const DEFAULT: Limit = Limit::Window {
    span_ms: SECOND,
    max: 100,
    unit: Unit::Calls,
    source: Source::ProviderDefault,
};

/// Every endpoint the emulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Endpoint {
    PrivatePublish,
    SystemPublish,
    OnlineBroadcast,
    Push,
    TagSet,
    TagBatchSet,
    UserGetToken,
    UserRefresh,
    UserInfo,
    UserTokenExpire,
    UserBlock,
    UserUnblock,
    UserBlockQuery,
    UserCheckOnline,
    GroupCreate,
    GroupJoin,
    GroupQuit,
    GroupDismiss,
    GroupSync,
    GroupRefresh,
    GroupUserQuery,
    UserGroupQuery,
    GroupPublish,
    ChatroomPublish,
    Recall,
    History,
    HistoryDelete,
    ChatroomCreateNew,
    ChatroomCreate,
    ChatroomDestroy,
    ChatroomQuery,
    SensitiveAdd,
    SensitiveList,
    SensitiveDelete,
    SensitiveBatchDelete,
    UltraGroupCreate,
    UltraGroupJoin,
    UltraGroupQuit,
    UltraGroupDis,
    UltraGroupPublish,
}

/// The facts about one endpoint.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spec {
    pub path: &'static str,
    pub encoding: Encoding,
    pub limit: Limit,
    /// The service every call needs (`/push.json` decides per call instead).
    pub service: Option<Service>,
    /// Whether a call without any parameter is legitimate: then an empty body is
    /// accepted instead of answered 1003 (the Go SDK lists sensitive words and
    /// bans with no body at all).
    pub empty_body: bool,
}

const fn form(path: &'static str, limit: Limit) -> Spec {
    Spec {
        path,
        encoding: Encoding::Form,
        limit,
        service: None,
        empty_body: false,
    }
}

impl Endpoint {
    /// Every endpoint, in the order `--help` lists them.
    pub const ALL: [Endpoint; 40] = [
        Endpoint::UserGetToken,
        Endpoint::UserRefresh,
        Endpoint::UserInfo,
        Endpoint::UserTokenExpire,
        Endpoint::UserBlock,
        Endpoint::UserUnblock,
        Endpoint::UserBlockQuery,
        Endpoint::UserCheckOnline,
        Endpoint::TagSet,
        Endpoint::TagBatchSet,
        Endpoint::PrivatePublish,
        Endpoint::SystemPublish,
        Endpoint::GroupPublish,
        Endpoint::ChatroomPublish,
        Endpoint::UltraGroupPublish,
        Endpoint::OnlineBroadcast,
        Endpoint::Push,
        Endpoint::Recall,
        Endpoint::History,
        Endpoint::HistoryDelete,
        Endpoint::GroupCreate,
        Endpoint::GroupJoin,
        Endpoint::GroupQuit,
        Endpoint::GroupDismiss,
        Endpoint::GroupSync,
        Endpoint::GroupRefresh,
        Endpoint::GroupUserQuery,
        Endpoint::UserGroupQuery,
        Endpoint::ChatroomCreateNew,
        Endpoint::ChatroomCreate,
        Endpoint::ChatroomDestroy,
        Endpoint::ChatroomQuery,
        Endpoint::SensitiveAdd,
        Endpoint::SensitiveList,
        Endpoint::SensitiveDelete,
        Endpoint::SensitiveBatchDelete,
        Endpoint::UltraGroupCreate,
        Endpoint::UltraGroupJoin,
        Endpoint::UltraGroupQuit,
        Endpoint::UltraGroupDis,
    ];

    /// Maps a request path to its endpoint. Only the `.json` format is served
    /// (some pages also mention `.xml`; no client in scope uses it).
    pub fn from_path(path: &str) -> Option<Self> {
        // A linear scan of 40 short strings costs well under a microsecond, next
        // to the HTTP parsing around it; one table keeps paths in one place.
        Self::ALL.into_iter().find(|e| e.spec().path == path)
    }

    /// The endpoint's path.
    pub fn path(self) -> &'static str {
        self.spec().path
    }

    /// Position in a per-endpoint array.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Everything the emulator knows about the endpoint.
    pub fn spec(self) -> Spec {
        match self {
            // 001: "每分钟限 6000 条", a call to N users counts N.
            Self::PrivatePublish => form(
                "/message/private/publish.json",
                Limit::Window {
                    span_ms: MINUTE,
                    max: 6000,
                    unit: Unit::Messages("users"),
                    source: Source::Documented,
                },
            ),
            // 002: "每秒钟限 100 条", counted per recipient.
            Self::SystemPublish => form(
                "/message/system/publish.json",
                Limit::Window {
                    span_ms: SECOND,
                    max: 100,
                    unit: Unit::Messages("users"),
                    source: Source::Documented,
                },
            ),
            // 004: "每分钟限 60 次".
            Self::OnlineBroadcast => form(
                "/message/online/broadcast.json",
                Limit::Window {
                    span_ms: MINUTE,
                    max: 60,
                    unit: Unit::Calls,
                    source: Source::Documented,
                },
            ),
            // 000 / 003: "Content-Type 类型必须为 application/json".
            Self::Push => Spec {
                encoding: Encoding::Json,
                ..form("/push.json", Limit::PushQuota)
            },
            Self::TagSet => Spec {
                encoding: Encoding::Json,
                ..form("/user/tag/set.json", Limit::Unlimited)
            },
            Self::TagBatchSet => Spec {
                encoding: Encoding::Json,
                ..form("/user/tag/batch/set.json", Limit::Unlimited)
            },
            // D:user/register "Rate Limit: 200 requests per second".
            Self::UserGetToken => form("/user/getToken.json", per_second(200)),
            // D:user/modify, D:user/get, D:user/expire, D:user/block, D:user/unblock,
            // D:user/check-online-status-by-user: "100 requests per second".
            Self::UserRefresh => form("/user/refresh.json", per_second(100)),
            Self::UserInfo => form("/user/info.json", per_second(100)),
            Self::UserTokenExpire => form("/user/token/expire.json", per_second(100)),
            Self::UserBlock => form("/user/block.json", per_second(100)),
            Self::UserUnblock => form("/user/unblock.json", per_second(100)),
            // The Go SDK's BlockGetList posts no parameter at all.
            Self::UserBlockQuery => Spec {
                empty_body: true,
                ..form("/user/block/query.json", per_second(100))
            },
            Self::UserCheckOnline => form("/user/checkOnline.json", per_second(100)),
            // D:group/*: "Rate Limit: 100 requests per second" on each page.
            Self::GroupCreate => form("/group/create.json", per_second(100)),
            Self::GroupJoin => form("/group/join.json", per_second(100)),
            Self::GroupQuit => form("/group/quit.json", per_second(100)),
            Self::GroupDismiss => form("/group/dismiss.json", per_second(100)),
            Self::GroupSync => form("/group/sync.json", per_second(100)),
            Self::GroupRefresh => form("/group/refresh.json", per_second(100)),
            Self::GroupUserQuery => form("/group/user/query.json", per_second(100)),
            Self::UserGroupQuery => form("/user/group/query.json", per_second(100)),
            // D:message/send-group: "每秒钟限发送 20 条消息 ... 向 3 个群组发送消息,
            // 视为 3 条消息".
            Self::GroupPublish => form(
                "/message/group/publish.json",
                Limit::Window {
                    span_ms: SECOND,
                    max: 20,
                    unit: Unit::Messages("groups"),
                    source: Source::Documented,
                },
            ),
            // D:message/send-chatroom: 100 messages a second, 10 rooms count 10.
            Self::ChatroomPublish => form(
                "/message/chatroom/publish.json",
                Limit::Window {
                    span_ms: SECOND,
                    max: 100,
                    unit: Unit::Messages("chatrooms"),
                    source: Source::Documented,
                },
            ),
            // D:message/msgrecall: "每秒钟限 100 次".
            Self::Recall => form("/message/recall.json", per_second(100)),
            // D:message/get-message-history-log states no rate limit.
            Self::History => Spec {
                service: Some(Service::MessageHistory),
                ..form("/message/history.json", DEFAULT)
            },
            Self::HistoryDelete => Spec {
                service: Some(Service::MessageHistory),
                ..form("/message/history/delete.json", DEFAULT)
            },
            // D:chatroom/create, D:chatroom/destroy: "100 requests per second".
            Self::ChatroomCreateNew => form("/chatroom/create_new.json", per_second(100)),
            // D:chatroom/deprecated-create: "Rate Limit: 100 requests per second".
            Self::ChatroomCreate => form("/chatroom/create.json", per_second(100)),
            // The query page states none found here.
            Self::ChatroomDestroy => form("/chatroom/destroy.json", per_second(100)),
            Self::ChatroomQuery => form("/chatroom/query.json", DEFAULT),
            // D:moderation/add-sensitive-word and batch-remove: 100 a second.
            Self::SensitiveAdd => form("/sensitiveword/add.json", per_second(100)),
            Self::SensitiveList => Spec {
                empty_body: true,
                ..form("/sensitiveword/list.json", DEFAULT)
            },
            Self::SensitiveDelete => form("/sensitiveword/delete.json", DEFAULT),
            Self::SensitiveBatchDelete => form("/sensitiveword/batch/delete.json", per_second(100)),
            // Dcn:ultragroup/create-ultragroup: "每秒钟限 100 次"; join, quit and dis
            // have no stored page stating one.
            Self::UltraGroupCreate => Spec {
                service: Some(Service::UltraGroup),
                ..form("/ultragroup/create.json", per_second(100))
            },
            Self::UltraGroupJoin => Spec {
                service: Some(Service::UltraGroup),
                ..form("/ultragroup/join.json", DEFAULT)
            },
            Self::UltraGroupQuit => Spec {
                service: Some(Service::UltraGroup),
                ..form("/ultragroup/quit.json", DEFAULT)
            },
            Self::UltraGroupDis => Spec {
                service: Some(Service::UltraGroup),
                ..form("/ultragroup/dis.json", DEFAULT)
            },
            // Dcn:message/send-ultragroup: "每秒钟限发送 100 条超级群消息 ... 如果一次向
            // 3 个超级群发送消息,视为发送 3 条消息"; the per-channel 20 a second is
            // checked beside it (see rate.rs). JSON body.
            Self::UltraGroupPublish => Spec {
                encoding: Encoding::Json,
                service: Some(Service::UltraGroup),
                ..form(
                    "/message/ultragroup/publish.json",
                    Limit::Window {
                        span_ms: SECOND,
                        max: 100,
                        unit: Unit::Messages("ultra groups"),
                        source: Source::Documented,
                    },
                )
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for (i, e) in Endpoint::ALL.into_iter().enumerate() {
            assert!(seen.insert(e.path()), "{} listed twice", e.path());
            assert_eq!(Endpoint::from_path(e.path()), Some(e));
            assert!(e.path().starts_with('/') && e.path().ends_with(".json"));
            // `index` must address an array of ALL.len() entries.
            assert!(e.index() < Endpoint::ALL.len(), "{i}");
        }
        assert_eq!(Endpoint::from_path("/message/private/publish.xml"), None);
    }
}
