//! An endpoint declared the way a user of the client would declare one the
//! library lacks: this crate depends on `api-core` alone (no `serde`, no
//! `api-endpoints`), which proves that `#[endpoint]`'s expansion reaches
//! everything it needs through `api_core`.
//!
//! ```
//! use api_core::{Endpoint, Validate};
//! use user_crate::BlockUser;
//!
//! let block = BlockUser::new("2191", 60);
//! assert!(block.validate().is_ok());
//! assert_eq!(block.encode_body().unwrap(), b"userId=2191&minute=60");
//! ```

#![warn(missing_docs)]

use api_core::endpoint;

/// The longest ban `/user/block.json` accepts, in minutes (30 days).
pub const MAX_BLOCK_MINUTES: u32 = 43_200;

/// Bans a user from connecting for `minute` minutes:
/// `POST /user/block.json` (a hypothetical declaration, for the test).
///
/// - Limits: `userId` not empty; `minute` from 1 to 43200 (30 days).
/// - Rate limit: 100 calls a second.
/// - Idempotent: banning again sets the same ban again, so the client may
///   repeat the call after a failure that may have reached the server.
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use user_crate::BlockUser;
///
/// BlockUser::new("2191", 60).send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/user/block.json",
    encoding = "form",
    idempotent,
    response = api_core::CodeOnly,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockUser {
    /// The user to ban (`userId`).
    #[endpoint(non_empty)]
    pub user_id: String,
    /// How long the ban lasts, in minutes (`minute`): 1 to 43200.
    #[endpoint(min = 1, max = 43200)]
    pub minute: u32,
}

impl BlockUser {
    /// Bans `user_id` for `minute` minutes.
    pub fn new(user_id: impl Into<String>, minute: u32) -> Self {
        Self {
            user_id: user_id.into(),
            minute,
        }
    }
}
