//! `POST /group/create.json`, `/group/join.json`, `/group/quit.json` and
//! `/group/dismiss.json`.

use api_core::{MessageContent, endpoint};
use serde::Deserialize;

use super::notification::{BoundNotification, NoNotification};

/// The answer of a group create, join, quit or dismiss: empty, or with a
/// bound notification message, its id and the group's size after the call
/// (Go `OperationGroupResult`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct GroupOperationResponse {
    /// The notification's id (`messageUID`), when one was bound.
    #[serde(rename = "messageUID", default)]
    pub message_uid: Option<String>,
    /// The number of members (`memberCount`), when a notification was bound.
    #[serde(rename = "memberCount", default)]
    pub member_count: Option<u64>,
}

/// Writes a membership call's `with_notification`: the same call, carrying a
/// bound notification message (which changes the content type parameter).
macro_rules! bound_notification_methods {
    ($name:ident { $($field:ident),* }) => {
        impl<C: MessageContent> $name<C> {
            /// The same call, sending `notification` to the group as well. The
            /// call is then no longer idempotent: a repeat would send the
            /// message twice.
            pub fn with_notification<N: MessageContent>(
                self,
                notification: BoundNotification<N>,
            ) -> $name<N> {
                $name {
                    $($field: self.$field,)*
                    notification: Some(notification),
                }
            }
        }
    };
}

/// Creates a group with its first members (the provider's create also adds
/// members to an existing group and renames it).
///
/// - Limits: 1 to 1000 users, each 1 to 64 bytes; `groupId` 1 to 64
///   characters of `A-Za-z0-9`; `groupName` 1 to 64 characters; a group has
///   at most 3000 members (the server's check, answered with
///   [`ErrorCode::GroupCapacityExceeded`](api_core::ErrorCode::GroupCapacityExceeded)).
/// - Rate limit: 100 calls a second.
/// - Idempotent unless a notification is bound: creating the same group
///   with the same members again changes nothing, but a bound notification
///   would be sent twice.
/// - Sources: D:group/create-group; Go `sdk/group.go` `GroupCreate`,
///   `MessageOptions` (API-BREADTH.md §2 row 8, §1b).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::GroupCreate;
///
/// GroupCreate::new(["alice", "bob"], "hikers", "Hikers 徒步").send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/group/create.json",
    encoding = "form",
    response = GroupOperationResponse,
    idempotent_unless = notification,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq)]
pub struct GroupCreate<C: MessageContent = NoNotification> {
    /// The first members (`userId`, repeated), 1 to 1000.
    #[endpoint(min_items = 1, max_items = 1000, non_empty, max_bytes = 64)]
    pub user_id: Vec<String>,
    /// The group (`groupId`), 1 to 64 characters of `A-Za-z0-9`.
    #[endpoint(non_empty, max_chars = 64, chars = "alnum")]
    pub group_id: String,
    /// The group's name in push notifications (`groupName`).
    #[endpoint(non_empty, max_chars = 64)]
    pub group_name: String,
    /// A message sent to the group by this call (`bindNotifyMsg` and the
    /// message fields).
    #[endpoint(flatten)]
    pub notification: Option<BoundNotification<C>>,
}

impl GroupCreate {
    /// Creates `group_id` named `group_name` with `user_ids`.
    pub fn new<I, S>(
        user_ids: I,
        group_id: impl Into<String>,
        group_name: impl Into<String>,
    ) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            user_id: user_ids.into_iter().map(Into::into).collect(),
            group_id: group_id.into(),
            group_name: group_name.into(),
            notification: None,
        }
    }
}

bound_notification_methods!(GroupCreate {
    user_id,
    group_id,
    group_name
});

