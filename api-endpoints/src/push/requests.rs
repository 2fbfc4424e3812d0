//! The three documented uses of `POST /push.json`.
//!
//! They share one rate limit (2 calls an hour, 3 a day per app), which the
//! client enforces across all three through their common quota key, the
//! path.

use std::borrow::Cow;

use api_core::{Actual, Message, MessageContent, Report, Rule, Validate, endpoint};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use super::audience::{Audience, AudienceConditions};
use super::notification::{Notification, Platform};

/// The answer of a `/push.json` call.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PushResponse {
    /// The push's unique id.
    pub id: String,
    /// The message's unique id, equal to `id` (page 000; page 003 answers
    /// only `id`).
    #[serde(rename = "messageUID", default)]
    pub message_uid: Option<String>,
}

/// Checks rules shared by the three uses: platforms are distinct, and every
/// targeted platform gets an alert.
fn check_push(
    report: &mut Report,
    platforms: &[Platform],
    audience_names_users: bool,
    notification: Option<&Notification>,
) {
    for (index, platform) in platforms.iter().enumerate() {
        if platforms[..index].contains(platform) {
            report.field("platform", |report| {
                report.index(index, |report| {
                    report.violation(
                        Rule::Other(Cow::Borrowed("each platform at most once")),
                        Actual::Missing,
                    )
                })
            });
        }
    }
    if let Some(notification) = notification {
        // With user ids the server ignores `platform`: any device may be
        // reached, so every platform needs an alert.
        let targeted: &[Platform] = if audience_names_users {
            &Platform::ALL
        } else {
            platforms
        };
        report.field("notification", |report| {
            notification.check_alerts(report, targeted)
        });
    }
}

/// Broadcasts a message to an audience (page 003, section 3): online users
/// get a message in their SYSTEM conversation with `from_user_id`, offline
/// users a push notification and the message when they come back.
///
/// - Needs the broadcast service (code 1009 otherwise).
/// - Limits: 1 or 2 distinct platforms; audience tags at most 20 per kind,
///   each at most 40 bytes; at most 1000 user ids; `content` at most
///   128 KiB; title at most 50 characters; iOS badge at most 9999; an alert
///   for every targeted platform when a notification is given.
/// - Rate limit: shared by every `/push.json` use: 2 calls an hour, 3 a
///   day.
/// - Not idempotent.
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::{Audience, AudienceConditions, BroadcastMessage, Notification, TextMessage};
///
/// let answer = BroadcastMessage::new("fromuseId1", AudienceConditions::tags(["女", "北京"]), TextMessage::new("1111"))
///     .notification(Notification::alert("this is a push"))
///     .send(client)
///     .await?;
/// println!("{}", answer.id);
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/push.json",
    encoding = "json",
    response = PushResponse,
    rate_limit(calls = 2, per = hour),
    rate_limit(calls = 3, per = day),
    check = Self::check
)]
#[derive(Debug, Clone, PartialEq)]
pub struct BroadcastMessage<C: MessageContent> {
    /// The target systems (`platform`), at least one.
    #[endpoint(min_items = 1)]
    pub platform: Vec<Platform>,
    /// The sender (`fromuserid`).
    #[endpoint(rename = "fromuserid", non_empty)]
    pub from_user_id: String,
    /// Who gets it.
    #[endpoint(nested)]
    pub audience: Audience,
    /// The message: `{"objectName": ..., "content": "..."}`.
    #[endpoint(nested)]
    pub message: Message<C>,
    /// The push notification shown to offline users.
    #[endpoint(nested)]
    pub notification: Option<Notification>,
}

impl<C: MessageContent> BroadcastMessage<C> {
    /// A broadcast to `audience` on iOS and Android, without a notification.
    pub fn new(from_user_id: impl Into<String>, audience: impl Into<Audience>, content: C) -> Self {
        Self {
            platform: Platform::ALL.to_vec(),
            from_user_id: from_user_id.into(),
            audience: audience.into(),
            message: Message::new(content),
            notification: None,
        }
    }

    /// Targets these platforms only.
    #[must_use]
    pub fn platforms(mut self, platforms: impl IntoIterator<Item = Platform>) -> Self {
        self.platform = platforms.into_iter().collect();
        self
    }

    fn check(&self, report: &mut Report) {
        let users = matches!(self.audience, Audience::Users(_));
        check_push(report, &self.platform, users, self.notification.as_ref());
    }
}

/// The users of one app package, optionally narrowed by tags (AND).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageAudience {
    conditions: AudienceConditions,
}

impl PackageAudience {
    /// Every user of `package_name`.
    pub fn new(package_name: impl Into<String>) -> Self {
        Self {
            conditions: AudienceConditions::default().and_package_name(package_name),
        }
    }

    /// Only those having every one of `tags` (`tag`).
    #[must_use]
    pub fn and_tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.conditions = self.conditions.and_tags(tags);
        self
    }

    /// Only those having at least one of `tags` (`tag_or`).
    #[must_use]
    pub fn and_any_tag<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.conditions = self.conditions.and_any_tag(tags);
        self
    }

    /// The package name.
    pub fn package_name(&self) -> &str {
        self.conditions.package_name.as_deref().unwrap_or_default()
    }

    /// The conditions as a general audience's.
    pub fn conditions(&self) -> &AudienceConditions {
        &self.conditions
    }
}

