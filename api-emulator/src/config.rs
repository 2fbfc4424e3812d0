//! Apps (App Key / App Secret pairs) and the services switched on for each.

use serde::Serialize;

/// App Key of the app the emulator serves when none is configured.
pub const DEFAULT_APP_KEY: &str = "emulator-app-key";
/// App Secret of the app the emulator serves when none is configured.
pub const DEFAULT_APP_SECRET: &str = "emulator-app-secret";

/// A service the provider switches on per App Key. A call to a service that is off
/// is answered HTTP 430, code 1009 (pages 000 and 004, "开通服务"; the message
/// history page says the same of `/message/history.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum Service {
    /// `/push.json` without `message`: a notification only (page 003 "推送方法").
    Push,
    /// `/push.json` with `message`: a broadcast message (page 003 "广播消息方法").
    Broadcast,
    /// `/push.json` with `audience.packageName`: all users of one app package (page 000).
    PackageNotification,
    /// `/message/online/broadcast.json`: every online user (page 004).
    OnlineBroadcast,
    /// `/message/history.json` and `/message/history/delete.json`: the hourly
    /// message log ("如未开通服务,Server API 将返回 1009 错误",
    /// docs.rongcloud.cn/platform-chat-api/message/get-message-history-log).
    MessageHistory,
    /// `/ultragroup/*.json` and `/message/ultragroup/publish.json`. The provider
    /// opens ultra groups per app ("开通超级群服务"); no page found says what a call
    /// answers while it is closed, so the emulator answers 1009 like every other
    /// closed service.
    UltraGroup,
}

impl Service {
    /// How many services there are.
    pub const COUNT: usize = 6;

    /// Every service, in a fixed order.
    pub const ALL: [Service; Service::COUNT] = [
        Service::Push,
        Service::Broadcast,
        Service::PackageNotification,
        Service::OnlineBroadcast,
        Service::MessageHistory,
        Service::UltraGroup,
    ];

    pub(crate) fn index(self) -> usize {
        match self {
            Service::Push => 0,
            Service::Broadcast => 1,
            Service::PackageNotification => 2,
            Service::OnlineBroadcast => 3,
            Service::MessageHistory => 4,
            Service::UltraGroup => 5,
        }
    }

    /// A human-readable name, used in error messages and logs.
    pub fn name(self) -> &'static str {
        match self {
            Service::Push => "push",
            Service::Broadcast => "broadcast",
            Service::PackageNotification => "package-name notification",
            Service::OnlineBroadcast => "online broadcast",
            Service::MessageHistory => "message history log",
            Service::UltraGroup => "ultra group",
        }
    }
}

/// One app the emulator accepts requests for.
///
/// ```
/// use api_emulator::{AppConfig, Service};
///
/// let app = AppConfig::new("key", "secret").service(Service::Broadcast, false);
/// assert!(!app.is_enabled(Service::Broadcast));
/// assert!(app.is_enabled(Service::Push));
/// ```
#[derive(Debug, Clone)]
pub struct AppConfig {
    pub(crate) key: String,
    pub(crate) secret: String,
    pub(crate) services: [bool; Service::COUNT],
}

impl AppConfig {
    /// An app with every service switched on.
    pub fn new(key: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            secret: secret.into(),
            services: [true; Service::COUNT],
        }
    }

    /// Switches `service` on or off for this app.
    pub fn service(mut self, service: Service, enabled: bool) -> Self {
        self.services[service.index()] = enabled;
        self
    }

    /// The App Key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The App Secret.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// Whether `service` is switched on.
    pub fn is_enabled(&self, service: Service) -> bool {
        self.services[service.index()]
    }
}
