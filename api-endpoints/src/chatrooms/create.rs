//! `POST /chatroom/create.json` (D:chatroom/deprecated-create).

use std::borrow::Cow;

use api_core::validate::CharSet;
use api_core::{Actual, Report, Rule, endpoint};

use super::MAX_CHATROOM_ID_BYTES;

/// The most rooms one call creates (D:chatroom/deprecated-create).
pub const MAX_ROOMS_PER_CREATE: usize = 100;

/// Creates up to 100 chatrooms with their names, the older call the
/// provider's SDKs still make (`chatroom[<id>]=<name>` for each room).
///
/// [`ChatroomCreateNew`](crate::ChatroomCreateNew) replaces it and sets
/// destruction, muting and attributes; this one only names rooms. A room
/// created here with no message and no member for an hour is destroyed.
///
/// - Limits: 1 to 100 rooms; ids 1 to 64 bytes of letters and digits, each
///   once; names not empty.
/// - Rate limit: 100 calls a second.
/// - Idempotent: creating rooms that exist succeeds and keeps them (the
///   emulator's reading; the page does not say what the provider answers).
///
/// Sources: <https://docs.rongcloud.io/platform-chat-api/chatroom/deprecated-create>
/// (the bracketed keys, 100 rooms, 64-byte alphanumeric ids, the rate
/// limit) (API-BREADTH.md §2 #16).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::ChatroomCreate;
///
/// ChatroomCreate::new([("10001", "Lobby"), ("10002", "Games & fun")])
///     .room("10003", "Music")
///     .send(client)
///     .await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/chatroom/create.json",
    encoding = "form",
    idempotent,
    rate_limit(calls = 100, per = second),
    check = Self::check
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatroomCreate {
    /// The rooms, id and name, sent in this order as `chatroom[<id>]=<name>`.
    #[endpoint(bracketed, min_items = 1, max_items = 100)]
    pub chatroom: Vec<(String, String)>,
}

impl ChatroomCreate {
    /// Creates the rooms `rooms`, given as `(id, name)`.
    pub fn new<I, K, V>(rooms: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self {
            chatroom: rooms
                .into_iter()
                .map(|(id, name)| (id.into(), name.into()))
                .collect(),
        }
    }

    /// Adds the room `id` named `name`.
    pub fn room(mut self, id: impl Into<String>, name: impl Into<String>) -> Self {
        self.chatroom.push((id.into(), name.into()));
        self
    }

    fn check(&self, report: &mut Report) {
        report.field("chatroom", |report| {
            for (index, (id, name)) in self.chatroom.iter().enumerate() {
                report.key(id, |report| {
                    if id.is_empty() {
                        report.violation(Rule::Required, Actual::Text(String::new()));
                    } else if id.len() > MAX_CHATROOM_ID_BYTES {
                        report.violation(
                            Rule::MaxBytes(MAX_CHATROOM_ID_BYTES),
                            Actual::Size(id.len()),
                        );
                    } else if !CharSet::ALNUM.matches(id) {
                        report.violation(Rule::Charset(CharSet::ALNUM.name()), Actual::text(id));
                    }
                    if self.chatroom[..index].iter().any(|(other, _)| other == id) {
                        report.violation(
                            Rule::Other(Cow::Borrowed("each room id once")),
                            Actual::text(id),
                        );
                    }
                    if name.is_empty() {
                        report.violation(Rule::Required, Actual::Text(String::new()));
                    }
                });
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use api_core::{Endpoint, Validate};

    use super::*;

    #[test]
    fn rooms_are_bracketed_keys_in_order() {
        let create = ChatroomCreate::new([("r2", "Two & 二")]).room("r1", "One=1");
        assert_eq!(create.validate(), Ok(()));
        assert_eq!(
            create.encode_body().unwrap(),
            b"chatroom%5Br2%5D=Two+%26+%E4%BA%8C&chatroom%5Br1%5D=One%3D1"
        );
    }

    #[test]
    fn ids_names_and_counts() {
        let bad = ChatroomCreate::new([("r-1", ""), ("r2", "b"), ("r2", "c")]);
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
                "chatroom[\"r-1\"]: only letters and digits (A-Za-z0-9) (got \"r-1\")",
                "chatroom[\"r-1\"]: required, must not be empty (got \"\")",
                "chatroom[\"r2\"]: each room id once (got \"r2\")",
            ]
        );
        let none = ChatroomCreate::new(Vec::<(String, String)>::new());
        assert_eq!(
            none.validate().unwrap_err().violations()[0].rule(),
            &Rule::MinItems(1)
        );
        let many = ChatroomCreate::new((0..101).map(|i| (format!("r{i}"), "n")));
        assert_eq!(
            many.validate().unwrap_err().violations()[0].rule(),
            &Rule::MaxItems(MAX_ROOMS_PER_CREATE)
        );
    }
}
