//! What the emulator saw: accepted messages (deliveries), every request with its
//! answer, the tags set on users, and per-connection statistics.
//!
//! Each kind of record sits behind its own short-held mutex; values are built
//! before the lock is taken so the critical sections are a push onto a queue.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::Service;
use crate::sync::lock;

/// What kind of message a delivery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum DeliveryKind {
    /// `/message/private/publish.json`.
    PrivateMessage,
    /// `/message/system/publish.json`.
    SystemMessage,
    /// `/message/online/broadcast.json`.
    OnlineBroadcast,
    /// `/push.json` with `message` (conversation type SYSTEM).
    Broadcast,
    /// `/push.json` without `message` (conversation type PUSH_SERVICE).
    Push,
    /// `/push.json` with `audience.packageName`.
    PackageNotification,
    /// `/message/group/publish.json`: one delivery per group.
    GroupMessage,
    /// The notification message bound to `/group/create.json`, `join`, `quit` or
    /// `dismiss` (`bindNotifyMsg=true`).
    GroupNotification,
    /// `/message/chatroom/publish.json`: one delivery per chatroom.
    ChatroomMessage,
    /// `/message/ultragroup/publish.json`: one delivery per ultra group.
    UltraGroupMessage,
}

impl DeliveryKind {
    /// The per-app service this kind of message needs, if any.
    pub fn service(self) -> Option<Service> {
        match self {
            DeliveryKind::PrivateMessage
            | DeliveryKind::SystemMessage
            | DeliveryKind::GroupMessage
            | DeliveryKind::GroupNotification
            | DeliveryKind::ChatroomMessage => None,
            DeliveryKind::OnlineBroadcast => Some(Service::OnlineBroadcast),
            DeliveryKind::Broadcast => Some(Service::Broadcast),
            DeliveryKind::Push => Some(Service::Push),
            DeliveryKind::PackageNotification => Some(Service::PackageNotification),
            DeliveryKind::UltraGroupMessage => Some(Service::UltraGroup),
        }
    }

    /// The `conversationType` a recall of this kind of message names (1 private,
    /// 3 group, 4 chatroom, 6 system, 10 ultra group; `/message/recall.json`), or
    /// `None` for broadcasts and pushes, which are not recalled that way.
    pub fn conversation_type(self) -> Option<u8> {
        match self {
            DeliveryKind::PrivateMessage => Some(1),
            DeliveryKind::GroupMessage | DeliveryKind::GroupNotification => Some(3),
            DeliveryKind::ChatroomMessage => Some(4),
            DeliveryKind::SystemMessage => Some(6),
            DeliveryKind::UltraGroupMessage => Some(10),
            DeliveryKind::OnlineBroadcast
            | DeliveryKind::Broadcast
            | DeliveryKind::Push
            | DeliveryKind::PackageNotification => None,
        }
    }
}

/// What the app's sensitive words did to a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum Sensitive {
    /// No sensitive word matched.
    #[default]
    None,
    /// A blocking word matched: the message was answered as accepted but reached
    /// nobody (`recipients` is empty) and was not routed to the callback.
    Blocked,
    /// Replacing words matched: `content` holds the text as delivered, with the
    /// replacements made.
    Replaced,
}

impl Sensitive {
    /// The routing callback's `sensitiveType`: 0 none, 1 blocking word, 2
    /// replacing word.
    pub fn callback_value(self) -> u8 {
        match self {
            Sensitive::None => 0,
            Sensitive::Blocked => 1,
            Sensitive::Replaced => 2,
        }
    }
}

/// One accepted message, as the emulator parsed it from the wire.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Delivery {
    /// Position among all deliveries of this emulator, from 0.
    pub seq: u64,
    /// What kind of message this is.
    pub kind: DeliveryKind,
    /// Endpoint path, for example `/message/private/publish.json`.
    pub path: String,
    /// App Key the request was signed with.
    pub app_key: String,
    /// Index of the host (listening port) that served it: 0 is the primary.
    pub host: usize,
    /// `fromUserId` / `fromuserid`, when given.
    pub sender: Option<String>,
    /// The group, chatroom or ultra group the message went to; `None` for private,
    /// system, broadcast and push messages.
    pub target_id: Option<String>,
    /// Users the message reached, in request order: `toUserId` for private and
    /// system publish; for a group the members (the sender only with
    /// `isIncludeSender=1`, only the targeted members for a targeted message); for
    /// an ultra group its members; for `/push.json` the `audience.userid` list, or
    /// the users whose tags (set through this emulator) match the tag conditions,
    /// or every tagged user for `is_to_all`. Empty for chatrooms, online broadcast
    /// and package-name audiences, whose users the emulator cannot know, and for a
    /// message a blocking sensitive word stopped.
    pub recipients: Vec<String>,
    /// The raw `audience` object of a `/push.json` call.
    pub audience: Option<Value>,
    /// `objectName` (or `message.objectName`).
    pub object_name: Option<String>,
    /// `content` (or `message.content`), exactly as received, or as delivered
    /// when replacing sensitive words matched (see `sensitive`).
    pub content: Option<String>,
    /// `busChannel` of an ultra group message.
    pub bus_channel: Option<String>,
    /// What the app's sensitive words did to the message.
    pub sensitive: Sensitive,
    /// Every other parameter: form fields as strings (repeated ones as arrays), or the
    /// remaining top-level fields of a JSON body (`platform`, `notification`, ...).
    pub params: Map<String, Value>,
    /// The message ids answered: one per recipient in request order for private
    /// and system publish, a single id otherwise.
    pub message_ids: Vec<String>,
    /// The `X-Request-ID` header of the request.
    pub request_id: Option<String>,
    /// When it was accepted, in milliseconds since the Unix epoch on the emulator's
    /// clock.
    pub at_millis: u64,
}

