//! The calls the provider makes to the app's server, signed like the provider
//! signs them (API-BREADTH.md §3): message routing (a form body for each message
//! accepted), user online status and chatroom status (JSON arrays).
//!
//! Each is posted to its configured URL with `nonce`, `signTimestamp` and
//! `signature = hex(SHA1(App Secret + nonce + signTimestamp))` appended to the
//! query string. Posting never holds up or fails an API call: calls put the
//! callback on a bounded queue and go on; a full queue drops the callback (and
//! counts it). One task posts the queue in order, each post limited to 3 seconds;
//! the provider's own message callback service allows 3 s too. A failure (no
//! connection, a timeout, a status other than 2xx) is logged and counted, not
//! retried: no page found says the provider retries these callbacks.

mod payloads;
mod sender;

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use http::Uri;
use serde::Serialize;
use tokio::sync::mpsc;

pub use payloads::OnlineStatusEvent;
pub(crate) use payloads::{
    CHATROOM_CREATED, CHATROOM_DESTROYED, ChatroomStatusEvent, RoutedMessage,
};

use crate::sync::lock;

/// Failures remembered for the inspection route.
const RECENT_FAILURES: usize = 50;
/// Callbacks waiting to be posted before new ones are dropped (default).
pub(crate) const DEFAULT_QUEUE_CAPACITY: usize = 10_000;

/// Which callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum CallbackKind {
    /// Full message routing (全量消息路由): one form POST per message accepted.
    MessageRouting,
    /// User online status: a JSON array of [`OnlineStatusEvent`]s.
    UserStatus,
    /// Chatroom status: a JSON array of room events (created, destroyed).
    ChatroomStatus,
}

/// One callback that could not be delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CallbackFailure {
    /// Which callback.
    pub kind: CallbackKind,
    /// Where it was posted (without the signing parameters).
    pub url: String,
    /// What went wrong.
    pub reason: String,
}

/// What became of the callbacks so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CallbackStats {
    /// Callbacks put on the queue.
    pub enqueued: u64,
    /// Posted and answered with a 2xx status.
    pub delivered: u64,
    /// Posted and failed (see `recent_failures`).
    pub failed: u64,
    /// Dropped because the queue was full.
    pub dropped: u64,
    /// On the queue or being posted now.
    pub pending: u64,
    /// The latest failures, oldest first (at most 50).
    pub recent_failures: Vec<CallbackFailure>,
}

/// Counters shared with the posting task.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    enqueued: AtomicU64,
    delivered: AtomicU64,
    failed: AtomicU64,
    dropped: AtomicU64,
    pending: AtomicU64,
    failures: Mutex<VecDeque<CallbackFailure>>,
}

impl Stats {
    fn fail(&self, failure: CallbackFailure) {
        tracing::warn!(
            kind = ?failure.kind,
            url = %failure.url,
            "callback failed: {}",
            failure.reason
        );
        self.failed.fetch_add(1, Ordering::Relaxed);
        let mut list = lock(&self.failures);
        list.push_back(failure);
        if list.len() > RECENT_FAILURES {
            list.pop_front();
        }
    }
}

/// The URLs callbacks go to; each is optional.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallbackUrls {
    pub message_routing: Option<String>,
    pub user_status: Option<String>,
    pub chatroom_status: Option<String>,
}

/// One callback on the queue.
#[derive(Debug)]
struct Job {
    kind: CallbackKind,
    url: Uri,
    secret: Arc<str>,
    body: Bytes,
    content_type: &'static str,
}

/// The callbacks of one emulator.
#[derive(Debug)]
pub(crate) struct Callbacks {
    message_routing: Option<Uri>,
    user_status: Option<Uri>,
    chatroom_status: Option<Uri>,
    queue: Option<mpsc::Sender<Job>>,
    stats: Arc<Stats>,
}

/// Parses a callback URL: plain `http` with a host (the emulator is a local
/// tool; an app's handler under test listens on plain HTTP).
fn parse(name: &str, url: &str) -> std::io::Result<Uri> {
    let invalid = |why: &str| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{name} {url:?}: {why}"),
        )
    };
    let uri: Uri = url.parse().map_err(|_| invalid("not a URL"))?;
    if uri.scheme_str() != Some("http") {
        return Err(invalid("only http:// URLs are supported"));
    }
    if uri.authority().is_none() {
        return Err(invalid("no host"));
    }
    Ok(uri)
}

