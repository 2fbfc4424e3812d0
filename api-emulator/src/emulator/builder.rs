//! [`EmulatorBuilder`]: configures and starts an [`Emulator`].

use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

use super::{Emulator, Host};
use crate::callbacks::{CallbackUrls, Callbacks, DEFAULT_QUEUE_CAPACITY};
use crate::clock::Clock;
use crate::config::{AppConfig, DEFAULT_APP_KEY, DEFAULT_APP_SECRET, Service};
use crate::faults::Faults;
use crate::records::Records;
use crate::server;
use crate::shared::{App, Shared};

/// How an app was registered on the builder.
#[derive(Debug, Clone)]
enum AppEntry {
    /// `.app(key, secret)`: follows the builder-wide service switches.
    Plain(String, String),
    /// `.app_config(config)`: keeps its own switches.
    Configured(AppConfig),
}

/// Configures and starts an [`Emulator`]. Get one from [`Emulator::builder`].
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use api_emulator::{Clock, Emulator, Service};
///
/// let emulator = Emulator::builder()
///     .app("my-key", "my-secret")
///     .service(Service::Broadcast, false)
///     .hosts(2)
///     .clock(Clock::scaled(3600.0))
///     .start()
///     .await?;
/// println!("primary {}, backup {}", emulator.base_urls()[0], emulator.base_urls()[1]);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    apps: Vec<AppEntry>,
    services: [bool; Service::COUNT],
    hosts: usize,
    listen: Vec<SocketAddr>,
    rate_limits: bool,
    clock: Clock,
    record_limit: Option<usize>,
    idle_timeout: Option<Duration>,
    inspection_routes: bool,
    callbacks: CallbackUrls,
    callback_queue: usize,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            apps: Vec::new(),
            services: [true; Service::COUNT],
            hosts: 1,
            listen: Vec::new(),
            rate_limits: true,
            clock: Clock::system(),
            record_limit: None,
            idle_timeout: Some(Duration::from_secs(60)),
            inspection_routes: true,
            callbacks: CallbackUrls::default(),
            callback_queue: DEFAULT_QUEUE_CAPACITY,
        }
    }
}

impl EmulatorBuilder {
    /// Accepts requests signed for this App Key / App Secret. Call it again to serve
    /// several apps; the first one is the one [`Emulator::app_key`] reports. Without
    /// any app, the emulator serves [`DEFAULT_APP_KEY`] / [`DEFAULT_APP_SECRET`].
    pub fn app(mut self, key: impl Into<String>, secret: impl Into<String>) -> Self {
        self.apps.push(AppEntry::Plain(key.into(), secret.into()));
        self
    }

    /// Accepts requests for an app with its own service switches.
    pub fn app_config(mut self, config: AppConfig) -> Self {
        self.apps.push(AppEntry::Configured(config));
        self
    }

    /// Switches `service` on or off (all are on by default) for the apps added with
    /// [`app`](Self::app) and for the default app. Apps added with
    /// [`app_config`](Self::app_config) keep their own switches.
    pub fn service(mut self, service: Service, enabled: bool) -> Self {
        self.services[service.index()] = enabled;
        self
    }

    /// Listens on `n` loopback ports ("hosts"; the first is the primary, the others
    /// stand for backup hosts). Default 1; at least 1.
    pub fn hosts(mut self, n: usize) -> Self {
        self.hosts = n.max(1);
        self
    }

    /// Listens on these exact addresses instead of `hosts(n)` ephemeral loopback
    /// ports, one host per address, the first being the primary.
    pub fn listen(mut self, addrs: impl IntoIterator<Item = SocketAddr>) -> Self {
        self.listen = addrs.into_iter().collect();
        self
    }

    /// Enforces the documented rate limits (default `true`).
    pub fn rate_limits(mut self, enabled: bool) -> Self {
        self.rate_limits = enabled;
        self
    }

    /// The clock for rate-limit windows and record times (default: the system clock).
    /// Keep a clone to advance a manual clock from the test.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Keeps at most this many deliveries and request records, and at most this
    /// many users, bans, groups, chatrooms, ultra groups and recalls per app
    /// (oldest forgotten first). Default: unlimited, which suits tests;
    /// long-running processes should set a bound.
    pub fn record_limit(mut self, limit: Option<usize>) -> Self {
        self.record_limit = limit;
        self
    }

    /// Closes a kept-alive connection after it has waited this long for the next
    /// request (default 60 s, like the provider's load balancer; REFERENCE.md asks
    /// clients to stay under 55 s). `None` keeps idle connections forever.
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Serves the `/_emulator/...` inspection routes (default `true`). The
    /// history files `/message/history.json` points at are served either way.
    pub fn inspection_routes(mut self, enabled: bool) -> Self {
        self.inspection_routes = enabled;
        self
    }