impl Delivery {
    /// The message id answered for `user`, if `user` is a recipient.
    pub fn message_id_for(&self, user: &str) -> Option<&str> {
        let i = self.recipients.iter().position(|r| r == user)?;
        if self.message_ids.len() == self.recipients.len() {
            Some(&self.message_ids[i])
        } else {
            self.message_ids.first().map(String::as_str)
        }
    }

    /// A form parameter (or top-level JSON string field) from `params`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).and_then(Value::as_str)
    }

    /// When it was accepted, on the emulator's clock.
    pub fn at(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(self.at_millis)
    }
}

/// One request and what the emulator did with it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RequestRecord {
    /// Position among all recorded requests, from 0.
    pub seq: u64,
    /// Index of the host that received it.
    pub host: usize,
    /// Id of the TCP connection it came on (see [`ConnectionStats::id`]).
    pub connection: u64,
    /// HTTP method.
    pub method: String,
    /// Request path (without query).
    pub path: String,
    /// `App-Key` (or `RC-App-Key`) header as sent, if any.
    pub app_key: Option<String>,
    /// `X-Request-ID` header, if any.
    pub request_id: Option<String>,
    /// HTTP status answered; `None` when the connection was closed without answer.
    pub status: Option<u16>,
    /// Body `code` answered, or the code processing produced when the answer was then
    /// dropped; `None` when the request was not processed at all.
    pub code: Option<u32>,
    /// Whether an injected fault shaped the outcome.
    pub faulted: bool,
    /// Whether the request produced a delivery.
    pub delivered: bool,
    /// When it arrived, in milliseconds since the Unix epoch on the emulator's clock.
    pub at_millis: u64,
}

/// Statistics of one TCP connection.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConnectionStats {
    /// Connection id, unique within the emulator, in accept order.
    pub id: u64,
    /// Index of the host that accepted it.
    pub host: usize,
    /// The client's address.
    pub peer: SocketAddr,
    /// Requests received on it so far.
    pub requests: u64,
    /// Whether it is still open.
    pub open: bool,
}

/// Live counters of one connection, shared with its task.
#[derive(Debug)]
pub(crate) struct ConnectionEntry {
    pub id: u64,
    host: usize,
    peer: SocketAddr,
    pub requests: AtomicU64,
    pub open: AtomicBool,
}

#[derive(Debug, Default)]
struct RequestLog {
    entries: VecDeque<RequestRecord>,
    by_code: BTreeMap<u32, u64>,
    dropped: u64,
}

/// The record store of one emulator.
#[derive(Debug)]
pub(crate) struct Records {
    limit: Option<usize>,
    delivery_seq: AtomicU64,
    request_seq: AtomicU64,
    connection_seq: AtomicU64,
    refused: AtomicU64,
    deliveries: Mutex<VecDeque<Delivery>>,
    requests: Mutex<RequestLog>,
    connections: Mutex<VecDeque<Arc<ConnectionEntry>>>,
    /// app key -> user id -> tags.
    tags: Mutex<HashMap<String, HashMap<String, Vec<String>>>>,
}

impl Records {
    /// A store keeping at most `limit` deliveries and `limit` requests (oldest
    /// dropped first); `None` keeps everything.
    pub fn new(limit: Option<usize>) -> Self {
        Self {
            limit,
            delivery_seq: AtomicU64::new(0),
            request_seq: AtomicU64::new(0),
            connection_seq: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            deliveries: Mutex::new(VecDeque::new()),
            requests: Mutex::new(RequestLog::default()),
            connections: Mutex::new(VecDeque::new()),
            tags: Mutex::new(HashMap::new()),
        }
    }

    fn over_limit(&self, len: usize) -> bool {
        self.limit.is_some_and(|limit| len > limit)
    }

    pub fn next_delivery_seq(&self) -> u64 {
        self.delivery_seq.fetch_add(1, Ordering::Relaxed)
    }

    /// The sequence number the next delivery will get.
    pub fn peek_delivery_seq(&self) -> u64 {
        self.delivery_seq.load(Ordering::Relaxed)
    }

