//! Who a `/push.json` call reaches (`audience`).

use std::borrow::Cow;

use api_core::{Actual, Report, Rule, Validate, validate::rules};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// The most tags in `tag` and in `tag_or`.
pub const MAX_AUDIENCE_TAGS: usize = 20;
/// The longest tag, in bytes.
pub const MAX_TAG_BYTES: usize = 40;
/// The most user ids in `userid`.
pub const MAX_AUDIENCE_USERS: usize = 1000;

/// Who a push or broadcast reaches.
///
/// The server's rules are the shape of the type:
/// - [`Audience::All`] sends `is_to_all: true`, which makes every other
///   condition irrelevant, so it has none.
/// - [`Audience::Users`] names users (`userid`, at most 1000). User ids win
///   over tags and make `platform` irrelevant; conditions kept beside them
///   are sent but ignored by the server, and are named so.
/// - [`Audience::Matching`] selects by tags and package name, which combine
///   with AND.
///
/// `is_to_all` is required on the wire and is always sent.
///
/// ```
/// use api_endpoints::{Audience, AudienceConditions};
///
/// let everyone = serde_json::to_value(Audience::All).unwrap();
/// assert_eq!(everyone, serde_json::json!({"is_to_all": true}));
///
/// let beijing_women = Audience::from(AudienceConditions::tags(["女", "北京"]));
/// assert_eq!(
///     serde_json::to_value(beijing_women).unwrap(),
///     serde_json::json!({"tag": ["女", "北京"], "is_to_all": false}),
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every user of the app (`is_to_all: true`).
    All,
    /// The users who match every given condition.
    Matching(AudienceConditions),
    /// These users.
    Users(UserAudience),
}

impl Audience {
    /// These users (1 to 1000), with no other condition.
    pub fn users<I, S>(user_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::Users(UserAudience {
            user_ids: user_ids.into_iter().map(Into::into).collect(),
            ignored_conditions: AudienceConditions::default(),
        })
    }

    /// The users of one app package (`packageName`).
    pub fn package_name(package_name: impl Into<String>) -> Self {
        Self::Matching(AudienceConditions::default().and_package_name(package_name))
    }
}

impl From<AudienceConditions> for Audience {
    fn from(conditions: AudienceConditions) -> Self {
        Self::Matching(conditions)
    }
}

impl From<UserAudience> for Audience {
    fn from(users: UserAudience) -> Self {
        Self::Users(users)
    }
}

/// Tag and package conditions; every kind given must hold (AND).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AudienceConditions {
    /// Users having every one of these tags (`tag`, at most 20).
    pub tag: Vec<String>,
    /// Users having at least one of these tags (`tag_or`, at most 20).
    pub tag_or: Vec<String>,
    /// Users of this app package (`packageName`).
    pub package_name: Option<String>,
}

impl AudienceConditions {
    /// Users having every one of `tags`.
    pub fn tags<I, S>(tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::default().and_tags(tags)
    }

    /// Users having at least one of `tags`.
    pub fn any_tag<I, S>(tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::default().and_any_tag(tags)
    }

    /// Also requires every one of `tags` (`tag`).
    #[must_use]
    pub fn and_tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.tag.extend(tags.into_iter().map(Into::into));
        self
    }

    /// Also requires at least one of `tags` (`tag_or`).
    #[must_use]
    pub fn and_any_tag<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.tag_or.extend(tags.into_iter().map(Into::into));
        self
    }

    /// Also requires the app package (`packageName`).
    #[must_use]
    pub fn and_package_name(mut self, package_name: impl Into<String>) -> Self {
        self.package_name = Some(package_name.into());
        self
    }

    /// Whether no condition is set.
    pub fn is_empty(&self) -> bool {
        self.tag.is_empty() && self.tag_or.is_empty() && self.package_name.is_none()
    }

    pub(crate) fn serialize_entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        if !self.tag.is_empty() {
            map.serialize_entry("tag", &self.tag)?;
        }
        if !self.tag_or.is_empty() {
            map.serialize_entry("tag_or", &self.tag_or)?;
        }
        if let Some(package_name) = &self.package_name {
            map.serialize_entry("packageName", package_name)?;
        }
        Ok(())
    }
}

