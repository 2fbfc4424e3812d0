//! The `rongcloud` binary, run as a process against the emulator (itself a
//! process: see `support`).

mod campaign;
mod help;
mod send;
mod support;
mod users;
// The workspace's one helper that starts a real `redis-server` (skipping,
// or failing under RONGCLOUD_REQUIRE_REDIS=1, when it is not installed).
#[path = "../../../api-core/tests/support/redis_server.rs"]
mod redis_server;
