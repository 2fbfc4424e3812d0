//! Test helpers that more than one crate of the workspace uses (a
//! dev-dependency only, never published):
//!
//! - [`RedisServer`]: a real `redis-server` per test on a free port, for
//!   `api-core`'s Redis quota store, the fleet test and `rongcloud`'s
//!   campaign through Redis; skipped (saying so) where it is not installed,
//!   failing instead under `RONGCLOUD_REQUIRE_REDIS=1`, as in CI.
//! - [`EmulatorProcess`]: `api-emulator`'s program as a process of its own,
//!   and its `/_emulator/` inspection routes read over HTTP, for the fleet
//!   test and `rongcloud`'s tests.
//!
//! It depends on none of the client crates, so that every one of them can
//! use it.

pub mod emulator_process;
pub mod redis_server;

pub use emulator_process::EmulatorProcess;
pub use redis_server::RedisServer;
