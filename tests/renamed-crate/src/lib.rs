//! A user crate that depends on `api-core` under the name `rongcloud`
//! (`rongcloud = { package = "api-core", ... }` in its Cargo.toml). The
//! macros name the runtime `::api_core` by default; `crate = "rongcloud"`
//! tells them where it is. Nothing here can reach a crate named
//! `api_core` (it depends on `serde` too, for its own part type), so this
//! crate compiles only if every generated path goes
//! through the given one.
//!
//! ```
//! use renamed_crate::{BanUser, Ban};
//! use rongcloud::{Endpoint, Validate};
//!
//! let ban = BanUser::new(["u1", "u2"], Ban { minutes: 60 }).reason("spam");
//! assert!(ban.validate().is_ok());
//! assert_eq!(
//!     ban.encode_body().unwrap(),
//!     b"userId=u1&userId=u2&ban=%7B%22minutes%22%3A60%7D&reason=spam"
//! );
//! ```

#![warn(missing_docs)]

use rongcloud::{IntEnum, Setters, Validate, endpoint};

/// How long a ban lasts; checked by `#[derive(Validate)]`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Validate, Setters)]
#[validate(crate = "rongcloud")]
#[setters(crate = "rongcloud")]
pub struct Ban {
    /// 1 to 43200 minutes.
    #[validate(min = 1, max = 43200)]
    pub minutes: u32,
}

/// Why a user is banned, an integer on the wire (`#[derive(IntEnum)]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, IntEnum)]
#[int_enum(crate = "rongcloud")]
pub enum Reason {
    /// Spam.
    Spam = 1,
    /// Abuse.
    Abuse = 2,
}

/// Bans users (a hypothetical form endpoint with every kind of generated
/// code: validation, a JSON-string field, recipients for bulk sends,
/// setters, `send`).
#[endpoint(
    crate = "rongcloud",
    path = "/user/ban.json",
    encoding = "form",
    max_recipients = 20,
    rate_limit(recipients = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BanUser {
    /// The users (`userId`, repeated).
    #[endpoint(recipients)]
    pub user_id: Vec<String>,
    /// The ban, as a JSON string.
    #[endpoint(json, nested)]
    pub ban: Ban,
    /// Why.
    #[endpoint(max_chars = 10)]
    pub reason: Option<String>,
    /// Why, as a code.
    pub code: Option<Reason>,
}

impl BanUser {
    /// A ban of `user_id` with no reason.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(user_id: I, ban: Ban) -> Self {
        Self {
            user_id: user_id.into_iter().map(Into::into).collect(),
            ban,
            reason: None,
            code: None,
        }
    }
}

/// The same as a JSON endpoint (a generated `Serialize`).
#[endpoint(crate = "rongcloud", path = "/user/ban2.json", encoding = "json")]
#[derive(Debug, Clone)]
pub struct BanUserJson {
    /// The user.
    #[endpoint(non_empty)]
    pub user_id: String,
    /// Why.
    pub reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rongcloud::{Endpoint, Recipients, Validate};

    #[test]
    fn every_generated_impl_works_through_the_renamed_crate() {
        let ban = BanUser::new(["u1"], Ban { minutes: 0 }).reason("far too long");
        let error = ban.validate().unwrap_err();
        let found: Vec<String> = error.violations().iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "ban.minutes: between 1 and 43200 (got 0)",
                "reason: at most 10 characters (got 12)"
            ]
        );
        let coded = BanUser::new(["u1"], Ban { minutes: 5 }).code(Reason::Abuse);
        assert_eq!(
            coded.encode_body().unwrap(),
            b"userId=u1&ban=%7B%22minutes%22%3A5%7D&code=2"
        );
        let copy = ban.with_recipients(&["x".to_owned()]);
        assert_eq!(copy.user_id, ["x"]);
        assert_eq!(BanUser::MAX_RECIPIENTS, Some(20));
        assert_eq!(
            BanUser::RATE_LIMITS[0].to_string(),
            "100 recipients per second"
        );

        let json = BanUserJson {
            user_id: "u1".into(),
            reason: None,
        }
        .reason("r");
        assert_eq!(
            json.encode_body().unwrap(),
            br#"{"userId":"u1","reason":"r"}"#
        );
        let _send = BanUserJson::send;
    }
}