/// Adds users to a group (joining an unknown group creates it).
///
/// - Limits: 1 to 1000 users, each 1 to 64 bytes; `groupId` 1 to 64
///   characters of `A-Za-z0-9`; `groupName` at most 64 characters.
/// - Rate limit: 100 calls a second.
/// - Idempotent unless a notification is bound: joining again changes
///   nothing, but a bound notification would be sent twice.
/// - Sources: D:group/join-group; Go `GroupJoin` (checks at most 1000 users)
///   (API-BREADTH.md §2 row 9).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::{BoundNotification, GroupJoin, TextMessage};
///
/// GroupJoin::new(["carol"], "hikers")
///     .with_notification(BoundNotification::new("admin", TextMessage::new("Welcome, Carol!")))
///     .send(client)
///     .await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/group/join.json",
    encoding = "form",
    response = GroupOperationResponse,
    idempotent_unless = notification,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq)]
pub struct GroupJoin<C: MessageContent = NoNotification> {
    /// The users joining (`userId`, repeated), 1 to 1000.
    #[endpoint(min_items = 1, max_items = 1000, non_empty, max_bytes = 64)]
    pub user_id: Vec<String>,
    /// The group (`groupId`).
    #[endpoint(non_empty, max_chars = 64, chars = "alnum")]
    pub group_id: String,
    /// A new name for the group in push notifications (`groupName`); `None`
    /// keeps the current one.
    #[endpoint(non_empty, max_chars = 64)]
    pub group_name: Option<String>,
    /// A message sent to the group by this call.
    #[endpoint(flatten)]
    pub notification: Option<BoundNotification<C>>,
}

impl GroupJoin {
    /// Adds `user_ids` to `group_id`.
    pub fn new<I, S>(user_ids: I, group_id: impl Into<String>) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            user_id: user_ids.into_iter().map(Into::into).collect(),
            group_id: group_id.into(),
            group_name: None,
            notification: None,
        }
    }
}

bound_notification_methods!(GroupJoin {
    user_id,
    group_id,
    group_name
});

/// Removes users from a group. Their clients get no automatic notice: bind
/// a notification to tell the group.
///
/// - Limits: 1 to 1000 users, each 1 to 64 bytes; `groupId` 1 to 64
///   characters of `A-Za-z0-9`.
/// - Rate limit: 100 calls a second.
/// - Idempotent unless a notification is bound: quitting again changes
///   nothing, but a bound notification would be sent twice.
/// - Sources: D:group/quit-group; Go `GroupQuit` (API-BREADTH.md §2 row 10).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::GroupQuit;
///
/// GroupQuit::new(["bob"], "hikers").send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/group/quit.json",
    encoding = "form",
    response = GroupOperationResponse,
    idempotent_unless = notification,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq)]
pub struct GroupQuit<C: MessageContent = NoNotification> {
    /// The users leaving (`userId`, repeated), 1 to 1000.
    #[endpoint(min_items = 1, max_items = 1000, non_empty, max_bytes = 64)]
    pub user_id: Vec<String>,
    /// The group (`groupId`).
    #[endpoint(non_empty, max_chars = 64, chars = "alnum")]
    pub group_id: String,
    /// A message sent to the group by this call (the leaving users receive
    /// it too).
    #[endpoint(flatten)]
    pub notification: Option<BoundNotification<C>>,
}

impl GroupQuit {
    /// Removes `user_ids` from `group_id`.
    pub fn new<I, S>(user_ids: I, group_id: impl Into<String>) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            user_id: user_ids.into_iter().map(Into::into).collect(),
            group_id: group_id.into(),
            notification: None,
        }
    }
}

bound_notification_methods!(GroupQuit { user_id, group_id });

/// Dismisses a group: every member leaves. The server keeps its message
/// history.
///
/// - Limits: `userId` (the operator; any user may dismiss) 1 to 64 bytes;
///   `groupId` 1 to 64 characters of `A-Za-z0-9`.
/// - Rate limit: 100 calls a second.
/// - Idempotent unless a notification is bound: dismissing a dismissed group
///   changes nothing, but a bound notification would be sent twice.
/// - Sources: D:group/dismiss-group; Go `GroupDismiss` (API-BREADTH.md §2
///   row 11).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::GroupDismiss;
///
/// GroupDismiss::new("admin", "hikers").send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/group/dismiss.json",
    encoding = "form",
    response = GroupOperationResponse,
    idempotent_unless = notification,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq)]
