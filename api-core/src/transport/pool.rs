//! Connection turnover: which connection a request goes out on, when a
//! connection is opened, and when it is closed.
//!
//! Per host (scheme, host and port):
//!
//! - at most `max_open` connections are open (or being opened); a call
//!   that finds none idle and no room for another waits, in turn, until one
//!   is given back or closed (FIFO), or until it gives up;
//! - at most `max_idle` are kept idle; one given back beyond that is closed;
//! - a connection carries at most `max_requests` requests: after its 79th
//!   it is closed, not given back. The pool counts the requests of each
//!   connection itself, so the count is exact whatever the concurrency;
//! - a connection idle for `idle_timeout` is not reused, and the reaper
//!   closes it within [`REAP_EVERY`].
//!
//! Why a pool of our own rather than hyper-util's legacy `Client`: that
//! client hands a connection back to its pool as soon as hyper has read a
//! small answer, which can be before the caller sees the answer's head, so
//! poisoning the connection on the 79th answer (the only per-request hook)
//! comes too late: in the loopback bench, 23 of 26,580 connections carried
//! 80 requests. It also has no cap on open connections, and a cap inside
//! its connector would leave behind, for every call served by a connection
//! given back, a connect attempt still waiting for a place. And it costs
//! 79.6k instructions per loopback request where the bare hyper loop costs
//! 64.6k and this pool's transport 67.8k (BENCHMARKS.md, "One bounded
//! transport").
//!
//! The links the pool holds are generic so that these rules are tested
//! without sockets; the transport's are hyper's HTTP/1.1 senders.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::time::Instant;

/// How often idle connections are looked at, to close those idle for the
/// idle timeout: 50 s + 2 s stays under the provider's 55 s.
pub(crate) const REAP_EVERY: Duration = Duration::from_secs(2);

/// A connection as the pool sees it.
pub(crate) trait Link: Send + 'static {
    /// Whether the connection can no longer carry a request.
    fn is_closed(&self) -> bool;
}

/// Where a connection goes: the scheme, and the authority (host and
/// port) as the request's URI gives it. Taken from each request, so it
/// is made without allocating (an `Authority` shares the URI's bytes).
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    pub(crate) https: bool,
    authority: http::uri::Authority,
}

/// The same bytes: the requests of one client spell each of its hosts the
/// same way, and a byte comparison costs a tenth of `Authority`'s, which
/// ignores case. Spelled two ways, a host would get two entries.
impl PartialEq for Origin {
    fn eq(&self, other: &Self) -> bool {
        self.https == other.https && self.authority.as_str() == other.authority.as_str()
    }
}

impl Eq for Origin {}

impl Origin {
    /// The origin of an `http` or `https` URI with an authority.
    pub(crate) fn of(uri: &http::Uri) -> Option<Self> {
        let https = match uri.scheme_str()? {
            "https" => true,
            "http" => false,
            _ => return None,
        };
        Some(Self {
            https,
            authority: uri.authority()?.clone(),
        })
    }

    /// The host, without the brackets of an IPv6 address.
    pub(crate) fn host(&self) -> &str {
        let host = self.authority.host();
        host.strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host)
    }

    pub(crate) fn port(&self) -> u16 {
        let default = if self.https { 443 } else { 80 };
        self.authority.port_u16().unwrap_or(default)
    }

    /// The `Host` header's value.
    pub(crate) fn authority(&self) -> &str {
        self.authority.as_str()
    }

    /// `scheme://host:port/`.
    pub(crate) fn uri(&self) -> http::Uri {
        let scheme = if self.https { "https" } else { "http" };
        let host = self.authority.host();
        format!("{scheme}://{host}:{}/", self.port())
            .parse()
            .expect("an origin is a valid URI")
    }
}

/// The caps of a pool.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Connections open or being opened, per host.
    pub(crate) max_open: usize,
    /// Idle connections kept, per host.
    pub(crate) max_idle: usize,
    /// Requests one connection carries.
    pub(crate) max_requests: u32,
    /// How long a connection may stay idle and still be reused.
    pub(crate) idle_timeout: Duration,
}

/// Connections per host, within [`Limits`]. Cheap to clone.
pub(crate) struct Pool<L: Link> {
    shared: Arc<Shared<L>>,
}

impl<L: Link> Clone for Pool<L> {
    fn clone(&self) -> Self {
        Self {
            shared: self.shared.clone(),
        }
    }
}