impl Validate for AudienceConditions {
    fn validate_into(&self, report: &mut Report) {
        for (name, tags) in [("tag", &self.tag), ("tag_or", &self.tag_or)] {
            report.field(name, |report| {
                rules::max_items(report, tags, MAX_AUDIENCE_TAGS);
                rules::non_empty(report, tags);
                rules::max_bytes(report, tags, MAX_TAG_BYTES);
            });
        }
        report.field("package_name", |report| {
            rules::non_empty(report, &self.package_name)
        });
    }
}

/// Named users, and conditions the server ignores beside them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserAudience {
    /// The users (`userid`), 1 to 1000.
    pub user_ids: Vec<String>,
    /// Tag and package conditions sent beside the user ids. The server
    /// ignores them (user ids win); they exist so that a request can be
    /// reproduced exactly as the documentation writes it.
    pub ignored_conditions: AudienceConditions,
}

impl Validate for UserAudience {
    fn validate_into(&self, report: &mut Report) {
        report.field("user_ids", |report| {
            rules::recipients(report, &self.user_ids, MAX_AUDIENCE_USERS);
        });
        report.field("ignored_conditions", |report| {
            self.ignored_conditions.validate_into(report)
        });
    }
}

impl Validate for Audience {
    fn validate_into(&self, report: &mut Report) {
        match self {
            Audience::All => {}
            Audience::Matching(conditions) => {
                if conditions.is_empty() {
                    report.violation(
                        Rule::Other(Cow::Borrowed(
                            "needs a tag, a tag_or or a package name; use Audience::All for every user",
                        )),
                        Actual::Missing,
                    );
                }
                conditions.validate_into(report);
            }
            Audience::Users(users) => users.validate_into(report),
        }
    }
}

impl Serialize for Audience {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match self {
            Audience::All => {}
            Audience::Matching(conditions) => conditions.serialize_entries(&mut map)?,
            Audience::Users(users) => {
                users.ignored_conditions.serialize_entries(&mut map)?;
                map.serialize_entry("userid", &users.user_ids)?;
            }
        }
        map.serialize_entry("is_to_all", &matches!(self, Audience::All))?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_shape_sends_is_to_all() {
        assert_eq!(
            serde_json::to_value(Audience::All).unwrap(),
            json!({"is_to_all": true})
        );
        assert_eq!(
            serde_json::to_value(Audience::users(["1"])).unwrap(),
            json!({"userid": ["1"], "is_to_all": false})
        );
        assert_eq!(
            serde_json::to_value(Audience::package_name("cn.x")).unwrap(),
            json!({"packageName": "cn.x", "is_to_all": false})
        );
        let both = AudienceConditions::tags(["a"])
            .and_any_tag(["b", "c"])
            .and_package_name("p");
        assert_eq!(
            serde_json::to_value(Audience::from(both)).unwrap(),
            json!({"tag": ["a"], "tag_or": ["b", "c"], "packageName": "p", "is_to_all": false})
        );
    }

    #[test]
    fn limits_are_reported_with_paths() {
        let tags: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        let audience = Audience::from(
            AudienceConditions::tags(tags).and_any_tag(["x".repeat(41), String::new()]),
        );
        let error = audience.validate().unwrap_err();
        let found: Vec<String> = error.violations().iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "tag: at most 20 items (got 21)",
                "tag_or[1]: required, must not be empty (got \"\")",
                "tag_or[0]: at most 40 bytes (got 41)",
            ]
        );
        let users: Vec<String> = (0..1001).map(|i| i.to_string()).collect();
        let error = Audience::users(users).validate().unwrap_err();
        assert_eq!(error.violations()[0].path(), "user_ids[1000]");
        let error = Audience::Matching(AudienceConditions::default())
            .validate()
            .unwrap_err();
        assert_eq!(error.violations()[0].path(), "");
        // 13 CJK characters are 39 bytes; 14 are 42.
        assert!(
            Audience::from(AudienceConditions::tags(["北".repeat(13)]))
                .validate()
                .is_ok()
        );
        assert!(
            Audience::from(AudienceConditions::tags(["北".repeat(14)]))
                .validate()
                .is_err()
        );
    }
}
