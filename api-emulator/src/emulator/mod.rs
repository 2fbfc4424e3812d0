//! Starting an emulator ([`EmulatorBuilder`], in `builder.rs`) and driving a
//! running one ([`Emulator`]): addresses, records, faults, switches here; its
//! state and callbacks in `state.rs`.

mod builder;
mod state;

use std::collections::BTreeMap;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use builder::EmulatorBuilder;

use crate::clock::Clock;
use crate::config::Service;
use crate::faults::{Fault, FaultId};
use crate::records::{ConnectionStats, Delivery, RequestRecord};
use crate::server;
use crate::shared::{App, Shared};
use crate::sync::lock;

/// One listening port.
#[derive(Debug)]
pub(super) struct Host {
    pub(super) addr: SocketAddr,
    /// Bumped to make the accept loop and every connection of this host stop.
    pub(super) signal: watch::Sender<u64>,
    /// The accept loop; `None` while the host is down.
    pub(super) task: Mutex<Option<JoinHandle<()>>>,
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
    pub(super) shared: Arc<Shared>,
    pub(super) hosts: Vec<Host>,
    pub(super) primary: (String, String),
}

impl Emulator {
    /// The first configured app.
    fn primary_app(&self) -> &App {
        &self.shared.apps[&self.primary.0]
    }

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

    /// Forgets deliveries, requests and answer counts. Tags, users, groups and
    /// the rest of the state, connection statistics and rate-limit state stay;
    /// recalls and the message history, which look messages up among the
    /// deliveries, no longer find the forgotten ones.
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
