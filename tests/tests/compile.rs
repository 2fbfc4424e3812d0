//! Compile tests of `#[endpoint]`, `#[derive(Validate)]` and
//! `#[derive(Setters)]`: every compile-time rule has a case under `ui/fail`
//! whose committed `.stderr` shows the exact message and the token it points
//! at; the cases under `ui/pass` must compile and run.
//!
//! The `.stderr` files depend on the compiler's wording: regenerate them with
//! `TRYBUILD=overwrite cargo test -p tests --test compile` after a toolchain
//! upgrade, and read the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/fail/*.rs");
    cases.pass("ui/pass/*.rs");
}