struct Shared<L: Link> {
    limits: Limits,
    /// One entry per origin ever used: a transport calls a few hosts (the
    /// base URLs of its client), so a scan finds one faster than hashing.
    hosts: Mutex<Vec<Host<L>>>,
    reaper: AtomicBool,
}

struct Host<L: Link> {
    origin: Origin,
    /// Most recently given back last.
    idle: Vec<Connection<L>>,
    /// Connections open or being opened (each has a [`Slot`]).
    open: usize,
    /// Calls waiting for a connection, first come first served.
    waiters: VecDeque<oneshot::Sender<Grant<L>>>,
}

impl<L: Link> Host<L> {
    fn new(origin: Origin) -> Self {
        Self {
            origin,
            idle: Vec::new(),
            open: 0,
            waiters: VecDeque::new(),
        }
    }

    /// The first waiter still waiting; those that gave up are dropped.
    fn next_waiter(&mut self) -> Option<oneshot::Sender<Grant<L>>> {
        while let Some(waiter) = self.waiters.pop_front() {
            if !waiter.is_closed() {
                return Some(waiter);
            }
        }
        None
    }
}

/// A place for one open connection to a host, within the cap. The task that
/// drives the connection holds it and drops it once the socket is closed,
/// which frees the place for the first waiting call: so the cap counts
/// sockets, not what the pool holds.
pub(crate) struct Slot<L: Link> {
    shared: Weak<Shared<L>>,
    origin: Origin,
}

/// A connection with what the pool knows of it.
pub(crate) struct Connection<L: Link> {
    /// The connection itself; dropping it closes the connection.
    pub(crate) link: L,
    origin: Origin,
    /// Requests it has carried.
    used: u32,
    /// Since when it is idle.
    idle_since: Instant,
}

/// What a call gets from the pool.
pub(crate) enum Grant<L: Link> {
    /// An idle connection, open when it was taken.
    Reuse(Connection<L>),
    /// Room to open a connection: hand it to the task driving the new
    /// connection, or drop it to give the room back.
    Open(Slot<L>),
}

/// What [`Pool::take`] found.
enum Take<L: Link> {
    Now(Grant<L>),
    Wait(oneshot::Receiver<Grant<L>>),
}

impl<L: Link> Pool<L> {
    pub(crate) fn new(limits: Limits) -> Self {
        Self {
            shared: Arc::new(Shared {
                limits,
                hosts: Mutex::default(),
                reaper: AtomicBool::new(false),
            }),
        }
    }

    pub(crate) fn limits(&self) -> Limits {
        self.shared.limits
    }

    /// An idle connection to `origin`, or room to open one, or (when every
    /// connection the cap allows is busy) the first of either to come
    /// back. Dropping the future leaves the queue.
    pub(crate) async fn checkout(&self, origin: &Origin) -> Grant<L> {
        loop {
            let waiting = match self.take(origin) {
                Take::Now(grant) => return grant,
                Take::Wait(waiting) => waiting,
            };
            match waiting.await {
                Ok(Grant::Reuse(connection)) => {
                    if connection.reusable(Instant::now(), &self.shared.limits) {
                        return Grant::Reuse(connection);
                    }
                    // Closed since it was given back: this call asks again.
                }
                Ok(grant) => return grant,
                // Not reached: waiters are only dropped with the pool.
                Err(_) => {}
            }
        }
    }

    /// What `origin` has for a call now, or a place in its queue.
    fn take(&self, origin: &Origin) -> Take<L> {
        let limits = &self.shared.limits;
        let now = Instant::now();
        // Connections found stale are dropped after the lock is released:
        // dropping one frees its place, which takes the lock.
        let mut stale = Vec::new();
        let mut hosts = self.shared.lock();
        let host = match hosts.iter().position(|host| host.origin == *origin) {
            Some(index) => &mut hosts[index],
            None => {
                hosts.push(Host::new(origin.clone()));
                hosts.last_mut().expect("pushed above")
            }
        };
        let take = loop {
            match host.idle.pop() {
                Some(connection) if connection.reusable(now, limits) => {
                    break Take::Now(Grant::Reuse(connection));
                }
                Some(connection) => stale.push(connection),
                None if host.open < limits.max_open => {
                    host.open += 1;
                    break Take::Now(Grant::Open(Slot {
                        shared: Arc::downgrade(&self.shared),
                        origin: origin.clone(),
                    }));
                }
                None => {
                    let (waiter, waiting) = oneshot::channel();
                    // Calls that gave up waiting leave from the front.
                    while host.waiters.front().is_some_and(|w| w.is_closed()) {
                        host.waiters.pop_front();
                    }
                    host.waiters.push_back(waiter);
                    break Take::Wait(waiting);
                }
            }
        };
        drop(hosts);
        drop(stale);
        take
    }

