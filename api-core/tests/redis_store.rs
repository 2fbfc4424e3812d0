//! `RedisQuotaStore` against a real `redis-server` started by each test
//! (skipped, saying so, when it is not installed; failing instead with
//! `RONGCLOUD_REQUIRE_REDIS=1`, as in CI).
//!
//! Decisions (several limits at once, weights, concurrency across
//! connections, idempotent ids, release, penalties seen by another
//! process, expiry) and faults: the server killed (`kill -9`), paused
//! (`SIGSTOP`), restarted empty, under each failure policy, and the return
//! to Redis.

use std::time::{Duration, Instant};

use api_core::{
    FailurePolicy, QuotaStore, QuotaStoreError, RateLimit, RedisQuotaStore, RedisQuotaStoreBuilder,
    Reservation, ReservationId, ReserveRequest,
};
use redis::AsyncCommands;
use test_support::RedisServer;

const PUSH: &str = "/push.json";
const PRIVATE: &str = "/message/private/publish.json";
const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);
const DAY: Duration = Duration::from_secs(86_400);
const PUSH_LIMITS: [RateLimit; 2] = [RateLimit::calls(2, HOUR), RateLimit::calls(3, DAY)];
const PRIVATE_LIMITS: [RateLimit; 1] = [RateLimit::recipients(6000, MINUTE)];

/// A fresh App Key per test: its keys share nothing with other tests'.
fn app_key() -> String {
    format!("test-{:016x}", rand_u64())
}

fn rand_u64() -> u64 {
    ReservationId::new().get()
}

fn builder(redis: &RedisServer, app_key: &str) -> RedisQuotaStoreBuilder {
    RedisQuotaStore::builder(redis.url(), app_key)
        .fleet_size(3)
        .retry_interval(Duration::from_millis(200))
}

fn store(redis: &RedisServer, app_key: &str) -> RedisQuotaStore {
    builder(redis, app_key).build().unwrap()
}

async fn reserve_id(
    store: &RedisQuotaStore,
    quota: &str,
    limits: &[RateLimit],
    weight: usize,
    id: ReservationId,
    max_wait: Option<Duration>,
) -> Result<Reservation, QuotaStoreError> {
    let request = ReserveRequest::new(quota, limits, weight, id, Duration::ZERO, max_wait);
    store.reserve(&request).await
}

/// Reserves with a new id, accepting no wait.
async fn reserve_now(
    store: &RedisQuotaStore,
    quota: &str,
    limits: &[RateLimit],
    weight: usize,
) -> Result<Reservation, QuotaStoreError> {
    reserve_id(
        store,
        quota,
        limits,
        weight,
        ReservationId::new(),
        Some(Duration::ZERO),
    )
    .await
}

fn granted_now(answer: Result<Reservation, QuotaStoreError>) -> bool {
    match answer.expect("the store decides") {
        Reservation::Granted { wait } => {
            assert_eq!(
                wait,
                Duration::ZERO,
                "a call that accepts no wait gets none"
            );
            true
        }
        Reservation::Denied { .. } => false,
    }
}

fn denied(answer: Result<Reservation, QuotaStoreError>) -> (Duration, Option<RateLimit>) {
    match answer.expect("the store decides") {
        Reservation::Denied { wait, limit } => (wait, limit),
        granted => panic!("expected a denial, got {granted:?}"),
    }
}

