//! `POST /user/tag/set.json` and `POST /user/tag/batch/set.json` (page 003).

use std::borrow::Cow;

use api_core::{Actual, Report, Rule, endpoint, validate::rules};

/// The most tags a user has.
pub const MAX_USER_TAGS: usize = 20;
/// The longest tag, in bytes.
pub use crate::push::MAX_TAG_BYTES;

/// Checks a tag list: at most 20, each 1 to 40 bytes. The documentation
/// also forbids "special characters" without defining them; control
/// characters are the only ones rejected here, since CJK tags are
/// documented (`"男"`).
fn check_tags(report: &mut Report, tags: &[String]) {
    report.field("tags", |report| {
        rules::max_items(report, tags, MAX_USER_TAGS);
        rules::non_empty(report, tags);
        rules::max_bytes(report, tags, MAX_TAG_BYTES);
        for (index, tag) in tags.iter().enumerate() {
            if tag.chars().any(char::is_control) {
                report.index(index, |report| {
                    report.violation(
                        Rule::Other(Cow::Borrowed("no control characters in a tag")),
                        Actual::text(tag),
                    )
                });
            }
        }
    });
}

/// Sets a user's tags, replacing the ones it had (page 003). Tags select
/// the audience of [`BroadcastMessage`](crate::BroadcastMessage) and
/// [`PushNotification`](crate::PushNotification).
///
/// - Limits: at most 20 tags, each 1 to 40 bytes.
/// - Idempotent: setting the same tags twice leaves the same tags, so the
///   client may repeat it after a lost answer.
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::TagSet;
///
/// TagSet::new("31232", ["bj", "男"]).send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(path = "/user/tag/set.json", encoding = "json", idempotent, check = Self::check)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagSet {
    /// The user (`userId`).
    #[endpoint(non_empty)]
    pub user_id: String,
    /// The user's tags from now on.
    pub tags: Vec<String>,
}

impl TagSet {
    /// Gives `user_id` exactly `tags`.
    pub fn new<I, S>(user_id: impl Into<String>, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            user_id: user_id.into(),
            tags: tags.into_iter().map(Into::into).collect(),
        }
    }

    fn check(&self, report: &mut Report) {
        check_tags(report, &self.tags);
    }
}

/// Sets the same tags on up to 1000 users, replacing the ones they had
/// (page 003).
///
/// - Limits: 1 to 1000 users; at most 20 tags, each 1 to 40 bytes.
/// - Idempotent.
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::TagBatchSet;
///
/// TagBatchSet::new(["id1", "id2"], ["bj", "男"]).send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/user/tag/batch/set.json",
    encoding = "json",
    max_recipients = 1000,
    idempotent,
    check = Self::check
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagBatchSet {
    /// The users (`userIds`), 1 to 1000.
    #[endpoint(recipients, rename = "userIds")]
    pub user_ids: Vec<String>,
    /// Their tags from now on.
    pub tags: Vec<String>,
}

impl TagBatchSet {
    /// Gives every one of `user_ids` exactly `tags`.
    pub fn new<U, T, S1, S2>(user_ids: U, tags: T) -> Self
    where
        U: IntoIterator<Item = S1>,
        S1: Into<String>,
        T: IntoIterator<Item = S2>,
        S2: Into<String>,
    {
        Self {
            user_ids: user_ids.into_iter().map(Into::into).collect(),
            tags: tags.into_iter().map(Into::into).collect(),
        }
    }

    fn check(&self, report: &mut Report) {
        check_tags(report, &self.tags);
    }
}
