//! What every connection of one emulator shares: the apps (credentials, service
//! switches, rate limiters, state), the clock, the records, the faults and the
//! callbacks.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::callbacks::Callbacks;
use crate::clock::Clock;
use crate::config::{AppConfig, Service};
use crate::faults::Faults;
use crate::rate::RateLimits;
use crate::records::Records;
use crate::state::AppState;

/// One configured app and its live switches and state.
#[derive(Debug)]
pub(crate) struct App {
    pub key: String,
    secret: Arc<str>,
    services: [AtomicBool; Service::COUNT],
    pub limits: RateLimits,
    pub state: AppState,
}

impl App {
    pub fn new(config: AppConfig, limit: Option<usize>) -> Self {
        Self {
            key: config.key,
            secret: Arc::from(config.secret),
            services: config.services.map(AtomicBool::new),
            limits: RateLimits::new(),
            state: AppState::new(limit),
        }
    }

    pub fn secret(&self) -> &Arc<str> {
        &self.secret
    }

    pub fn set_service(&self, service: Service, enabled: bool) {
        self.services[service.index()].store(enabled, Ordering::Relaxed);
    }

    pub fn is_enabled(&self, service: Service) -> bool {
        self.services[service.index()].load(Ordering::Relaxed)
    }

    pub fn reset_rate_limits(&self) {
        self.limits.reset();
    }
}

/// Everything the connections of one emulator share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub apps: HashMap<String, App>,
    /// The App Key of the first configured app (the default of inspection routes).
    pub primary: String,
    /// Every host's address, by host index (for URLs the emulator answers).
    pub addrs: Vec<SocketAddr>,
    pub clock: Clock,
    pub rate_limits: AtomicBool,
    pub records: Records,
    pub faults: Faults,
    pub callbacks: Callbacks,
    pub inspection: bool,
    pub idle_timeout: Option<Duration>,
}

impl Shared {
    /// The app `key`, or the first app for `None`.
    pub fn app(&self, key: Option<&str>) -> Option<&App> {
        self.apps.get(key.unwrap_or(&self.primary))
    }
}
