//! `POST /user/getToken.json` and `POST /user/token/expire.json`.

use std::time::{SystemTime, UNIX_EPOCH};

use api_core::endpoint;
use serde::Deserialize;

/// Registers a user (or registers it again) and issues the token a client
/// app logs in with: every app's first call.
///
/// - Limits: `userId` 1 to 64 bytes of letters, digits and `+ = - _` (the
///   current page says letters and digits; the older v4 page also allows
///   `+ = - _`, which existing apps use); `name` 1 to 64 characters;
///   `portraitUri` at most 1024 bytes.
/// - Rate limit: 200 calls a second.
/// - Idempotent: registering again updates the name and portrait and issues
///   a new token; earlier tokens stay valid until
///   [`UserTokenExpire`](crate::UserTokenExpire) ends them. A repeat after a
///   lost answer is safe.
/// - Sources: D:user/register; `docs.rongcloud.cn/v4-platform/views/im/server/user/register.html`;
///   Go `sdk/user.go` `UserRegister`; Java `jsonsource/user/verify.json`
///   (API-BREADTH.md §2 row 1).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::UserRegister;
///
/// let answer = UserRegister::new("user1", "Alice 爱丽丝")
///     .portrait_uri("https://example.com/a.png")
///     .send(client)
///     .await?;
/// println!("log in with {}", answer.token);
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/user/getToken.json",
    encoding = "form",
    response = UserToken,
    idempotent,
    rate_limit(calls = 200, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRegister {
    /// The user (`userId`), chosen by the app.
    #[endpoint(non_empty, max_bytes = 64, chars = "A-Za-z0-9+=-_")]
    pub user_id: String,
    /// The name shown in push notifications (`name`).
    #[endpoint(non_empty, max_chars = 64)]
    pub name: String,
    /// The portrait shown in push notifications (`portraitUri`).
    #[endpoint(max_bytes = 1024)]
    pub portrait_uri: Option<String>,
}

impl UserRegister {
    /// Registers `user_id` under `name`, without a portrait.
    pub fn new(user_id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            name: name.into(),
            portrait_uri: None,
        }
    }
}

/// The answer of [`UserRegister`]: the token the user's client app logs in
/// with.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct UserToken {
    /// The user (`userId`).
    #[serde(rename = "userId")]
    pub user_id: String,
    /// The token (`token`, at most 256 bytes per the Python SDK). It is a
    /// credential of the user: hand it to that user's app only.
    pub token: String,
}

/// The token is a credential: Debug output shows only its length.
impl std::fmt::Debug for UserToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserToken")
            .field("user_id", &self.user_id)
            .field("token", &format_args!("<{} bytes>", self.token.len()))
            .finish()
    }
}

/// Ends the tokens issued to up to 20 users before a time: the users must
/// get a new token. Connections already open stay open until they reconnect.
///
/// - Limits: 1 to 20 users, each 1 to 64 bytes; `time` in milliseconds since
///   the Unix epoch.
/// - Rate limit: 100 calls a second.
/// - Idempotent: ending the same tokens again changes nothing.
/// - Sources: D:user/expire; Go `UserTokenExpire`; Java `user/verify.json`
///   `expire` (API-BREADTH.md §2 row 4).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::UserTokenExpire;
///
/// // Every token issued until now stops working.
/// UserTokenExpire::now(["user1", "user2"]).send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/user/token/expire.json",
    encoding = "form",
    max_recipients = 20,
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserTokenExpire {
    /// The users (`userId`, repeated), 1 to 20.
    #[endpoint(recipients, max_bytes = 64)]
    pub user_id: Vec<String>,
    /// Tokens issued before this time stop working (`time`, milliseconds
    /// since the Unix epoch).
    #[endpoint(min = 1)]
    pub time: u64,
}

impl UserTokenExpire {
    /// Ends the tokens of `user_ids` issued before `time_millis`.
    pub fn new<I, S>(user_ids: I, time_millis: u64) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            user_id: user_ids.into_iter().map(Into::into).collect(),
            time: time_millis,
        }
    }

    /// Ends the tokens of `user_ids` issued before `time`.
    pub fn before<I, S>(user_ids: I, time: SystemTime) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let millis = time.duration_since(UNIX_EPOCH).map_or(0, |since| {
            u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
        });
        Self::new(user_ids, millis)
    }

    /// Ends every token of `user_ids` issued until now (by this machine's
    /// clock).
    pub fn now<I, S>(user_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::before(user_ids, SystemTime::now())
    }
}

#[cfg(test)]
mod tests {
    use api_core::{Endpoint, Rule, Validate};

    use super::*;

    #[test]
    fn register_encodes_every_character_and_checks_the_id() {
        let request = UserRegister::new("u+1=a-b_c", "a&b=c+d% \"q\"\n中文 😀").portrait_uri("p");
        let body = request.encode_body().unwrap();
        let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
        assert_eq!(
            pairs,
            [
                ("userId".into(), "u+1=a-b_c".into()),
                ("name".into(), "a&b=c+d% \"q\"\n中文 😀".into()),
                ("portraitUri".into(), "p".into()),
            ]
        );
        let bad = UserRegister::new("a b", "n".repeat(65))
            .validate()
            .unwrap_err();
        assert!(matches!(
            bad.at("user_id").unwrap().rule(),
            Rule::Charset(_)
        ));
        assert_eq!(bad.at("name").unwrap().rule(), &Rule::MaxChars(64));
    }

    #[test]
    fn the_token_stays_out_of_debug_output() {
        let token: UserToken =
            serde_json::from_str(r#"{"code":200,"userId":"u1","token":"secret/token=="}"#).unwrap();
        assert_eq!(token.token, "secret/token==");
        let debug = format!("{token:?}");
        assert!(!debug.contains("secret"), "{debug}");
    }

    #[test]
    fn expire_sends_milliseconds_and_repeats_user_ids() {
        let at = UNIX_EPOCH + std::time::Duration::from_millis(1_700_000_000_123);
        let request = UserTokenExpire::before(["u1", "u2"], at);
        assert_eq!(
            request.encode_body().unwrap(),
            b"userId=u1&userId=u2&time=1700000000123"
        );
        const { assert!(UserTokenExpire::IDEMPOTENT) };
    }
}
