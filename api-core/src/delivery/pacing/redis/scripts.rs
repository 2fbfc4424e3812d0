//! The Lua scripts and their replies.
//!
//! Every script is sent by its hash (`EVALSHA`; redis-rs loads it once on
//! `NOSCRIPT`), with every key it touches in `KEYS[]`, all under one hash
//! tag. Times are microseconds on the Redis server's clock (`TIME`).
//!
//! - `reserve.lua`: KEYS epoch, meta, then per limit log and sum; ARGV the
//!   epoch the caller knows, an epoch to create if there is none, the
//!   reservation id, the longest accepted wait (-1: any), then per limit
//!   amount, window and weight.
//! - `restore.lua`: KEYS as reserve; ARGV an epoch to create, the entry
//!   count, per limit its window, per entry id, start and a weight per
//!   limit.
//! - `release.lua`: KEYS per limit log and sum; ARGV per limit the entry.
//! - `penalize.lua`: KEYS meta; ARGV the wait.

use std::time::Duration;

use redis::aio::ConnectionManager;
use redis::{RedisError, RedisResult, Script, Value};

use super::keys::{KeySpace, Limit, micros};
use super::shadow::Entry;
use crate::delivery::pacing::ReservationId;

/// The answer of `reserve.lua`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ReserveReply {
    /// Reserved from `start_us`, `wait_us` after the server's `now_us`.
    Granted {
        wait_us: u64,
        start_us: u64,
        now_us: u64,
    },
    /// Nothing reserved: the call would start `wait_us` from now, past the
    /// accepted wait; `limit` (0-based) binds longest.
    Denied {
        wait_us: u64,
        limit: Option<usize>,
        now_us: u64,
    },
    /// The dataset is not the one the caller knows: restore, ask again.
    Epoch(String),
    /// The weight exceeds this limit's (0-based) amount.
    TooHeavy { limit: usize },
}

/// The four scripts, hashed once.
pub(super) struct Scripts {
    reserve: Script,
    restore: Script,
    release: Script,
    penalize: Script,
}

impl Scripts {
    pub(super) fn new() -> Self {
        Self {
            reserve: Script::new(include_str!("reserve.lua")),
            restore: Script::new(include_str!("restore.lua")),
            release: Script::new(include_str!("release.lua")),
            penalize: Script::new(include_str!("penalize.lua")),
        }
    }

    /// Reserves `weight` under every limit of `quota`, or nothing.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn reserve(
        &self,
        conn: &mut ConnectionManager,
        keys: &KeySpace,
        quota: &str,
        limits: &[Limit],
        weight: usize,
        id: ReservationId,
        epoch: (&str, &str),
        max_wait: Option<Duration>,
    ) -> RedisResult<ReserveReply> {
        let mut call = self.reserve.prepare_invoke();
        call.key(keys.epoch()).key(keys.meta(quota));
        for limit in limits {
            call.key(&keys.limit(quota, limit)[..]);
        }
        let max_wait = max_wait.map_or(-1, |wait| i64::try_from(micros(wait)).unwrap_or(i64::MAX));
        call.arg(epoch.0)
            .arg(epoch.1)
            .arg(id.to_string())
            .arg(max_wait);
        for limit in limits {
            call.arg(limit.amount)
                .arg(limit.window_us)
                .arg(limit.weight(weight));
        }
        let reply: Vec<Value> = call.invoke_async(conn).await?;
        parse_reserve(&reply)
    }

    /// Writes back `entries` of `quota` (those still inside a window),
    /// each once; answers the dataset's epoch.
    pub(super) async fn restore(
        &self,
        conn: &mut ConnectionManager,
        keys: &KeySpace,
        quota: &str,
        limits: &[Limit],
        entries: &[Entry],
        new_epoch: &str,
    ) -> RedisResult<String> {
        let mut call = self.restore.prepare_invoke();
        call.key(keys.epoch()).key(keys.meta(quota));
        for limit in limits {
            call.key(&keys.limit(quota, limit)[..]);
        }
        call.arg(new_epoch).arg(entries.len());
        for limit in limits {
            call.arg(limit.window_us);
        }
        for entry in entries {
            call.arg(entry.id.to_string()).arg(entry.start_us);
            for limit in limits {
                call.arg(limit.weight(entry.weight));
            }
        }
        call.invoke_async(conn).await
    }

    /// Removes the entry of reservation `id`, of `weight`, from every
    /// limit of `quota`.
    pub(super) async fn release(
        &self,
        conn: &mut ConnectionManager,
        keys: &KeySpace,
        quota: &str,
        limits: &[Limit],
        id: ReservationId,
        weight: usize,
    ) -> RedisResult<u32> {
        let mut call = self.release.prepare_invoke();
        for limit in limits {
            call.key(&keys.limit(quota, limit)[..]);
            call.arg(member(id, limit.weight(weight)));
        }
        call.invoke_async(conn).await
    }

    /// Makes every call of `quota` wait `wait` from the server's now.
    pub(super) async fn penalize(
        &self,
        conn: &mut ConnectionManager,
        keys: &KeySpace,
        quota: &str,
        wait: Duration,
    ) -> RedisResult<u64> {
        self.penalize
            .key(keys.meta(quota))
            .arg(micros(wait))
            .invoke_async(conn)
            .await
    }
}

