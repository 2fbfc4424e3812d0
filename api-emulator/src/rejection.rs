//! Error answers: the HTTP status and body `code` pairs from REFERENCE.md
//! ("Status codes"), with an `errorMessage` naming what was wrong.

use std::borrow::Cow;

/// Why a request is refused: sent back as `{"code":..,"errorMessage":".."}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rejection {
    pub status: u16,
    pub code: u32,
    pub message: Cow<'static, str>,
}

impl Rejection {
    fn new(status: u16, code: u32, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400 / 1002: a parameter is missing or invalid.
    pub fn invalid(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(400, 1002, message)
    }

    /// 400 / 1005: a parameter is too long.
    pub fn too_long(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(400, 1005, message)
    }

    /// 400 / 1003: no POST body.
    pub fn no_body() -> Self {
        Self::new(400, 1003, "the request has no POST body")
    }

    /// 401 / 1001: the App Key is not known.
    pub fn unknown_app_key() -> Self {
        Self::new(401, 1001, "App Key / App Secret mismatch: unknown App-Key")
    }

    /// 401 / 1004: the signature check failed.
    pub fn bad_signature(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(401, 1004, message)
    }

    /// 429 / 1008: rate limit exceeded.
    pub fn rate_limited(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(429, 1008, message)
    }

    /// 1502 "quantity exceeded", given for a ban duration outside 1..43200
    /// minutes (the Node SDK's `docs/errorcode.md`, PHP `api.json`;
    /// API-BREADTH.md §5a). No page gives its HTTP status: 400, as for the
    /// other parameter errors.
    pub fn quantity(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(400, 1502, message)
    }

    /// 430 / 1009: the service is not enabled for this App Key.
    pub fn not_enabled(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(430, 1009, message)
    }

    /// HTTP 405 "group capacity exceeded, call forbidden" (the provider's status
    /// code table; API-BREADTH.md §5a). No page gives the body code that comes
    /// with it, so the body code mirrors the status, as for 404 below.
    pub fn group_full(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(405, 405, message)
    }

    /// 1019 "sensitive-word count exceeded" (the Node SDK's error table). No page
    /// gives its HTTP status; 403 is the one the provider pairs with the similar
    /// 1016 "keep-alive chatroom count exceeded".
    pub fn word_quota(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(403, 1019, message)
    }

    /// 404: no such endpoint (the pages do not say what the real server answers;
    /// the body code mirrors the HTTP status so it cannot be mistaken for an API code).
    pub fn not_found(path: &str) -> Self {
        Self::new(404, 404, format!("no such endpoint: {path}"))
    }

    /// 405: every endpoint of the Server API is POST only.
    pub fn method_not_allowed(method: &str) -> Self {
        Self::new(405, 405, format!("method {method} not allowed: use POST"))
    }
}

/// Shorthand for the validation code: `Result<T, Rejection>`.
pub(crate) type Checked<T> = Result<T, Rejection>;
