//! Test helpers shared by the workspace-level tests.

pub mod gateway;
