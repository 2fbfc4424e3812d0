//! `POST /user/refresh.json`, `POST /user/info.json` and
//! `POST /user/checkOnline.json`.

use std::borrow::Cow;

use api_core::{Actual, Report, Rule, endpoint};
use serde::{Deserialize, Deserializer};

/// Changes the name or portrait a registered user has in push notifications.
/// A field left `None` keeps its value.
///
/// - Limits: `userId` 1 to 64 bytes; `name` 1 to 64 characters;
///   `portraitUri` at most 1024 bytes; at least one of the two.
/// - Rate limit: 100 calls a second.
/// - Idempotent: the same values again change nothing.
/// - Sources: D:user/modify; Go `UserUpdate` (API-BREADTH.md §2 row 2).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::UserRefresh;
///
/// UserRefresh::new("user1").name("Alice").send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/user/refresh.json",
    encoding = "form",
    idempotent,
    rate_limit(calls = 100, per = second),
    check = Self::check
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRefresh {
    /// The user (`userId`).
    #[endpoint(non_empty, max_bytes = 64)]
    pub user_id: String,
    /// The new name (`name`); `None` keeps the current one.
    #[endpoint(non_empty, max_chars = 64)]
    pub name: Option<String>,
    /// The new portrait (`portraitUri`); `None` keeps the current one.
    #[endpoint(non_empty, max_bytes = 1024)]
    pub portrait_uri: Option<String>,
}

impl UserRefresh {
    /// A refresh of `user_id`; set `name` or `portrait_uri`.
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            name: None,
            portrait_uri: None,
        }
    }

    /// A call changing nothing is a mistake: the server would answer 200.
    fn check(&self, report: &mut Report) {
        if self.name.is_none() && self.portrait_uri.is_none() {
            report.field("name", |report| {
                report.violation(
                    Rule::Other(Cow::Borrowed("set `name` or `portrait_uri`")),
                    Actual::Missing,
                )
            });
        }
    }
}

/// Reads a registered user's name, portrait and registration time.
///
/// - Limits: `userId` 1 to 64 bytes.
/// - Rate limit: 100 calls a second.
/// - Idempotent: a read.
/// - Sources: D:user/get; Go `UserInfoGet` (API-BREADTH.md §2 row 3).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::UserInfo;
///
/// let info = UserInfo::new("user1").send(client).await?;
/// println!("{} since {}", info.user_name, info.create_time);
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/user/info.json",
    encoding = "form",
    response = UserInfoResponse,
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    /// The user (`userId`).
    #[endpoint(non_empty, max_bytes = 64)]
    pub user_id: String,
}

impl UserInfo {
    /// The profile of `user_id`.
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
        }
    }
}

/// The answer of [`UserInfo`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UserInfoResponse {
    /// The name (`userName`).
    #[serde(rename = "userName")]
    pub user_name: String,
    /// The portrait URL (`userPortrait`, empty when none was given).
    #[serde(rename = "userPortrait", default)]
    pub user_portrait: String,
    /// When the user was registered (`createTime`, as the server writes it:
    /// `"2016-05-24 10:38:19"`).
    #[serde(rename = "createTime")]
    pub create_time: String,
}

/// Asks whether a user is connected. The documentation advises against
/// calling it often: subscribe to the user online-status callback instead.
///
/// - Limits: `userId` 1 to 64 bytes.
/// - Rate limit: 100 calls a second.
/// - Idempotent: a read.
/// - Sources: D:user/check-online-status-by-user; Go `OnlineStatusCheck`
///   (API-BREADTH.md §2 row 7).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::{OnlineStatus, UserCheckOnline};
///
/// let answer = UserCheckOnline::new("user1").send(client).await?;
/// if answer.status == OnlineStatus::Online {
///     println!("connected");
/// }
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/user/checkOnline.json",
    encoding = "form",
    response = OnlineStatusResponse,
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserCheckOnline {
    /// The user (`userId`).
    #[endpoint(non_empty, max_bytes = 64)]
    pub user_id: String,
}

impl UserCheckOnline {
    /// The status of `user_id`.
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
        }
    }
}

/// The answer of [`UserCheckOnline`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct OnlineStatusResponse {
    /// The user's status (`status`).
    pub status: OnlineStatus,
}

/// Whether a user is connected: `status` `"1"` or `"0"` on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OnlineStatus {
    /// `"1"`: connected.
    Online,
    /// `"0"`: not connected.
    Offline,
}

impl<'de> Deserialize<'de> for OnlineStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The page types it as a string; a number is read the same way.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire<'a> {
            Text(Cow<'a, str>),
            Number(i64),
        }
        match Wire::deserialize(deserializer)? {
            Wire::Text(text) if text == "1" => Ok(Self::Online),
            Wire::Text(text) if text == "0" => Ok(Self::Offline),
            Wire::Number(1) => Ok(Self::Online),
            Wire::Number(0) => Ok(Self::Offline),
            Wire::Text(other) => Err(serde::de::Error::custom(format!(
                "status {other:?}: expected \"1\" or \"0\""
            ))),
            Wire::Number(other) => Err(serde::de::Error::custom(format!(
                "status {other}: expected 1 or 0"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use api_core::{Endpoint, Validate};

    use super::*;

    #[test]
    fn refresh_sends_only_what_changes_and_refuses_nothing_to_change() {
        let request = UserRefresh::new("u1").portrait_uri("https://e.com/p?a=1&b=2");
        assert_eq!(
            request.encode_body().unwrap(),
            b"userId=u1&portraitUri=https%3A%2F%2Fe.com%2Fp%3Fa%3D1%26b%3D2"
        );
        let error = UserRefresh::new("u1").validate().unwrap_err();
        assert_eq!(error.violations().len(), 1);
        assert_eq!(error.violations()[0].path(), "name");
        let empty = UserRefresh::new("u1").name("").validate().unwrap_err();
        assert_eq!(empty.at("name").unwrap().rule(), &Rule::Required);
    }

    #[test]
    fn online_status_reads_strings_and_numbers() {
        let read =
            |body: &str| serde_json::from_str::<OnlineStatusResponse>(body).map(|r| r.status);
        assert_eq!(
            read(r#"{"code":200,"status":"1"}"#).unwrap(),
            OnlineStatus::Online
        );
        assert_eq!(
            read(r#"{"code":200,"status":"0"}"#).unwrap(),
            OnlineStatus::Offline
        );
        assert_eq!(
            read(r#"{"code":200,"status":0}"#).unwrap(),
            OnlineStatus::Offline
        );
        assert!(read(r#"{"code":200,"status":"2"}"#).is_err());
    }
}
