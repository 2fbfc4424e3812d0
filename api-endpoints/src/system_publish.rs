//! `POST /message/system/publish.json` (page 002).

use api_core::{Message, MessageContent, endpoint};

use crate::push_ext::PushExt;
use crate::response::PublishResponse;

/// Sends a system notification from one user to up to 100 users.
///
/// The message lands in the recipients' SYSTEM conversation whose target is
/// `from_user_id`; recipients cannot reply to it.
///
/// - Limits: 1 to 100 `toUserId`; `content` at most 128 KiB; a custom
///   `objectName` at most 32 characters, not starting with `RC:`;
///   `pushExt.title` at most 50 characters.
/// - Rate limit: 100 messages a second, where a call to N users counts N.
/// - Not idempotent: a repeat delivers the message again.
///
/// Page 002 documents a subset of the per-vendor push options of page 001
/// (`MI.large_icon_uri`, `OPPO.category`, `APNs.thread-id`, ... are not
/// listed for system messages); [`PushExt`] is shared, and the server
/// ignores what it does not use.
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::{SystemPublish, TextMessage};
///
/// let answer = SystemPublish::new("2191", ["2191", "2192"], TextMessage::new("hello"))
///     .push_content("thisisapush")
///     .send(client)
///     .await?;
/// assert_eq!(answer.message_uids.len(), 2);
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/message/system/publish.json",
    encoding = "form",
    max_recipients = 100,
    response = PublishResponse,
    rate_limit(recipients = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq)]
pub struct SystemPublish<C: MessageContent> {
    /// The sender (`fromUserId`), the target of the SYSTEM conversation.
    #[endpoint(non_empty)]
    pub from_user_id: String,
    /// The recipients (`toUserId`, repeated), 1 to 100.
    #[endpoint(recipients)]
    pub to_user_id: Vec<String>,
    /// The message: `objectName` and `content`.
    #[endpoint(flatten)]
    pub message: Message<C>,
    /// The notification text shown when a recipient is offline.
    pub push_content: Option<String>,
    /// Data handed to the app with the push (`appData`).
    pub push_data: Option<String>,
    /// Store the message in the recipients' cloud history (default `1`).
    #[endpoint(int_bool)]
    pub is_persisted: Option<bool>,
    /// iOS silent push (`contentAvailable`, default `0`).
    #[endpoint(int_bool)]
    pub content_available: Option<bool>,
    /// A silent message: no notification when offline (default `false`).
    pub disable_push: Option<bool>,
    /// The notification options; ignored when `disable_push` is `true`.
    #[endpoint(json, nested)]
    pub push_ext: Option<PushExt>,
}

impl<C: MessageContent> SystemPublish<C> {
    /// A system message from `from_user_id` to `to_user_id` with nothing
    /// optional set.
    pub fn new<I, S>(from_user_id: impl Into<String>, to_user_id: I, content: C) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            from_user_id: from_user_id.into(),
            to_user_id: to_user_id.into_iter().map(Into::into).collect(),
            message: Message::new(content),
            push_content: None,
            push_data: None,
            is_persisted: None,
            content_available: None,
            disable_push: None,
            push_ext: None,
        }
    }
}
