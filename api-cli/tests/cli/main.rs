//! The `rongcloud` binary, run as a process against the emulator (itself a
//! process: see `support`).

mod campaign;
mod help;
mod send;
mod support;
mod users;
