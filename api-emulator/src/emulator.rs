//! Starting an emulator ([`EmulatorBuilder`]) and driving a running one
//! ([`Emulator`]): addresses, records, faults, switches.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::callbacks::{
    CallbackStats, CallbackUrls, Callbacks, DEFAULT_QUEUE_CAPACITY, OnlineStatusEvent,
};
use crate::clock::Clock;
use crate::config::{AppConfig, DEFAULT_APP_KEY, DEFAULT_APP_SECRET, Service};
use crate::faults::{Fault, FaultId, Faults};
use crate::inspect;
use crate::records::{ConnectionStats, Delivery, Records, RequestRecord};
use crate::server;
use crate::shared::{App, Shared};
use crate::state::{
    BanRecord, ChatroomRecord, GroupRecord, RecallRecord, SensitiveWord, StateSnapshot,
    UltraGroupRecord, UserRecord,
};
use crate::sync::lock;

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
    /// in [`CallbackStats::dropped`]); default 10 000, at least 1.
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

/// One listening port.
#[derive(Debug)]
struct Host {
    addr: SocketAddr,
    /// Bumped to make the accept loop and every connection of this host stop.
    signal: watch::Sender<u64>,
    /// The accept loop; `None` while the host is down.
    task: Mutex<Option<JoinHandle<()>>>,
}

impl Host {
    fn stop(&self) -> Option<JoinHandle<()>> {
        self.signal.send_modify(|n| *n += 1);
        lock(&self.task).take()
    }
}

/// A running emulator. Dropping it (or calling [`shutdown`](Self::shutdown)) stops
/// every listener and closes every connection.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// use api_emulator::Emulator;
///
/// let emulator = Emulator::start().await?;
/// assert!(emulator.base_url().starts_with("http://127.0.0.1:"));
/// assert_eq!(emulator.app_key(), "emulator-app-key");
/// assert!(emulator.deliveries().is_empty());
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Emulator {
    shared: Arc<Shared>,
    hosts: Vec<Host>,
    primary: (String, String),
}

impl Emulator {
    /// A builder with the defaults: one app (`emulator-app-key` /
    /// `emulator-app-secret`), all services on, one host, rate limits on, system
    /// clock.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// Starts an emulator with the defaults of [`Emulator::builder`].
    ///
    /// # Errors
    /// When the listener cannot be bound.
    pub async fn start() -> io::Result<Self> {
        Self::builder().start().await
    }

    // ---- addresses and credentials ----

    /// Base URL of the primary host, like `http://127.0.0.1:40123`.
    pub fn base_url(&self) -> String {
        server::url(self.hosts[0].addr)
    }

    /// Base URLs of every host, primary first.
    pub fn base_urls(&self) -> Vec<String> {
        self.hosts.iter().map(|h| server::url(h.addr)).collect()
    }

    /// Socket addresses of every host, primary first.
    pub fn addrs(&self) -> Vec<SocketAddr> {
        self.hosts.iter().map(|h| h.addr).collect()
    }

    /// App Key of the first configured app.
    pub fn app_key(&self) -> &str {
        &self.primary.0
    }

    /// App Secret of the first configured app.
    pub fn app_secret(&self) -> &str {
        &self.primary.1
    }

    /// The clock the emulator reads (advance it to move rate-limit windows).
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    // ---- records ----

