//! Compile tests of `#[endpoint]`, `#[derive(Validate)]` and
//! `#[derive(Setters)]`: every compile-time rule has a case under `ui/fail`
//! whose committed `.stderr` shows the exact message and the token it points
//! at; the cases under `ui/pass` must compile and run.

use std::sync::Mutex;

/// trybuild builds every case in one shared project directory, so the two
/// tests (run on parallel threads) take turns.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The `.stderr` files hold the compiler's own wording around our messages
/// (notes, help lines, how spans are drawn), which changes between
/// releases. They were written with **rustc 1.95.0**, so the compile-fail
/// cases run on 1.95 only, as thiserror gates its UI tests; on another
/// compiler they are reported as ignored rather than failing. After a
/// toolchain upgrade, regenerate them with
/// `TRYBUILD=overwrite cargo test -p tests --test compile`, read the diff,
/// and move this gate to the new version.
#[rustversion::attr(
    not(stable(1.95)),
    ignore = "the .stderr files were written with rustc 1.95"
)]
#[test]
fn ui_fail() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    trybuild::TestCases::new().compile_fail("ui/fail/*.rs");
}

/// Cases that must compile and run do not depend on the compiler's wording.
#[test]
fn ui_pass() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    trybuild::TestCases::new().pass("ui/pass/*.rs");
}
