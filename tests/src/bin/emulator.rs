//! The emulator as a process of its own, for tests that need one (the
//! fleet test runs several client processes against one emulator process).
//!
//! It is `api-emulator`'s program, flags and all: both binaries call
//! [`api_emulator::cli::main`]. It exists because Cargo gives a test the
//! path of a binary only from the test's own package
//! (`CARGO_BIN_EXE_<name>`), not from another package of the workspace.

fn main() -> std::process::ExitCode {
    api_emulator::cli::main()
}
