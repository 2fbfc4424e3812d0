//! `POST /user/block.json`, `POST /user/unblock.json` and
//! `POST /user/block/query.json`.

use api_core::endpoint;
use serde::Deserialize;

/// Bans up to 20 users from connecting for 1 to 43200 minutes (30 days;
/// there is no permanent ban). Banned users are disconnected at once.
///
/// - Limits: 1 to 20 users, each 1 to 64 bytes; `minute` 1 to 43200.
/// - Rate limit: 100 calls a second.
/// - Idempotent: banning again sets the same ban, ending `minute` minutes
///   after the server receives the repeat.
/// - Sources: D:user/block; Go `BlockAdd` (refuses more than 43200 minutes);
///   Py `Block.add`; Java `user/verify.json` `minute` (API-BREADTH.md §2 row 5).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::UserBlock;
///
/// UserBlock::new(["spammer1", "spammer2"], 60).send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/user/block.json",
    encoding = "form",
    max_recipients = 20,
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserBlock {
    /// The users (`userId`, repeated), 1 to 20.
    #[endpoint(recipients, max_bytes = 64)]
    pub user_id: Vec<String>,
    /// How long, in minutes (`minute`), 1 to 43200.
    #[endpoint(min = 1, max = 43200)]
    pub minute: u32,
}

impl UserBlock {
    /// Bans `user_ids` for `minutes`.
    pub fn new<I, S>(user_ids: I, minutes: u32) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            user_id: user_ids.into_iter().map(Into::into).collect(),
            minute: minutes,
        }
    }
}

/// Lifts the bans of up to 20 users.
///
/// - Limits: 1 to 20 users, each 1 to 64 bytes.
/// - Rate limit: 100 calls a second.
/// - Idempotent: unbanning a user who is not banned changes nothing.
/// - Sources: D:user/unblock; Go `BlockRemove` (API-BREADTH.md §2 row 6).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::UserUnblock;
///
/// UserUnblock::new(["spammer1"]).send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/user/unblock.json",
    encoding = "form",
    max_recipients = 20,
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserUnblock {
    /// The users (`userId`, repeated), 1 to 20.
    #[endpoint(recipients, max_bytes = 64)]
    pub user_id: Vec<String>,
}

impl UserUnblock {
    /// Unbans `user_ids`.
    pub fn new<I, S>(user_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            user_id: user_ids.into_iter().map(Into::into).collect(),
        }
    }
}

/// Lists the users whose ban is running, with its end.
///
/// - Parameters: none.
/// - Rate limit: 100 calls a second.
/// - Idempotent: a read.
/// - Sources: D:user/unblock; Go `BlockGetList` and its `User` struct
///   (API-BREADTH.md §2 row 6).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::UserBlockQuery;
///
/// for user in UserBlockQuery::new().send(client).await?.users {
///     println!("{} banned until {}", user.user_id, user.block_end_time);
/// }
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/user/block/query.json",
    encoding = "form",
    response = BlockedUsers,
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UserBlockQuery {}

impl UserBlockQuery {
    /// The query (it has no parameters).
    pub fn new() -> Self {
        Self {}
    }
}

/// The answer of [`UserBlockQuery`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BlockedUsers {
    /// The banned users (`users`).
    #[serde(default)]
    pub users: Vec<BlockedUser>,
}

/// One banned user.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BlockedUser {
    /// The user (`userId`).
    #[serde(rename = "userId")]
    pub user_id: String,
    /// When the ban ends (`blockEndTime`, as the server writes it:
    /// `"2015-01-11 01:28:20"`).
    #[serde(rename = "blockEndTime")]
    pub block_end_time: String,
}

#[cfg(test)]
mod tests {
    use api_core::{Endpoint, Rule, Validate};

    use super::*;

    #[test]
    fn block_checks_minutes_and_user_count() {
        assert_eq!(
            UserBlock::new(["a", "b"], 60).encode_body().unwrap(),
            b"userId=a&userId=b&minute=60"
        );
        let users: Vec<String> = (0..21).map(|i| format!("u{i}")).collect();
        let error = UserBlock::new(users, 43_201).validate().unwrap_err();
        assert_eq!(error.at("user_id[20]").unwrap().rule(), &Rule::MaxItems(20));
        assert!(matches!(
            error.at("minute").unwrap().rule(),
            Rule::Range { .. }
        ));
        assert!(UserBlock::new(["a"], 0).validate().is_err());
    }

    #[test]
    fn the_query_has_an_empty_body() {
        assert_eq!(UserBlockQuery::new().encode_body().unwrap(), b"");
        let answer: BlockedUsers = serde_json::from_str(
            r#"{"code":200,"users":[{"userId":"u1","blockEndTime":"2015-01-11 01:28:20"}]}"#,
        )
        .unwrap();
        assert_eq!(answer.users[0].block_end_time, "2015-01-11 01:28:20");
    }
}
