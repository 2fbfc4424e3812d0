//! `POST /group/user/query.json` and `POST /user/group/query.json`.

use std::borrow::Cow;

use api_core::{Actual, Report, Rule, endpoint};
use serde::Deserialize;

/// Lists a group's members.
///
/// - Limits: `groupId` 1 to 64 characters of `A-Za-z0-9`.
/// - Rate limit: 100 calls a second.
/// - Idempotent: a read.
/// - Sources: D:group/query-group-member; Go `GroupGet` (API-BREADTH.md §2
///   row 14).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::GroupMemberQuery;
///
/// let members = GroupMemberQuery::new("hikers").send(client).await?;
/// println!("{:?}", members.ids().collect::<Vec<_>>());
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/group/user/query.json",
    encoding = "form",
    response = GroupMembers,
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupMemberQuery {
    /// The group (`groupId`).
    #[endpoint(non_empty, max_chars = 64, chars = "alnum")]
    pub group_id: String,
}

impl GroupMemberQuery {
    /// The members of `group_id`.
    pub fn new(group_id: impl Into<String>) -> Self {
        Self {
            group_id: group_id.into(),
        }
    }
}

/// The answer of [`GroupMemberQuery`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GroupMembers {
    /// The members (`users`).
    #[serde(default)]
    pub users: Vec<GroupMember>,
}

impl GroupMembers {
    /// The members' user ids, in the server's order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.users.iter().map(|user| user.id.as_str())
    }
}

/// One member of a group.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct GroupMember {
    /// The user (`id`).
    pub id: String,
}

/// Lists the groups a user is in, optionally a page at a time.
///
/// - Limits: `userId` 1 to 64 bytes; `page` from 1; `size` 1 to 1000
///   (default 50), only with `page`. Without `page` the first 5000 groups
///   are answered.
/// - Rate limit: 100 calls a second.
/// - Idempotent: a read.
/// - Sources: D:group/query-group-by-user (API-BREADTH.md §2 row 14).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::UserGroupQuery;
///
/// let first = UserGroupQuery::new("alice").page(1).size(100).send(client).await?;
/// for group in first.groups {
///     println!("{} {}", group.id, group.name);
/// }
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/user/group/query.json",
    encoding = "form",
    response = UserGroups,
    idempotent,
    rate_limit(calls = 100, per = second),
    check = Self::check
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserGroupQuery {
    /// The user (`userId`).
    #[endpoint(non_empty, max_bytes = 64)]
    pub user_id: String,
    /// The page, from 1 (`page`).
    #[endpoint(min = 1)]
    pub page: Option<u32>,
    /// Groups per page (`size`), 1 to 1000; the server's default is 50.
    #[endpoint(min = 1, max = 1000)]
    pub size: Option<u32>,
}

impl UserGroupQuery {
    /// The groups of `user_id` (the first 5000 unless a page is set).
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            page: None,
            size: None,
        }
    }

    /// Without `page` the server ignores `size`: say so rather than send it.
    fn check(&self, report: &mut Report) {
        if self.size.is_some() && self.page.is_none() {
            report.field("size", |report| {
                report.violation(
                    Rule::Other(Cow::Borrowed("only with `page`")),
                    Actual::Missing,
                )
            });
        }
    }
}

/// The answer of [`UserGroupQuery`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UserGroups {
    /// The user's groups (`groups`).
    #[serde(default)]
    pub groups: Vec<UserGroup>,
}

/// One group of a user.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct UserGroup {
    /// The group (`id`).
    pub id: String,
    /// Its name (`name`).
    #[serde(default)]
    pub name: String,
}

#[cfg(test)]
mod tests {
    use api_core::{Endpoint, Validate};

    use super::*;

    #[test]
    fn paging_is_sent_only_when_set_and_size_needs_a_page() {
        assert_eq!(
            UserGroupQuery::new("u1").encode_body().unwrap(),
            b"userId=u1"
        );
        assert_eq!(
            UserGroupQuery::new("u1")
                .page(2)
                .size(10)
                .encode_body()
                .unwrap(),
            b"userId=u1&page=2&size=10"
        );
        let error = UserGroupQuery::new("u1").size(1001).validate().unwrap_err();
        let paths: Vec<&str> = error.violations().iter().map(|v| v.path()).collect();
        assert_eq!(paths, ["size", "size"]);
        assert!(UserGroupQuery::new("u1").page(0).validate().is_err());
    }
}
