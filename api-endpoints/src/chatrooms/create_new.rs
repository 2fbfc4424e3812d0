//! `POST /chatroom/create_new.json` (D:chatroom/create).

use std::borrow::Cow;
use std::collections::BTreeMap;

use api_core::{Actual, IntEnum, Report, Rule, endpoint};

/// The shortest `destroyTime`, in minutes (D:chatroom/create).
pub const MIN_DESTROY_MINUTES: i32 = 60;
/// The longest `destroyTime`, in minutes: 7 days (D:chatroom/create).
pub const MAX_DESTROY_MINUTES: i32 = 10_080;

/// When a chatroom is destroyed (`destroyType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, IntEnum)]
pub enum DestroyType {
    /// After `destroyTime` minutes without activity (`0`, the default).
    WhenInactive = 0,
    /// `destroyTime` minutes after its creation (`1`).
    FixedTime = 1,
}

/// Creates one chatroom with its destruction rule, muting and attributes.
///
/// - Limits: `chatroomId` 1 to 64 bytes; `destroyTime` 60 to 10080 minutes
///   (default 60); at most 20 `whiteUserIds`, each 1 to 64 bytes;
///   `entryInfo` only with `entryOwnerId`, who owns the attributes.
/// - Rate limit: 100 calls a second.
/// - Idempotent: creating a room that exists succeeds and keeps it as it
///   was (the emulator's reading; the page does not say what the provider
///   answers), so a repeat after a lost answer creates nothing twice.
///
/// Sources: <https://docs.rongcloud.io/platform-chat-api/chatroom/create>
/// (parameters, ranges, defaults, the rate limit); the Go SDK's
/// `ChatRoomCreateNew` (API-BREADTH.md §2 #16).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::{ChatroomCreateNew, DestroyType};
///
/// ChatroomCreateNew::new("room1")
///     .destroy_type(DestroyType::FixedTime)
///     .destroy_time(24 * 60)
///     .white_users(["host"])
///     .is_ban(true)
///     .send(client)
///     .await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/chatroom/create_new.json",
    encoding = "form",
    idempotent,
    rate_limit(calls = 100, per = second),
    check = Self::check
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatroomCreateNew {
    /// The room (`chatroomId`).
    #[endpoint(non_empty, max_bytes = 64)]
    pub chatroom_id: String,
    /// When it is destroyed (default [`DestroyType::WhenInactive`]).
    pub destroy_type: Option<DestroyType>,
    /// Minutes without activity, or minutes from creation, before it is
    /// destroyed: 60 to 10080 (default 60).
    #[endpoint(min = 60, max = 10080)]
    pub destroy_time: Option<i32>,
    /// Mute every member (default `false`).
    pub is_ban: Option<bool>,
    /// Members who may speak while everyone is muted (`whiteUserIds`,
    /// repeated), at most 20.
    #[endpoint(max_items = 20, non_empty, max_bytes = 64)]
    pub white_user_ids: Vec<String>,
    /// The user owning the room's attributes (`entryOwnerId`).
    #[endpoint(non_empty, max_bytes = 64)]
    pub entry_owner_id: Option<String>,
    /// The room's custom attributes (`entryInfo`), sent as a JSON object.
    #[endpoint(json)]
    pub entry_info: Option<BTreeMap<String, String>>,
}

impl ChatroomCreateNew {
    /// The room `chatroom_id` with the provider's defaults.
    pub fn new(chatroom_id: impl Into<String>) -> Self {
        Self {
            chatroom_id: chatroom_id.into(),
            destroy_type: None,
            destroy_time: None,
            is_ban: None,
            white_user_ids: Vec::new(),
            entry_owner_id: None,
            entry_info: None,
        }
    }

    /// Sets the users who may speak while everyone is muted.
    pub fn white_users<I, S>(mut self, users: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.white_user_ids = users.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the room's attributes, owned by `owner`.
    pub fn entries<I, K, V>(mut self, owner: impl Into<String>, entries: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        self.entry_owner_id = Some(owner.into());
        self.entry_info = Some(
            entries
                .into_iter()
                .map(|(key, value)| (key.into(), value.into()))
                .collect(),
        );
        self
    }

    fn check(&self, report: &mut Report) {
        if self.entry_info.is_some() && self.entry_owner_id.is_none() {
            report.field("entry_owner_id", |report| {
                report.violation(
                    Rule::Other(Cow::Borrowed("required with entry_info")),
                    Actual::Missing,
                )
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use api_core::{Endpoint, Validate};

    use super::*;

    #[test]
    fn every_option_on_the_wire() {
        let create = ChatroomCreateNew::new("r1")
            .destroy_type(DestroyType::FixedTime)
            .destroy_time(120)
            .is_ban(true)
            .white_users(["a", "b"])
            .entries("a", [("k", "v&=")]);
        assert_eq!(create.validate(), Ok(()));
        let body: Vec<(String, String)> = form_urlencoded::parse(&create.encode_body().unwrap())
            .into_owned()
            .collect();
        assert_eq!(
            body,
            [
                ("chatroomId", "r1"),
                ("destroyType", "1"),
                ("destroyTime", "120"),
                ("isBan", "true"),
                ("whiteUserIds", "a"),
                ("whiteUserIds", "b"),
                ("entryOwnerId", "a"),
                ("entryInfo", r#"{"k":"v&="}"#),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
    }

    #[test]
    fn limits() {
        let mut bad = ChatroomCreateNew::new("r".repeat(65))
            .destroy_time(59)
            .white_users((0..21).map(|i| i.to_string()));
        bad.entry_info = Some(BTreeMap::new());
        let found: Vec<String> = bad
            .validate()
            .unwrap_err()
            .violations()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "chatroom_id: at most 64 bytes (got 65)",
                "destroy_time: between 60 and 10080 (got 59)",
                "white_user_ids: at most 20 items (got 21)",
                "entry_owner_id: required with entry_info (got nothing)",
            ]
        );
    }
}
