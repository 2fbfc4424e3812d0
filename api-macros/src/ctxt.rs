//! The one error context of a macro invocation, as in serde_derive's
//! `internals/ctxt.rs`: every pass reports into it, so one compile shows
//! every mistake, each at its own token.

use std::cell::RefCell;
use std::fmt::Display;

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

/// Collects the errors of one expansion.
///
/// It must be consumed with [`Ctxt::check`]: a context dropped unchecked
/// would lose errors, so in debug builds (this crate's tests) that panics.
pub struct Ctxt {
    // `None` once checked.
    errors: RefCell<Option<Vec<syn::Error>>>,
}

impl Ctxt {
    pub fn new() -> Self {
        Self {
            errors: RefCell::new(Some(Vec::new())),
        }
    }

    /// An error at `span`.
    pub fn error(&self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// An error spanning all of `tokens` (a whole type, say), not only
    /// their first token.
    pub fn error_spanned_by(&self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// An error from syn (a syntax error).
    pub fn syn_error(&self, error: syn::Error) {
        self.push(error);
    }

    fn push(&self, error: syn::Error) {
        self.errors
            .borrow_mut()
            .as_mut()
            .expect("the context was already checked")
            .push(error);
    }

    /// Whether an error has been reported so far.
    pub fn has_errors(&self) -> bool {
        self.errors
            .borrow()
            .as_ref()
            .is_some_and(|errors| !errors.is_empty())
    }

    /// Consumes the context: `Ok` when nothing was reported, else every
    /// error as `compile_error!` invocations, in the order reported.
    pub fn check(self) -> Result<(), TokenStream> {
        let errors = self
            .errors
            .borrow_mut()
            .take()
            .expect("the context was already checked");
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.iter().map(syn::Error::to_compile_error).collect())
        }
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        if cfg!(debug_assertions) && !std::thread::panicking() && self.errors.borrow().is_some() {
            panic!("an error context was dropped without `Ctxt::check`: its errors would be lost");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_returns_every_error_in_order() {
        let cx = Ctxt::new();
        assert!(!cx.has_errors());
        cx.error(Span::call_site(), "first");
        cx.error(Span::call_site(), "second");
        assert!(cx.has_errors());
        let errors = cx.check().unwrap_err().to_string();
        let first = errors.find("first").unwrap();
        let second = errors.find("second").unwrap();
        assert!(first < second, "{errors}");
    }

    #[test]
    fn an_empty_context_checks_ok() {
        assert!(Ctxt::new().check().is_ok());
    }

    #[test]
    #[should_panic(expected = "without `Ctxt::check`")]
    fn dropping_an_unchecked_context_panics_in_debug_builds() {
        if !cfg!(debug_assertions) {
            panic!("without `Ctxt::check` (release build: the guard is off)");
        }
        drop(Ctxt::new());
    }
}
