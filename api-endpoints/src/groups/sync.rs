//! `POST /group/sync.json` and `POST /group/refresh.json`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use api_core::validate::{CharSet, rules};
use api_core::{Actual, Report, Rule, endpoint};

/// Makes a user's groups exactly the ones given, for reconciling the
/// provider with the app's own records: the user leaves the groups not
/// listed and joins the listed ones. **An empty list removes the user from
/// every group** (use [`GroupSync::leave_all`] to say so).
///
/// Sent as `group[<groupId>]=<groupName>` fields, in group id order.
///
/// - Limits: `userId` 1 to 64 bytes; each group id 1 to 64 characters of
///   `A-Za-z0-9`; each name 1 to 64 characters.
/// - Rate limit: 100 calls a second.
/// - Idempotent: the same list again leaves the same groups.
/// - Sources: D:group/sync-group; Go `GroupSync`; Py `group.py` `sync`
///   (ids and names 1 to 64) (API-BREADTH.md §2 row 12).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::GroupSync;
///
/// GroupSync::new("alice", [("hikers", "Hikers"), ("chess", "Chess 象棋")])
///     .send(client)
///     .await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/group/sync.json",
    encoding = "form",
    idempotent,
    rate_limit(calls = 100, per = second),
    check = Self::check
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSync {
    /// The user (`userId`).
    #[endpoint(non_empty, max_bytes = 64)]
    pub user_id: String,
    /// Group id → group name, sent as `group[<id>]=<name>`.
    #[endpoint(bracketed, rename = "group")]
    pub groups: BTreeMap<String, String>,
}

impl GroupSync {
    /// Makes `groups` (id, name) the groups of `user_id`.
    pub fn new<I, K, V>(user_id: impl Into<String>, groups: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self {
            user_id: user_id.into(),
            groups: groups
                .into_iter()
                .map(|(id, name)| (id.into(), name.into()))
                .collect(),
        }
    }

    /// Removes `user_id` from every group.
    pub fn leave_all(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            groups: BTreeMap::new(),
        }
    }

    /// Each key is a group id and each value a name: reported under
    /// `groups[<id>]`.
    fn check(&self, report: &mut Report) {
        report.field("groups", |report| {
            for (id, name) in &self.groups {
                report.key(id, |report| {
                    check_group_id(report, id);
                    if name.is_empty() {
                        report.violation(
                            Rule::Other(Cow::Borrowed("a group name must not be empty")),
                            Actual::Text(String::new()),
                        );
                    }
                    rules::max_chars(report, name, 64);
                });
            }
        });
    }
}

/// A group id: 1 to 64 characters of `A-Za-z0-9`.
fn check_group_id(report: &mut Report, id: &str) {
    if id.is_empty() {
        report.violation(
            Rule::Other(Cow::Borrowed("a group id must not be empty")),
            Actual::Text(String::new()),
        );
    }
    rules::max_chars(report, id, 64);
    rules::chars(report, id, &CharSet::ALNUM);
}

/// Renames a group (only the name push notifications show).
///
/// - Limits: `groupId` 1 to 64 characters of `A-Za-z0-9`; `groupName` 1 to
///   64 characters.
/// - Rate limit: 100 calls a second.
/// - Idempotent: the same name again changes nothing.
/// - Sources: D:group/refresh-group-info; Go `GroupUpdate` (API-BREADTH.md
///   §2 row 13).
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::GroupRefresh;
///
/// GroupRefresh::new("hikers", "Weekend hikers").send(client).await?;
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/group/refresh.json",
    encoding = "form",
    idempotent,
    rate_limit(calls = 100, per = second)
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRefresh {
    /// The group (`groupId`).
    #[endpoint(non_empty, max_chars = 64, chars = "alnum")]
    pub group_id: String,
    /// The new name (`groupName`).
    #[endpoint(non_empty, max_chars = 64)]
    pub group_name: String,
}

impl GroupRefresh {
    /// Names `group_id` `group_name`.
    pub fn new(group_id: impl Into<String>, group_name: impl Into<String>) -> Self {
        Self {
            group_id: group_id.into(),
            group_name: group_name.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use api_core::{Endpoint, Validate};

    use super::*;

    #[test]
    fn sync_sends_bracketed_keys_in_id_order() {
        let sync = GroupSync::new("u1", [("g2", "Two & 二"), ("g1", "a=b")]);
        let body = sync.encode_body().unwrap();
        let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
        assert_eq!(
            pairs,
            [
                ("userId".to_owned(), "u1".to_owned()),
                ("group[g1]".to_owned(), "a=b".to_owned()),
                ("group[g2]".to_owned(), "Two & 二".to_owned()),
            ]
        );
        assert_eq!(
            GroupSync::leave_all("u1").encode_body().unwrap(),
            b"userId=u1"
        );
    }

    #[test]
    fn sync_reports_each_bad_group_under_its_id() {
        let error = GroupSync::new("u1", [("bad-id", "ok"), ("g1", "")])
            .validate()
            .unwrap_err();
        let paths: Vec<&str> = error.violations().iter().map(|v| v.path()).collect();
        assert_eq!(paths, [r#"groups["bad-id"]"#, r#"groups["g1"]"#], "{error}");
    }
}
