//! Workspace-level tests live in `tests/`; this library only compiles the
//! Rust examples of the workspace README, so that the README cannot drift
//! from the code.

#![doc = include_str!("../../README.md")]