async fn connection(redis: &RedisServer) -> redis::aio::MultiplexedConnection {
    redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

fn log_key(app_key: &str, quota: &str, window_ms: u128, unit: &str) -> String {
    format!("rl:{{{app_key}}}:{quota}:{window_ms}ms:{unit}:log")
}

fn sum_key(app_key: &str, quota: &str, window_ms: u128, unit: &str) -> String {
    format!("rl:{{{app_key}}}:{quota}:{window_ms}ms:{unit}:sum")
}

fn assert_close(actual: Duration, expected: Duration, tolerance: Duration) {
    let diff = actual.abs_diff(expected);
    assert!(
        diff <= tolerance,
        "{actual:?} is not within {tolerance:?} of {expected:?}"
    );
}

#[tokio::test]
async fn two_an_hour_and_three_a_day_are_decided_together() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let key = app_key();
    let store = store(&redis, &key);
    assert!(granted_now(
        reserve_now(&store, PUSH, &PUSH_LIMITS, 1).await
    ));
    assert!(granted_now(
        reserve_now(&store, PUSH, &PUSH_LIMITS, 1).await
    ));
    // The third push of the hour: an hour's wait, named by its limit.
    let (wait, limit) = denied(reserve_now(&store, PUSH, &PUSH_LIMITS, 1).await);
    assert_close(wait, HOUR, Duration::from_secs(2));
    assert_eq!(limit, Some(PUSH_LIMITS[0]));
    // Denied: nothing was written to either log.
    let mut conn = connection(&redis).await;
    for window in [HOUR, DAY] {
        let log = log_key(&key, PUSH, window.as_millis(), "calls");
        let n: u64 = conn.zcard(&log).await.unwrap();
        assert_eq!(n, 2, "{log}");
        let sum: u64 = conn
            .get(sum_key(&key, PUSH, window.as_millis(), "calls"))
            .await
            .unwrap();
        assert_eq!(sum, 2);
    }
    let (wait, _) = denied(reserve_now(&store, PUSH, &PUSH_LIMITS, 1).await);
    assert_close(wait, HOUR, Duration::from_secs(2));
}

#[tokio::test]
async fn a_call_fits_only_when_every_limit_has_room_and_denials_write_nothing() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let key = app_key();
    let store = store(&redis, &key);
    // 2 per 500 ms and 3 per 2 s: the push limits on a short clock.
    let short = Duration::from_millis(500);
    let long = Duration::from_secs(2);
    let limits = [RateLimit::calls(2, short), RateLimit::calls(3, long)];
    let quota = "scaled-push";
    let started = Instant::now();
    assert!(granted_now(reserve_now(&store, quota, &limits, 1).await));
    assert!(granted_now(reserve_now(&store, quota, &limits, 1).await));
    let (wait, limit) = denied(reserve_now(&store, quota, &limits, 1).await);
    assert_eq!(limit, Some(limits[0]));
    tokio::time::sleep(wait).await;
    assert!(granted_now(reserve_now(&store, quota, &limits, 1).await));
    // The short window holds one (the first two have left it), the long
    // one three: the long limit binds, and the short log is left as it
    // was.
    let (wait, limit) = denied(reserve_now(&store, quota, &limits, 1).await);
    assert_eq!(limit, Some(limits[1]));
    let elapsed = started.elapsed();
    assert_close(wait, long - elapsed, Duration::from_millis(150));
    let mut conn = connection(&redis).await;
    let short_log: Vec<String> = conn
        .zrange(log_key(&key, quota, 500, "calls"), 0, -1)
        .await
        .unwrap();
    let long_log: Vec<String> = conn
        .zrange(log_key(&key, quota, 2000, "calls"), 0, -1)
        .await
        .unwrap();
    assert_eq!(long_log.len(), 3, "{long_log:?}");
    // The denied fourth wrote nothing: the short log holds the third and
    // at most the second (the first has left it), all granted ones.
    assert!(
        short_log.iter().all(|m| long_log.contains(m)),
        "{short_log:?}"
    );
    assert_eq!(short_log.last(), long_log.last());
    assert!(!short_log.contains(&long_log[0]));
}