    /// Every accepted message, oldest first.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.records.deliveries()
    }

    /// Messages that reached `user_id` (in any app), oldest first.
    pub fn inbox(&self, user_id: &str) -> Vec<Delivery> {
        self.shared.records.inbox(None, user_id)
    }

    /// Messages that reached `user_id` in the app `app_key`, oldest first.
    pub fn inbox_in(&self, app_key: &str, user_id: &str) -> Vec<Delivery> {
        self.shared.records.inbox(Some(app_key), user_id)
    }

    /// Every request received, with what was answered, oldest first.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.records.requests()
    }

    /// How many answers were sent with each body `code` (200, 1002, 1008, ...).
    pub fn answers_by_code(&self) -> BTreeMap<u32, u64> {
        self.shared.records.answers_by_code()
    }

    /// How many answers were sent with body `code`.
    pub fn answer_count(&self, code: u32) -> u64 {
        self.answers_by_code().get(&code).copied().unwrap_or(0)
    }

    /// How many requests ended with the connection closed and no answer.
    pub fn dropped_answers(&self) -> u64 {
        self.shared.records.dropped_answers()
    }

    /// Forgets deliveries, requests and answer counts (tags, connection statistics
    /// and rate-limit state stay).
    pub fn clear_records(&self) {
        self.shared.records.clear();
    }

    /// How many deliveries each user received in the first app, among the
    /// deliveries still recorded (a campaign sent exactly once has every count 1;
    /// served as `GET /_emulator/delivery-counts`).
    pub fn delivery_counts(&self) -> BTreeMap<String, u64> {
        self.shared.records.delivery_counts(Some(&self.primary.0))
    }

    /// How many deliveries `user_id` received in the first app.
    pub fn delivery_count(&self, user_id: &str) -> u64 {
        self.delivery_counts().get(user_id).copied().unwrap_or(0)
    }

    /// Tags set on `user_id` in the first app through the tag endpoints.
    pub fn user_tags(&self, user_id: &str) -> Option<Vec<String>> {
        self.shared.records.user_tags(&self.primary.0, user_id)
    }

    /// Tags set on `user_id` in the app `app_key`.
    pub fn user_tags_in(&self, app_key: &str, user_id: &str) -> Option<Vec<String>> {
        self.shared.records.user_tags(app_key, user_id)
    }

    // ---- state (first app) ----

    fn primary_app(&self) -> &App {
        &self.shared.apps[&self.primary.0]
    }

    /// Users registered with `/user/getToken.json`, in registration order.
    pub fn users(&self) -> Vec<UserRecord> {
        lock(&self.primary_app().state.users).all()
    }

    /// One registered user.
    pub fn user(&self, user_id: &str) -> Option<UserRecord> {
        lock(&self.primary_app().state.users).get(user_id)
    }

    /// Bans still running on the emulator's clock, by user id.
    pub fn bans(&self) -> Vec<BanRecord> {
        let now = self.shared.clock.now_millis();
        lock(&self.primary_app().state.users).bans(now)
    }

    /// Whether `/user/checkOnline.json` would answer "1" for `user_id`.
    pub fn is_online(&self, user_id: &str) -> bool {
        let now = self.shared.clock.now_millis();
        lock(&self.primary_app().state.users).is_online(user_id, now)
    }

    /// Groups, in creation order.
    pub fn groups(&self) -> Vec<GroupRecord> {
        lock(&self.primary_app().state.groups).all()
    }

    /// One group.
    pub fn group(&self, group_id: &str) -> Option<GroupRecord> {
        lock(&self.primary_app().state.groups).get(group_id)
    }

    /// Chatrooms, in creation order.
    pub fn chatrooms(&self) -> Vec<ChatroomRecord> {
        lock(&self.primary_app().state.chatrooms).all()
    }

    /// Ultra groups, in creation order.
    pub fn ultra_groups(&self) -> Vec<UltraGroupRecord> {
        lock(&self.primary_app().state.ultra_groups).all()
    }

    /// Sensitive words, in the order added.
    pub fn sensitive_words(&self) -> Vec<SensitiveWord> {
        self.primary_app().state.words.list(2)
    }

    /// Recalls accepted by `/message/recall.json`, oldest first.
    pub fn recalls(&self) -> Vec<RecallRecord> {
        lock(&self.primary_app().state.recalls).all()
    }

    /// Everything the app `app_key` holds (`None` for an unknown app).
    pub fn state_in(&self, app_key: &str) -> Option<StateSnapshot> {
        let now = self.shared.clock.now_millis();
        self.shared
            .apps
            .get(app_key)
            .map(|app| app.state.snapshot(now))
    }

    // ---- callbacks ----

    /// Plays clients connecting and disconnecting in the first app: the events
    /// change what `/user/checkOnline.json` answers and are posted to the
    /// user-status callback URL. Answers whether they were queued for posting.
    ///
    /// # Errors
    /// When an event has no `userid` or a status other than "0", "1", "2".
    pub fn post_online_status(
        &self,
        events: impl IntoIterator<Item = OnlineStatusEvent>,
    ) -> Result<bool, String> {
        let events: Vec<OnlineStatusEvent> = events.into_iter().collect();
        inspect::apply_online_events(&self.shared, self.primary_app(), events)
            .map(|(_, posted)| posted)
    }

    /// What became of the callbacks so far.
    pub fn callback_stats(&self) -> CallbackStats {
        self.shared.callbacks.stats()
    }

    /// Waits until no callback is queued or being posted, at most `timeout`;
    /// `true` when the queue drained.
    pub async fn callbacks_settled(&self, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if self.shared.callbacks.stats().pending == 0 {
                return true;
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    // ---- connections ----

    /// Statistics of every TCP connection accepted (and not refused), in accept order.
    /// Requests to the `/_emulator/` routes count on their connection too.
    pub fn connections(&self) -> Vec<ConnectionStats> {
        self.shared.records.connections()
    }

    /// Requests received on each connection, in accept order.
    pub fn requests_per_connection(&self) -> Vec<u64> {
        self.connections().iter().map(|c| c.requests).collect()
    }

    /// The most requests any single connection carried (0 with no connections).
    pub fn max_requests_per_connection(&self) -> u64 {
        self.connections()
            .iter()
            .map(|c| c.requests)
            .max()
            .unwrap_or(0)
    }

    /// Connections closed at once by a [`Fault::refuse_connections`] fault.
    pub fn refused_connections(&self) -> u64 {
        self.shared.records.refused_connections()
    }

    // ---- faults ----

    /// Injects a fault; it applies until it has used its [`Fault::times`] or is
    /// cleared.
    pub fn inject(&self, fault: Fault) -> FaultId {
        self.shared.faults.inject(fault)
    }

    /// Removes one fault; `false` if it was already cleared.
    pub fn clear_fault(&self, id: FaultId) -> bool {
        self.shared.faults.clear(id)
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.shared.faults.clear_all();
    }

    /// How many requests (or connections) a fault has applied to so far; `None` once
    /// cleared.
    pub fn fault_hits(&self, id: FaultId) -> Option<u64> {
        self.shared.faults.hits(id)
    }

    /// Stops listening on `host` and closes its open connections, so new connections
    /// are refused by the operating system. `false` if there is no such host.
    pub async fn take_host_down(&self, host: usize) -> bool {
        let Some(h) = self.hosts.get(host) else {
            return false;
        };
        if let Some(task) = h.stop() {
            // Wait until the listener is really closed, so the port refuses at once.
            let _ = task.await;
        }
        true
    }

    /// Listens on `host` again, on the same port, after
    /// [`take_host_down`](Self::take_host_down). Does nothing if it is up.
    ///
    /// # Errors
    /// If there is no such host or the port cannot be bound again.
    pub async fn bring_host_up(&self, host: usize) -> io::Result<()> {
        let h = self
            .hosts
            .get(host)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such host"))?;
        if lock(&h.task).is_some() {
            return Ok(());
        }
        let listener = TcpListener::bind(h.addr).await?;
        let task = tokio::spawn(server::accept_loop(
            self.shared.clone(),
            host,
            listener,
            h.signal.subscribe(),
        ));
        *lock(&h.task) = Some(task);
        Ok(())
    }

    /// Whether `host` is listening.
    pub fn is_host_up(&self, host: usize) -> bool {
        self.hosts
            .get(host)
            .is_some_and(|h| lock(&h.task).is_some())
    }

    // ---- switches ----

    /// Switches a service on or off for `app_key` while running; `false` if the app
    /// is unknown.
    pub fn set_service(&self, app_key: &str, service: Service, enabled: bool) -> bool {
        match self.shared.apps.get(app_key) {
            Some(app) => {
                app.set_service(service, enabled);
                true
            }
            None => false,
        }
    }

    /// Whether `service` is on for `app_key` (`None` for an unknown app).
    pub fn is_service_enabled(&self, app_key: &str, service: Service) -> Option<bool> {
        self.shared.apps.get(app_key).map(|a| a.is_enabled(service))
    }

    /// Turns rate limiting on or off while running.
    pub fn set_rate_limits(&self, enabled: bool) {
        self.shared.rate_limits.store(enabled, Ordering::Relaxed);
    }

    /// Forgets every call counted by the rate limiters of every app.
    pub fn reset_rate_limits(&self) {
        for app in self.shared.apps.values() {
            app.reset_rate_limits();
        }
    }

    /// Stops every host and waits for the listeners to close.
    pub async fn shutdown(self) {
        let tasks: Vec<_> = self.hosts.iter().filter_map(Host::stop).collect();
        for task in tasks {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    /// Stops every host without waiting; use [`Emulator::shutdown`] to wait.
    fn drop(&mut self) {
        for host in &self.hosts {
            host.stop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handle_can_be_shared_across_tasks() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Emulator>();
        assert_send_sync::<EmulatorBuilder>();
    }
}