    /// Gives back a connection that has just carried a request: to the
    /// first waiting call, or to the idle list. It is closed instead once
    /// it has carried `max_requests`, or when the idle list is full.
    pub(crate) fn checkin(&self, mut connection: Connection<L>) {
        let limits = &self.shared.limits;
        connection.used += 1;
        if connection.used >= limits.max_requests || connection.link.is_closed() {
            return;
        }
        connection.idle_since = Instant::now();
        loop {
            let waiter = {
                let mut hosts = self.shared.lock();
                let Some(host) = find(&mut hosts, &connection.origin) else {
                    return;
                };
                match host.next_waiter() {
                    Some(waiter) => waiter,
                    None if host.idle.len() < limits.max_idle => {
                        host.idle.push(connection);
                        drop(hosts);
                        self.start_reaper();
                        return;
                    }
                    // Over the idle cap: closed once the lock is released.
                    None => break,
                }
            };
            match waiter.send(Grant::Reuse(connection)) {
                Ok(()) => return,
                // It stopped waiting just now: the next one, if any.
                Err(Grant::Reuse(back)) => connection = back,
                Err(Grant::Open(_)) => unreachable!("sent a connection"),
            }
        }
    }

    /// Starts the task that closes connections idle for too long, once.
    fn start_reaper(&self) {
        if !self.shared.reaper.swap(true, Ordering::AcqRel) {
            let every = REAP_EVERY.min(self.shared.limits.idle_timeout / 2);
            tokio::spawn(reap(Arc::downgrade(&self.shared), every));
        }
    }

    /// Open connections to `origin` (in use, idle or being opened), and
    /// calls waiting for one (tests).
    #[cfg(test)]
    fn counts(&self, origin: &Origin) -> (usize, usize, usize) {
        let mut hosts = self.shared.lock();
        find(&mut hosts, origin).map_or((0, 0, 0), |host| {
            let waiting = host.waiters.iter().filter(|w| !w.is_closed()).count();
            (host.open, host.idle.len(), waiting)
        })
    }
}

impl<L: Link> Shared<L> {
    fn lock(&self) -> MutexGuard<'_, Vec<Host<L>>> {
        self.hosts.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The entry of `origin`.
fn find<'a, L: Link>(hosts: &'a mut [Host<L>], origin: &Origin) -> Option<&'a mut Host<L>> {
    hosts.iter_mut().find(|host| host.origin == *origin)
}

impl<L: Link> Slot<L> {
    /// The host of this place.
    pub(crate) fn origin(&self) -> &Origin {
        &self.origin
    }
}

impl<L: Link> Drop for Slot<L> {
    /// Hands the place to the first waiting call, or frees it.
    fn drop(&mut self) {
        let Some(shared) = self.shared.upgrade() else {
            return;
        };
        let waiter = {
            let mut hosts = shared.lock();
            let Some(host) = find(&mut hosts, &self.origin) else {
                return;
            };
            match host.next_waiter() {
                Some(waiter) => waiter,
                None => {
                    host.open -= 1;
                    return;
                }
            }
        };
        let place = Slot {
            shared: self.shared.clone(),
            origin: self.origin.clone(),
        };
        // If that call has just stopped waiting, the place comes back here
        // and, dropped, goes to the next one.
        let _ = waiter.send(Grant::Open(place));
    }
}

impl<L: Link> Connection<L> {
    /// A connection just opened to `origin`.
    pub(crate) fn new(origin: Origin, link: L) -> Self {
        Self {
            link,
            origin,
            used: 0,
            idle_since: Instant::now(),
        }
    }

    /// Whether it may carry another request now.
    fn reusable(&self, now: Instant, limits: &Limits) -> bool {
        self.used < limits.max_requests
            && now.saturating_duration_since(self.idle_since) < limits.idle_timeout
            && !self.link.is_closed()
    }