#[tokio::test]
async fn recipients_are_weighed_and_an_impossible_weight_is_an_error() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let key = app_key();
    let store = store(&redis, &key);
    for i in 0..6 {
        assert!(
            granted_now(reserve_now(&store, PRIVATE, &PRIVATE_LIMITS, 1000).await),
            "call {i}"
        );
    }
    let (wait, limit) = denied(reserve_now(&store, PRIVATE, &PRIVATE_LIMITS, 1000).await);
    assert_close(wait, MINUTE, Duration::from_secs(2));
    assert_eq!(limit, Some(PRIVATE_LIMITS[0]));
    // The smallest call does not fit either.
    denied(reserve_now(&store, PRIVATE, &PRIVATE_LIMITS, 1).await);

    let error = reserve_now(&store, PRIVATE, &PRIVATE_LIMITS, 7000)
        .await
        .unwrap_err();
    assert!(error.message().contains("7000"), "{error}");
    assert!(error.message().contains("split"), "{error}");
    let sum: u64 = connection(&redis)
        .await
        .get(sum_key(&key, PRIVATE, 60_000, "recipients"))
        .await
        .unwrap();
    assert_eq!(sum, 6000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_reservations_from_many_connections_get_exactly_the_quota() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let key = app_key();
    // Eight stores (eight connections, as eight processes would have),
    // ten concurrent calls of 1000 each.
    let stores: Vec<_> = (0..8)
        .map(|_| std::sync::Arc::new(store(&redis, &key)))
        .collect();
    let mut calls = tokio::task::JoinSet::new();
    for store in &stores {
        for _ in 0..10 {
            let store = store.clone();
            calls.spawn(async move {
                granted_now(reserve_now(&store, PRIVATE, &PRIVATE_LIMITS, 1000).await)
            });
        }
    }
    let mut granted = 0;
    while let Some(result) = calls.join_next().await {
        granted += usize::from(result.unwrap());
    }
    assert_eq!(granted, 6);
    let mut conn = connection(&redis).await;
    let sum: u64 = conn
        .get(sum_key(&key, PRIVATE, 60_000, "recipients"))
        .await
        .unwrap();
    let entries: u64 = conn
        .zcard(log_key(&key, PRIVATE, 60_000, "recipients"))
        .await
        .unwrap();
    assert_eq!((sum, entries), (6000, 6));
}

#[tokio::test]
async fn calls_that_accept_a_wait_queue_in_order() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let store = store(&redis, &app_key());
    let window = Duration::from_secs(1);
    let limits = [RateLimit::recipients(100, window)];
    let mut waits = Vec::new();
    for weight in [60, 40, 100, 1] {
        match reserve_id(&store, "q", &limits, weight, ReservationId::new(), None).await {
            Ok(Reservation::Granted { wait }) => waits.push(wait),
            other => panic!("{other:?}"),
        }
    }
    // 60 + 40 now; 100 once both have left (a window later); the call of
    // 1 queues behind it rather than overtaking it, and waits a window
    // more.
    assert!(waits[0] < Duration::from_millis(50) && waits[1] < Duration::from_millis(50));
    assert_close(waits[2], window, Duration::from_millis(100));
    assert_close(waits[3], 2 * window, Duration::from_millis(100));
}

#[tokio::test]
async fn a_retried_reservation_id_is_charged_once() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let key = app_key();
    let store = store(&redis, &key);
    let limits = [RateLimit::recipients(100, MINUTE)];
    let id = ReservationId::new();
    for _ in 0..3 {
        assert!(granted_now(
            reserve_id(&store, "q", &limits, 60, id, Some(Duration::ZERO)).await
        ));
    }
    let sum: u64 = connection(&redis)
        .await
        .get(sum_key(&key, "q", 60_000, "recipients"))
        .await
        .unwrap();
    assert_eq!(sum, 60);
    // Another process retrying the same id (its first answer was lost)
    // is granted too, and still nothing more is counted.
    let other = self::store(&redis, &key);
    assert!(granted_now(
        reserve_id(&other, "q", &limits, 60, id, Some(Duration::ZERO)).await
    ));
    denied(reserve_now(&store, "q", &limits, 41).await);
    assert!(granted_now(reserve_now(&store, "q", &limits, 40).await));
}