    /// Runs `f` over the deliveries, oldest first, under the lock (for lookups
    /// that should not copy the whole store).
    pub fn scan<T>(&self, f: impl FnOnce(&mut dyn Iterator<Item = &Delivery>) -> T) -> T {
        let list = lock(&self.deliveries);
        f(&mut list.iter())
    }

    /// How many deliveries each user received in `app_key` (`None`: every app),
    /// among the deliveries still recorded.
    pub fn delivery_counts(&self, app_key: Option<&str>) -> BTreeMap<String, u64> {
        let mut counts = BTreeMap::new();
        for d in lock(&self.deliveries).iter() {
            if app_key.is_some_and(|k| d.app_key != k) {
                continue;
            }
            for user in &d.recipients {
                *counts.entry(user.clone()).or_insert(0) += 1;
            }
        }
        counts
    }

    pub fn push_delivery(&self, delivery: Delivery) {
        let mut list = lock(&self.deliveries);
        list.push_back(delivery);
        if self.over_limit(list.len()) {
            list.pop_front();
        }
    }

    /// Records a request and counts its answer by code (or as dropped when no
    /// answer was written).
    pub fn push_request(&self, mut record: RequestRecord) {
        record.seq = self.request_seq.fetch_add(1, Ordering::Relaxed);
        let mut log = lock(&self.requests);
        match (record.status, record.code) {
            (Some(_), Some(code)) => *log.by_code.entry(code).or_insert(0) += 1,
            (None, _) => log.dropped += 1,
            (Some(_), None) => {}
        }
        log.entries.push_back(record);
        if self.over_limit(log.entries.len()) {
            log.entries.pop_front();
        }
    }

    pub fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.deliveries).iter().cloned().collect()
    }

    pub fn inbox(&self, app_key: Option<&str>, user: &str) -> Vec<Delivery> {
        lock(&self.deliveries)
            .iter()
            .filter(|d| app_key.is_none_or(|k| d.app_key == k))
            .filter(|d| d.recipients.iter().any(|r| r == user))
            .cloned()
            .collect()
    }

    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.requests).entries.iter().cloned().collect()
    }

    pub fn answers_by_code(&self) -> BTreeMap<u32, u64> {
        lock(&self.requests).by_code.clone()
    }

    pub fn dropped_answers(&self) -> u64 {
        lock(&self.requests).dropped
    }

    /// Forgets deliveries, requests and answer counts (not tags or connections).
    pub fn clear(&self) {
        lock(&self.deliveries).clear();
        let mut log = lock(&self.requests);
        log.entries.clear();
        log.by_code.clear();
        log.dropped = 0;
    }

    pub fn note_refused_connection(&self) {
        self.refused.fetch_add(1, Ordering::Relaxed);
    }

    pub fn refused_connections(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    pub fn open_connection(&self, host: usize, peer: SocketAddr) -> Arc<ConnectionEntry> {
        let entry = Arc::new(ConnectionEntry {
            id: self.connection_seq.fetch_add(1, Ordering::Relaxed),
            host,
            peer,
            requests: AtomicU64::new(0),
            open: AtomicBool::new(true),
        });
        let mut list = lock(&self.connections);
        list.push_back(entry.clone());
        // Bound memory for long-running emulators: forget the oldest closed ones.
        if self.over_limit(list.len()) {
            list.retain(|c| c.open.load(Ordering::Relaxed));
        }
        entry
    }

    pub fn connections(&self) -> Vec<ConnectionStats> {
        lock(&self.connections)
            .iter()
            .map(|c| ConnectionStats {
                id: c.id,
                host: c.host,
                peer: c.peer,
                requests: c.requests.load(Ordering::Relaxed),
                open: c.open.load(Ordering::Relaxed),
            })
            .collect()
    }

    /// Replaces the tags of each user (page 003: a new call overwrites).
    pub fn set_tags(&self, app_key: &str, users: &[String], tags: &[String]) {
        let mut all = lock(&self.tags);
        let app = all.entry(app_key.to_owned()).or_default();
        for user in users {
            app.insert(user.clone(), tags.to_vec());
        }
    }

    pub fn user_tags(&self, app_key: &str, user: &str) -> Option<Vec<String>> {
        lock(&self.tags).get(app_key)?.get(user).cloned()
    }

    /// Users of `app_key` whose tags satisfy `accept`, sorted by id.
    pub fn users_with_tags(
        &self,
        app_key: &str,
        accept: impl Fn(&[String]) -> bool,
    ) -> Vec<String> {
        let all = lock(&self.tags);
        let mut users: Vec<String> = all
            .get(app_key)
            .map(|app| {
                app.iter()
                    .filter(|(_, tags)| accept(tags))
                    .map(|(user, _)| user.clone())
                    .collect()
            })
            .unwrap_or_default();
        users.sort();
        users
    }
}