    /// Requests it has carried.
    #[cfg(test)]
    fn used(&self) -> u32 {
        self.used
    }
}

/// Every `every`, closes the connections idle for the idle timeout (or
/// closed by the server), until the pool is gone.
async fn reap<L: Link>(shared: Weak<Shared<L>>, every: Duration) {
    loop {
        tokio::time::sleep(every).await;
        let Some(shared) = shared.upgrade() else {
            return;
        };
        let now = Instant::now();
        let mut stale = Vec::new();
        {
            let mut hosts = shared.lock();
            for host in hosts.iter_mut() {
                let (keep, drop): (Vec<_>, Vec<_>) = std::mem::take(&mut host.idle)
                    .into_iter()
                    .partition(|c| c.reusable(now, &shared.limits));
                host.idle = keep;
                stale.extend(drop);
            }
        }
        drop(stale);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    /// A connection that counts how many of its kind are alive, and holds
    /// its place as the task driving a real one does.
    struct Fake {
        closed: Arc<AtomicBool>,
        alive: Arc<AtomicUsize>,
        _slot: Slot<Fake>,
    }

    impl Link for Fake {
        fn is_closed(&self) -> bool {
            self.closed.load(Ordering::SeqCst)
        }
    }

    impl Drop for Fake {
        fn drop(&mut self) {
            self.alive.fetch_sub(1, Ordering::SeqCst);
        }
    }

    struct World {
        pool: Pool<Fake>,
        origin: Origin,
        alive: Arc<AtomicUsize>,
    }

    impl World {
        fn new(max_open: usize, max_idle: usize) -> Self {
            Self {
                pool: Pool::new(Limits {
                    max_open,
                    max_idle,
                    max_requests: 79,
                    idle_timeout: Duration::from_secs(50),
                }),
                origin: Origin::of(&"https://api.example:443/".parse().unwrap()).unwrap(),
                alive: Arc::default(),
            }
        }

        /// A connection: reused, or opened on the spot.
        async fn connection(&self) -> Connection<Fake> {
            let checkout = self.pool.checkout(&self.origin);
            match tokio::time::timeout(Duration::from_millis(10), checkout).await {
                Ok(Grant::Reuse(connection)) => connection,
                Ok(Grant::Open(slot)) => {
                    self.alive.fetch_add(1, Ordering::SeqCst);
                    let fake = Fake {
                        closed: Arc::default(),
                        alive: self.alive.clone(),
                        _slot: slot,
                    };
                    Connection::new(self.origin.clone(), fake)
                }
                Err(_) => panic!("no connection came free"),
            }
        }

        fn counts(&self) -> (usize, usize, usize) {
            self.pool.counts(&self.origin)
        }
    }

    #[test]
    fn origins_default_their_ports_and_unwrap_ipv6() {
        let origin = |uri: &str| Origin::of(&uri.parse().unwrap());
        let api = origin("https://api.rong-api.com/push.json").unwrap();
        assert!(api.https);
        assert_eq!((api.host(), api.port()), ("api.rong-api.com", 443));
        assert_eq!(api.authority(), "api.rong-api.com");
        assert_eq!(api.uri().to_string(), "https://api.rong-api.com:443/");
        let v6 = origin("http://[::1]:8080/x").unwrap();
        assert_eq!((v6.host(), v6.port()), ("::1", 8080));
        assert_eq!(v6.uri().to_string(), "http://[::1]:8080/");
        assert_eq!(origin("http://127.0.0.1/x").unwrap().port(), 80);
        assert_eq!(origin("ftp://example.com/x"), None);
        assert_eq!(origin("/x"), None);
        assert_eq!(origin("https://api.rong-api.com/other"), Some(api.clone()));
        assert_ne!(origin("http://api.rong-api.com/x"), Some(api.clone()));
        assert_ne!(origin("https://api.rong-api.com:8443/x"), Some(api));
    }

    #[tokio::test(start_paused = true)]
    async fn one_after_another_a_connection_carries_79_then_closes() {
        let world = World::new(4, 4);
        let mut opened = 0;
        for _ in 0..200 {
            let connection = world.connection().await;
            if connection.used() == 0 {
                opened += 1;
            }
            world.pool.checkin(connection);
        }
        // 79 + 79 + 42.
        assert_eq!(opened, 3);
        assert_eq!(world.alive.load(Ordering::SeqCst), 1);
        assert_eq!(world.counts(), (1, 1, 0));
    }

    #[tokio::test(start_paused = true)]
    async fn past_the_cap_calls_wait_in_turn_and_get_what_comes_back() {
        let world = World::new(2, 2);
        let a = world.connection().await;
        let b = world.connection().await;
        assert_eq!(world.counts(), (2, 0, 0));
        let first = tokio::spawn({
            let (pool, origin) = (world.pool.clone(), world.origin.clone());
            async move { pool.checkout(&origin).await }
        });
        tokio::task::yield_now().await;
        let second = tokio::spawn({
            let (pool, origin) = (world.pool.clone(), world.origin.clone());
            async move { pool.checkout(&origin).await }
        });
        tokio::task::yield_now().await;
        assert_eq!(world.counts(), (2, 0, 2));
        // A connection given back goes to the first waiter...
        world.pool.checkin(a);
        let Grant::Reuse(reused) = first.await.unwrap() else {
            panic!("expected the connection given back");
        };
        assert_eq!(reused.used(), 1);
        // ...and the place of a closed one to the second.
        drop(b);
        let Grant::Open(place) = second.await.unwrap() else {
            panic!("expected the place of the closed connection");
        };
        assert_eq!(world.counts(), (2, 0, 0), "never more than the cap");
        drop(place);
        drop(reused);
        assert_eq!(world.counts(), (0, 0, 0));
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_that_stops_waiting_leaves_the_queue() {
        let world = World::new(1, 1);
        let busy = world.connection().await;
        let checkout = world.pool.checkout(&world.origin);
        let waited = tokio::time::timeout(Duration::from_millis(300), checkout).await;
        assert!(waited.is_err(), "nothing came free");
        assert_eq!(world.counts(), (1, 0, 0));
        // Given back with nobody waiting, it is kept idle.
        world.pool.checkin(busy);
        assert_eq!(world.counts(), (1, 1, 0));
    }

    #[tokio::test(start_paused = true)]
    async fn beyond_the_idle_cap_connections_given_back_are_closed() {
        let world = World::new(8, 2);
        let mut held = Vec::new();
        for _ in 0..5 {
            held.push(world.connection().await);
        }
        assert_eq!(world.alive.load(Ordering::SeqCst), 5);
        for connection in held {
            world.pool.checkin(connection);
        }
        assert_eq!(world.counts(), (2, 2, 0));
        assert_eq!(world.alive.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn closed_and_expired_connections_are_not_reused() {
        let world = World::new(4, 4);
        let connection = world.connection().await;
        let closed = connection.link.closed.clone();
        world.pool.checkin(connection);
        closed.store(true, Ordering::SeqCst);
        let fresh = world.connection().await;
        assert_eq!(fresh.used(), 0, "the closed one was skipped");
        assert_eq!(world.alive.load(Ordering::SeqCst), 1);
        world.pool.checkin(fresh);

        tokio::time::advance(Duration::from_secs(50)).await;
        let after_idle = world.connection().await;
        assert_eq!(after_idle.used(), 0, "idle 50 s: not reused");
        assert_eq!(world.alive.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn the_reaper_closes_idle_connections_within_52_seconds() {
        let world = World::new(4, 4);
        let connection = world.connection().await;
        world.pool.checkin(connection);
        tokio::time::sleep(Duration::from_millis(49_900)).await;
        assert_eq!(world.alive.load(Ordering::SeqCst), 1);
        tokio::time::sleep(REAP_EVERY + Duration::from_millis(200)).await;
        assert_eq!(world.alive.load(Ordering::SeqCst), 0);
        assert_eq!(world.counts(), (0, 0, 0));
        const { assert!(super::super::POOL_IDLE_TIMEOUT.as_secs() + REAP_EVERY.as_secs() < 55) };
    }

    #[tokio::test(start_paused = true)]
    async fn the_pool_gone_closes_its_connections() {
        let world = World::new(4, 4);
        let idle = world.connection().await;
        let in_use = world.connection().await;
        world.pool.checkin(idle);
        let World { pool, alive, .. } = world;
        drop(pool);
        assert_eq!(alive.load(Ordering::SeqCst), 1, "only the one in use");
        drop(in_use);
        assert_eq!(alive.load(Ordering::SeqCst), 0);
    }
}