#[tokio::test]
async fn a_released_reservation_gives_its_room_back_to_the_fleet() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let key = app_key();
    let (a, b) = (store(&redis, &key), store(&redis, &key));
    let limits = [RateLimit::calls(1, MINUTE)];
    let id = ReservationId::new();
    assert!(granted_now(
        reserve_id(&a, "q", &limits, 1, id, Some(Duration::ZERO)).await
    ));
    denied(reserve_now(&b, "q", &limits, 1).await);
    // The call never left process a: its turn is given back at once.
    a.release("q", id).await;
    a.release("q", ReservationId::new()).await; // unknown: ignored
    assert!(granted_now(reserve_now(&b, "q", &limits, 1).await));
    denied(reserve_now(&a, "q", &limits, 1).await);
}

#[tokio::test]
async fn a_penalty_in_one_process_makes_another_wait() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let key = app_key();
    let (a, b) = (store(&redis, &key), store(&redis, &key));
    a.penalize(PRIVATE, Duration::from_secs(2), Duration::ZERO)
        .await;
    // Process b has room under the limit, but the quota is blocked.
    let (wait, _) = denied(reserve_now(&b, PRIVATE, &PRIVATE_LIMITS, 10).await);
    assert_close(wait, Duration::from_secs(2), Duration::from_millis(200));
    match reserve_id(&b, PRIVATE, &PRIVATE_LIMITS, 10, ReservationId::new(), None).await {
        Ok(Reservation::Granted { wait }) => {
            assert_close(wait, Duration::from_secs(2), Duration::from_millis(200))
        }
        other => panic!("{other:?}"),
    }
    // Quotas without limits (pacing off) honour penalties too.
    let (wait, limit) = denied(reserve_now(&b, PRIVATE, &[], 10).await);
    assert!(wait > Duration::from_secs(1) && limit.is_none(), "{wait:?}");
    // Another quota is not blocked.
    assert!(granted_now(reserve_now(&b, PUSH, &PUSH_LIMITS, 1).await));
}

#[tokio::test]
async fn every_key_expires_when_it_no_longer_matters() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let key = app_key();
    let store = store(&redis, &key);
    let limits = [RateLimit::calls(5, Duration::from_millis(300))];
    store
        .penalize("q", Duration::from_millis(100), Duration::ZERO)
        .await;
    match reserve_id(&store, "q", &limits, 1, ReservationId::new(), None).await {
        Ok(Reservation::Granted { .. }) => {}
        other => panic!("{other:?}"),
    }
    let mut conn = connection(&redis).await;
    let keys = [
        log_key(&key, "q", 300, "calls"),
        sum_key(&key, "q", 300, "calls"),
        format!("rl:{{{key}}}:q:meta"),
    ];
    for k in &keys {
        let ttl: i64 = conn.pttl(k).await.unwrap();
        assert!(ttl > 0 && ttl <= 400, "{k}: {ttl} ms");
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    for k in &keys {
        let exists: bool = conn.exists(k).await.unwrap();
        assert!(!exists, "{k}");
    }
    // Only the App Key's epoch stays.
    let pattern = format!("rl:{{{key}}}:*");
    let left: Vec<String> = conn.keys(&pattern).await.unwrap();
    assert_eq!(left, [format!("rl:{{{key}}}:epoch")]);
}

// Faults.