/// A log's entry for reservation `id` of `weight`.
pub(super) fn member(id: ReservationId, weight: u64) -> String {
    format!("{id}|{weight}")
}

fn parse_reserve(reply: &[Value]) -> RedisResult<ReserveReply> {
    let int = |i: usize| match reply.get(i) {
        Some(Value::Int(n)) => Ok(*n),
        other => Err(unexpected(format!("element {i}: {other:?}"))),
    };
    let unsigned = |i: usize| int(i).map(|n| u64::try_from(n).unwrap_or(0));
    let index = |n: u64| usize::try_from(n).ok().and_then(|n| n.checked_sub(1));
    match int(0)? {
        1 => Ok(ReserveReply::Granted {
            wait_us: unsigned(1)?,
            start_us: unsigned(2)?,
            now_us: unsigned(3)?,
        }),
        0 => Ok(ReserveReply::Denied {
            wait_us: unsigned(1)?,
            limit: index(unsigned(2)?),
            now_us: unsigned(3)?,
        }),
        2 => match reply.get(1) {
            Some(Value::BulkString(epoch)) => Ok(ReserveReply::Epoch(
                String::from_utf8_lossy(epoch).into_owned(),
            )),
            other => Err(unexpected(format!("epoch: {other:?}"))),
        },
        3 => Ok(ReserveReply::TooHeavy {
            limit: index(unsigned(1)?).unwrap_or(0),
        }),
        code => Err(unexpected(format!("code {code}"))),
    }
}

fn unexpected(what: String) -> RedisError {
    RedisError::from((
        redis::ErrorKind::Parse,
        "unexpected reply from reserve.lua",
        what,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_read_into_their_meaning() {
        let ints = |v: &[i64]| v.iter().map(|&n| Value::Int(n)).collect::<Vec<_>>();
        assert_eq!(
            parse_reserve(&ints(&[1, 5, 105, 100])).unwrap(),
            ReserveReply::Granted {
                wait_us: 5,
                start_us: 105,
                now_us: 100
            }
        );
        assert_eq!(
            parse_reserve(&ints(&[0, 7, 2, 100])).unwrap(),
            ReserveReply::Denied {
                wait_us: 7,
                limit: Some(1),
                now_us: 100
            }
        );
        assert_eq!(
            parse_reserve(&ints(&[0, 7, 0, 100])).unwrap(),
            ReserveReply::Denied {
                wait_us: 7,
                limit: None,
                now_us: 100
            }
        );
        assert_eq!(
            parse_reserve(&[Value::Int(2), Value::BulkString(b"e1".to_vec())]).unwrap(),
            ReserveReply::Epoch("e1".into())
        );
        assert_eq!(
            parse_reserve(&ints(&[3, 2])).unwrap(),
            ReserveReply::TooHeavy { limit: 1 }
        );
        assert!(parse_reserve(&ints(&[9])).is_err());
        assert!(parse_reserve(&ints(&[1, 5])).is_err());
    }

    #[test]
    fn a_member_names_its_reservation_and_weight() {
        assert_eq!(
            member(ReservationId::from_u64(0xab), 1000),
            "00000000000000ab|1000"
        );
    }
}