    /// Posts a signed message-routing callback (a form body: `fromUserId`,
    /// `toUserId`, `objectName`, `content`, `channelType`, `msgTimestamp`,
    /// `msgUID`, ...) to this `http://` URL for every message accepted, like the
    /// provider's full message routing. Signed in the query string with `nonce`,
    /// `signTimestamp` and `signature = hex(SHA1(App Secret + nonce +
    /// signTimestamp))`. [`start`](Self::start) fails on a URL that is not
    /// `http://host...`.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let emulator = api_emulator::Emulator::builder()
    ///     .callback_url("http://127.0.0.1:3000/rongcloud/message")
    ///     .start()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callbacks.message_routing = Some(url.into());
        self
    }

    /// Posts user online-status events (a JSON array) to this `http://` URL, when
    /// a test plays clients connecting with [`Emulator::post_online_status`] or
    /// `POST /_emulator/online-status`. Signed like [`callback_url`](Self::callback_url).
    pub fn user_status_callback_url(mut self, url: impl Into<String>) -> Self {
        self.callbacks.user_status = Some(url.into());
        self
    }

    /// Posts chatroom status events (a JSON array: `chatRoomId`, `userIds`,
    /// `status`, `type` 0 created / 3 destroyed, `time`) to this `http://` URL
    /// when the API creates or destroys rooms. Signed like
    /// [`callback_url`](Self::callback_url).
    pub fn chatroom_status_callback_url(mut self, url: impl Into<String>) -> Self {
        self.callbacks.chatroom_status = Some(url.into());
        self
    }

    /// Callbacks waiting to be posted before new ones are dropped (and counted
    /// in [`CallbackStats::dropped`](crate::CallbackStats::dropped)); default
    /// 10 000, at least 1.
    pub fn callback_queue(mut self, capacity: usize) -> Self {
        self.callback_queue = capacity.max(1);
        self
    }

    /// Binds the listeners and starts serving on the current Tokio runtime.
    ///
    /// # Errors
    /// When a listener cannot be bound, or a callback URL is not `http://host...`
    /// (`InvalidInput`).
    ///
    /// # Panics
    /// If called outside a Tokio runtime.
    pub async fn start(self) -> io::Result<Emulator> {
        let entries = if self.apps.is_empty() {
            vec![AppEntry::Plain(
                DEFAULT_APP_KEY.to_owned(),
                DEFAULT_APP_SECRET.to_owned(),
            )]
        } else {
            self.apps
        };
        let configs: Vec<AppConfig> = entries
            .into_iter()
            .map(|entry| match entry {
                AppEntry::Plain(key, secret) => AppConfig {
                    key,
                    secret,
                    services: self.services,
                },
                AppEntry::Configured(config) => config,
            })
            .collect();
        let primary = (configs[0].key.clone(), configs[0].secret.clone());
        let mut apps = HashMap::new();
        for config in configs {
            apps.insert(config.key.clone(), App::new(config, self.record_limit));
        }
        let callbacks = Callbacks::start(&self.callbacks, self.callback_queue)?;
        let addrs = if self.listen.is_empty() {
            vec![SocketAddr::from((Ipv4Addr::LOCALHOST, 0)); self.hosts]
        } else {
            self.listen
        };
        // Bind first: the shared state knows every host's address (the history
        // URLs the API answers name it).
        let mut listeners = Vec::with_capacity(addrs.len());
        for addr in addrs {
            let listener = TcpListener::bind(addr).await?;
            let addr = listener.local_addr()?;
            listeners.push((listener, addr));
        }
        let shared = Arc::new(Shared {
            apps,
            primary: primary.0.clone(),
            addrs: listeners.iter().map(|(_, addr)| *addr).collect(),
            clock: self.clock,
            rate_limits: AtomicBool::new(self.rate_limits),
            records: Records::new(self.record_limit),
            faults: Faults::default(),
            callbacks,
            inspection: self.inspection_routes,
            idle_timeout: self.idle_timeout,
        });
        let mut hosts = Vec::with_capacity(listeners.len());
        for (index, (listener, addr)) in listeners.into_iter().enumerate() {
            let (signal, _) = watch::channel(0u64);
            let task = tokio::spawn(server::accept_loop(
                shared.clone(),
                index,
                listener,
                signal.subscribe(),
            ));
            tracing::debug!("emulator host {index} listening on {}", server::url(addr));
            hosts.push(Host {
                addr,
                signal,
                task: Mutex::new(Some(task)),
            });
        }
        Ok(Emulator {
            shared,
            hosts,
            primary,
        })
    }
}