#[tokio::test]
async fn a_killed_redis_fails_push_closed_at_once_and_is_used_again_when_back() {
    let Some(mut redis) = RedisServer::start() else {
        return;
    };
    let key = app_key();
    let store = store(&redis, &key);
    assert!(granted_now(
        reserve_now(&store, PUSH, &PUSH_LIMITS, 1).await
    ));
    redis.kill();
    let started = Instant::now();
    let error = reserve_now(&store, PUSH, &PUSH_LIMITS, 1)
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    assert!(error.message().contains("fail closed"), "{error}");
    assert!(!store.is_reachable());
    // Within the retry interval, calls fail at once without asking.
    let started = Instant::now();
    reserve_now(&store, PUSH, &PUSH_LIMITS, 1)
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(20));

    // Back, but empty: the first reservation writes back this process's
    // push, so the hour still allows only one more.
    redis.restart();
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert!(granted_now(
        reserve_now(&store, PUSH, &PUSH_LIMITS, 1).await
    ));
    assert!(store.is_reachable());
    let (wait, _) = denied(reserve_now(&store, PUSH, &PUSH_LIMITS, 1).await);
    assert_close(wait, HOUR, Duration::from_secs(2));
}

#[tokio::test]
async fn a_paused_redis_times_out_and_per_minute_quotas_pace_at_the_fleet_share() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let key = app_key();
    let store = builder(&redis, &key)
        .response_timeout(Duration::from_millis(300))
        .connect_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    // 1000 of the minute's 6000 went through Redis.
    assert!(granted_now(
        reserve_now(&store, PRIVATE, &PRIVATE_LIMITS, 1000).await
    ));
    redis.pause();
    let started = Instant::now();
    // The fleet of 3 has 2000 each; this process used 1000 of its share.
    assert!(granted_now(
        reserve_now(&store, PRIVATE, &PRIVATE_LIMITS, 600).await
    ));
    let noticed = started.elapsed();
    assert!(
        noticed >= Duration::from_millis(250) && noticed < Duration::from_millis(1000),
        "the pause was noticed after {noticed:?}"
    );
    assert!(!store.is_reachable());
    assert!(granted_now(
        reserve_now(&store, PRIVATE, &PRIVATE_LIMITS, 400).await
    ));
    let (wait, limit) = denied(reserve_now(&store, PRIVATE, &PRIVATE_LIMITS, 1).await);
    assert_close(wait, MINUTE, Duration::from_secs(2));
    assert_eq!(limit, Some(RateLimit::recipients(2000, MINUTE)));
    // Push fails closed meanwhile, without waiting for Redis.
    let started = Instant::now();
    reserve_now(&store, PUSH, &PUSH_LIMITS, 1)
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(20));

    redis.resume();
    tokio::time::sleep(Duration::from_millis(250)).await;
    // Back on Redis, which learns what the fallback granted: 1000 + 600 +
    // 400 of the 6000, whatever the other processes of the fleet do.
    assert!(granted_now(
        reserve_now(&store, PRIVATE, &PRIVATE_LIMITS, 4000).await
    ));
    assert!(store.is_reachable());
    let sum: u64 = connection(&redis)
        .await
        .get(sum_key(&key, PRIVATE, 60_000, "recipients"))
        .await
        .unwrap();
    assert_eq!(sum, 6000);
    denied(reserve_now(&store, PRIVATE, &PRIVATE_LIMITS, 1).await);
}

#[tokio::test]
async fn fail_open_paces_each_process_at_the_whole_quota() {
    let Some(mut redis) = RedisServer::start() else {
        return;
    };
    let store = builder(&redis, &app_key())
        .policy(PUSH, FailurePolicy::FailOpen)
        .policy(PRIVATE, FailurePolicy::FailClosed)
        .build()
        .unwrap();
    redis.kill();
    assert!(granted_now(
        reserve_now(&store, PUSH, &PUSH_LIMITS, 1).await
    ));
    assert!(granted_now(
        reserve_now(&store, PUSH, &PUSH_LIMITS, 1).await
    ));
    let (wait, _) = denied(reserve_now(&store, PUSH, &PUSH_LIMITS, 1).await);
    assert_close(wait, HOUR, Duration::from_secs(2));
    // The per-minute quota was configured to fail closed.
    let error = reserve_now(&store, PRIVATE, &PRIVATE_LIMITS, 1)
        .await
        .unwrap_err();
    assert!(error.message().contains(PRIVATE), "{error}");
    assert!(!error.message().contains("hunter2"));
}

