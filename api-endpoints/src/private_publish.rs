//! `POST /message/private/publish.json` (page 001).

use std::borrow::Cow;

use api_core::{Actual, Message, MessageContent, Report, Rule, endpoint};

use crate::extra_content::ExtraContent;
use crate::push_ext::PushExt;
use crate::response::PublishResponse;

/// Sends a one-to-one message from one user to up to 1000 users.
///
/// By default the message is neither synced to the sender's other clients
/// nor stored in the sender's history (see `is_include_sender`).
///
/// - Limits: 1 to 1000 `toUserId`; `content` at most 128 KiB; a custom
///   `objectName` at most 32 characters, not starting with `RC:`; `count`
///   from -1 to 9999; `pushExt.title` at most 50 characters; `extraContent`
///   at most 100 pairs (keys 32 characters of `A-Za-z0-9+=-_`, values 4096
///   characters), only with `expansion`.
/// - Rate limit: 6000 messages a minute, where a call to N users counts N.
/// - Not idempotent: a repeat delivers the message again.
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::{PrivatePublish, TextMessage};
///
/// let answer = PrivatePublish::new("2191", ["2193", "2192"], TextMessage::new("hello"))
///     .push_content("thisisapush")
///     .send(client)
///     .await?;
/// println!("{:?}", answer.message_uid("2193"));
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/message/private/publish.json",
    encoding = "form",
    max_recipients = 1000,
    response = PublishResponse,
    rate_limit(recipients = 6000, per = minute),
    check = Self::check
)]
#[derive(Debug, Clone, PartialEq)]
pub struct PrivatePublish<C: MessageContent> {
    /// The sender (`fromUserId`). It should have had a user token issued, or
    /// push notifications cannot show the sender's profile.
    #[endpoint(non_empty)]
    pub from_user_id: String,
    /// The recipients (`toUserId`, repeated), 1 to 1000.
    #[endpoint(recipients)]
    pub to_user_id: Vec<String>,
    /// The message: `objectName` and `content`.
    #[endpoint(flatten)]
    pub message: Message<C>,
    /// The notification text shown when a recipient is offline. For some
    /// message types, whether it is set decides whether a push is sent.
    pub push_content: Option<String>,
    /// Data handed to the app with the push (`appData` on iOS and Android).
    pub push_data: Option<String>,
    /// Sync the message to the sender's clients (`1`; default `0`).
    #[endpoint(int_bool)]
    pub is_include_sender: Option<bool>,
    /// iOS badge number: `-1` keeps the badge, otherwise the new badge, at
    /// most 9999. Only with a single recipient.
    #[endpoint(min = -1, max = 9999)]
    pub count: Option<i32>,
    /// Drop recipients who blacklisted the sender (`1`; default `0`).
    #[endpoint(int_bool)]
    pub verify_blacklist: Option<bool>,
    /// Store the message in the recipients' cloud history (default `1`).
    #[endpoint(int_bool)]
    pub is_persisted: Option<bool>,
    /// iOS silent push (`contentAvailable`, default `0`).
    #[endpoint(int_bool)]
    pub content_available: Option<bool>,
    /// Whether clients may attach expansion data to the message (default
    /// `false`).
    pub expansion: Option<bool>,
    /// The message's expansion pairs; only with `expansion = true`.
    #[endpoint(json, nested)]
    pub extra_content: Option<ExtraContent>,
    /// A silent message: no notification when offline (default `false`).
    pub disable_push: Option<bool>,
    /// The notification options; ignored when `disable_push` is `true`.
    #[endpoint(json, nested)]
    pub push_ext: Option<PushExt>,
    /// Leave the conversation's last message unchanged (default `false`).
    pub disable_update_last_msg: Option<bool>,
}

impl<C: MessageContent> PrivatePublish<C> {
    /// A message from `from_user_id` to `to_user_id` with nothing optional
    /// set.
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
            is_include_sender: None,
            count: None,
            verify_blacklist: None,
            is_persisted: None,
            content_available: None,
            expansion: None,
            extra_content: None,
            disable_push: None,
            push_ext: None,
            disable_update_last_msg: None,
        }
    }

    fn check(&self, report: &mut Report) {
        expansion_rule(report, self.expansion, self.extra_content.as_ref());
    }
}

/// `extraContent` is only effective when `expansion` is `true`: sending it
/// otherwise would be silently ignored by the server.
pub(crate) fn expansion_rule(
    report: &mut Report,
    expansion: Option<bool>,
    extra: Option<&ExtraContent>,
) {
    if extra.is_some() && expansion != Some(true) {
        report.field("extra_content", |report| {
            report.violation(
                Rule::Other(Cow::Borrowed("only effective with `expansion = true`")),
                Actual::Missing,
            )
        });
    }
}
