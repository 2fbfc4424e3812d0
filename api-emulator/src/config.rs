//! Apps (App Key / App Secret pairs) and the services switched on for each.

use serde::Serialize;

/// App Key of the app the emulator serves when none is configured.
pub const DEFAULT_APP_KEY: &str = "emulator-app-key";
/// App Secret of the app the emulator serves when none is configured.
pub const DEFAULT_APP_SECRET: &str = "emulator-app-secret";

/// A service the provider switches on per App Key. A call to a service that is off
/// is answered HTTP 430, code 1009 (pages 000 and 004, "开通服务").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Service {
    /// `/push.json` without `message`: a notification only (page 003 "推送方法").
    Push,
    /// `/push.json` with `message`: a broadcast message (page 003 "广播消息方法").
    Broadcast,
    /// `/push.json` with `audience.packageName`: all users of one app package (page 000).
    PackageNotification,
    /// `/message/online/broadcast.json`: every online user (page 004).
    OnlineBroadcast,
}

impl Service {
    /// Every service, in a fixed order.
    pub const ALL: [Service; 4] = [
        Service::Push,
        Service::Broadcast,
        Service::PackageNotification,
        Service::OnlineBroadcast,
    ];

    pub(crate) fn index(self) -> usize {
        match self {
            Service::Push => 0,
            Service::Broadcast => 1,
            Service::PackageNotification => 2,
            Service::OnlineBroadcast => 3,
        }
    }

    /// A human-readable name, used in error messages and logs.
    pub fn name(self) -> &'static str {
        match self {
            Service::Push => "push",
            Service::Broadcast => "broadcast",
            Service::PackageNotification => "package-name notification",
            Service::OnlineBroadcast => "online broadcast",
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
    pub(crate) services: [bool; 4],
}

impl AppConfig {
    /// An app with every service switched on.
    pub fn new(key: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            secret: secret.into(),
            services: [true; 4],
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