#[tokio::test]
async fn a_redis_that_restarted_empty_gets_every_live_process_reservations_back() {
    let Some(mut redis) = RedisServer::start() else {
        return;
    };
    let key = app_key();
    let (a, b) = (store(&redis, &key), store(&redis, &key));
    let limits = [RateLimit::calls(3, DAY)];
    assert!(granted_now(reserve_now(&a, PUSH, &limits, 1).await));
    assert!(granted_now(reserve_now(&b, PUSH, &limits, 1).await));
    redis.restart();
    // a notices the lost connection, reconnects and finds a new dataset:
    // it writes back its push, then reserves the third.
    assert!(granted_now(reserve_now(&a, PUSH, &limits, 1).await));
    // b writes back its own before asking: the day is full.
    let (wait, _) = denied(reserve_now(&b, PUSH, &limits, 1).await);
    assert_close(wait, DAY, Duration::from_secs(2));
    let sum: u64 = connection(&redis)
        .await
        .get(sum_key(&key, PUSH, DAY.as_millis(), "calls"))
        .await
        .unwrap();
    assert_eq!(sum, 3);
}

#[tokio::test]
async fn a_store_built_while_redis_is_down_follows_its_policies_then_joins() {
    let Some(mut redis) = RedisServer::start() else {
        return;
    };
    let key = app_key();
    redis.kill();
    let store = store(&redis, &key);
    let limits = [RateLimit::calls(3, Duration::from_secs(1))];
    // 3 a second for a fleet of 3: one each.
    assert!(granted_now(reserve_now(&store, "q", &limits, 1).await));
    denied(reserve_now(&store, "q", &limits, 1).await);
    redis.restart();
    tokio::time::sleep(Duration::from_millis(250)).await;
    // Back on Redis: the fallback's call is counted there too.
    assert!(granted_now(reserve_now(&store, "q", &limits, 1).await));
    assert!(granted_now(reserve_now(&store, "q", &limits, 1).await));
    denied(reserve_now(&store, "q", &limits, 1).await);
    assert!(store.is_reachable());
}

#[test]
fn a_store_needs_a_redis_url_an_app_key_and_the_fleet_size() {
    let error = |b: RedisQuotaStoreBuilder| b.build().unwrap_err().to_string();
    let missing = error(RedisQuotaStore::builder("redis://127.0.0.1:1", "k"));
    assert!(missing.contains("fleet size"), "{missing}");
    let http = error(RedisQuotaStore::builder("http://127.0.0.1:1", "k").fleet_size(2));
    assert!(http.contains("redis://"), "{http}");
    let tls = error(RedisQuotaStore::builder("rediss://:hunter2@h:1", "k").fleet_size(2));
    assert!(tls.contains("TLS") && !tls.contains("hunter2"), "{tls}");
    let no_key = error(RedisQuotaStore::builder("redis://127.0.0.1:1", "").fleet_size(2));
    assert!(no_key.contains("App Key"), "{no_key}");
    let zero = error(RedisQuotaStore::builder("redis://127.0.0.1:1", "k").fleet_size(0));
    assert!(zero.contains("at least 1"), "{zero}");
    let store = RedisQuotaStore::builder("redis://:hunter2@127.0.0.1:1", "k")
        .fleet_size(4)
        .policy("/x.json", FailurePolicy::FailOpen)
        .build()
        .unwrap();
    assert!(!format!("{store:?}").contains("hunter2"));
    assert_eq!(
        store.policy_for("/x.json", &PRIVATE_LIMITS),
        FailurePolicy::FailOpen
    );
    assert_eq!(
        store.policy_for(PUSH, &PUSH_LIMITS),
        FailurePolicy::FailClosed
    );
    assert_eq!(
        store.policy_for(PRIVATE, &PRIVATE_LIMITS),
        FailurePolicy::LocalFallback { fleet_size: 4 }
    );
}