impl Validate for PackageAudience {
    fn validate_into(&self, report: &mut Report) {
        self.conditions.validate_into(report)
    }
}

impl Serialize for PackageAudience {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        self.conditions.serialize_entries(&mut map)?;
        map.serialize_entry("is_to_all", &false)?;
        map.end()
    }
}

/// Sends a message to every user of one app package (page 000): a teachers'
/// app and a students' app under one App Key, say. Online users get it in
/// their SYSTEM conversation with `from_user_id`; offline users a push.
/// Web users are not reached.
///
/// - Needs the package-name notification service (code 1009 otherwise).
/// - Limits as [`BroadcastMessage`]; the server delivers to about 2000
///   users a second.
/// - Rate limit: shared by every `/push.json` use: 2 calls an hour, 3 a
///   day (calendar day).
/// - Not idempotent.
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::{Notification, PackageNameNotification, TextMessage};
///
/// let answer = PackageNameNotification::new("fromuseId1", "xxx.rong.xxx", TextMessage::new("1111"))
///     .notification(Notification::alert("this is a push"))
///     .send(client)
///     .await?;
/// assert_eq!(answer.message_uid.as_deref(), Some(answer.id.as_str()));
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/push.json",
    encoding = "json",
    response = PushResponse,
    rate_limit(calls = 2, per = hour),
    rate_limit(calls = 3, per = day),
    check = Self::check
)]
#[derive(Debug, Clone, PartialEq)]
pub struct PackageNameNotification<C: MessageContent> {
    /// The target systems (`platform`), at least one.
    #[endpoint(min_items = 1)]
    pub platform: Vec<Platform>,
    /// The sender (`fromuserid`).
    #[endpoint(rename = "fromuserid", non_empty)]
    pub from_user_id: String,
    /// The package, and optional tag conditions.
    #[endpoint(nested)]
    pub audience: PackageAudience,
    /// The message: `{"objectName": ..., "content": "..."}`.
    #[endpoint(nested)]
    pub message: Message<C>,
    /// The push notification shown to offline users.
    #[endpoint(nested)]
    pub notification: Option<Notification>,
}

impl<C: MessageContent> PackageNameNotification<C> {
    /// A message to the users of `package_name` on iOS and Android.
    pub fn new(
        from_user_id: impl Into<String>,
        package_name: impl Into<String>,
        content: C,
    ) -> Self {
        Self::to_audience(from_user_id, PackageAudience::new(package_name), content)
    }

    /// A message to a package audience narrowed by tags.
    pub fn to_audience(
        from_user_id: impl Into<String>,
        audience: PackageAudience,
        content: C,
    ) -> Self {
        Self {
            platform: Platform::ALL.to_vec(),
            from_user_id: from_user_id.into(),
            audience,
            message: Message::new(content),
            notification: None,
        }
    }

    /// Targets these platforms only.
    #[must_use]
    pub fn platforms(mut self, platforms: impl IntoIterator<Item = Platform>) -> Self {
        self.platform = platforms.into_iter().collect();
        self
    }

    fn check(&self, report: &mut Report) {
        check_push(report, &self.platform, false, self.notification.as_ref());
    }
}

/// Sends a push notification, without a chat message, to an audience (page
/// 003, section 4); the app sees it in a PUSH_SERVICE conversation.
///
/// - Needs the push service (code 1009 otherwise).
/// - Limits: as [`BroadcastMessage`]; the notification is required and
///   every targeted platform needs an alert.
/// - Rate limit: shared by every `/push.json` use: 2 calls an hour, 3 a
///   day.
/// - Not idempotent.
///
/// ```no_run
/// # async fn run(client: &api_core::Client) -> Result<(), api_core::Error> {
/// use api_endpoints::{Audience, Notification, PushNotification};
///
/// let answer = PushNotification::new(Audience::All, Notification::alert("this is a push"))
///     .send(client)
///     .await?;
/// println!("{}", answer.id);
/// # Ok(()) }
/// ```
#[endpoint(
    path = "/push.json",
    encoding = "json",
    response = PushResponse,
    rate_limit(calls = 2, per = hour),
    rate_limit(calls = 3, per = day),
    check = Self::check
)]
#[derive(Debug, Clone, PartialEq)]
pub struct PushNotification {
    /// The target systems (`platform`), at least one.
    #[endpoint(min_items = 1)]
    pub platform: Vec<Platform>,
    /// Who gets it.
    #[endpoint(nested)]
    pub audience: Audience,
    /// What is shown.
    #[endpoint(nested)]
    pub notification: Notification,
}

impl PushNotification {
    /// A push to `audience` on iOS and Android.
    pub fn new(audience: impl Into<Audience>, notification: Notification) -> Self {
        Self {
            platform: Platform::ALL.to_vec(),
            audience: audience.into(),
            notification,
        }
    }

    /// Targets these platforms only.
    #[must_use]
    pub fn platforms(mut self, platforms: impl IntoIterator<Item = Platform>) -> Self {
        self.platform = platforms.into_iter().collect();
        self
    }

    fn check(&self, report: &mut Report) {
        let users = matches!(self.audience, Audience::Users(_));
        check_push(report, &self.platform, users, Some(&self.notification));
    }
}