pub struct GroupDismiss<C: MessageContent = NoNotification> {
    /// The operator (`userId`).
    #[endpoint(non_empty, max_bytes = 64)]
    pub user_id: String,
    /// The group (`groupId`).
    #[endpoint(non_empty, max_chars = 64, chars = "alnum")]
    pub group_id: String,
    /// A message sent to the members before the group goes.
    #[endpoint(flatten)]
    pub notification: Option<BoundNotification<C>>,
}

impl GroupDismiss {
    /// `operator` dismisses `group_id`.
    pub fn new(operator: impl Into<String>, group_id: impl Into<String>) -> Self {
        Self {
            user_id: operator.into(),
            group_id: group_id.into(),
            notification: None,
        }
    }
}

bound_notification_methods!(GroupDismiss { user_id, group_id });

#[cfg(test)]
mod tests {
    use api_core::{CustomMessage, Endpoint, Rule, Validate};

    use super::*;
    use crate::TextMessage;

    #[test]
    fn a_plain_call_is_idempotent_and_a_notifying_one_is_not() {
        let join = GroupJoin::new(["u1", "u2"], "g1").group_name("G & 群");
        assert!(join.is_idempotent());
        assert_eq!(
            join.encode_body().unwrap(),
            b"userId=u1&userId=u2&groupId=g1&groupName=G+%26+%E7%BE%A4"
        );
        let notifying =
            join.with_notification(BoundNotification::new("op", TextMessage::new("hi")));
        assert!(!notifying.is_idempotent());
        let body = String::from_utf8(notifying.encode_body().unwrap()).unwrap();
        assert!(
            body.starts_with("userId=u1&userId=u2&groupId=g1&groupName=G+%26+%E7%BE%A4&bindNotifyMsg=true&fromUserId=op&objectName=RC%3ATxtMsg&content="),
            "{body}"
        );
        assert!(GroupCreate::new(["u"], "g", "n").is_idempotent());
        assert!(
            !GroupDismiss::new("op", "g")
                .with_notification(BoundNotification::new(
                    "op",
                    CustomMessage::new("A:B", "{}")
                ))
                .is_idempotent()
        );
    }

    #[test]
    fn ids_names_and_member_counts_are_checked_with_the_notification() {
        let users: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
        let error = GroupCreate::new(users, "g-1", "n".repeat(65))
            .with_notification(BoundNotification::new("", TextMessage::new("x")))
            .validate()
            .unwrap_err();
        assert_eq!(error.at("user_id").unwrap().rule(), &Rule::MaxItems(1000));
        assert!(matches!(
            error.at("group_id").unwrap().rule(),
            Rule::Charset(_)
        ));
        assert_eq!(error.at("group_name").unwrap().rule(), &Rule::MaxChars(64));
        assert_eq!(
            error.at("notification.from_user_id").unwrap().rule(),
            &Rule::Required
        );
        let none = GroupQuit::new(Vec::<String>::new(), "g")
            .validate()
            .unwrap_err();
        assert_eq!(none.at("user_id").unwrap().rule(), &Rule::MinItems(1));
    }

    #[test]
    fn the_answer_reads_with_and_without_a_notification() {
        let plain: GroupOperationResponse = serde_json::from_str(r#"{"code":200}"#).unwrap();
        assert_eq!(plain, GroupOperationResponse::default());
        let notified: GroupOperationResponse =
            serde_json::from_str(r#"{"code":200,"messageUID":"M1","memberCount":3}"#).unwrap();
        assert_eq!(notified.message_uid.as_deref(), Some("M1"));
        assert_eq!(notified.member_count, Some(3));
    }
}