impl Callbacks {
    /// Parses the URLs and, when there is any, starts the posting task on the
    /// current Tokio runtime. The task ends when this value is dropped.
    pub fn start(urls: &CallbackUrls, capacity: usize) -> std::io::Result<Self> {
        let parse_opt =
            |name: &str, url: &Option<String>| url.as_deref().map(|u| parse(name, u)).transpose();
        let message_routing = parse_opt("callback URL", &urls.message_routing)?;
        let user_status = parse_opt("user status callback URL", &urls.user_status)?;
        let chatroom_status = parse_opt("chatroom status callback URL", &urls.chatroom_status)?;
        let stats = Arc::new(Stats::default());
        let queue =
            if message_routing.is_some() || user_status.is_some() || chatroom_status.is_some() {
                let (tx, rx) = mpsc::channel(capacity.max(1));
                tokio::spawn(sender::run(rx, stats.clone()));
                Some(tx)
            } else {
                None
            };
        Ok(Self {
            message_routing,
            user_status,
            chatroom_status,
            queue,
            stats,
        })
    }

    /// Whether messages are routed (a message-routing URL is configured).
    pub fn routes_messages(&self) -> bool {
        self.message_routing.is_some()
    }

    /// Queues the routing callback of one message.
    pub fn route(&self, secret: &Arc<str>, message: &RoutedMessage) {
        if let Some(url) = &self.message_routing {
            self.enqueue(Job {
                kind: CallbackKind::MessageRouting,
                url: url.clone(),
                secret: secret.clone(),
                body: message.form_body(),
                content_type: "application/x-www-form-urlencoded",
            });
        }
    }

    /// Queues a user-status callback; `false` when no URL is configured.
    pub fn user_status(&self, secret: &Arc<str>, events: &[OnlineStatusEvent]) -> bool {
        let Some(url) = &self.user_status else {
            return false;
        };
        self.enqueue(Job {
            kind: CallbackKind::UserStatus,
            url: url.clone(),
            secret: secret.clone(),
            body: Bytes::from(serde_json::to_vec(events).unwrap_or_default()),
            content_type: "application/json",
        })
    }

    /// Queues a chatroom-status callback, when a URL is configured.
    pub fn chatroom_status(&self, secret: &Arc<str>, events: &[ChatroomStatusEvent]) {
        if let Some(url) = &self.chatroom_status
            && !events.is_empty()
        {
            self.enqueue(Job {
                kind: CallbackKind::ChatroomStatus,
                url: url.clone(),
                secret: secret.clone(),
                body: Bytes::from(serde_json::to_vec(events).unwrap_or_default()),
                content_type: "application/json",
            });
        }
    }

    fn enqueue(&self, job: Job) -> bool {
        let Some(queue) = &self.queue else {
            return false;
        };
        let kind = job.kind;
        // Counted before the send so the task never sees pending go below zero.
        self.stats.pending.fetch_add(1, Ordering::Relaxed);
        match queue.try_send(job) {
            Ok(()) => {
                self.stats.enqueued.fetch_add(1, Ordering::Relaxed);
                true
            }
            Err(_) => {
                self.stats.pending.fetch_sub(1, Ordering::Relaxed);
                self.stats.dropped.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(?kind, "callback queue full: callback dropped");
                false
            }
        }
    }

    /// The counters and recent failures.
    pub fn stats(&self) -> CallbackStats {
        let s = &self.stats;
        CallbackStats {
            enqueued: s.enqueued.load(Ordering::Relaxed),
            delivered: s.delivered.load(Ordering::Relaxed),
            failed: s.failed.load(Ordering::Relaxed),
            dropped: s.dropped.load(Ordering::Relaxed),
            pending: s.pending.load(Ordering::Relaxed),
            recent_failures: lock(&s.failures).iter().cloned().collect(),
        }
    }
}
